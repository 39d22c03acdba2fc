package agreement

import (
	"errors"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// perTonne converts a specific amount in USD per kg or per t of contained
// mineral to USD per t, as an engine's PerUnit would for a floor per t.
func perTonne(s *Specific) (dec.Decimal, error) {
	switch {
	case s.On != Contained:
		return dec.Decimal{}, errors.New("gross")
	case s.Per == "kg":
		return s.Amount.Mul(dec.FromInt(1000)), nil
	case s.Per == "t":
		return s.Amount, nil
	}
	return dec.Decimal{}, errors.New("unit " + s.Per)
}

func usd(amount, per string) *Specific {
	return &Specific{Amount: dec.MustParse(amount), Currency: "USD", Per: per, On: Contained}
}

// TestCapAtFloor works each kind of cap out by hand on a floor of 50,000 USD
// per t of contained mineral.
func TestCapAtFloor(t *testing.T) {
	av := dec.MustParse
	for _, tt := range []struct {
		name string
		cap  Rate
		want string
	}{
		// 0.5 × 50,000
		{"ad valorem", Rate{Kind: AdValoremRate, AdValorem: av("0.5")}, "25000"},
		// 12 USD/kg = 12,000 USD/t, whatever the floor
		{"specific", Rate{Kind: SpecificRate, Specific: usd("12", "kg")}, "12000"},
		// 0.1 × 50,000 + 5 × 1,000
		{"compound", Rate{Kind: CompoundRate, AdValorem: av("0.1"), Specific: usd("5", "kg")}, "10000"},
		// max(0.15 × 50,000 = 7,500; 9,000)
		{"mixed higher", Rate{Kind: MixedRate, Combine: Higher, AdValorem: av("0.15"), Specific: usd("9", "kg")}, "9000"},
		// min(7,500; 9,000)
		{"mixed lower", Rate{Kind: MixedRate, Combine: Lower, AdValorem: av("0.15"), Specific: usd("9", "kg")}, "7500"},
		// min(0.6 × 50,000 = 30,000; 20,000)
		{"maximum", Rate{Kind: AdValoremRate, AdValorem: av("0.6"), Maximum: usd("20", "kg")}, "20000"},
		// max(0.1 × 50,000 = 5,000; 8,000)
		{"minimum", Rate{Kind: AdValoremRate, AdValorem: av("0.1"), Minimum: usd("8", "kg")}, "8000"},
		// a minimum that does not bind: 25,000
		{"minimum not binding", Rate{Kind: AdValoremRate, AdValorem: av("0.5"), Minimum: usd("8000", "t")}, "25000"},
	} {
		got, err := CapAtFloor(&tt.cap, dec.FromInt(50000), perTonne)
		if err != nil {
			t.Errorf("%s: CapAtFloor = %v", tt.name, err)
			continue
		}
		if got.Cmp(dec.MustParse(tt.want)) != 0 {
			t.Errorf("%s: CapAtFloor = %s, want %s", tt.name, got, tt.want)
		}
	}
	gross := &Specific{Amount: dec.FromInt(1), Currency: "USD", Per: "kg", On: Gross}
	for _, r := range []Rate{
		{Kind: SpecificRate, Specific: gross},
		{Kind: AdValoremRate, AdValorem: dec.MustParse("0.5"), Maximum: gross},
	} {
		if _, err := CapAtFloor(&r, dec.FromInt(50000), perTonne); err == nil {
			t.Errorf("CapAtFloor(%+v) with an amount PerUnit cannot convert = nil error", r)
		}
	}
}

// TestVariableDutyPerUnit works the rule out by hand. The gallium case is
// the example's: floor 650 USD/kg, a specific cap of 400 USD/kg, half phased
// in; at a border price of 200 the gap of 450 is capped at 400 and then
// halved, 200 (capping the halved gap instead would give min(225, 400) = 225).
func TestVariableDutyPerUnit(t *testing.T) {
	d := dec.MustParse
	for _, tt := range []struct {
		name              string
		floor, price, cap string
		capped            bool
		share, want       string
	}{
		{"gallium, capped, then halved", "650", "200", "400", true, "0.5", "200"},
		{"gallium, under the cap", "650", "450", "400", true, "0.5", "100"},
		{"above the floor", "650", "700", "400", true, "1", "0"},
		{"at the floor", "650", "650", "400", true, "1", "0"},
		{"uncapped, a quarter", "650", "250", "0", false, "0.25", "100"},
		{"cap of 0", "650", "250", "0", true, "1", "0"},
		// phase-in 0.4 × reduced 0.5: min(50,000 − 20,000, 25,000) × 0.2
		{"phase-in and reduced", "50000", "20000", "25000", true, "0.2", "5000"},
	} {
		got := VariableDutyPerUnit(d(tt.floor), d(tt.price), d(tt.cap), tt.capped, d(tt.share))
		if got.Cmp(d(tt.want)) != 0 {
			t.Errorf("%s: VariableDutyPerUnit = %s, want %s", tt.name, got, tt.want)
		}
	}
}

// TestOriginShare: exempt (or no rule) 0, reduced its factor, full 1.
func TestOriginShare(t *testing.T) {
	for _, tt := range []struct {
		rule *OriginRule
		want string
	}{
		{nil, "0"},
		{&OriginRule{Treatment: Exempt}, "0"},
		{&OriginRule{Treatment: Reduced, Factor: dec.MustParse("0.5")}, "0.5"},
		{&OriginRule{Treatment: Full}, "1"},
	} {
		if got := OriginShare(tt.rule); got.Cmp(dec.MustParse(tt.want)) != 0 {
			t.Errorf("OriginShare(%+v) = %s, want %s", tt.rule, got, tt.want)
		}
	}
}

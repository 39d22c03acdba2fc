package costcurve

import (
	"bytes"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

func testParams(seed uint64) Params {
	return Params{
		Mineral: "cobalt", Stage: "mined", Unit: "t", Currency: "USD", Year: 2025, Seed: seed,
		Countries: []CountryProduction{
			{Code: "CD", Name: "Congo (Kinshasa)", Production: d("230000")},
			{Code: "ID", Name: "Indonesia", Production: d("44000")},
			{Code: "AU", Name: "Australia", Production: d("3700")},
			{Code: "ZZ", Name: "Other countries", Production: d("9100.5")},
		},
		ReferencePrice: d("33069.33932773163710844607020175406"),
		Ratio:          d("0.70"),
		Source:         "test", Calibration: "test",
	}
}

func encode(t *testing.T, c *Curve) []byte {
	t.Helper()
	var b bytes.Buffer
	if err := Encode(&b, c, "test"); err != nil {
		t.Fatal(err)
	}
	return b.Bytes()
}

func TestGenerateDeterministic(t *testing.T) {
	gen := func(seed uint64) []byte {
		c, err := Generate(testParams(seed))
		if err != nil {
			t.Fatalf("Generate(seed %d) = %v", seed, err)
		}
		return encode(t, c)
	}
	a, b := gen(7), gen(7)
	if !bytes.Equal(a, b) {
		t.Errorf("Generate with seed 7 twice gave different bytes:\n%s\n%s", a, b)
	}
	if c := gen(8); bytes.Equal(a, c) {
		t.Errorf("Generate with seeds 7 and 8 gave the same bytes")
	}
}

func TestGenerateCalibration(t *testing.T) {
	for seed := uint64(0); seed < 200; seed++ {
		p := testParams(seed)
		c, err := Generate(p)
		if err != nil {
			t.Fatalf("Generate(seed %d) = %v", seed, err)
		}
		target, _ := p.TargetMean()
		if target.Cmp(d("23148.54")) != 0 {
			t.Fatalf("TargetMean() = %s, want 23148.54 (0.70 × 33069.339…, half up)", target)
		}
		if got := c.WeightedMeanCost(); got.Cmp(target) != 0 {
			t.Errorf("seed %d: WeightedMeanCost() = %s, want exactly %s", seed, got, target)
		}
		if got := c.TotalCapacity(); got.Cmp(d("286800.5")) != 0 {
			t.Errorf("seed %d: TotalCapacity() = %s, want 286800.5", seed, got)
		}
		perCountry := map[string]dec.Decimal{}
		for _, pr := range c.Producers {
			if pr.Capacity.Sign() <= 0 || pr.Cost.Sign() <= 0 {
				t.Errorf("seed %d: %s capacity %s cost %s, want > 0", seed, pr.ID, pr.Capacity, pr.Cost)
			}
			if !strings.Contains(pr.Name, "illustrative") {
				t.Errorf("seed %d: %s name %q does not say illustrative", seed, pr.ID, pr.Name)
			}
			perCountry[pr.Country] = perCountry[pr.Country].Add(pr.Capacity)
		}
		for _, cp := range p.Countries {
			if got := perCountry[cp.Code]; got.Cmp(cp.Production) != 0 {
				t.Errorf("seed %d: %s capacity %s, want its production %s", seed, cp.Code, got, cp.Production)
			}
		}
		// 1 + ⌊share/5%⌋ producers: CD 80% → 6, ID 15% → 4, AU 1% → 1, ZZ 3% → 1.
		if len(c.Producers) != 12 {
			t.Errorf("seed %d: %d producers, want 12", seed, len(c.Producers))
		}
		if !c.Illustrative || c.Name != Generated {
			t.Errorf("seed %d: Illustrative %v Name %q, want true, generated", seed, c.Illustrative, c.Name)
		}
	}
}

func TestGenerateErrors(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Params)
		want   string
	}{
		{"no countries", func(p *Params) { p.Countries = nil }, "countries: no country production"},
		{"zero production", func(p *Params) { p.Countries[1].Production = dec.Zero }, "countries[1].production: 0 is not greater than 0"},
		{"bad code", func(p *Params) { p.Countries[0].Code = "Congo" }, `countries[0].code: "Congo" is not an ISO alpha-2 code`},
		{"duplicate", func(p *Params) { p.Countries[1].Code = "CD" }, "countries[1].code: CD is listed twice"},
		{"no price", func(p *Params) { p.ReferencePrice = dec.Zero }, "reference_price: 0 is not greater than 0"},
		{"ratio", func(p *Params) { p.Ratio = d("-0.1") }, "ratio: -0.1 is not in (0, 10]"},
		{"cents", func(p *Params) { p.ReferencePrice = d("0.001") }, "ratio: target mean cost"},
		{"too small to split", func(p *Params) {
			p.Countries = []CountryProduction{{Code: "AU", Production: d("5")}}
		}, "no country is large enough"},
		{"no unit", func(p *Params) { p.Unit = "" }, "unit: is empty"},
	}
	for _, tt := range tests {
		p := testParams(1)
		tt.change(&p)
		_, err := Generate(p)
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%s: Generate = %v, want an error containing %q", tt.name, err, tt.want)
		}
	}
}

func TestSmoothCapacity(t *testing.T) {
	tests := []struct{ c, next, wantC, wantNext string }{
		{"262000", "100000", "250000", "112000"},
		{"41567", "30000", "40000", "31567"},
		{"3", "3", "2", "4"}, // a tie goes to the smaller
		{"1", "1", "1", "1"},
		{"0.6", "0.5", "1", "0.1"},
		{"0.5", "0.4", "0.5", "0.4"},
	}
	for _, tt := range tests {
		c, next := d(tt.c), d(tt.next)
		smoothCapacity(&c, &next)
		if c.Cmp(d(tt.wantC)) != 0 || next.Cmp(d(tt.wantNext)) != 0 {
			t.Errorf("smoothCapacity(%s, %s) = %s, %s; want %s, %s", tt.c, tt.next, c, next, tt.wantC, tt.wantNext)
		}
	}
}

// FuzzGenerate: any parameters give a curve whose weighted mean is exactly the
// target, or an error; never a panic.
func FuzzGenerate(f *testing.F) {
	f.Add(uint64(1), "230000", "44000", "33069.34", "0.70")
	f.Add(uint64(2), "6", "1", "1", "1")
	f.Add(uint64(3), "0.5", "0.25", "100", "0.5")
	f.Add(uint64(4), "1e14", "3", "0.05", "9.9")
	f.Fuzz(func(t *testing.T, seed uint64, a, b, price, ratio string) {
		pa, err1 := dec.Parse(a)
		pb, err2 := dec.Parse(b)
		pr, err3 := dec.Parse(price)
		ra, err4 := dec.Parse(ratio)
		if err1 != nil || err2 != nil || err3 != nil || err4 != nil {
			return
		}
		for _, x := range []dec.Decimal{pa, pb, pr, ra} {
			if x.Abs().Cmp(dec.New(1, 20)) > 0 || (!x.IsZero() && x.Abs().Cmp(dec.New(1, -8)) < 0) {
				return // beyond any production or price
			}
		}
		p := Params{Mineral: "m", Stage: "mined", Unit: "t", Currency: "USD", Seed: seed, ReferencePrice: pr, Ratio: ra,
			Countries: []CountryProduction{{Code: "AA", Production: pa}, {Code: "BB", Production: pb}}}
		c, err := Generate(p)
		if err != nil {
			return
		}
		target, _ := p.TargetMean()
		if got := c.WeightedMeanCost(); got.Cmp(target) != 0 {
			t.Errorf("WeightedMeanCost() = %s, want %s", got, target)
		}
		for _, pr := range c.Producers {
			if pr.Capacity.Sign() <= 0 || pr.Cost.Sign() <= 0 {
				t.Errorf("%s capacity %s cost %s, want > 0", pr.ID, pr.Capacity, pr.Cost)
			}
		}
	})
}

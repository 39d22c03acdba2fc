package agreement

import (
	"fmt"
	"reflect"
	"slices"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// TestVocabularies checks that every typed vocabulary lists exactly the
// values its fields' enum tags allow, so decoding, the schema and the
// engines' constants cannot drift apart.
func TestVocabularies(t *testing.T) {
	tests := []struct {
		t     reflect.Type
		field string
		want  any
	}{
		{reflect.TypeFor[Instrument](), "type", InstrumentTypes},
		{reflect.TypeFor[Instrument](), "allocation", Allocations},
		{reflect.TypeFor[Rate](), "kind", RateKinds},
		{reflect.TypeFor[Rate](), "combine", Combines},
		{reflect.TypeFor[Specific](), "on", QuantityBases},
		{reflect.TypeFor[Quantity](), "basis", QuantityBases},
		{reflect.TypeFor[OriginRule](), "treatment", OriginTreatments},
		{reflect.TypeFor[QuotaPeriod](), "length", PeriodLengths},
		{reflect.TypeFor[Valuation](), "base", ValuationBases},
		{reflect.TypeFor[Rounding](), "scope", RoundingScopes},
		{reflect.TypeFor[ExchangeRule](), "source", RateSources},
		{reflect.TypeFor[ExchangeRule](), "month", RateMonths},
		{reflect.TypeFor[PriceRule](), "method", PriceMethods},
		{reflect.TypeFor[PriceRule](), "producers", ProducerSets},
		{reflect.TypeFor[Revision](), "every", Frequencies},
		{reflect.TypeFor[MineralGroup](), "reason", GroupReasons},
		{reflect.TypeFor[Change](), "op", ChangeOps},
		{reflect.TypeFor[StageScope](), "stage", registry.Stages},
		{reflect.TypeFor[Stockpile](), "stage", registry.Stages},
		{reflect.TypeFor[StockObligation](), "measure", StockMeasures},
		{reflect.TypeFor[PartyObligation](), "measure", StockMeasures},
		{reflect.TypeFor[CrisisResponse](), "key", ResponseKeys},
		{reflect.TypeFor[Instrument](), "stage", registry.Stages},
		{reflect.TypeFor[PriceRule](), "from", registry.Stages},
	}
	for _, tt := range tests {
		f, ok := strictyaml.Fields(tt.t).ByName[tt.field]
		if !ok {
			t.Fatalf("%s has no field %q", tt.t.Name(), tt.field)
		}
		var got []string
		v := reflect.ValueOf(tt.want)
		for i := range v.Len() {
			got = append(got, v.Index(i).String())
		}
		if !slices.Equal(got, f.Enum) {
			t.Errorf("%s.%s: constants %v, enum tag %v", tt.t.Name(), tt.field, got, f.Enum)
		}
		if ft := tt.t.Field(f.Index).Type; ft != v.Type().Elem() {
			t.Errorf("%s.%s has type %s, want %s", tt.t.Name(), tt.field, ft, v.Type().Elem())
		}
	}
}

type groups map[string][]string

func (g groups) IsGroup(id string) bool { _, ok := g[id]; return ok }
func (g groups) Group(id string) ([]string, error) {
	if m, ok := g[id]; ok {
		return m, nil
	}
	return nil, fmt.Errorf("no group %s", id)
}

func TestZone(t *testing.T) {
	g := groups{"EU": {"DE", "FR", "IE"}}
	// IE is a party in its own right and listed after the EU: its own entry
	// wins whatever the order.
	a := &Agreement{ID: "z", EntryIntoForce: date.MustParse("2026-01-01"), Parties: []Party{
		{ID: "US", Accession: date.MustParse("2026-01-01")},
		{ID: "EU", Accession: date.MustParse("2026-01-01")},
		{ID: "IE", Accession: date.MustParse("2026-01-01")},
		{ID: "JP", Accession: date.MustParse("2027-01-01")},
	}}
	in, err := a.AsOf(date.MustParse("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(g)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"US", "EU", "IE"}; !slices.Equal(z.Parties, want) {
		t.Errorf("Parties = %v, want %v", z.Parties, want)
	}
	for _, tt := range []struct{ country, party string }{{"US", "US"}, {"DE", "EU"}, {"FR", "EU"}, {"IE", "IE"}, {"EU", "EU"}, {"JP", ""}, {"CN", ""}} {
		got, ok := z.PartyOf(tt.country)
		if got != tt.party || ok != (tt.party != "") {
			t.Errorf("PartyOf(%s) = %q, %t; want %q", tt.country, got, ok, tt.party)
		}
	}
	if want := []string{"DE", "EU", "FR", "IE", "US"}; !slices.Equal(z.Countries(), want) {
		t.Errorf("Countries() = %v, want %v", z.Countries(), want)
	}
	if _, err := zoneOf(a, groups{"EU": nil, "US": nil}); err != nil {
		t.Errorf("zone with empty groups: %v", err)
	}
}

func TestPartyInstrument(t *testing.T) {
	p := &Party{ID: "US", Instruments: []Instrument{
		{ID: "vd-all", Type: VariableDuty, Mineral: "cobalt", Stage: "processed"},
		{ID: "vd-8105", Type: VariableDuty, Mineral: "cobalt", Stage: "processed", HS: []string{"8105"}},
		{ID: "vd-810520", Type: VariableDuty, Mineral: "cobalt", Stage: "processed", HS: []string{"2822", "810520"}},
		{ID: "vd-810520-b", Type: VariableDuty, Mineral: "cobalt", Stage: "processed", HS: []string{"810520"}},
		{ID: "sur", Type: NonPartySurcharge, Mineral: "cobalt"},
		{ID: "mfn-line", Type: MFN, Mineral: "nickel", HS: []string{"810520"}},
		{ID: "mfn-co", Type: MFN, Mineral: "cobalt", Stage: "processed"},
		{ID: "trq-au", Type: TariffRateQuota, Mineral: "cobalt", Stage: "processed", Origins: []string{"AU"}},
		{ID: "trq-all", Type: TariffRateQuota, Mineral: "cobalt", Stage: "processed"},
	}}
	tests := []struct {
		typ     InstrumentType
		mineral string
		stage   registry.Stage
		code    string
		accept  func(*Instrument) bool
		want    string
	}{
		{VariableDuty, "cobalt", "processed", "81052000", nil, "vd-810520"}, // longest line; the first of two equal ones
		{VariableDuty, "cobalt", "processed", "81059000", nil, "vd-8105"},
		{VariableDuty, "cobalt", "processed", "28220000", nil, "vd-810520"},
		{VariableDuty, "cobalt", "processed", "26050000", nil, "vd-all"},
		{VariableDuty, "cobalt", "mined", "26050000", nil, ""},
		{VariableDuty, "lithium", "processed", "81052000", nil, ""},
		{NonPartySurcharge, "cobalt", "mined", "26050000", nil, "sur"}, // no stage: every stage
		{MFN, "cobalt", "processed", "81052000", nil, "mfn-line"},      // a line is charged once, whatever mineral lists it
		{MFN, "cobalt", "processed", "81059000", nil, "mfn-co"},
		{MFN, "nickel", "processed", "75021000", nil, ""},
		{TariffRateQuota, "cobalt", "processed", "81052000", func(in *Instrument) bool { return len(in.Origins) == 0 }, "trq-all"},
		{TariffRateQuota, "cobalt", "processed", "81052000", nil, "trq-au"},
	}
	for _, tt := range tests {
		got := ""
		if in := p.Instrument(tt.typ, tt.mineral, tt.stage, tt.code, tt.accept); in != nil {
			got = in.ID
		}
		if got != tt.want {
			t.Errorf("Instrument(%s, %s, %s, %s) = %q, want %q", tt.typ, tt.mineral, tt.stage, tt.code, got, tt.want)
		}
	}
}

func TestShareOn(t *testing.T) {
	in := &Instrument{Type: PhaseIn, Steps: []PhaseStep{
		{From: date.MustParse("2026-01-01"), Share: dec.MustParse("0.25")},
		{From: date.MustParse("2026-07-01"), Share: dec.MustParse("0.5")},
		{From: date.MustParse("2027-01-01"), Share: dec.MustParse("1")},
	}}
	for _, tt := range []struct {
		on   string
		step int
		want string
	}{{"2025-12-31", -1, "0"}, {"2026-01-01", 0, "0.25"}, {"2026-06-30", 0, "0.25"}, {"2026-07-01", 1, "0.5"}, {"2030-01-01", 2, "1"}} {
		d := date.MustParse(tt.on)
		if got := in.StepOn(d); got != tt.step {
			t.Errorf("StepOn(%s) = %d, want %d", tt.on, got, tt.step)
		}
		if got := in.ShareOn(d); got.Cmp(dec.MustParse(tt.want)) != 0 {
			t.Errorf("ShareOn(%s) = %s, want %s", tt.on, got, tt.want)
		}
	}
}

func TestQuotaPeriodContaining(t *testing.T) {
	tests := []struct {
		start      string
		length     PeriodLength
		on         string
		from, next string
		ok         bool
	}{
		{"2026-01-01", Quarter, "2026-05-17", "2026-04-01", "2026-07-01", true},
		{"2026-01-01", Year, "2027-12-31", "2027-01-01", "2028-01-01", true},
		{"2026-01-01", Month, "2025-12-31", "", "", false},
		{"2026-01-31", Month, "2026-02-28", "2026-02-28", "2026-03-31", true}, // clamped start
		{"2026-01-31", Month, "2026-02-27", "2026-01-31", "2026-02-28", true},
		{"2026-03-15", HalfYear, "2026-09-14", "2026-03-15", "2026-09-15", true},
		{"2026-03-15", HalfYear, "2026-09-15", "2026-09-15", "2027-03-15", true},
		{"2026-01-01", PeriodLength("fortnight"), "2026-02-01", "", "", false},
	}
	for _, tt := range tests {
		p := QuotaPeriod{Start: date.MustParse(tt.start), Length: tt.length}
		from, next, ok := p.Containing(date.MustParse(tt.on))
		if ok != tt.ok || (ok && (from.String() != tt.from || next.String() != tt.next)) {
			t.Errorf("%s from %s: Containing(%s) = %s, %s, %t; want %s, %s, %t", tt.length, tt.start, tt.on, from, next, ok, tt.from, tt.next, tt.ok)
		}
	}
}

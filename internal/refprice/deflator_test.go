package refprice

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestDeflator: df1 of testdata/hand_cases.txt as data. The input "deflator"
// carries the factor, both CPI-U figures, the month and its release, and is
// reported, not not_deflated; the steps deflate the cash cost before the
// capital charge is added.
func TestDeflator(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	f, err := e.Floor("nickel", "mined", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	in := inputOf(f, "deflator")
	if in == nil {
		t.Fatalf("nickel/mined inputs %+v lack the deflator", f.Inputs)
	}
	want := Input{Name: "deflator", Value: "1.109839230493242896926415062103842", Unit: "USD of 2025-09 per USD of 2022", Date: "2025-09", Quality: Reported, Released: "2025-10-31"}
	if in.Value != want.Value || in.Unit != want.Unit || in.Date != want.Date || in.Quality != want.Quality || in.Released != want.Released {
		t.Errorf("deflator = %+v, want %+v", *in, want)
	}
	for _, s := range []string{"CUUR0000SA0", "324.8 (2025-09", "292.655 (2022 annual average"} {
		if !strings.Contains(in.Source, s) {
			t.Errorf("deflator source %q lacks %q", in.Source, s)
		}
	}
	if got := provenanceOf(f, NotDeflated); len(got) > 0 || inputOf(f, "cost basis") != nil {
		t.Errorf("not_deflated = %q; want none, the costs are deflated", got)
	}
	steps := map[string]string{}
	for _, s := range f.Steps {
		steps[s.Step] = s.Output
	}
	if steps["deflator"] != want.Value || steps["deflated cash cost"] != "33295.17691479728690779245186311526" {
		t.Errorf("steps deflator %s, deflated cash cost %s; want %s, 33295.17691479728690779245186311526", steps["deflator"], steps["deflated cash cost"], want.Value)
	}
	// The curve view draws the deflated costs: cash cost + charge is the floor.
	v, err := e.CurveView("nickel", "mined", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if v.Deflator.String() != want.Value || round2(v.CashCost.Add(v.CapitalCharge)) != f.Price.String() {
		t.Errorf("CurveView deflator %s, cash + charge %s; want %s, %s", v.Deflator, round2(v.CashCost.Add(v.CapitalCharge)), want.Value, f.Price)
	}
}

// TestNotDeflated: where no deflator can be formed from data public at the
// cut-off, the costs are used as stated and the input "cost basis" says
// why, flagged not_deflated; nothing is guessed.
func TestNotDeflated(t *testing.T) {
	for _, tc := range []struct {
		name, on string
		year     int
		currency string
		want     string
	}{
		{"2025 has no October", "2026-04-01", 2025, "USD", "no index for 2025-10"},
		{"the cost year not yet public", "2025-01-01", 2024, "USD", "the CPI-U annual average of 2024 was public only on 2025-01-31 (with its December), after the data cut-off 2024-12-02"},
		{"a year the CPI-U does not reach", "2026-04-01", 2031, "USD", "no complete year 2031"},
		{"not USD", "2026-04-01", 2022, "EUR", "the deflator that ships is the US CPI-U, for costs in USD"},
	} {
		src := handSources(t)
		curves := src.Curves
		src.Curves = func(name, mineral, stage string) (*CostCurve, error) {
			cc, err := curves(name, mineral, stage)
			if err == nil {
				cc.Year, cc.Currency = tc.year, tc.currency
			}
			return cc, err
		}
		f, err := New(loadHand(t), src, Backcast()).Floor("nickel", "mined", date.MustParse(tc.on))
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		in := inputOf(f, "cost basis")
		if in == nil || in.Quality != NotDeflated || !strings.Contains(in.Source, tc.want) || inputOf(f, "deflator") != nil {
			t.Errorf("%s: cost basis %+v, want not_deflated saying %q and no deflator", tc.name, in, tc.want)
			continue
		}
		if !strings.Contains(strings.Join(f.Flags(), ","), "not_deflated") {
			t.Errorf("%s: flags %q lack not_deflated", tc.name, f.Flags())
		}
		for _, s := range f.Steps {
			if s.Step == "deflated cash cost" {
				t.Errorf("%s: step %q with no deflator", tc.name, s.Step)
			}
		}
		if tc.currency == "USD" && f.Price.Cmp(dec.MustParse("35761.90")) != 0 {
			t.Errorf("%s: floor %s, want cc1's 35761.90 (30000 as stated)", tc.name, f.Price)
		}
	}
}

func inputOf(f *Floor, name string) *Input {
	for i := range f.Inputs {
		if f.Inputs[i].Name == name {
			return &f.Inputs[i]
		}
	}
	return nil
}

package refprice

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// lateSources are the hand sources with release dates: the curve released on
// curve, the series' month m on the first day of month m+1 plus lagDays.
func lateSources(t *testing.T, curve string, lagDays int) Sources {
	src := handSources(t)
	curves, series := src.Curves, src.Series
	src.Curves = func(name, mineral, stage string) (*CostCurve, error) {
		cc, err := curves(name, mineral, stage)
		if err == nil {
			cc.Released, cc.VintageName = date.MustParse(curve), "hand curve"
		}
		return cc, err
	}
	src.Series = func(id string) (*MonthlySeries, error) {
		s, err := series(id)
		if err == nil {
			s.Released = func(m string) (date.Date, error) {
				d, err := date.Parse(m + "-01")
				return d.AddMonths(1).AddDays(lagDays), err
			}
			s.ReleaseRule = "hand rule"
		}
		return s, err
	}
	return src
}

// flagHand is the hand agreement with later_vintages: flag.
func flagHand(t *testing.T) *agreement.Agreement {
	a := loadHand(t)
	a.LaterVintages = "flag"
	return a
}

// withRisk gives cobalt/mined a WGI country risk premium (PV 2022): its
// marginal producer D is in CD, which has a score.
func withRisk(e *Engine) {
	m, _ := e.ag.Mineral("cobalt")
	m.Stages[0].Price.Risk = &agreement.RiskRule{Indicator: "PV", Year: 2022,
		Reference: dec.MustParse("1.0"), Slope: dec.MustParse("0.02"), Max: dec.MustParse("0.08")}
}

// TestVintageCutOff: for every method with dated inputs, a floor whose data
// cut-off is before a source's release cannot use it. An agreement that says
// nothing of later vintages refuses the floor, naming the input, its release
// and the cut-off, and so does an engine told StrictVintages whatever the
// agreement says; only an agreement with later_vintages: flag computes it and
// flags the input after_cut_off. Released before the cut-off, nothing is
// flagged.
func TestVintageCutOff(t *testing.T) {
	// hand.yaml: cut-offs 2026-01-01 (no lag), copper 2025-12-27 (lag 5).
	cases := []struct {
		name, floor, on string
		opts            []Option
		src             Sources
		mutate          func(e *Engine)
		want            []string // in the refusal
		late            string   // the input flagged under later_vintages: flag
	}{
		{"cost_curve", "cobalt/mined", "2026-01-01", nil, lateSources(t, "2026-02-06", 0), nil,
			[]string{"cobalt/mined", "cost curve: its vintage", "released on 2026-02-06, after the data cut-off 2026-01-01"}, "cost curve"},
		{"stage_chain", "cobalt/processed", "2026-01-01", nil, lateSources(t, "2026-02-06", 0), nil,
			[]string{"cobalt/mined", "released on 2026-02-06"}, "cobalt/mined: cost curve"},
		// The WGI 2023 update (released 2023-09-30) weights the marginal
		// producer's rate: a backcast of 2023-07-01 cannot have it.
		{"cost_curve WGI", "cobalt/mined", "2023-07-01", []Option{Backcast()}, handSources(t), withRisk,
			[]string{"cobalt/mined", "WGI PV CD", "Worldwide Governance Indicators, 2023 update", "released on 2023-09-30, after the data cut-off 2023-07-01"}, "WGI PV CD"},
		{"negotiated", "gallium/processed", "2026-01-01", nil, handSources(t), func(e *Engine) {
			m, _ := e.ag.Mineral("gallium")
			m.Stages[0].Price.AgreedOn = date.MustParse("2026-03-01")
		}, []string{"gallium/processed", "negotiated price", "released on 2026-03-01, after the data cut-off 2026-01-01"}, "negotiated price"},
	}
	for _, tc := range cases {
		m, s, _ := strings.Cut(tc.floor, "/")
		on := date.MustParse(tc.on)
		refusing := map[string]*Engine{
			"no later_vintages":                New(loadHand(t), tc.src, tc.opts...),
			"later_vintages: refuse":           New(func() *agreement.Agreement { a := loadHand(t); a.LaterVintages = "refuse"; return a }(), tc.src, tc.opts...),
			"later_vintages: flag, but strict": New(flagHand(t), tc.src, append([]Option{StrictVintages()}, tc.opts...)...),
		}
		flagged := New(flagHand(t), tc.src, tc.opts...)
		if tc.mutate != nil {
			tc.mutate(flagged)
			for _, e := range refusing {
				tc.mutate(e)
			}
		}
		for how, e := range refusing {
			f, err := e.Floor(m, s, on)
			if err == nil {
				t.Errorf("%s (%s): Floor(%s, %s) = %s, want a problem: a source released after the cut-off", tc.name, how, tc.floor, on, f.Price)
				continue
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("%s (%s): error %q lacks %q", tc.name, how, err, w)
				}
			}
		}
		f, err := flagged.Floor(m, s, on)
		if err != nil {
			t.Errorf("%s: Floor(%s) under later_vintages: flag = %v, want the floor flagged", tc.name, tc.floor, err)
			continue
		}
		if got := provenanceOf(f, AfterCutOff); !slices.Contains(got, tc.late) {
			t.Errorf("%s: after_cut_off = %q, want %q", tc.name, got, tc.late)
		}
		if !slices.Contains(f.Flags(), string(AfterCutOff)) {
			t.Errorf("%s: flags %q lack after_cut_off", tc.name, f.Flags())
		}
	}

	on := date.MustParse("2026-01-01")
	// market_average: a month released after the cut-off is not in the
	// window, which ends with the last month published by then (November's
	// value, published on 1 January, is after the cut-off of 27 December).
	src := lateSources(t, "2025-01-01", 31)
	series := src.Series
	src.Series = func(id string) (*MonthlySeries, error) {
		s, err := series(id)
		if err == nil {
			s.Points["2025-08"] = dec.MustParse("8400")
		}
		return s, err
	}
	for _, e := range []*Engine{New(loadHand(t), src), New(flagHand(t), src)} {
		f, err := e.Floor("copper", "processed", on)
		if err != nil {
			t.Fatalf("market_average with November published after the cut-off: %v", err)
		}
		var months []string
		for _, in := range f.Inputs {
			if strings.HasPrefix(in.Name, "store:HAND ") {
				months = append(months, in.Date)
			}
		}
		if !slices.Equal(months, []string{"2025-08", "2025-09", "2025-10"}) || len(provenanceOf(f, AfterCutOff)) > 0 {
			t.Errorf("market_average window %q, after_cut_off %q; want 2025-08 to 2025-10, none", months, provenanceOf(f, AfterCutOff))
		}
	}

	// Released on or before the cut-off: used, named, not flagged.
	early := New(loadHand(t), lateSources(t, "2025-12-31", 10))
	withRisk(early)
	for _, fl := range []string{"cobalt/mined", "cobalt/processed", "copper/processed", "gallium/processed", "tin/mined"} {
		m, s, _ := strings.Cut(fl, "/")
		f, err := early.Floor(m, s, on)
		if err != nil {
			t.Errorf("%s released before the cut-off: %v", fl, err)
			continue
		}
		if len(provenanceOf(f, AfterCutOff)) > 0 {
			t.Errorf("%s: flagged after_cut_off with every source released before the cut-off", fl)
		}
		for _, in := range f.Inputs {
			if in.Released != "" && in.Released > f.CutOff.String() {
				t.Errorf("%s: input %s released %s after the cut-off %s", fl, in.Name, in.Released, f.CutOff)
			}
		}
	}
	// band: the band is the agreement's own figures; no data vintage enters it.
	f, err := early.Floor("tin", "mined", on)
	if err != nil {
		t.Fatal(err)
	}
	for _, in := range f.Inputs {
		if in.Released != "" || in.Quality != Agreed {
			t.Errorf("band input %s: released %q, quality %q; want an agreed term with no release", in.Name, in.Released, in.Quality)
		}
	}
}

// TestVintageExchangeRate: a conversion uses the last month whose FRED rate
// was public at the cut-off, never the cut-off's own month.
func TestVintageExchangeRate(t *testing.T) {
	for _, tc := range []struct{ on, month string }{
		{"2026-01-01", "2025-11"}, // December's rate is published on 2 January 2026
		{"2026-04-01", "2026-03"}, // March's on Wednesday 1 April
	} {
		e := New(loadHand(t), handSources(t), StrictVintages())
		e.ag.Currency = "EUR"
		f, err := e.Floor("cobalt", "mined", date.MustParse(tc.on))
		if err != nil {
			t.Fatalf("%s: %v", tc.on, err)
		}
		var got []string
		for _, in := range f.Inputs {
			if strings.HasPrefix(in.Name, "exchange rate") {
				got = append(got, in.Date)
				if in.Released == "" || in.Released > f.CutOff.String() {
					t.Errorf("%s: %s released %q, want on or before the cut-off %s", tc.on, in.Name, in.Released, f.CutOff)
				}
			}
		}
		if len(got) == 0 || got[0] != tc.month {
			t.Errorf("%s (cut-off %s): exchange rate months %q, want %s", tc.on, f.CutOff, got, tc.month)
		}
	}
}

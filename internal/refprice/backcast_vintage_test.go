package refprice_test

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// example loads the shipped example agreement with later_vintages set to v
// ("" : the field omitted, as in an agreement that says nothing).
func example(t *testing.T, reg *registry.Registry, v string) *agreement.Agreement {
	t.Helper()
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	if a.LaterVintages != "flag" {
		t.Fatalf("the example says later_vintages: %q, want flag", a.LaterVintages)
	}
	a.LaterVintages = v
	return a
}

// TestShippedVintagesRefused: on the shipped data, an agreement that says
// nothing of later vintages refuses every floor whose cut-off precedes the
// release of an input it needs, for each method with dated inputs: a cost
// curve from Busch et al. (released 2025-02-01) and a generated one
// (calibrated to MCS 2026, released 2026-02-06), the WGI 2023 update
// (2023-09-30) that weights them, a stage chained to them; a market average
// never reaches a Pink Sheet month published after its cut-off. The example,
// which says later_vintages: flag, computes the same floors flagged.
func TestShippedVintagesRefused(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	src := costcurve.PriceSources(reg, data.FS)
	refuse := refprice.New(example(t, reg, ""), src, refprice.Backcast())
	flag := refprice.New(example(t, reg, "flag"), src, refprice.Backcast())
	for _, tc := range []struct {
		floor, on string
		want      []string // in the refusal
	}{
		// Busch et al. after the cut-off 2024-12-02 (and the WGI before it).
		{"lithium/mined", "2025-01-01", []string{"lithium/mined", "cost curve: its vintage", "released on 2025-02-01, after the data cut-off 2024-12-02"}},
		{"lithium/processed", "2025-01-01", []string{"lithium/mined", "released on 2025-02-01"}},
		// Before the WGI 2023 update too (2023-09-30), but Busch et al. is
		// checked first; the WGI alone: TestVintageCutOff, "cost_curve WGI".
		{"lithium/mined", "2023-07-01", []string{"released on 2025-02-01, after the data cut-off 2023-06-01"}},
		// MCS 2026, the generated curves' calibration, after the cut-off 2025-12-02.
		{"cobalt/mined", "2026-01-01", []string{"cobalt/mined", "cost curve: its vintage", "Mineral Commodity Summaries 2026", "released on 2026-02-06, after the data cut-off 2025-12-02"}},
		{"cobalt/processed", "2026-01-01", []string{"cobalt/mined", "released on 2026-02-06"}},
		{"dysprosium/processed", "2026-01-01", []string{"released on 2026-02-06, after the data cut-off 2025-12-02"}},
	} {
		m, s, _ := strings.Cut(tc.floor, "/")
		on := date.MustParse(tc.on)
		f, err := refuse.Floor(m, s, on)
		if err == nil {
			t.Errorf("Floor(%s, %s) with no later_vintages = %s, want a problem", tc.floor, on, f.Price)
		} else {
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("Floor(%s, %s) error %q lacks %q", tc.floor, on, err, w)
				}
			}
		}
		f, err = flag.Floor(m, s, on)
		if err != nil {
			t.Errorf("Floor(%s, %s) with later_vintages: flag: %v, want the floor flagged", tc.floor, on, err)
		} else if !strings.Contains(strings.Join(f.Flags(), ","), "after_cut_off") {
			t.Errorf("Floor(%s, %s) with later_vintages: flag has flags %q, want after_cut_off", tc.floor, on, f.Flags())
		}
	}
	// MCS 2026 is public at the cut-off of 2026-04-01 (2026-03-02), but the
	// generated curves' floors have a collar, whose base is the refused
	// revision of 2026-01-01: refused too, saying so. (Hence the example's
	// later_vintages: flag.)
	for _, fl := range []string{"cobalt/mined", "cobalt/processed", "nickel/mined", "tin/mined"} {
		m, s, _ := strings.Cut(fl, "/")
		_, err := refuse.Floor(m, s, date.MustParse("2026-04-01"))
		if err == nil || !strings.Contains(err.Error(), "collar: needs the previous revision of 2026-01-01, which has no floor") ||
			!strings.Contains(err.Error(), "released on 2026-02-06, after the data cut-off 2025-12-02") {
			t.Errorf("Floor(%s, 2026-04-01) with no later_vintages: %v, want a problem: its collar needs the refused revision of 2026-01-01", fl, err)
		}
		if f, err := flag.Floor(m, s, date.MustParse("2026-04-01")); err != nil || strings.Contains(strings.Join(f.Flags(), ","), "after_cut_off") {
			t.Errorf("Floor(%s, 2026-04-01) with later_vintages: flag: %v, want a floor not after the cut-off", fl, err)
		}
	}

	// market_average on Pink Sheet months: the revision of 2025-07-01
	// (cut-off Sunday 2025-06-01) cannot use May 2025, published on
	// Tuesday 3 June; its 36 months end in April. Refusing or flagging, the
	// window is the same and nothing is after the cut-off.
	for _, e := range []*refprice.Engine{refuse, flag} {
		f, err := e.Floor("copper", "processed", date.MustParse("2025-07-01"))
		if err != nil {
			t.Fatalf("copper/processed on 2025-07-01: %v", err)
		}
		var last string
		for _, in := range f.Inputs {
			if strings.HasPrefix(in.Name, "pinksheet:COPPER ") {
				last = in.Date
			}
			if in.Released != "" && in.Released > f.CutOff.String() {
				t.Errorf("copper/processed 2025-07-01: %s released %s after the cut-off %s", in.Name, in.Released, f.CutOff)
			}
		}
		if last != "2025-04" || len(f.Flags()) > 0 {
			t.Errorf("copper/processed 2025-07-01: window ends %s, flags %q; want 2025-04, none", last, f.Flags())
		}
	}
}

// TestBackcastVintages: a backcast obeys the vintage rule and changes where
// its inputs change. Across the Busch et al. release (2025-02-01), lithium's
// backcast goes from refused (cut-off 2024-12-02: no vintage) to computed
// (cut-off 2025-03-02); between two computed revisions only the deflator's
// CPI month differs, and the floor moves by exactly the deflator. Across a
// Pink Sheet month, copper's market average moves with the months public at
// each cut-off.
func TestBackcastVintages(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := example(t, reg, "")
	src := costcurve.PriceSources(reg, data.FS)
	e := refprice.New(a, src, refprice.Backcast())

	if f, err := e.Floor("lithium", "mined", date.MustParse("2025-01-01")); err == nil {
		t.Errorf("backcast of lithium/mined on 2025-01-01 = %s, want a problem (Busch et al. released 2025-02-01, cut-off 2024-12-02)", f.Price)
	}
	apr, err := e.Floor("lithium", "mined", date.MustParse("2025-04-01"))
	if err != nil {
		t.Fatalf("backcast of lithium/mined on 2025-04-01 (cut-off 2025-03-02, after every release): %v", err)
	}
	jul, err := e.Floor("lithium", "mined", date.MustParse("2025-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	now, err := e.Floor("lithium", "mined", a.EntryIntoForce)
	if err != nil {
		t.Fatal(err)
	}
	if !apr.Backcast || !jul.Backcast || now.Backcast {
		t.Errorf("backcast flags %t %t %t, want true true false", apr.Backcast, jul.Backcast, now.Backcast)
	}
	// The CPI-U month public at each cut-off: 2025-01 (released 2025-02-28)
	// at 2025-03-02, 2025-04 at 2025-06-01, 2025-09 at 2025-12-02 (October
	// 2025 was never published).
	for _, tc := range []struct {
		f     *refprice.Floor
		month string
	}{{apr, "2025-01"}, {jul, "2025-04"}, {now, "2025-09"}} {
		in := inputNamed(tc.f, "deflator")
		if in == nil || in.Date != tc.month || in.Released > tc.f.CutOff.String() {
			t.Errorf("lithium/mined %s: deflator %+v, want the CPI-U of %s, released by the cut-off %s", tc.f.ValidFrom, in, tc.month, tc.f.CutOff)
		}
	}
	prices := map[string]bool{apr.Price.String(): true, jul.Price.String(): true, now.Price.String(): true}
	if len(prices) != 3 {
		t.Errorf("lithium/mined on 2025-04-01, 2025-07-01, 2026-01-01 = %s, %s, %s; want three figures (the CPI-U month differs)", apr.Price, jul.Price, now.Price)
	}
	// Nothing else moved: every other input is the same.
	for _, in := range now.Inputs {
		if in.Name == "deflator" {
			continue
		}
		if j := inputNamed(jul, in.Name); j == nil || j.Value != in.Value || j.Source != in.Source {
			t.Errorf("lithium/mined input %s: %+v on 2025-07-01, %+v on 2026-01-01; want the same", in.Name, j, in)
		}
	}

	b, err := e.Floor("copper", "processed", date.MustParse("2025-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := e.Floor("copper", "processed", a.EntryIntoForce)
	if err != nil {
		t.Fatal(err)
	}
	if b.Price.Cmp(c.Price) == 0 {
		t.Errorf("copper/processed backcast of 2025-01-01 = entry into force = %s; the Pink Sheet months differ", b.Price)
	}
	for _, fl := range []*refprice.Floor{b, c} {
		for _, in := range fl.Inputs {
			if in.Released != "" && in.Released > fl.CutOff.String() {
				t.Errorf("copper/processed %s: %s released %s after the cut-off %s", fl.ValidFrom, in.Name, in.Released, fl.CutOff)
			}
		}
	}
}

func inputNamed(f *refprice.Floor, name string) *refprice.Input {
	for i := range f.Inputs {
		if f.Inputs[i].Name == name {
			return &f.Inputs[i]
		}
	}
	return nil
}

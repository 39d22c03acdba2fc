package scope

import (
	"cmp"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// example returns the shipped data and the example agreement's zone on
// 2027-07-01.
func example(tb testing.TB) (*Data, *agreement.Zone) {
	tb.Helper()
	reg, a := exampleRegistry(tb)
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		tb.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		tb.Fatal(err)
	}
	d, err := Gather(reg)
	if err != nil {
		tb.Fatal(err)
	}
	return d, z
}

func exampleRegistry(tb testing.TB) (*registry.Registry, *agreement.Agreement) {
	tb.Helper()
	return exampletest.Load(tb)
}

func TestShipped(t *testing.T) {
	d, z := example(t)
	r := d.Score(z)
	if len(r.Minerals) != 60 {
		t.Fatalf("%d minerals, want the 60 of the 2025 list", len(r.Minerals))
	}
	for _, m := range r.Minerals {
		if len(m.Summary) != 3 {
			t.Errorf("%s: %d summaries, want 3", m.Mineral, len(m.Summary))
		}
		if len(m.Stages) == 0 && !hasMissing(m.Missing, "world production by country") {
			t.Errorf("%s: no stage and no missing production reported", m.Mineral)
		}
		for _, st := range m.Stages {
			if hasMissing(st.Missing, "world production") {
				continue // no share can be computed (boron): nothing else is asked
			}
			for _, want := range []string{"EOL_RIR", "SI_SR", "EV (economic vulnerability)"} {
				if !hasMissing(st.Missing, want) {
					t.Errorf("%s/%s: %s not reported missing", m.Mineral, st.Stage, want)
				}
			}
			for _, b := range st.Bases {
				if b.EUSR == nil && !hasMissing(st.Missing, "world production") {
					t.Errorf("%s/%s/%s: no EU supply risk and no reason", m.Mineral, st.Stage, b.Basis)
				}
				if b.EUSR != nil && (*b.EUSR < 0 || *b.EUSR > 10) {
					t.Errorf("%s/%s/%s: EU SR %v outside 0–10", m.Mineral, st.Stage, b.Basis, *b.EUSR)
				}
			}
			// Securing more supply never raises the risk: the zone holds the US.
			w, u, zz := st.Bases[0], st.Bases[1], st.Bases[2]
			if w.EUSR != nil && (*u.EUSR > *w.EUSR || *zz.EUSR > *u.EUSR) {
				t.Errorf("%s/%s: EU SR world %v, us %v, zone %v: not falling as supply is secured", m.Mineral, st.Stage, *w.EUSR, *u.EUSR, *zz.EUSR)
			}
			if (u.EUSRSourcing == nil) != (zz.EUSRSourcing == nil) || w.EUSRSourcing != nil {
				t.Errorf("%s/%s: the sourcing variant on world %v, us %v, zone %v", m.Mineral, st.Stage, w.EUSRSourcing, u.EUSRSourcing, zz.EUSRSourcing)
			} else if u.EUSRSourcing != nil && *zz.EUSRSourcing > *u.EUSRSourcing {
				t.Errorf("%s/%s: EU SR with U.S. sourcing us %v < zone %v", m.Mineral, st.Stage, *u.EUSRSourcing, *zz.EUSRSourcing)
			}
			if u.EUSRSourcing == nil && u.USGSTE != nil && !hasMissing(st.Missing, "U.S. import sources") {
				t.Errorf("%s/%s: no sourcing variant and no reason", m.Mineral, st.Stage)
			}
		}
	}
	// Chapters on several minerals give each its own figures.
	byID := map[string]Result{}
	for _, m := range r.Minerals {
		byID[m.Mineral] = m
	}
	for id, te := range map[string]float64{"platinum": 0.89, "palladium": 0.57, "zirconium": 0.25} {
		st := byID[id].Stages
		if len(st) != 1 || st[0].Bases[1].USGSTE == nil || *st[0].Bases[1].USGSTE != te {
			t.Errorf("%s: stages %d, want one with U.S. trade exposure %v", id, len(st), te)
		}
	}
	for _, id := range []string{"hafnium", "iridium", "rhodium", "ruthenium", "germanium", "scandium"} {
		if m := byID[id]; len(m.Stages) != 0 || !hasMissing(m.Missing, "world production by country") {
			t.Errorf("%s: %d stages scored, want none (MCS publishes no world production for it)", id, len(m.Stages))
		}
	}
	if testing.Verbose() {
		for _, b := range []int{0, 2} {
			t.Logf("top 10 by EU SR, basis %s:\n%s", Bases[b], top(r, b, 10))
		}
	}
}

func hasMissing(ms []Missing, prefix string) bool {
	return slices.ContainsFunc(ms, func(m Missing) bool { return strings.HasPrefix(m.Input, prefix) })
}

// top lists the n minerals of highest EU supply risk on a basis.
func top(r *Report, b, n int) string {
	type row struct {
		m string
		s Summary
	}
	var rows []row
	for _, m := range r.Minerals {
		if s := m.Summary[b]; s.EUSR != nil {
			rows = append(rows, row{m: m.Mineral, s: s})
		}
	}
	slices.SortStableFunc(rows, func(a, b row) int { return cmp.Compare(*b.s.EUSR, *a.s.EUSR) })
	var sb strings.Builder
	for i, x := range rows[:min(n, len(rows))] {
		dp := "-"
		if x.s.USGSDP != nil {
			dp = fmt.Sprint(*x.s.USGSDP)
		}
		fmt.Fprintf(&sb, "%2d %-14s %-10s EU SR %.2f  DP %s\n", i+1, x.m, x.s.Stage, *x.s.EUSR, dp)
	}
	return sb.String()
}

var _ Membership = (*agreement.Zone)(nil)

// TestJSON: the report is data a client can read: it marshals, an indicator
// not computed is null, and every step names its source.
func TestJSON(t *testing.T) {
	d, z := example(t)
	r := d.Score(z)
	b, err := json.Marshal(r)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(string(b), `"usgs_supply_risk":null`) || !strings.Contains(string(b), `"zone":["AR","AT"`) {
		t.Errorf("JSON lacks a null indicator or the zone: %.300s", b)
	}
	for _, m := range r.Minerals {
		for _, st := range m.Stages {
			for _, br := range st.Bases {
				for _, s := range br.Steps {
					if s.Source == "" || s.Formula == "" || s.Output == "" {
						t.Errorf("%s/%s/%s: step %q without source, formula or output", m.Mineral, st.Stage, br.Basis, s.Step)
					}
				}
			}
			for _, in := range st.Inputs {
				if in.Source == "" || in.Quality == "" {
					t.Errorf("%s/%s: input %q without source or quality", m.Mineral, st.Stage, in.Name)
				}
			}
		}
	}
}

// TestPure: Score reads its snapshot and changes nothing: two runs give the
// same report, and a run on another zone leaves the first untouched.
func TestPure(t *testing.T) {
	d, z := example(t)
	a, _ := json.Marshal(d.Score(z))
	d.Score(zoneSet{"CN": true})
	b, _ := json.Marshal(d.Score(z))
	if string(a) != string(b) {
		t.Error("Score gave different reports for the same snapshot and zone")
	}
	r := d.Score(nil)
	for _, m := range r.Minerals {
		for _, st := range m.Stages {
			if w, zz := st.Bases[0], st.Bases[2]; w.EUSR != nil && *w.EUSR != *zz.EUSR {
				t.Errorf("%s: with no zone, the zone basis %v differs from the world's %v", m.Mineral, *zz.EUSR, *w.EUSR)
			}
		}
	}
}

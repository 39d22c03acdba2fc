package scope

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestEvaluateShipped(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	on := date.MustParse("2027-07-01")
	w, err := d.Evaluate(a, reg, on, Change{Add: []string{"CN"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w.After) != len(w.Before)+1 {
		t.Errorf("after adding CN: %d countries, want %d + 1", len(w.After), len(w.Before))
	}
	for _, e := range w.Minerals {
		if !e.Scored {
			continue
		}
		b, a := e.Before, e.After
		if *a.ZoneEUSR > *b.ZoneEUSR || *a.ZoneProduction < *b.ZoneProduction {
			t.Errorf("%s: adding a producer raised the zone's risk or cut its share: %v → %v, %v → %v", e.Mineral, *b.ZoneEUSR, *a.ZoneEUSR, *b.ZoneProduction, *a.ZoneProduction)
		}
		if e.Mineral == "gallium" && *a.ZoneEUSR > 0.5 {
			t.Errorf("gallium with China in the zone: SR %v, want near 0 (China makes most of it)", *a.ZoneEUSR)
		}
	}
	// Removing what was added gives the zone back.
	w2, err := d.Evaluate(a, reg, on, Change{Add: []string{"cn "}, Remove: []string{"CN"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w2.Added) != 1 || w2.Added[0] != "CN" {
		t.Errorf("added %q, want the code as CN", w2.Added)
	}
	if strings.Join(w2.After, " ") != strings.Join(w2.Before, " ") {
		t.Errorf("add and remove CN: after %v, want before %v", w2.After, w2.Before)
	}
	// Removing the EU removes its 27 member states.
	w3, err := d.Evaluate(a, reg, on, Change{Remove: []string{"EU"}})
	if err != nil {
		t.Fatal(err)
	}
	if len(w3.After) != len(w3.Before)-27 {
		t.Errorf("remove EU: %d → %d countries, want 27 fewer", len(w3.Before), len(w3.After))
	}
}

func TestEvaluateBadInput(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	on := date.MustParse("2027-07-01")
	for _, c := range []struct {
		ch    Change
		field string
		text  string
	}{
		{Change{Add: []string{"XX"}}, "add[0]", `unknown country "XX"`},
		{Change{Add: []string{"CN", "ZZ"}}, "add[1]", `unknown country "ZZ"`},
		{Change{Add: []string{"US"}}, "add[0]", "already in the zone"},
		{Change{Remove: []string{"CN"}}, "remove[0]", "not in the zone"},
	} {
		_, err := d.Evaluate(a, reg, on, c.ch)
		pe, ok := err.(*problem.Error)
		if !ok || pe.Code != problem.Invalid || pe.Field != c.field || !strings.Contains(pe.Message, c.text) {
			t.Errorf("Evaluate(%+v) = %v, want invalid at %s saying %q", c.ch, err, c.field, c.text)
		}
	}
}

func TestRankShipped(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	cs, err := d.Rank(a, reg, exampleRelations(t), date.MustParse("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cs.Candidates) < 10 {
		t.Fatalf("%d candidates", len(cs.Candidates))
	}
	if cs.Candidates[0].Country != "CN" {
		t.Errorf("first candidate %s, want CN (most of the risk in scope is Chinese supply)", cs.Candidates[0].Country)
	}
	for i, c := range cs.Candidates {
		if i > 0 && c.RiskRemoved > cs.Candidates[i-1].RiskRemoved {
			t.Errorf("%s after %s with more risk removed", c.Country, cs.Candidates[i-1].Country)
		}
		if c.Country == "US" || c.Country == "JP" {
			t.Errorf("party %s ranked as a candidate", c.Country)
		}
	}
	for i, c := range cs.Candidates[:12] {
		t.Logf("%d %s %s risk %.3f prod %.3f res %.3f ref %.3f fw %d", i+1, c.Country, c.Name, c.RiskRemoved, c.Production, c.Reserves, c.Refining, len(c.Frameworks))
	}
}

// TestWhatIfCases runs the hand-worked what-if cases of testdata/whatif.txt.
func TestWhatIfCases(t *testing.T) {
	for _, c := range readCases(t, "testdata/whatif.txt") {
		t.Run(c.id, func(t *testing.T) {
			before, after := countrySet(c.zone), countrySet(c.after)
			e := c.data.effect("testium", before, after)
			got := map[string]*float64{
				"before.zone_production": e.Before.ZoneProduction, "after.zone_production": e.After.ZoneProduction,
				"before.zone_reserves": e.Before.ZoneReserves, "after.zone_reserves": e.After.ZoneReserves,
				"before.us_secured": e.Before.USSecured, "after.us_secured": e.After.USSecured,
				"before.zone_sr": e.Before.ZoneEUSR, "after.zone_sr": e.After.ZoneEUSR,
			}
			if len(c.want) != len(got) {
				t.Errorf("testdata/whatif.txt:%d: %d wants, want all %d keys", c.line, len(c.want), len(got))
			}
			for k, want := range c.want {
				g, ok := got[k]
				switch {
				case !ok:
					t.Errorf("testdata/whatif.txt:%d: unknown key %q", c.line, k)
				case want == "none" && g != nil:
					t.Errorf("testdata/whatif.txt:%d: %s = %v, want none", c.line, k, *g)
				case want == "none":
				case g == nil:
					t.Errorf("testdata/whatif.txt:%d: %s not computed, want %s", c.line, k, want)
				case fnum(*g) != want:
					t.Errorf("testdata/whatif.txt:%d: %s = %s, want %s", c.line, k, fnum(*g), want)
				}
			}
		})
	}
}

// TestRiskRemovedIsRescoring holds the ranking's shortcut (a candidate's own
// terms of the sum) to the what-if's full rescoring with the candidate in
// the zone, for every candidate and mineral of the example's full zone.
func TestRiskRemovedIsRescoring(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	on := date.MustParse("2027-07-01")
	cs, err := d.Rank(a, reg, exampleRelations(t), on)
	if err != nil {
		t.Fatal(err)
	}
	checked := 0
	for _, c := range cs.Candidates {
		w, err := d.Evaluate(a, reg, on, Change{Add: []string{c.Country}})
		if err != nil {
			t.Fatal(err)
		}
		byMineral := map[string]float64{}
		for _, cm := range c.Minerals {
			byMineral[cm.Mineral] = cm.RiskRemoved
		}
		for _, e := range w.Minerals {
			if e.Before.ZoneEUSR == nil {
				continue
			}
			want := *e.Before.ZoneEUSR - *e.After.ZoneEUSR
			if got := byMineral[e.Mineral]; got < want-2e-6 || got > want+2e-6 {
				t.Errorf("%s, %s: risk removed %v, rescoring gives %v", c.Country, e.Mineral, got, want)
			}
			checked++
		}
	}
	if checked < 100 {
		t.Errorf("%d pairs checked", checked)
	}
}

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
	w2, err := d.Evaluate(a, reg, on, Change{Add: []string{"CN"}, Remove: []string{"CN"}})
	if err != nil {
		t.Fatal(err)
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

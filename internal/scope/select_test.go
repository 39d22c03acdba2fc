package scope

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestParseBasis(t *testing.T) {
	for _, b := range Bases {
		if got, err := ParseBasis(string(b)); got != b || err != nil {
			t.Errorf("ParseBasis(%q) = %q, %v, want %q", b, got, err, b)
		}
	}
	_, err := ParseBasis("eu")
	if pe, ok := err.(*problem.Error); !ok || pe.Code != problem.Invalid || pe.Field != "basis" {
		t.Errorf("ParseBasis(%q) = %v, want invalid at basis", "eu", err)
	}
}

func TestOnly(t *testing.T) {
	d, z := example(t)
	r := d.Score(z)
	got, err := r.Only(Zone, "gallium")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Minerals) != 1 || got.Minerals[0].Mineral != "gallium" {
		t.Fatalf("Only(zone, gallium) has %d minerals, want gallium alone", len(got.Minerals))
	}
	g := got.Minerals[0]
	if len(g.Summary) != 1 || g.Summary[0].Basis != Zone {
		t.Errorf("Only(zone, gallium).Summary = %v, want the zone's alone", g.Summary)
	}
	for _, st := range g.Stages {
		if len(st.Bases) != 1 || st.Bases[0].Basis != Zone {
			t.Errorf("Only(zone, gallium) stage %s has %d bases, want the zone's", st.Stage, len(st.Bases))
		}
	}
	// r is untouched.
	for _, m := range r.Minerals {
		if len(m.Summary) != 3 || slices.ContainsFunc(m.Stages, func(s StageResult) bool { return len(s.Bases) != 3 }) {
			t.Fatalf("Only changed the report it filters (%s)", m.Mineral)
		}
	}
	all, err := r.Only("", "")
	if err != nil || len(all.Minerals) != 60 {
		t.Errorf("Only(\"\", \"\") = %d minerals, %v, want 60", len(all.Minerals), err)
	}
	if _, err := r.Only("", "unobtainium"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("Only(unobtainium) = %v, want not found", err)
	}
	if _, err := r.Only("", "galium"); err == nil || !strings.Contains(err.Error(), "gallium") {
		t.Errorf("Only(galium) = %v, want a suggestion of gallium", err)
	}
}

func TestFlags(t *testing.T) {
	d, z := example(t)
	r := d.Score(z)
	flags := map[string][]string{}
	for _, m := range r.Minerals {
		for _, st := range m.Stages {
			flags[m.Mineral] = append(flags[m.Mineral], st.Flags()...)
		}
	}
	for _, c := range []struct {
		mineral, flag string
	}{
		{"neodymium", "group"},
		{"boron", "not_scored"},
		{"copper", "no_imports"},
	} {
		if !slices.Contains(flags[c.mineral], c.flag) {
			t.Errorf("%s flags = %v, want %s", c.mineral, flags[c.mineral], c.flag)
		}
	}
}

func TestCard(t *testing.T) {
	reg, a := exampleRegistry(t)
	d, err := Gather(reg)
	if err != nil {
		t.Fatal(err)
	}
	c, err := d.Card(a, reg, date.Date{}, "", "")
	if err != nil {
		t.Fatal(err)
	}
	if !c.AsOfDefault || c.AsOf != a.EntryIntoForce || len(c.Minerals) != 60 {
		t.Errorf("Card(zero date) = as of %s (default %v), %d minerals; want the entry into force %s, by default, 60", c.AsOf, c.AsOfDefault, len(c.Minerals), a.EntryIntoForce)
	}
	full, err := d.Card(a, reg, date.MustParse("2027-07-01"), Zone, "silver")
	if err != nil {
		t.Fatal(err)
	}
	if full.AsOfDefault || len(full.Parties) != 13 || full.Countries != 39 || len(full.Minerals) != 1 {
		t.Errorf("Card(2027-07-01, zone, silver) = default %v, %d parties, %d countries, %d minerals; want asked for, 13, 39, 1", full.AsOfDefault, len(full.Parties), full.Countries, len(full.Minerals))
	}
	if _, err := d.Card(a, reg, date.MustParse("2025-12-31"), "", ""); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("Card(before the entry into force) = %v, want not found", err)
	}
}

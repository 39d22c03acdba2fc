package scope

import (
	"bytes"
	"math"
	"strings"
	"testing"
	"testing/fstest"

	scopedata "github.com/mineralpact/mineralpact/data/scope"
)

// TestSpearmanByHand checks ρ against two five-item cases worked by hand.
//
// With a tie: x = 10, 20, 20, 40, 50 has ranks 1, 2.5, 2.5, 4, 5 (the tied
// pair shares ranks 2 and 3: mean 2.5); y = 1, 3, 2, 5, 4 has ranks 1, 3, 2,
// 5, 4. Both mean 3. Deviations: x −2, −0.5, −0.5, 1, 2; y −2, 0, −1, 2, 1.
// Σ dx·dy = 4 + 0 + 0.5 + 2 + 2 = 8.5; Σ dx² = 4 + 0.25 + 0.25 + 1 + 4 = 9.5;
// Σ dy² = 4 + 0 + 1 + 4 + 1 = 10; ρ = 8.5 / √95 = 0.872082.
//
// Without ties: x = 1..5, y = 2, 1, 4, 3, 5: d = −1, 1, −1, 1, 0, Σ d² = 4,
// ρ = 1 − 6·4 / (5·24) = 0.8, which the Pearson form must also give.
func TestSpearmanByHand(t *testing.T) {
	for _, c := range []struct {
		name string
		x, y []float64
		want float64
	}{
		{"tie", []float64{10, 20, 20, 40, 50}, []float64{1, 3, 2, 5, 4}, 0.872082},
		{"no-ties", []float64{1, 2, 3, 4, 5}, []float64{2, 1, 4, 3, 5}, 0.8},
		{"reversed", []float64{1, 2, 3, 4, 5}, []float64{9, 7, 5, 3, 1}, -1},
	} {
		got, ok := Spearman(c.x, c.y)
		if !ok || math.Abs(got-c.want) > 5e-7 {
			t.Errorf("%s: ρ = %v (ok %v), want %v", c.name, got, ok, c.want)
		}
	}
	if r := ranks([]float64{3, 1, 3, 3, 0}); r[0] != 4 || r[1] != 2 || r[2] != 4 || r[3] != 4 || r[4] != 1 {
		t.Errorf("ranks with a triple tie = %v, want [4 2 4 4 1]", r)
	}
	if _, ok := Spearman([]float64{1, 2, 3}, []float64{1, 1, 1}); ok {
		t.Error("a constant series has no ρ")
	}
	if _, ok := Spearman([]float64{1, 2}, []float64{1, 2}); ok {
		t.Error("two pairs have no ρ")
	}
}

func TestLoadPublishedBad(t *testing.T) {
	reg, _ := exampleRegistry(t)
	eu := "material,group,our_minerals,critical_2023,supply_risk,economic_importance,source,source_date,note\n" +
		"gallium,,gallium,maybe,x,,,2023,\n"
	us := "mineral,listed_2022,evaluated,supply_risk,source,source_date,note\n" +
		"unobtainium,yes,perhaps,,s,2022,\n"
	_, err := LoadPublished(reg, fstest.MapFS{
		"published_eu2023.csv":   {Data: []byte(eu)},
		"published_usgs2022.csv": {Data: []byte(us)},
	})
	if err == nil {
		t.Fatal("bad rows accepted")
	}
	for _, want := range []string{
		"published_eu2023.csv:2", "critical_2023", "supply_risk", "source",
		"published_usgs2022.csv:2", "unobtainium", "evaluated",
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

// TestCompareShipped compares the shipped scores with the shipped
// published rows and logs the figures docs/scope.md quotes.
func TestCompareShipped(t *testing.T) {
	reg, _ := exampleRegistry(t)
	d, err := Gather(reg)
	if err != nil {
		t.Fatal(err)
	}
	p, err := LoadPublished(reg, scopedata.FS)
	if err != nil {
		t.Fatal(err)
	}
	c := Compare(d.Score(nil), p, reg)
	var log bytes.Buffer
	for _, s := range []Side{c.EU, c.USGS} {
		log.WriteString(s.Assessment + "\n")
		for _, r := range s.Rows {
			sr := "-"
			if r.OurSR != nil {
				sr = fnum(*r.OurSR)
			}
			log.WriteString("  " + r.Material + " " + sr + " " + r.Agreement + "\n")
		}
		log.WriteString("  counts " + fmtCounts(s.Counts) + "\n")
		if s.List.Rho != nil {
			log.WriteString("  list ρ " + fnum(*s.List.Rho) + " n " + fnum(float64(s.List.N)) + "\n")
		}
	}
	t.Log(log.String())

	eu := c.EU
	if eu.List.N != 35 || eu.List.Rho == nil || math.Abs(*eu.List.Rho-0.506634) > 1e-6 {
		t.Errorf("EU list ρ = %+v, want n 35, ρ 0.506634", eu.List)
	}
	if eu.Scores.N != 0 || eu.Scores.Rho != nil {
		t.Errorf("EU score ρ = %+v: no published SR is shipped", eu.Scores)
	}
	want := map[string]int{AgreeBoth: 22, AgreePublishedOnly: 1, AgreeOursOnly: 6, AgreeNeither: 6, AgreeNotScored: 5, AgreeNotMapped: 4}
	for k, n := range want {
		if eu.Counts[k] != n {
			t.Errorf("EU %s = %d, want %d", k, eu.Counts[k], n)
		}
	}
	for _, r := range eu.Rows {
		switch r.Material {
		case "lithium":
			if r.Agreement != AgreePublishedOnly || !strings.Contains(strings.Join(r.Gaps, "|"), "lithium chemicals") {
				t.Errorf("lithium: %s %v, want published_only explained by the missing chemicals stage", r.Agreement, r.Gaps)
			}
		case "copper", "nickel":
			if r.Agreement != AgreeOursOnly || r.Gaps[0] != gapEI {
				t.Errorf("%s: %s %v, want ours_only explained first by EI", r.Material, r.Agreement, r.Gaps)
			}
		case "platinum-group metals":
			if r.OurMineral != "platinum" {
				t.Errorf("PGMs scored by %q, want platinum (the riskiest scored member)", r.OurMineral)
			}
		}
		if r.Agreement != AgreeBoth && r.Agreement != AgreeNeither && len(r.Gaps) == 0 {
			t.Errorf("%s: %s with no named gap", r.Material, r.Agreement)
		}
	}
	us := c.USGS
	if us.List.N != 49 || us.List.Rho == nil || math.Abs(*us.List.Rho-0.380766) > 1e-6 {
		t.Errorf("USGS list ρ = %+v, want n 49, ρ 0.380766", us.List)
	}
	for _, r := range us.Rows {
		if r.Material == "uranium" && r.Agreement != AgreeNotScored {
			t.Errorf("uranium (not evaluated by the USGS) = %s", r.Agreement)
		}
		if r.Material == "zinc" && !strings.Contains(strings.Join(r.Gaps, "|"), "net exporter") {
			t.Errorf("zinc's gap %v does not name the net-exporter TE", r.Gaps)
		}
	}
}

func fmtCounts(m map[string]int) string {
	var b strings.Builder
	for _, k := range []string{AgreeBoth, AgreePublishedOnly, AgreeOursOnly, AgreeNeither, AgreeNotScored, AgreeNotMapped} {
		b.WriteString(k + "=" + fnum(float64(m[k])) + " ")
	}
	return b.String()
}

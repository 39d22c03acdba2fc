package agreement_test

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestRiskPremium checks the premium rule on real WGI scores: a score above
// the reference pays nothing, one below pays the slope per point up to the
// maximum, and a country without a score pays the maximum.
func TestRiskPremium(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	rule := &agreement.RiskRule{Indicator: "PV", Year: 2022, Reference: dec.MustParse("1.0"), Slope: dec.MustParse("0.02"), Max: dec.MustParse("0.08")}
	for _, c := range []string{"CD", "MX", "IS", "SY", "CL"} {
		g, err := reg.WGI(c, "PV", 2022)
		if err != nil {
			t.Fatal(err)
		}
		want := dec.Min(rule.Max, rule.Slope.Mul(dec.Max(dec.Zero, rule.Reference.Sub(g.Estimate))))
		got := rule.Premium(reg, c)
		if !got.Scored || got.Score.Cmp(g.Estimate) != 0 || got.Premium.Cmp(want) != 0 {
			t.Errorf("Premium(%s, PV %s) = %+v, want %s", c, g.Estimate, got, want)
		}
	}
	// Iceland's PV 2022 (1.26) is above the reference: no premium. Syria's
	// (−2.80) is so far below that a slope of 5 points would pass the
	// maximum.
	if got := rule.Premium(reg, "IS"); !got.Premium.IsZero() {
		t.Errorf("Premium(IS) = %s, want 0 (score above the reference)", got.Premium)
	}
	steep := *rule
	steep.Slope = dec.MustParse("0.05")
	if got := steep.Premium(reg, "SY"); got.Premium.Cmp(rule.Max) != 0 {
		t.Errorf("Premium(SY) = %s, want the maximum %s", got.Premium, rule.Max)
	}
	if got := rule.Premium(reg, "ZZ"); got.Scored || got.Missing == nil || got.Premium.Cmp(rule.Max) != 0 {
		t.Errorf("Premium(ZZ, no score) = %+v, want the maximum and the reason", got)
	}
}

// TestCountryRisk finds the rule that charges the premium: the mined
// stage's cost curve for lithium mined, and up the stage chain for lithium
// processed; nickel processed (a market average) charges none.
func TestCountryRisk(t *testing.T) {
	_, a := exampletest.Load(t)
	for _, c := range []struct {
		mineral   string
		stage     registry.Stage
		wantStage registry.Stage
	}{{"lithium", "mined", "mined"}, {"lithium", "processed", "mined"}, {"cobalt", "processed", "mined"}} {
		p, s, err := a.CountryRisk(c.mineral, c.stage)
		if err != nil || s != c.wantStage || p.Risk == nil || p.Method != agreement.CostCurve {
			t.Errorf("CountryRisk(%s, %s) = %+v at %s, %v; want the cost curve at %s", c.mineral, c.stage, p, s, err, c.wantStage)
		}
	}
	if _, _, err := a.CountryRisk("nickel", "processed"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("CountryRisk(nickel, processed) = %v, want not found", err)
	}
}

package projects

import (
	"math"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestHurdleRates adds the agreement's country risk premium to the base
// rate: the example's lithium rule (mined, and processed up its stage
// chain) is PV 2022, reference 1.0, slope 0.02, max 0.08, so a project in
// Mexico (PV −0.692) pays 0.02 × 1.692 = 3.38 points and one in Iceland
// (PV 1.26) none; a project with its own rate keeps it; nickel processed, a
// market average, charges none.
func TestHurdleRates(t *testing.T) {
	reg, a := exampletest.Load(t)
	in, err := a.AsOf(date.MustParse("2026-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	p := &Pipeline{ID: "t", CountryRisk: "agreement", Projects: []Project{
		{ID: "mx", Mineral: "lithium", Stage: "processed", Country: "MX"},
		{ID: "is", Mineral: "lithium", Stage: "mined", Country: "IS"},
		{ID: "own", Mineral: "lithium", Stage: "mined", Country: "MX", DiscountRate: 0.12},
		{ID: "ni", Mineral: "nickel", Stage: "processed", Country: "MX"},
	}}
	h, err := p.HurdleRates(0.06, in.Agreement, reg)
	if err != nil {
		t.Fatal(err)
	}
	g, err := reg.WGI("MX", "PV", 2022)
	if err != nil {
		t.Fatal(err)
	}
	wantMX := 0.06 + 0.02*(1-g.Estimate.Float64())
	for _, c := range []struct {
		id    string
		want  float64
		basis string
	}{{"mx", wantMX, "country risk premium (Art. 6.2, rule of lithium/mined: WGI PV 2022 of MX"}, {"is", 0.06, "WGI PV 2022 of IS"}, {"own", 0.12, "the project's own rate"}, {"ni", 0.06, "charges no country risk premium for nickel/processed"}} {
		got := h[c.id]
		if math.Abs(got.Rate-c.want) > 1e-12 || !strings.Contains(got.Basis, c.basis) {
			t.Errorf("HurdleRates[%s] = %+v, want rate %g and a basis naming %q", c.id, got, c.want, c.basis)
		}
	}
	if math.Abs(h["mx"].Premium-0.0338391947747) > 1e-9 {
		t.Errorf("HurdleRates[mx].Premium = %g, want 0.02 × (1 − (−0.69196)) = 0.033839", h["mx"].Premium)
	}
	p.CountryRisk = ""
	if h, _ := p.HurdleRates(0.06, nil, nil); h["mx"].Rate != 0.06 || h["own"].Rate != 0.12 {
		t.Errorf("HurdleRates without country risk = %+v", h)
	}
}

package projects

import (
	"context"
	"math"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// TestValue checks the one valuation every interface gives: the NPV fan
// ends at the NPV's percentiles, its bands are ordered, the central case's
// cash flows use each year's mean realised price, and an offtake's effect
// is the offtake engine's.
func TestValue(t *testing.T) {
	reg, a := exampletest.Load(t)
	env := Env{Registry: reg, Agreement: a, Floors: refprice.NewInProcess(refprice.New(a, exampletest.Sources(reg)))}
	p, err := DecodePipeline("projects-2026.yaml", examples.Projects2026)
	if err != nil {
		t.Fatal(err)
	}
	data := []byte("version: 1\nid: c\nproject: li-brine-mx\nvolume_per_year: 2000\ntenor_years: 8\nprice: {kind: collar, floor: 40000, ceiling: 90000}\ntake_or_pay: 1\n")
	o, err := DecodeOfftake("collar.yaml", data, p)
	if err != nil {
		t.Fatal(err)
	}
	floor := 60000.0
	v, err := p.Value(context.Background(), env, ValueRequest{Project: "li-brine-mx", Floor: &floor, Paths: 2000, Seed: 3, Offtake: o})
	if err != nil {
		t.Fatal(err)
	}
	pr := p.Project("li-brine-mx")
	h := pr.Horizon()
	if len(v.Fan.With.P50) != h || len(v.CashFlows.With) != h {
		t.Fatalf("fan of %d years, cash flows of %d; want %d", len(v.Fan.With.P50), len(v.CashFlows.With), h)
	}
	for _, c := range []struct {
		name string
		band FanBand
		npv  Summary
	}{{"without", v.Fan.Without, v.Without}, {"with", v.Fan.With, v.With}} {
		for y := range h {
			if !(c.band.P5[y] <= c.band.P50[y] && c.band.P50[y] <= c.band.P95[y]) {
				t.Errorf("fan %s year %d: P5 %g, P50 %g, P95 %g out of order", c.name, y, c.band.P5[y], c.band.P50[y], c.band.P95[y])
			}
		}
		if d := c.band.P50[h-1] - c.npv.P50; math.Abs(d) > 1e-6*math.Abs(c.npv.P50) || math.Abs(c.band.P5[h-1]-c.npv.P5) > 1e-6*math.Abs(c.npv.P5) {
			t.Errorf("fan %s ends at P50 %g, P5 %g; the NPV's are %g, %g", c.name, c.band.P50[h-1], c.band.P5[h-1], c.npv.P50, c.npv.P5)
		}
	}
	y := v.CashFlows.With[pr.LeadTimeYears+3]
	if y.Price < floor || y.Production != pr.Capacity.PerYear || math.Abs(y.Revenue-y.Price*y.Production) > 1e-6*y.Revenue {
		t.Errorf("central case with the floor, year %d = %+v", y.Year, y)
	}
	paths, _ := p.DrawFor(pr, 2000, 3)
	ov, err := pr.ValueOfftake(paths, v.Rate, Flat(floor, paths.Years), o)
	if err != nil {
		t.Fatal(err)
	}
	if v.Offtake == nil || v.Offtake.Producer != ov.Producer || v.Offtake.Buyer != ov.Buyer {
		t.Errorf("Value's offtake = %+v, want the offtake engine's producer %g, buyer %g", v.Offtake, ov.Producer, ov.Buyer)
	}
}

package market

import (
	"context"
	"math"
	"testing"
)

// TestPricePathsCentral checks PricePaths against the central paths: with
// the scenario's random shocks switched off every path is the central path,
// of the design and of the baseline, month by month and region by region.
func TestPricePathsCentral(t *testing.T) {
	sc := decodeFile(t, "../../scenarios/cobalt-drc-2025.yaml")
	sc.MonteCarlo.DemandNoise, sc.MonteCarlo.CostNoise, sc.MonteCarlo.Disruptions = nil, nil, nil
	pl, err := Build(sc, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, pl, Options{})
	regions := res.Regions
	seen := make([]bool, 3)
	err = pl.PricePaths(context.Background(), Options{Paths: 3, Seed: 9, Workers: 2}, regions, func(i int, design, baseline [][]float64) {
		seen[i] = true
		for k := range regions {
			for m := range res.Months {
				if got, want := design[k][m], res.Central.Months[m].Regions[k].ProducerPrice; math.Abs(got-want) > 1e-9*want {
					t.Errorf("path %d, %s, %s: design %g, central path %g", i, regions[k], res.Months[m], got, want)
				}
				if got, want := baseline[k][m], res.Baseline.Months[m].Regions[k].ProducerPrice; math.Abs(got-want) > 1e-9*want {
					t.Errorf("path %d, %s, %s: baseline %g, central baseline %g", i, regions[k], res.Months[m], got, want)
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	for i, s := range seen {
		if !s {
			t.Errorf("path %d never visited", i)
		}
	}
}

// TestPricePathsDeterminism checks that path i depends on the seed and i
// alone, whatever the number of workers, and that the design's floor is
// what the plan holds.
func TestPricePathsDeterminism(t *testing.T) {
	pl := loadPlan(t, "../../scenarios/cobalt-drc-2025.yaml")
	n := len(pl.Months)
	collect := func(workers int) []float64 {
		out := make([]float64, 8*2*n)
		err := pl.PricePaths(context.Background(), Options{Paths: 8, Seed: 3, Workers: workers}, []string{"zone"}, func(i int, design, baseline [][]float64) {
			copy(out[2*i*n:], design[0])
			copy(out[(2*i+1)*n:], baseline[0])
		})
		if err != nil {
			t.Fatal(err)
		}
		return out
	}
	one, two := collect(1), collect(2)
	for j := range one {
		if math.Float64bits(one[j]) != math.Float64bits(two[j]) {
			t.Fatalf("PricePaths: one worker and two differ at %d: %g, %g", j, one[j], two[j])
		}
	}
	if f := pl.Floors(); len(f) != n || f[0] != pl.floor[0] || f[0] <= 0 {
		t.Errorf("Floors() = %v (%d months), want the plan's %g in month 0", f[:1], len(f), pl.floor[0])
	}
	if err := pl.PricePaths(context.Background(), Options{Paths: 1}, []string{"nowhere"}, func(int, [][]float64, [][]float64) {}); err == nil {
		t.Error("PricePaths(region nowhere) = nil error, want not found")
	}
}

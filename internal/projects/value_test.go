package projects

import (
	"math"
	"testing"
)

// putProject is a project that sells one unit a year in years 1 to years,
// at no cost, tax or royalty: its NPV is the discounted price, and a floor
// adds a strip of puts.
func putProject(years int) *Project {
	return &Project{ID: "strip", Capacity: Capacity{PerYear: 1, Unit: "t"}, LifeYears: years, LeadTimeYears: 1}
}

// TestFloorValueAgainstPutStrip checks the Monte Carlo value of a floor
// against the closed-form price of a strip of European puts (Black 1976):
// prices follow a GBM under the risk-neutral measure (drift r), the project
// discounts at r (a yearly rate of e^r − 1), and 100,000 seeded paths must
// agree with the formula within 1%.
func TestFloorValueAgainstPutStrip(t *testing.T) {
	tests := []struct {
		name                string
		spot, floor, r, vol float64
		years, paths        int
		seed                uint64
		tol                 float64
	}{
		{name: "at the money", spot: 100, floor: 100, r: 0.03, vol: 0.25, years: 10, paths: 100_000, seed: 1, tol: 0.01},
		{name: "in the money", spot: 80, floor: 100, r: 0.05, vol: 0.30, years: 15, paths: 100_000, seed: 2, tol: 0.01},
		{name: "out of the money", spot: 120, floor: 90, r: 0.02, vol: 0.20, years: 8, paths: 100_000, seed: 3, tol: 0.01},
		{name: "lithium-like", spot: 12000, floor: 15000, r: 0.04, vol: 0.45, years: 20, paths: 100_000, seed: 4, tol: 0.01},
		{name: "fewer paths", spot: 100, floor: 100, r: 0.03, vol: 0.25, years: 10, paths: 10_000, seed: 5, tol: 0.03},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			pr := putProject(tt.years)
			h := pr.Horizon()
			paths, err := GBM{Spot: tt.spot, Drift: tt.r, Vol: tt.vol, Antithetic: true}.Draw(tt.paths, h, tt.seed)
			if err != nil {
				t.Fatal(err)
			}
			floor := Flat(tt.floor, h)
			fv, err := pr.ValueFloor(paths, math.Exp(tt.r)-1, floor)
			if err != nil {
				t.Fatal(err)
			}
			qty := make([]float64, h)
			for i := 1; i < h; i++ {
				qty[i] = 1
			}
			want := PutStrip(tt.spot, tt.r, tt.vol, floor, qty)
			if rel := math.Abs(fv.Value-want) / want; rel > tt.tol {
				t.Errorf("ValueFloor = %.6g (±%.3g), put strip %.6g: off by %.2f%%, want ≤ %g%%", fv.Value, fv.StdErr, want, 100*rel, 100*tt.tol)
			}
			// Without the floor the NPV is the discounted price: E = spot × years.
			if want := tt.spot * float64(tt.years); math.Abs(fv.Without.Mean-want)/want > tt.tol {
				t.Errorf("E[NPV without] = %.6g, want %.6g", fv.Without.Mean, want)
			}
		})
	}
}

func TestBlack76Put(t *testing.T) {
	// Hull's example (Options, Futures and Other Derivatives, Black's model):
	// a put on a futures price of 20 struck at 20, r = 9%, σ = 25%, 4 months:
	// 1.12 (rounded).
	if got := Black76Put(20, 20, 0.09, 0.25, 4.0/12); math.Abs(got-1.12) > 0.005 {
		t.Errorf("Black76Put(20, 20, 0.09, 0.25, 1/3) = %.4f, want 1.12", got)
	}
	// Put–call parity on forwards: c − p = e^(−rT)(F − K).
	F, K, r, s, T := 110.0, 100.0, 0.05, 0.3, 2.0
	p := Black76Put(F, K, r, s, T)
	d1 := (math.Log(F/K) + s*s*T/2) / (s * math.Sqrt(T))
	c := math.Exp(-r*T) * (F*normCDF(d1) - K*normCDF(d1-s*math.Sqrt(T)))
	if got, want := c-p, math.Exp(-r*T)*(F-K); math.Abs(got-want) > 1e-9 {
		t.Errorf("c − p = %g, want e^(−rT)(F − K) = %g", got, want)
	}
	if got := Black76Put(90, 100, 0.05, 0, 1); math.Abs(got-10*math.Exp(-0.05)) > 1e-12 {
		t.Errorf("Black76Put with σ = 0 = %g, want the discounted intrinsic value", got)
	}
}

func TestFloorValueBasics(t *testing.T) {
	pr := putProject(5)
	paths := Collect(3, 6, func(i int, dst []float64) {
		for t := range dst {
			dst[t] = float64(80 + 10*i) // 80, 90, 100 every year
		}
	})
	fv, err := pr.ValueFloor(paths, 0, Flat(95, 6))
	if err != nil {
		t.Fatal(err)
	}
	// Path 0 gains 15 a year, path 1 gains 5, path 2 nothing: mean 20/3 a year over 5 years.
	if want := 5 * 20.0 / 3; math.Abs(fv.Value-want) > 1e-9 {
		t.Errorf("ValueFloor.Value = %g, want %g", fv.Value, want)
	}
	if fv.Without.Quantiles[2] != 450 || fv.With.Quantiles[2] != 475 {
		t.Errorf("medians = %g, %g, want 450, 475", fv.Without.Quantiles[2], fv.With.Quantiles[2])
	}
	// The fast NPV and the table agree on a project with every feature.
	data := mustPipeline(t)
	for _, pr := range data.Projects {
		e := newEvaluator(&pr, 0.08, Terms{})
		for i := range paths.N {
			path := Flat(float64(20000+10000*i), pr.Horizon())
			cf, err := pr.CashFlows(path, 0.08)
			if err != nil {
				t.Fatal(err)
			}
			if got := e.npv(path); math.Abs(got-cf.NPV) > 1e-6*math.Abs(cf.NPV) {
				t.Errorf("%s: fast NPV %g, CashFlows NPV %g", pr.ID, got, cf.NPV)
			}
		}
	}
	if _, err := pr.ValueFloor(paths, 0, Flat(95, 3)); err == nil {
		t.Errorf("ValueFloor with a short floor schedule: want an error")
	}
	if _, err := (GBM{Spot: -1}).Draw(10, 5, 1); err == nil {
		t.Errorf("GBM{Spot: -1}.Draw: want an error")
	}
}

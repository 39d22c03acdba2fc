package projects

import (
	"math"
	"slices"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Distribution summarises a project's NPV over a set of price paths.
type Distribution struct {
	N      int
	Mean   float64
	StdDev float64
	// Quantiles of the NPV at the Levels (P5, P10, P50, P90, P95), by linear
	// interpolation between order statistics.
	Quantiles [len(Levels)]float64
	// PClear is the share of paths on which the project clears its hurdle:
	// NPV ≥ 0 at the discount rate, which is the hurdle rate.
	PClear float64
	NPVs   []float64 // the NPV of each path, in path order
}

// Levels are the quantiles a Distribution reports.
var Levels = [...]float64{0.05, 0.10, 0.50, 0.90, 0.95}

// FloorValue is what a price floor is worth to a project: its NPV
// distribution without and with the floor on the same paths, and the
// difference in expected NPV.
type FloorValue struct {
	Without, With Distribution
	// Value is E[NPV with the floor] − E[NPV without].
	Value float64
	// StdErr is the standard error of Value from the paired differences,
	// treating the paths as independent (with antithetic paths it is an
	// upper bound).
	StdErr float64
}

// evaluator computes a project's NPV under one price path fast: the plan
// and discount factors are computed once.
type evaluator struct {
	pl   *plan
	df   []float64
	roy  *Royalty
	rate float64 // tax rate
}

func newEvaluator(pr *Project, rate float64) *evaluator {
	pl := newPlan(pr)
	df := make([]float64, len(pl.production))
	d := 1.0
	for t := range df {
		df[t] = d
		d /= 1 + rate
	}
	return &evaluator{pl: pl, df: df, roy: &pr.Royalty, rate: pr.Tax.Rate}
}

// npv is CashFlows(prices, rate).NPV with the realised price max(P, floor[t])
// when floor is not nil, without building the table.
func (e *evaluator) npv(prices, floor []float64) float64 {
	pl := e.pl
	v, loss := 0.0, 0.0
	simple := e.roy.Profit == 0 && len(e.roy.Sliding) == 0
	for t, q := range pl.production {
		cf := -pl.capex[t]
		if q > 0 || pl.depreciation[t] > 0 || pl.sustaining[t] > 0 {
			p := prices[t]
			if floor != nil && floor[t] > p {
				p = floor[t]
			}
			rev := p * q
			var roy float64
			if simple {
				roy = e.roy.AdValorem * rev
			} else {
				roy = e.roy.royalty(p, rev, pl.opex[t], pl.sustaining[t])
			}
			op := rev - roy - pl.opex[t] - pl.sustaining[t]
			income := op - pl.depreciation[t]
			var tx float64
			if income <= 0 {
				loss -= income
			} else {
				used := min(loss, income)
				loss -= used
				tx = e.rate * (income - used)
			}
			cf += op - tx
		}
		v += cf * e.df[t]
	}
	return v
}

// checkFloor reports a floor schedule too short for the project.
func (pr *Project) checkFloor(floor []float64) error {
	if floor != nil && len(floor) < pr.Horizon() {
		return problem.Errorf(problem.Invalid, "project %s: the floor schedule has %d years; the project spans %d", pr.ID, len(floor), pr.Horizon())
	}
	return nil
}

// Distribution returns the project's NPV at rate over every path, with the
// realised price max(P, floor[t]) when floor is not nil.
func (pr *Project) Distribution(paths *Paths, rate float64, floor []float64) (*Distribution, error) {
	if err := pr.checkPaths(paths, rate); err != nil {
		return nil, err
	}
	if err := pr.checkFloor(floor); err != nil {
		return nil, err
	}
	e := newEvaluator(pr, rate)
	npvs := make([]float64, paths.N)
	for i := range npvs {
		npvs[i] = e.npv(paths.Path(i), floor)
	}
	return summarise(npvs), nil
}

// ValueFloor returns the project's NPV distribution at rate without and
// with a floor (floor[t] in year t) on the same paths, and the floor's value.
func (pr *Project) ValueFloor(paths *Paths, rate float64, floor []float64) (*FloorValue, error) {
	if err := pr.checkPaths(paths, rate); err != nil {
		return nil, err
	}
	if floor == nil {
		return nil, problem.Errorf(problem.Invalid, "project %s: no floor to value", pr.ID)
	}
	if err := pr.checkFloor(floor); err != nil {
		return nil, err
	}
	e := newEvaluator(pr, rate)
	without := make([]float64, paths.N)
	with := make([]float64, paths.N)
	for i := range paths.N {
		path := paths.Path(i)
		without[i] = e.npv(path, nil)
		with[i] = e.npv(path, floor)
	}
	fv := &FloorValue{Without: *summarise(without), With: *summarise(with)}
	fv.Value = fv.With.Mean - fv.Without.Mean
	if n := paths.N; n > 1 {
		var ss float64
		for i := range n {
			d := with[i] - without[i] - fv.Value
			ss += d * d
		}
		fv.StdErr = math.Sqrt(ss / float64(n-1) / float64(n))
	}
	return fv, nil
}

func (pr *Project) checkPaths(paths *Paths, rate float64) error {
	if paths == nil || paths.N < 1 {
		return problem.Errorf(problem.Invalid, "project %s: no price paths", pr.ID)
	}
	if h := pr.Horizon(); paths.Years < h {
		return problem.Errorf(problem.Invalid, "project %s: the price paths have %d years; the project spans %d (years 0 to %d)", pr.ID, paths.Years, h, h-1)
	}
	if !(rate > -1) || math.IsInf(rate, 0) {
		return problem.Errorf(problem.Invalid, "discount rate must be above -1, got %g", rate)
	}
	return nil
}

// summarise computes a distribution's moments, quantiles and the share of
// NPVs ≥ 0; it keeps npvs in path order.
func summarise(npvs []float64) *Distribution {
	n := len(npvs)
	d := &Distribution{N: n, NPVs: npvs}
	var sum, clear float64
	for _, v := range npvs {
		sum += v
		if v >= 0 {
			clear++
		}
	}
	d.Mean = sum / float64(n)
	d.PClear = clear / float64(n)
	if n > 1 {
		var ss float64
		for _, v := range npvs {
			ss += (v - d.Mean) * (v - d.Mean)
		}
		d.StdDev = math.Sqrt(ss / float64(n-1))
	}
	sorted := slices.Clone(npvs)
	slices.Sort(sorted)
	for i, q := range Levels {
		d.Quantiles[i] = quantile(sorted, q)
	}
	return d
}

// quantile interpolates linearly between the order statistics of sorted
// (Hyndman and Fan's type 7, R's default).
func quantile(sorted []float64, q float64) float64 {
	h := q * float64(len(sorted)-1)
	lo := int(math.Floor(h))
	if lo+1 >= len(sorted) {
		return sorted[len(sorted)-1]
	}
	return sorted[lo] + (h-float64(lo))*(sorted[lo+1]-sorted[lo])
}

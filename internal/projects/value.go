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

// evaluator computes a project's cash flows under one price path fast: the
// plan, the discount factors and the terms are set once.
type evaluator struct {
	pl      *plan
	df      []float64
	roy     *Royalty
	tax     float64 // tax rate
	floor   []float64
	offtake *Offtake
	simple  bool // ad valorem royalty only
}

func newEvaluator(pr *Project, rate float64, terms Terms) *evaluator {
	pl := newPlan(pr)
	df := make([]float64, len(pl.production))
	d := 1.0
	for t := range df {
		df[t] = d
		d /= 1 + rate
	}
	return &evaluator{pl: pl, df: df, roy: &pr.Royalty, tax: pr.Tax.Rate, floor: terms.Floor, offtake: terms.Offtake,
		simple: pr.Royalty.Profit == 0 && len(pr.Royalty.Sliding) == 0}
}

// revenue returns year t's realised market price max(P, floor), revenue,
// contracted volume and contract revenue when the path's price is market.
func (e *evaluator) revenue(t int, market float64) (price, revenue, contracted, contractRevenue float64) {
	price = market
	var floor float64
	if e.floor != nil {
		floor = e.floor[t]
		price = max(price, floor)
	}
	q := e.pl.production[t]
	if o := e.offtake; o != nil && t >= e.pl.first && t < e.pl.first+o.TenorYears {
		contracted = min(o.VolumePerYear, q)
		contractRevenue = o.revenue(contracted, price, floor)
	}
	return price, price*(q-contracted) + contractRevenue, contracted, contractRevenue
}

// npv is CashFlowsUnder(prices, rate, terms).NPV without building the table.
func (e *evaluator) npv(prices []float64) float64 {
	pl := e.pl
	v, loss := 0.0, 0.0
	for t, q := range pl.production {
		cf := -pl.capex[t]
		if q > 0 || pl.depreciation[t] > 0 || pl.sustaining[t] > 0 {
			var p, rev float64
			if q > 0 {
				p, rev, _, _ = e.revenue(t, prices[t])
			}
			var roy float64
			if e.simple {
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
				tx = e.tax * (income - used)
			}
			cf += op - tx
		}
		v += cf * e.df[t]
	}
	return v
}

// buyerValue is the present value to the offtake's buyer of buying under the
// contract rather than at the realised market price on one path.
func (e *evaluator) buyerValue(prices []float64) float64 {
	v := 0.0
	for t, q := range e.pl.production {
		if q > 0 {
			p, _, contracted, paid := e.revenue(t, prices[t])
			v += (p*contracted - paid) * e.df[t]
		}
	}
	return v
}

// checkTerms reports a floor schedule too short for the project, and an
// offtake that is not the project's or does not fit it.
func (pr *Project) checkTerms(terms Terms) error {
	if terms.Floor != nil && len(terms.Floor) < pr.Horizon() {
		return problem.Errorf(problem.Invalid, "project %s: the floor schedule has %d years; the project spans %d", pr.ID, len(terms.Floor), pr.Horizon())
	}
	if o := terms.Offtake; o != nil {
		switch {
		case o.Project != pr.ID:
			return problem.Errorf(problem.Invalid, "offtake %s is for project %s, not %s", o.ID, o.Project, pr.ID)
		case o.TenorYears > pr.LifeYears:
			return problem.Errorf(problem.Invalid, "offtake %s: tenor of %d years is longer than project %s's life of %d years", o.ID, o.TenorYears, pr.ID, pr.LifeYears)
		case o.Price.Kind == PriceFloorLinked && terms.Floor == nil:
			return problem.Errorf(problem.Invalid, "offtake %s: a floor-linked price needs the agreement's floor", o.ID)
		}
	}
	return nil
}

// Distribution returns the project's NPV at rate over every path when it
// sells under terms.
func (pr *Project) Distribution(paths *Paths, rate float64, terms Terms) (*Distribution, error) {
	if err := pr.checkPaths(paths, rate); err != nil {
		return nil, err
	}
	if err := pr.checkTerms(terms); err != nil {
		return nil, err
	}
	e := newEvaluator(pr, rate, terms)
	npvs := make([]float64, paths.N)
	for i := range npvs {
		npvs[i] = e.npv(paths.Path(i))
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
	if err := pr.checkTerms(Terms{Floor: floor}); err != nil {
		return nil, err
	}
	without, with := newEvaluator(pr, rate, Terms{}), newEvaluator(pr, rate, Terms{Floor: floor})
	npvWithout := make([]float64, paths.N)
	npvWith := make([]float64, paths.N)
	for i := range paths.N {
		path := paths.Path(i)
		npvWithout[i] = without.npv(path)
		npvWith[i] = with.npv(path)
	}
	fv := &FloorValue{Without: *summarise(npvWithout), With: *summarise(npvWith)}
	fv.Value = fv.With.Mean - fv.Without.Mean
	fv.StdErr = pairedStdErr(npvWith, npvWithout, fv.Value)
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

// pairedStdErr is the standard error of the mean of a[i] − b[i], whose mean
// is mean.
func pairedStdErr(a, b []float64, mean float64) float64 {
	n := len(a)
	if n < 2 {
		return 0
	}
	var ss float64
	for i := range n {
		d := a[i] - b[i] - mean
		ss += d * d
	}
	return math.Sqrt(ss / float64(n-1) / float64(n))
}

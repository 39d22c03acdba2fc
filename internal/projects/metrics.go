package projects

import (
	"math"
	"slices"
)

// NPV returns Σ flows[t] / (1 + rate)^t, year 0 undiscounted.
func NPV(flows []float64, rate float64) float64 {
	v, df := 0.0, 1.0
	for _, f := range flows {
		v += f * df
		df /= 1 + rate
	}
	return v
}

// IRR is an internal rate of return: the rate at which the NPV is zero.
type IRR struct {
	Rate float64
	// OK is false when the NPV does not change sign for rates in
	// (MinIRR, MaxIRR]: there is no rate of return to report (all flows of one
	// sign, or a project that never pays back at any rate in range).
	OK bool
	// Multiple is true when the NPV changes sign more than once on the search
	// grid: Rate is then the lowest root, and the IRR is not a safe measure.
	Multiple bool
}

// The range in which InternalRate looks for a root.
const (
	MinIRR = -0.9
	MaxIRR = 100.0
)

// InternalRate returns the IRR of yearly flows (year 0 first). It brackets
// a root by scanning NPV on a grid of rates from MinIRR to MaxIRR (denser near
// zero) and refines the lowest bracket by bisection to 1e-12, so it always
// terminates and never reports a rate where there is no root.
func InternalRate(flows []float64) IRR {
	if !slices.ContainsFunc(flows, func(f float64) bool { return f != 0 }) {
		return IRR{} // no flows: every rate is a root, none is a return
	}
	grid := irrGrid()
	var out IRR
	roots := 0
	found := func(r float64) {
		if roots == 0 {
			out = IRR{Rate: r, OK: true}
		}
		roots++
	}
	prevR, prevV := grid[0], NPV(flows, grid[0])
	for _, r := range grid[1:] {
		v := NPV(flows, r)
		switch {
		case prevV == 0:
			found(prevR)
		case v != 0 && (v < 0) != (prevV < 0):
			found(bisect(flows, prevR, r, prevV))
		}
		prevR, prevV = r, v
	}
	if prevV == 0 {
		found(prevR)
	}
	out.Multiple = roots > 1
	return out
}

// irrGrid returns the rates InternalRate scans: steps of 0.01 to 1, then
// growing by 10% to MaxIRR.
func irrGrid() []float64 {
	var g []float64
	for i := 0; ; i++ {
		r := MinIRR + 0.01*float64(i)
		if r > 1 {
			break
		}
		g = append(g, math.Round(r*100)/100)
	}
	for r := 1.1; r < MaxIRR; r *= 1.1 {
		g = append(g, r)
	}
	return append(g, MaxIRR)
}

// bisect finds the root of NPV(flows, ·) between lo and hi, where NPV at lo
// is vlo and NPV changes sign between them.
func bisect(flows []float64, lo, hi, vlo float64) float64 {
	for range 200 {
		mid := (lo + hi) / 2
		if hi-lo < 1e-12 {
			return mid
		}
		v := NPV(flows, mid)
		if v == 0 {
			return mid
		}
		if (v < 0) == (vlo < 0) {
			lo, vlo = mid, v
		} else {
			hi = mid
		}
	}
	return (lo + hi) / 2
}

// Payback returns the first year from which the cumulative undiscounted cash
// flow stays ≥ 0 to the end, or -1 if it ends below zero.
func Payback(flows []float64) int {
	cum := 0.0
	year := -1
	for t, f := range flows {
		cum += f
		switch {
		case cum < 0:
			year = -1
		case year < 0:
			year = t
		}
	}
	return year
}

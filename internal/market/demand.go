package market

import "math"

// demandCurve is a region's demand in the solver's form.
type demandCurve struct {
	linear    bool
	a, b      float64 // linear: Q = a − b·P
	q0, p0, e float64 // constant elasticity: Q = q0·(P/p0)^e
}

func newDemandCurve(d Demand) demandCurve {
	if d.Kind == Linear {
		return demandCurve{linear: true, a: *d.Intercept, b: *d.Slope}
	}
	return demandCurve{q0: *d.RefQuantity, p0: *d.RefPrice, e: *d.Elasticity}
}

// quantity is the quantity demanded at price p.
func (d *demandCurve) quantity(p float64) float64 {
	if d.linear {
		return math.Max(0, d.a-d.b*p)
	}
	if p <= 0 {
		return math.Inf(1)
	}
	return d.q0 * math.Pow(p/d.p0, d.e)
}

// choke is the lowest price at which nothing is demanded (+Inf for constant
// elasticity).
func (d *demandCurve) choke() float64 {
	if d.linear {
		return d.a / d.b
	}
	return math.Inf(1)
}

// surplus is the consumer surplus at price p: the triangle under a linear
// curve, and for constant elasticity the area between p and the reference
// price, ∫_p^{ref_price} Q(x) dx (the area to infinity is infinite when
// elasticity ≥ −1), negative above the reference price.
func (d *demandCurve) surplus(p float64) float64 {
	if d.linear {
		q := d.quantity(p)
		return q * q / (2 * d.b)
	}
	// ∫ q0 (x/p0)^e dx = q0 p0 (x/p0)^(e+1)/(e+1), or q0 p0 ln x for e = −1.
	if d.e == -1 {
		return d.q0 * d.p0 * math.Log(d.p0/p)
	}
	return d.q0 * d.p0 / (d.e + 1) * (1 - math.Pow(p/d.p0, d.e+1))
}

// scale is a typical price of the curve, for tolerances and brackets.
func (d *demandCurve) scale() float64 {
	if d.linear {
		return d.a / d.b
	}
	return d.p0
}

package market

import "math"

// demandCurve is a region's demand in the solver's form.
type demandCurve struct {
	linear    bool
	a, b      float64 // linear: Q = a − b·P
	q0, p0, e float64 // constant elasticity: Q = q0·(P/p0)^e

	// Bids on top of the curve (dynamics only; zero in instances): up to buyQ
	// at price buyP and up to buy2Q at buy2P — the buffer stock defending its
	// floor and buying in the lower sector.
	buyP, buyQ   float64
	buy2P, buy2Q float64
}

// bids returns the least and greatest quantity the bids take at price p: all
// of a bid below its price, anything up to it within tol of its price, none
// above.
func (d *demandCurve) bids(p, tol float64) (lo, hi float64) {
	for _, b := range [2][2]float64{{d.buyP, d.buyQ}, {d.buy2P, d.buy2Q}} {
		switch {
		case b[1] <= 0:
		case p < b[0]-tol:
			lo += b[1]
			hi += b[1]
		case p <= b[0]+tol:
			hi += b[1]
		}
	}
	return lo, hi
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
	// exp(e·ln(p/p0)) rather than math.Pow: the same to a few ulps for these
	// arguments (p/p0 near 1, |e| ≤ 100), and a third of the time, which
	// matters in the Monte Carlo's inner loop.
	return d.q0 * math.Exp(d.e*math.Log(p/d.p0))
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

// slope is dQ/dP at price p, where the demand there is q: −b below the choke
// price for linear demand (0 above), e·q/p for constant elasticity.
func (d *demandCurve) slope(p, q float64) float64 {
	if d.linear {
		if q > 0 {
			return -d.b
		}
		return 0
	}
	return d.e * q / p
}

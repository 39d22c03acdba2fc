// Package annuity is the arithmetic of a capital cost recovered by level
// yearly payments: the capital recovery factor that turns a capital cost
// into the charge a producer must earn each year. The reference prices
// (cost_curve, docs/prices.md step 4) and the market's investment decisions
// (docs/market.md) both charge capital this way, so the formula lives here
// once.
package annuity

import "github.com/mineralpact/mineralpact/internal/dec"

// RecoveryFactor returns the capital recovery factor r(1+r)^n / ((1+r)^n − 1)
// for a rate r a year over n years (1/n when r is 0), and the growth
// (1+r)^n it is computed from. n must be at least 1. (1+r)^n is exact; the
// quotient is rounded to dec.Precision digits.
func RecoveryFactor(r dec.Decimal, n int) (factor, growth dec.Decimal) {
	nd := dec.FromInt(int64(n))
	if r.IsZero() {
		return dec.One.Quo(nd), dec.One
	}
	growth = dec.One
	base := dec.One.Add(r)
	for range n {
		growth = growth.Mul(base)
	}
	return r.Mul(growth).Quo(growth.Sub(dec.One)), growth
}

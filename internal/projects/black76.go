package projects

import "math"

// Black76Put returns the price of a European put on a forward: with forward
// price F for delivery at T years, strike K, risk-free rate r (continuously
// compounded) and volatility σ of the forward,
//
//	p = e^(−rT) · [K·N(−d2) − F·N(−d1)],
//	d1 = (ln(F/K) + σ²T/2) / (σ√T),  d2 = d1 − σ√T,
//
// N the standard normal distribution function (Black, F. (1976), "The
// pricing of commodity contracts", Journal of Financial Economics 3,
// 167–179). With σ√T = 0 it is the discounted intrinsic value.
func Black76Put(forward, strike, r, sigma, T float64) float64 {
	disc := math.Exp(-r * T)
	s := sigma * math.Sqrt(T)
	if s == 0 || forward <= 0 || strike <= 0 {
		return disc * max(strike-forward, 0)
	}
	d1 := (math.Log(forward/strike) + s*s/2) / s
	d2 := d1 - s
	return disc * (strike*normCDF(-d2) - forward*normCDF(-d1))
}

// PutStrip returns the value of a strip of European puts struck at floor[t]
// on one unit of a price that follows a GBM from spot under the risk-neutral
// measure (forward spot·e^(rt)), one put expiring at each year t with
// quantity[t] > 0: Σ_t quantity[t] · Black76Put(spot·e^(rt), floor[t], r, σ, t).
// This is the closed-form value of a price floor to a producer selling
// quantity[t] in year t, against which the Monte Carlo is tested.
func PutStrip(spot, r, sigma float64, floor, quantity []float64) float64 {
	v := 0.0
	for t, q := range quantity {
		if q > 0 && t < len(floor) {
			v += q * Black76Put(spot*math.Exp(r*float64(t)), floor[t], r, sigma, float64(t))
		}
	}
	return v
}

func normCDF(x float64) float64 { return 0.5 * math.Erfc(-x/math.Sqrt2) }

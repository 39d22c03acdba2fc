package projects

import (
	"math"
	"math/rand/v2"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Paths is a set of yearly price paths, stored flat: path i's price in year
// t (years after the valuation date) is Prices[i*Years+t].
type Paths struct {
	N      int
	Years  int
	Prices []float64
}

// Path returns path i, one price per year, year 0 first.
func (p *Paths) Path(i int) []float64 { return p.Prices[i*p.Years : (i+1)*p.Years] }

// PathFunc fills dst with the yearly prices of path i, year 0 first, one per
// element of dst. It is how another engine (the market Monte Carlo, a
// historical replay) feeds its paths to the valuation.
type PathFunc func(i int, dst []float64)

// Collect draws n paths of years years from f.
func Collect(n, years int, f PathFunc) *Paths {
	p := &Paths{N: n, Years: years, Prices: make([]float64, n*years)}
	for i := range n {
		f(i, p.Path(i))
	}
	return p
}

// GBM describes yearly prices that follow a geometric Brownian motion:
// P(t+1) = P(t) · exp((Drift − Vol²/2) + Vol · Z), Z standard normal, so
// that E[P(t)] = Spot · e^(Drift·t). Under the risk-neutral measure Drift is
// the risk-free rate (continuously compounded).
type GBM struct {
	Spot  float64 // price in year 0
	Drift float64 // yearly drift, continuously compounded
	Vol   float64 // yearly volatility of the log price
	// Antithetic pairs every draw Z with −Z (paths 2k and 2k+1) and scales
	// each year's draws to a sample variance of exactly 1: both cut the Monte
	// Carlo error without bias in the mean of the draws.
	Antithetic bool
}

// Draw returns n paths of years years (year 0 is the spot), seeded: the
// same seed gives the same paths.
func (g GBM) Draw(n, years int, seed uint64) (*Paths, error) {
	if n < 1 || years < 1 {
		return nil, problem.Errorf(problem.Invalid, "price paths: want at least one path of one year, got %d paths of %d years", n, years)
	}
	if !(g.Spot > 0) || !(g.Vol >= 0) || math.IsInf(g.Spot, 0) || math.IsInf(g.Vol, 0) || math.IsNaN(g.Drift) || math.IsInf(g.Drift, 0) {
		return nil, problem.Errorf(problem.Invalid, "price paths: want spot > 0, volatility ≥ 0 and a finite drift, got spot %g, drift %g, volatility %g", g.Spot, g.Drift, g.Vol)
	}
	rng := rand.New(rand.NewPCG(seed, 0x9e3779b97f4a7c15))
	p := &Paths{N: n, Years: years, Prices: make([]float64, n*years)}
	for i := range n {
		p.Prices[i*years] = g.Spot
	}
	z := make([]float64, n)
	mu := g.Drift - g.Vol*g.Vol/2
	for t := 1; t < years; t++ {
		for i := 0; i < n; i++ {
			z[i] = rng.NormFloat64()
			if g.Antithetic && i+1 < n {
				z[i+1] = -z[i]
				i++
			}
		}
		if g.Antithetic && n > 2 {
			ss := 0.0
			for _, x := range z {
				ss += x * x
			}
			if ss > 0 {
				scale := math.Sqrt(float64(n) / ss)
				for i := range z {
					z[i] *= scale
				}
			}
		}
		for i := range n {
			p.Prices[i*years+t] = p.Prices[i*years+t-1] * math.Exp(mu+g.Vol*z[i])
		}
	}
	return p, nil
}

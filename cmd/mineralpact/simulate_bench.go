package main

import "github.com/mineralpact/mineralpact/internal/market"

// benchSimulate is `mineralpact bench simulate`: the equilibrium of the
// seeded 10-region, 500-producer instance that market's
// BenchmarkEquilibrium/regions=10/producers=500 measures.
func benchSimulate() (func() error, error) {
	in := market.RandomInstance(2026, 10, 500, market.Generated{})
	if err := in.Validate("bench"); err != nil {
		return nil, err
	}
	return func() error {
		_, err := market.Solve(in)
		return err
	}, nil
}

package main

import (
	"context"

	"github.com/mineralpact/mineralpact/internal/market"
)

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

// benchMonteCarlo is `mineralpact bench montecarlo`: 100 Monte Carlo paths of
// scenarios/cobalt-drc-2025.yaml stretched to 120 months, the plan market's
// BenchmarkMonteCarlo measures 1,000 and 10,000 paths of.
func benchMonteCarlo() (func() error, error) {
	sc, err := readScenario("cobalt-drc-2025")
	if err != nil {
		return nil, err
	}
	sc.Months = 120
	env, err := simulationEnv("example")
	if err != nil {
		return nil, err
	}
	pl, err := market.Build(sc, env)
	if err != nil {
		return nil, err
	}
	return func() error {
		_, err := pl.MonteCarlo(context.Background(), market.Options{Paths: 100, Seed: 1})
		return err
	}, nil
}

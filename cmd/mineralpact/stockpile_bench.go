package main

import (
	"context"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/stockpile"
)

// benchStockpilePlan is the first speed target: a 10-year monthly
// response plan for 20 parties and 10 minerals (stockpile.NewWorkload, seed
// 1), each plan run through 120 months of cobalt-drc-2025's dynamics.
func benchStockpilePlan() (func() error, error) {
	sr, err := stockpileBenchRun()
	if err != nil {
		return nil, err
	}
	w, err := stockpile.NewWorkload(sr.In.Agreement, 20, 10, 120, 1)
	if err != nil {
		return nil, err
	}
	sc := *sr.Scenario
	sc.Months = 120
	c, err := stockpile.NewCoupler(&sc, sr.Env)
	if err != nil {
		return nil, err
	}
	return func() error {
		pls, err := w.Plans(nil)
		if err != nil {
			return err
		}
		for _, pl := range pls {
			if _, err := c.Run(pl); err != nil {
				return err
			}
		}
		return nil
	}, nil
}

// benchStockpileMonteCarlo is the second: 10,000 paths of cobalt-drc-2025
// with the coordinated response of the example's regime, every party holding
// its obligation, reporting the probability of shortage.
func benchStockpileMonteCarlo() (func() error, error) {
	sr, err := stockpileBenchRun()
	if err != nil {
		return nil, err
	}
	sr.Paths, sr.Seed = 10_000, 2025
	return func() error {
		_, err := stockpile.Simulate(context.Background(), sr)
		return err
	}, nil
}

func stockpileBenchRun() (stockpile.ScenarioRun, error) {
	env, err := loadEnv("example")
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	sc, err := readScenario("cobalt-drc-2025")
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	in, err := env.agreement.AsOf(sc.Design.AsOf)
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	flows, err := stockpile.ReadShipped(data.FS, env.agreement)
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	mkt, err := simulationEnv("example")
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	return stockpile.ScenarioRun{Scenario: sc, Env: mkt, In: in, Flows: flows, Production: stockpile.MCSProduction(env.reg, sc.Mineral), Initial: "obligation"}, nil
}

package main

import (
	"context"
	"fmt"
	"strconv"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/projects"
)

// defaultScenarioPaths is --paths with --scenario when it is not given:
// each path is a month-by-month market simulation of the design and of the
// baseline, about a thousand times dearer than a GBM path.
const defaultScenarioPaths = 1000

// countOption is an integer flag that knows whether it was given.
type countOption struct {
	n   int
	set bool
}

func (c *countOption) String() string { return strconv.Itoa(c.n) }

func (c *countOption) Set(s string) error {
	v, err := strconv.Atoi(s)
	if err != nil {
		return fmt.Errorf("want a whole number, got %q", s)
	}
	c.n, c.set = v, true
	return nil
}

// marketFeed runs scenario's Monte Carlo under the loaded agreement (its
// floors published in process, as every projects verb reads them) for the
// projects and returns their prices by region, years past the scenario
// following tail. The seed is --seed if given, else the scenario's.
func (o *projectsOptions) marketFeed(ctx context.Context, s streams, env *loaded, prs []*projects.Project, tail *projects.PriceModel) (*projects.Market, error) {
	sc, err := readScenario(o.scenario)
	if err != nil {
		return nil, err
	}
	pl, err := market.Build(sc, market.Env{Registry: env.reg, Agreement: env.agreement, Floors: env.floors(), Data: data.FS})
	if err != nil {
		return nil, err
	}
	in, err := env.agreement.AsOf(pl.Design.AsOf)
	if err != nil {
		return nil, err
	}
	zone, err := in.Zone(env.reg)
	if err != nil {
		return nil, err
	}
	seed := sc.MonteCarlo.Seed
	if o.seedGiven {
		seed = o.seed
	}
	bar := newProgress(s, "simulating "+sc.ID, "paths")
	m, err := projects.Feed(ctx, pl, zone, prs, market.Options{Paths: o.paths.n, Seed: seed, Progress: bar.step}, tail)
	bar.done()
	return m, err
}

package projects

import (
	"context"
	"errors"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// RankRequest is what to rank: the command line's and the API's one path
// to Rank.
type RankRequest struct {
	Parties []string
	AsOf    date.Date // required: the parties in force, the floors and the risk rule
	Mineral string
	Budget  float64
	// Scenario, when set, gives the prices of the projects of its mineral
	// and stage from its Monte Carlo; the others are not ranked.
	Scenario         *market.Scenario
	Paths            int
	Seed             uint64
	SeedGiven        bool
	Rate, PublicRate float64 // 0: the pipeline's
	Workers          int
	Progress         func(done, total int)
}

// RankFor ranks the pipeline's projects of mutual interest to the parties
// under env's agreement on req.AsOf: its zone, its floors (a mineral and
// stage without one on the date is ranked without, and named in warnings),
// each project's hurdle rate with its country risk premium, and, with a
// scenario, prices from the market simulation.
func (p *Pipeline) RankFor(ctx context.Context, env Env, req RankRequest) (*Ranking, []string, error) {
	if req.AsOf.IsZero() {
		return nil, nil, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: "a ranking needs the date whose parties and floors it reads"}
	}
	in, err := env.Agreement.AsOf(req.AsOf)
	if err != nil {
		return nil, nil, err
	}
	zone, err := in.Zone(env.Registry)
	if err != nil {
		return nil, nil, err
	}
	base, public := req.Rate, req.PublicRate
	if base == 0 {
		base = p.DiscountRate
	}
	if public == 0 {
		public = p.PublicDiscountRate
	}
	if base == 0 || public == 0 {
		return nil, nil, &problem.Error{Code: problem.Invalid, Field: "rate", Message: fmt.Sprintf("pipeline %s gives no discount_rate or public_discount_rate: give the rates", p.ID)}
	}
	hurdles, err := p.HurdleRates(base, in.Agreement, env.Registry)
	if err != nil {
		return nil, nil, err
	}
	rates := make(map[string]float64, len(hurdles))
	for id, h := range hurdles {
		rates[id] = h.Rate
	}
	o := RankOptions{Zone: zone, Parties: req.Parties, Floors: map[string]float64{}, Mineral: req.Mineral, Budget: req.Budget,
		Rate: base, PublicRate: public, Paths: req.Paths, Seed: req.Seed, Rates: rates}
	if env.Ownership != nil {
		// An unknown owner_id fails before the Monte Carlo, at its line.
		if err := p.CheckOwners(env.Ownership); err != nil {
			return nil, nil, err
		}
		o.Owners = &Owners{Register: env.Ownership, InForce: in, Members: ownership.GroupMembers(env.Registry.Minerals())}
	}
	var warnings []string
	missing := map[string]bool{}
	if req.Scenario != nil {
		if o.Market, err = p.feedFor(ctx, env, req); err != nil {
			return nil, nil, err
		}
	} else {
		for i := range p.Projects {
			pr := &p.Projects[i]
			k := Key(pr.Mineral, pr.Stage)
			if _, done := o.Floors[k]; done || missing[k] || req.Mineral != "" && pr.Mineral != req.Mineral {
				continue
			}
			fl, err := AgreementFloor(env, pr, req.AsOf)
			var perr *problem.Error
			switch {
			case errors.As(err, &perr) && perr.Code != problem.Internal:
				warnings = append(warnings, fmt.Sprintf("no floor for %s on %s (%s): ranked without one", k, req.AsOf, perr.Message))
				missing[k] = true
				continue
			case err != nil:
				return nil, nil, err
			}
			o.Floors[k] = fl.Price
		}
	}
	r, err := p.Rank(o)
	return r, warnings, err
}

// feedFor runs the request's scenario for the pipeline's projects of its
// mineral and stage.
func (p *Pipeline) feedFor(ctx context.Context, env Env, req RankRequest) (*Market, error) {
	sc := *req.Scenario
	var prs []*Project
	for i := range p.Projects {
		if pr := &p.Projects[i]; pr.Mineral == sc.Mineral && string(pr.Stage) == sc.Stage {
			prs = append(prs, pr)
		}
	}
	if len(prs) == 0 {
		return nil, &problem.Error{Code: problem.NotFound, Field: "scenario", Message: fmt.Sprintf("no project in pipeline %s produces %s/%s, which scenario %s simulates", p.ID, sc.Mineral, sc.Stage, sc.ID)}
	}
	pl, err := market.Build(&sc, market.Env{Registry: env.Registry, Agreement: env.Agreement, Floors: env.Floors, Data: env.Data})
	if err != nil {
		return nil, err
	}
	zone, err := designZone(env, pl)
	if err != nil {
		return nil, err
	}
	seed := sc.MonteCarlo.Seed
	if req.SeedGiven {
		seed = req.Seed
	}
	return Feed(ctx, pl, zone, prs, market.Options{Paths: req.Paths, Seed: seed, Workers: req.Workers, Progress: req.Progress}, p.PriceModel(sc.Mineral, registry.Stage(sc.Stage)))
}

// designZone is the agreement's zone on the plan's design date.
func designZone(env Env, pl *market.Plan) (*agreement.Zone, error) {
	in, err := env.Agreement.AsOf(pl.Design.AsOf)
	if err != nil {
		return nil, err
	}
	return in.Zone(env.Registry)
}

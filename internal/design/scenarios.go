package design

import (
	"context"

	"github.com/mineralpact/mineralpact/internal/market"
)

// Outcome is what a scenario's run says of a design: the zone's mean price
// and tariff revenue over the run (central path), the zone consumers' cost
// against the no-agreement baseline, the projects committed, and the
// probability that the buffer stock is exhausted (Monte Carlo). A replay
// reads no design and reports none of these.
type Outcome struct {
	Kind                  string   `json:"kind"`
	Zone                  string   `json:"zone,omitempty"`
	Currency              string   `json:"currency"`
	Unit                  string   `json:"unit"`
	ZonePrice             float64  `json:"zone_mean_price"`
	TariffRevenue         float64  `json:"zone_tariff_revenue"`
	ConsumerCost          float64  `json:"zone_consumer_cost"`
	ProjectsCommitted     int      `json:"projects_committed"`
	Paths                 int      `json:"paths"`
	ExhaustionProbability *float64 `json:"buffer_exhaustion_probability,omitempty"`
	Error                 string   `json:"error,omitempty"`
}

// runScenario runs sc under version v.
func (c *Comparer) runScenario(ctx context.Context, v *version, sc *market.Scenario) *Outcome {
	out := &Outcome{Kind: sc.Kind, Currency: sc.Currency, Unit: sc.Unit}
	env := market.Env{Registry: c.opt.Registry, Agreement: v.ag, Floors: v.floors, Data: c.opt.Data}
	pl, err := market.Build(sc, env)
	if err != nil {
		out.Error = err.Error()
		return out
	}
	paths := sc.MonteCarlo.Paths
	if c.w.Paths > 0 {
		paths = c.w.Paths
	}
	if sc.Kind == market.KindReplay {
		paths = 0
	}
	res, err := market.Run(ctx, pl, market.Options{Paths: paths, Seed: sc.MonteCarlo.Seed, Workers: c.opt.Workers})
	if err != nil {
		out.Error = err.Error()
		return out
	}
	out.Zone = res.Zone
	if cmp := res.Comparison; cmp != nil {
		for _, r := range cmp.Regions {
			if r.ID == res.Zone {
				out.ZonePrice, out.TariffRevenue = r.MeanPrice, r.TariffRevenue
			}
		}
		out.ConsumerCost = cmp.ZoneConsumerCost
		out.ProjectsCommitted = cmp.ProjectsCommitted
	}
	if mc := res.MonteCarlo; mc != nil {
		out.Paths = mc.Paths
		if mc.BufferTonnes != nil {
			p := mc.ExhaustionProbability
			out.ExhaustionProbability = &p
		}
	}
	return out
}

// equal reports whether two outcomes say the same.
func (o *Outcome) equal(p *Outcome) bool {
	a, b := *o, *p
	a.ExhaustionProbability, b.ExhaustionProbability = nil, nil
	if a != b || (o.ExhaustionProbability == nil) != (p.ExhaustionProbability == nil) {
		return false
	}
	return o.ExhaustionProbability == nil || *o.ExhaustionProbability == *p.ExhaustionProbability
}

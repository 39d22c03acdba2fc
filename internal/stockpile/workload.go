package stockpile

import (
	"fmt"
	"math/rand/v2"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Workload is a seeded, synthetic planning load for benchmarks and tests:
// parties × minerals, each mineral with a regime like the example's cobalt
// one, flows, stocks and a disruption of a third to all of its main origin's
// supply for six to eighteen months, planned month by month.
type Workload struct {
	In          *agreement.InForce
	Flows       *Flows
	Minerals    []string
	Stocks      map[string][]Kg
	Disruptions map[string][]Disruption
	Start       date.Date
	Months      int
}

// NewWorkload builds a workload of the given size on base's first regime.
func NewWorkload(base *agreement.Agreement, parties, minerals, months int, seed uint64) (*Workload, error) {
	if len(base.Stockpiles) == 0 {
		return nil, problemf("agreement %s has no stockholding regime to copy", base.ID)
	}
	rng := rand.New(rand.NewPCG(seed, 1974))
	a := *base
	a.Parties = nil
	for p := range parties {
		a.Parties = append(a.Parties, agreement.Party{ID: fmt.Sprintf("P%02d", p+1)})
	}
	w := &Workload{In: &agreement.InForce{AsOf: base.EntryIntoForce, Agreement: &a}, Flows: &Flows{},
		Stocks: map[string][]Kg{}, Disruptions: map[string][]Disruption{}, Start: date.MustParse("2027-01-01"), Months: months}
	a.Stockpiles = nil
	for m := range minerals {
		id := fmt.Sprintf("m%02d", m+1)
		s := base.Stockpiles[0]
		s.Mineral, s.Stage, s.Parties = id, registry.Processed, nil
		a.Stockpiles = append(a.Stockpiles, s)
		w.Minerals = append(w.Minerals, id)
		stocks := make([]Kg, parties)
		for p, party := range a.Parties {
			cons := Kg(1+rng.Int64N(20_000)) * 1000
			imp := cons * Kg(50+rng.IntN(60)) / 100
			w.Flows.Years = append(w.Flows.Years, FlowYear{Party: party.ID, Mineral: id, Stage: registry.Processed, Year: w.Start.Year() - 1,
				Production: max(0, cons-imp), Imports: imp, Consumption: cons})
			w.Flows.Exposures = append(w.Flows.Exposures, Exposure{Party: party.ID, Mineral: id, Stage: registry.Processed, Origin: "CN", Share: dec.New(int64(20+rng.IntN(80)), -2)})
			stocks[p] = imp * Kg(30+rng.IntN(90)) / 365
		}
		w.Stocks[id] = stocks
		from := w.Start.AddMonths(rng.IntN(months / 2))
		w.Disruptions[id] = []Disruption{{Origin: "CN", Mineral: id, Stage: registry.Processed, Cut: dec.New(int64(33+rng.IntN(68)), -2),
			From: from, To: from.AddMonths(6 + rng.IntN(13)).AddDays(-1)}}
	}
	return w, nil
}

// Plans assesses and plans every mineral of the workload (coordinated).
func (w *Workload) Plans(prices []float64) ([]*Plan, error) {
	out := make([]*Plan, 0, len(w.Minerals))
	for _, m := range w.Minerals {
		as, err := Assess(w.In, w.Flows, m, registry.Processed, w.Disruptions[m], w.Start, w.Months)
		if err != nil {
			return nil, err
		}
		pl, err := Respond(as, w.Stocks[m], Coordinated, prices)
		if err != nil {
			return nil, err
		}
		out = append(out, pl)
	}
	return out, nil
}

// Coupler runs plans through one market scenario: a plan's monthly releases,
// in tonnes as they are, offered in the scenario's zone at its pre-crisis
// price. It is how the benchmark couples many synthetic minerals to the
// dynamics of one real market.
type Coupler struct {
	sc  *market.Scenario
	env market.Env
	ref float64
}

// NewCoupler runs the scenario once without releases for its pre-crisis price.
func NewCoupler(sc *market.Scenario, env market.Env) (*Coupler, error) {
	c, err := central(sc, env)
	if err != nil {
		return nil, err
	}
	return &Coupler{sc: sc, env: env, ref: c.price(0)}, nil
}

// Run runs pl's releases through the scenario and returns the outcome.
func (c *Coupler) Run(pl *Plan) (*Outcome, error) {
	scale, err := unitScale(c.sc.Unit)
	if err != nil {
		return nil, err
	}
	cr, err := central(withReleases(c.sc, pl, c.ref, scale), c.env)
	if err != nil {
		return nil, err
	}
	o := cr.outcome(string(pl.Mode), c.ref, c.sc.Demand.Elasticity, 0.07)
	o.Plan, o.Sold = pl, cr.sold()
	return o, nil
}

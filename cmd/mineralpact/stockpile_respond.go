package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/stockpile"
	"github.com/mineralpact/mineralpact/scenarios"
)

// stockpileRespondOptions are `stockpile respond`: a scenario's disruption
// assessed against the crisis triggers, the response plan per party and
// month, and what it buys in the market (docs/stockpile.md).
type stockpileRespondOptions struct {
	in       stockpileInputs
	scenario string
	losses   string
	alone    bool
	initial  string
	days     int
	paths    int
	seed     string
	workers  int
	format   formatOption
}

func (o *stockpileRespondOptions) bind(fs *flag.FlagSet) {
	o.in.bind(fs)
	fs.StringVar(&o.scenario, "scenario", "", "scenario file, or the name of a shipped scenario ("+strings.Join(scenarios.Names(), ", ")+")")
	fs.StringVar(&o.losses, "losses", "", "losses entered by hand (CSV: origin,mineral,stage,tonnes|cut,from,to[,note]) instead of the scenario's shocks")
	fs.BoolVar(&o.alone, "alone", false, "also plan and run each party acting alone")
	fs.StringVar(&o.initial, "initial", "", "stocks at the start: holdings (declared by then) or obligation (each party holds its obligation); default holdings, or the obligations when none is declared by the start")
	fs.IntVar(&o.days, "days", 0, "what-if: every party's obligation this many days of the regime's measure")
	fs.IntVar(&o.paths, "paths", 0, "Monte Carlo paths of each response (0: the central path only)")
	fs.StringVar(&o.seed, "seed", "", "seed of the paths (default: the scenario's)")
	fs.IntVar(&o.workers, "workers", 0, "parallel workers (default: every CPU)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *stockpileRespondOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.format.validate()); err != nil {
		return err
	}
	if o.scenario == "" {
		return usagef("--scenario is required (a file, or one of %s)", strings.Join(scenarios.Names(), ", "))
	}
	if o.initial != "" && o.initial != "holdings" && o.initial != "obligation" {
		return usagef("--initial %q: want holdings or obligation", o.initial)
	}
	if o.days < 0 || o.paths < 0 || o.paths > market.MaxPaths {
		return usagef("--days and --paths must be ≥ 0 (paths at most %d)", market.MaxPaths)
	}
	if o.seed != "" {
		if _, err := strconv.ParseUint(o.seed, 10, 64); err != nil {
			return usagef("--seed %q: want a whole number", o.seed)
		}
	}
	return nil
}

func (o *stockpileRespondOptions) run(ctx context.Context, s streams) error {
	env, flows, hs, err := o.in.load()
	if err != nil {
		return err
	}
	sc, err := readScenario(o.scenario)
	if err != nil {
		return err
	}
	in, err := env.agreement.AsOf(sc.Design.AsOf)
	if err != nil {
		return err
	}
	sr := stockpile.ScenarioRun{Scenario: sc, Env: market.Env{Registry: env.reg, Agreement: env.agreement, Floors: env.floors(), Data: data.FS},
		In: in, Flows: flows, Holdings: hs, Production: stockpile.MCSProduction(env.reg, sc.Mineral),
		Initial: o.initial, Days: o.days, Alone: o.alone, Paths: o.paths, MonteCarloWithout: true, Seed: sc.MonteCarlo.Seed, Workers: o.workers}
	if o.seed != "" {
		sr.Seed, _ = strconv.ParseUint(o.seed, 10, 64)
	}
	if o.losses != "" {
		if sr.Disruptions, err = readWith(o.losses, env.agreement, stockpile.ReadDisruptions); err != nil {
			return err
		}
	}
	if o.paths > 0 {
		p := newProgress(s, "simulating", "paths")
		sr.Progress = p.step
	}
	sim, err := stockpile.Simulate(ctx, sr)
	if err != nil {
		return err
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, sim)
	case "csv":
		return planTable(sim).writeCSV(s.out)
	}
	return writeResponse(s, sim)
}

// planTable is the release plan: one row per response, month and party.
func planTable(sim *stockpile.Simulation) *table {
	t := &table{header: []string{"response", "month", "party", "collective", "supply_t", "loss_t", "restraint_t", "due_t", "release_t", "allocation_t", "uncovered_t", "replenish_t", "open_t", "close_t", "capped"}}
	for _, o := range []*stockpile.Outcome{sim.Coordinated, sim.Alone} {
		if o == nil {
			continue
		}
		for _, m := range o.Plan.Months {
			for _, p := range m.Parties {
				t.add(o.Response, m.Month, p.Party, fmt.Sprint(m.Collective), p.Supply.Tonnes(), p.Loss.Tonnes(), p.Restraint.Tonnes(), p.Due.Tonnes(),
					p.Release.Tonnes(), p.Allocation.Tonnes(), p.Uncovered.Tonnes(), p.Replenish.Tonnes(), p.Open.Tonnes(), p.Close.Tonnes(), fmt.Sprint(p.Capped))
			}
		}
	}
	return t
}

func writeResponse(s streams, sim *stockpile.Simulation) error {
	w := s.out
	ill := ""
	if sim.Scenario.Illustrative {
		ill = " (ILLUSTRATIVE)"
	}
	fmt.Fprintf(w, "scenario %s: %s%s\n", sim.Scenario.ID, sim.Scenario.Title, ill)
	fmt.Fprintf(w, "regime %s/%s; stocks at the start: %s, %s t in all; pre-crisis price in %s %s %s/%s\n",
		sim.Mineral, sim.Stage, sim.Initial, stockpile.Total(sim.Stocks).Tonnes(), sim.Region, formatFloat(sim.RefPrice, 0), sim.Currency, sim.Unit)
	for _, n := range sim.Notes {
		fmt.Fprintln(w, "note:", n)
	}
	for _, d := range sim.Disruptions {
		what := "cut " + d.Cut.String() + " of its supply"
		if d.Tonnes > 0 {
			what = d.Tonnes.Tonnes() + " t a month to the zone"
		}
		fmt.Fprintf(w, "disruption: %s %s to %s, %s\n", d.Origin, d.From, d.To, what)
	}
	for _, e := range sim.Assessment.Triggers {
		who := "zone"
		if e.Party != "" {
			who = e.Party
		}
		fmt.Fprintf(w, "trigger %s (%s): %s to %s, peak loss %s%% of supply (%s)\n", e.Trigger, who, e.From, e.To, e.Peak, e.Basis)
	}
	c, wo := sim.Coordinated, sim.Without
	t := &table{header: []string{"month", "collective", "loss_t", "restraint_t", "release_t", "uncovered_t", "replenish_t", "stock_t", "price_none", "price_coordinated", "shortage_none", "shortage_coordinated"}}
	if sim.Alone != nil {
		t.header = append(t.header, "release_alone_t", "price_alone")
	}
	people := forPeople(s, "table")
	f := func(x float64) string {
		if people {
			return formatFloat(x, 0)
		}
		return strconv.FormatFloat(x, 'f', 1, 64)
	}
	for i, m := range c.Plan.Months {
		row := []string{m.Month, fmt.Sprint(m.Collective), m.Loss.Tonnes(), m.Restraint.Tonnes(), m.Release.Tonnes(), m.Uncovered.Tonnes(), m.Replenish.Tonnes(), m.Stock.Tonnes(),
			f(wo.Price[i]), f(c.Price[i]), f(wo.Shortage[i]), f(c.Shortage[i])}
		if sim.Alone != nil {
			row = append(row, sim.Alone.Plan.Months[i].Release.Tonnes(), f(sim.Alone.Price[i]))
		}
		t.add(row...)
	}
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	pt := &table{header: upper([]string{"party", "stock_start_t", "released_t", "uncovered_t", "allocation_net_t", "replenished_t", "stock_end_t"})}
	for _, p := range c.Plan.PartyTotals() {
		pt.add(p.Party, p.Start.Tonnes(), p.Released.Tonnes(), p.Uncovered.Tonnes(), p.Allocation.Tonnes(), p.Replenished.Tonnes(), p.End.Tonnes())
	}
	if err := pt.write(s); err != nil {
		return err
	}
	for _, o := range []*stockpile.Outcome{wo, c, sim.Alone} {
		if o == nil {
			continue
		}
		fmt.Fprintf(w, "%-12s mean price %s, peak %s; shortage %s %s-months, %d short months; stocks cost %s %s (carrying %s, purchases %s, resale %s)\n",
			o.Response+":", f(o.MeanPrice), f(o.PeakPrice), f(o.ShortageTonneMonths), sim.Unit, o.ShortMonths, f(o.Cost.Net), sim.Currency, f(o.Cost.Carrying), f(o.Cost.Purchases), f(o.Cost.Resale))
		if mc := o.MonteCarlo; mc != nil {
			fmt.Fprintf(w, "%-12s Monte Carlo %d paths (seed %d): probability of shortage %.3f, mean shortage %s %s-months (p95 %s), mean peak price %s (p95 %s)\n",
				"", mc.Paths, mc.Seed, mc.Probability, f(mc.MeanUnitMonths), sim.Unit, f(mc.P95UnitMonths), f(mc.MeanPeakPrice), f(mc.P95PeakPrice))
		}
	}
	fmt.Fprintf(w, "shortage: what the zone would buy at the pre-crisis price less what it gets; a month is short below %.0f%% of it; prices and shortages are model figures (float64), tonnes of stock exact\n", 100*(1-sim.Coordinated.MonteCarloThreshold()))
	return nil
}

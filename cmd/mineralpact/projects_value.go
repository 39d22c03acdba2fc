package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/projects"
)

// projectsValueOptions are `projects value`: one project's NPV distribution
// without and with the floor, the floor's value, and what its public
// support costs and does, over seeded price paths.
type projectsValueOptions struct {
	oneProject
	format formatOption
}

func (o *projectsValueOptions) bind(fs *flag.FlagSet) {
	o.oneProject.bind(fs)
	o.format.bind(fs, "table", "json")
}

func (o *projectsValueOptions) validate(pos []string) error {
	if o.project == "" {
		return usagef("--project ID is required")
	}
	return firstError(noArgs(pos), o.projectsOptions.validate(), o.format.validate(), o.asOf.optional())
}

// projectValue is the answer of `projects value`, field names stable:
// the engine's, which the API answers too.
type projectValue = projects.Valuation

type (
	npvSummary = projects.Summary
	floorUsed  = projects.FloorUsed
)

func (o *projectsValueOptions) run(ctx context.Context, s streams) error {
	o.floorGiven = o.floor.set
	env, p, err := o.load(s)
	if err != nil {
		return err
	}
	v, err := o.value(ctx, s, env, p, nil)
	if err != nil {
		return err
	}
	v.Notice = notice(p)
	if v.Floor.Source == "request" {
		v.Floor.Source = "--floor"
	}
	if o.format.name == "json" {
		return writeJSON(s.out, v)
	}
	v.CashFlows, v.Fan = nil, nil
	return writeProjectValue(s, *v)
}

func writeProjectValue(s streams, v projectValue) error {
	people := forPeople(s, "table")
	money := func(x float64) string { return fig(people, x, 0) }
	if v.Notice != "" {
		fmt.Fprintln(s.out, v.Notice)
	}
	fmt.Fprintf(s.out, "project %s: %s (%s/%s, %s)\n", v.Project, v.Name, v.Mineral, v.Stage, v.Country)
	src := v.Floor.Source
	if v.Floor.Date != "" {
		src = fmt.Sprintf("%s as of %s (%s)", src, v.Floor.Date, v.Floor.Method)
	}
	if v.Floor.Illustrative {
		src += ", ILLUSTRATIVE"
	}
	fmt.Fprintf(s.out, "floor %s %s from %s\n", fig(people, v.Floor.Price, 2), v.Floor.Unit, src)
	if m := v.Market; m != nil {
		ill := ""
		if m.Illustrative {
			ill = " (ILLUSTRATIVE scenario)"
		}
		fmt.Fprintf(s.out, "prices: market scenario %s%s, producer price of region %s from %s (year 0); %s paths, seed %d; hurdle rate %s, public rate %s\n",
			m.Scenario, ill, m.Region, m.Start, fig(people, float64(m.Paths), 0), m.Seed, pctFig(people, v.Rate), pctFig(people, v.PublicRate))
		fmt.Fprintf(s.out, "without: the no-agreement baseline; design: the design's prices; with floor: the design's prices, at least the floor each month\n\n")
	} else {
		fmt.Fprintf(s.out, "prices: GBM from spot %s, drift %s, volatility %s; %s paths, seed %d; hurdle rate %s, public rate %s\n\n",
			fig(people, v.Prices.Spot, 2), pctFig(people, v.Prices.Drift), pctFig(people, v.Prices.Volatility), fig(people, float64(v.Prices.Paths), 0), v.Prices.Seed, pctFig(people, v.Rate), pctFig(people, v.PublicRate))
	}
	if v.Hurdle.Basis != "" && v.Hurdle.Basis != "the pipeline's rate" {
		fmt.Fprintf(s.out, "hurdle rate %s: %s\n\n", pctFig(people, v.Hurdle.Rate), v.Hurdle.Basis)
	}
	t := &table{header: []string{"figure", "without floor", "with floor"}, right: []int{1, 2}}
	row := func(name string, a, b npvSummary) {
		t.add(name+" mean", money(a.Mean), money(b.Mean))
		t.add(name+" P5", money(a.P5), money(b.P5))
		t.add(name+" P50", money(a.P50), money(b.P50))
		t.add(name+" P95", money(a.P95), money(b.P95))
		t.add(name+" P(hurdle)", pctFig(people, a.PClear), pctFig(people, b.PClear))
	}
	if m := v.Market; m != nil {
		t.header = []string{"figure", "without agreement", "design", "with floor"}
		t.right = []int{1, 2, 3}
		row = func(name string, a, b npvSummary) {
			d := m.Design
			if name != "NPV" {
				t.add(name+" mean", money(a.Mean), "", money(b.Mean))
				t.add(name+" P(hurdle)", pctFig(people, a.PClear), "", pctFig(people, b.PClear))
				return
			}
			t.add(name+" mean", money(a.Mean), money(d.Mean), money(b.Mean))
			t.add(name+" P5", money(a.P5), money(d.P5), money(b.P5))
			t.add(name+" P50", money(a.P50), money(d.P50), money(b.P50))
			t.add(name+" P95", money(a.P95), money(d.P95), money(b.P95))
			t.add(name+" P(hurdle)", pctFig(people, a.PClear), pctFig(people, d.PClear), pctFig(people, b.PClear))
		}
	}
	row("NPV", v.Without, v.With)
	add2 := func(name, a, b string) { t.add(name, a, b) }
	if v.Market != nil {
		add2 = func(name, a, b string) { t.add(name, a, "", b) }
	}
	if sp := v.Support; sp != nil {
		row("sponsor NPV with support", sp.Without.Sponsor, sp.With.Sponsor)
		add2("expected public cost", money(sp.Without.Cost), money(sp.With.Cost))
		if sp.With.Loan != nil {
			add2("  loan: concession", money(sp.Without.Loan.Concession), money(sp.With.Loan.Concession))
			add2("  loan: expected loss", money(sp.Without.Loan.ExpectedLoss), money(sp.With.Loan.ExpectedLoss))
		}
		if sp.With.Guarantee != nil {
			add2("  guarantee: expected loss", money(sp.Without.Guarantee.ExpectedLoss), money(sp.With.Guarantee.ExpectedLoss))
		}
		if sp.With.EquityCost != 0 || sp.Without.EquityCost != 0 {
			add2("  equity", money(sp.Without.EquityCost), money(sp.With.EquityCost))
		}
		if sp.With.GrantCost != 0 {
			add2("  grant", money(sp.Without.GrantCost), money(sp.With.GrantCost))
		}
		add2("P(default)", pctFig(people, sp.Without.PDefault), pctFig(people, sp.With.PDefault))
	}
	if err := t.write(s); err != nil {
		return err
	}
	if m := v.Market; m != nil {
		_, err := fmt.Fprintf(s.out, "\nvalue of the agreement (E[NPV with floor] − E[NPV without agreement]): %s (standard error %s)\n  the design's prices: %s; the floor as a guarantee on them: %s\n",
			money(v.FloorValue), money(v.FloorStdErr), money(m.MarketEffect), money(m.Guarantee))
		return err
	}
	_, err := fmt.Fprintf(s.out, "\nfloor value (E[NPV with] − E[NPV without]): %s (standard error %s)\n", money(v.FloorValue), money(v.FloorStdErr))
	return err
}

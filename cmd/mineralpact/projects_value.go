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

// projectValue is the answer of `projects value`, field names stable.
type projectValue struct {
	Pipeline     string          `json:"pipeline"`
	Illustrative bool            `json:"illustrative"`
	Notice       string          `json:"notice,omitempty"`
	Project      string          `json:"project"`
	Name         string          `json:"name"`
	Mineral      string          `json:"mineral"`
	Stage        string          `json:"stage"`
	Country      string          `json:"country"`
	Floor        *floorUsed      `json:"floor"`
	Prices       *priceModel     `json:"prices,omitempty"`
	Market       *marketOut      `json:"market,omitempty"`
	Rate         float64         `json:"discount_rate"`
	Hurdle       projects.Hurdle `json:"hurdle"`
	PublicRate   float64         `json:"public_discount_rate"`
	Without      npvSummary      `json:"without_floor"`
	With         npvSummary      `json:"with_floor"`
	FloorValue   float64         `json:"floor_value"`
	FloorStdErr  float64         `json:"floor_value_std_err"`
	Support      *supportOut     `json:"support,omitempty"`
}

type priceModel struct {
	Spot       float64 `json:"spot"`
	Drift      float64 `json:"drift"`
	Volatility float64 `json:"volatility"`
	Paths      int     `json:"paths"`
	Seed       uint64  `json:"seed"`
}

// marketOut is where a valuation's prices came from when they came from a
// market scenario's Monte Carlo, and what the design alone does.
type marketOut struct {
	Scenario     string     `json:"scenario"`
	Illustrative bool       `json:"illustrative"`
	Region       string     `json:"region"`
	Start        string     `json:"start"`
	Paths        int        `json:"paths"`
	Seed         uint64     `json:"seed"`
	Floor        []float64  `json:"floor_by_year"`
	Design       npvSummary `json:"design"`
	MarketEffect float64    `json:"market_effect"`
	Guarantee    float64    `json:"guarantee"`
}

type npvSummary struct {
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"std_dev"`
	P5     float64 `json:"p5"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	PClear float64 `json:"p_hurdle"`
}

func summary(d *projects.Distribution) npvSummary {
	return npvSummary{Mean: d.Mean, StdDev: d.StdDev, P5: d.Quantiles[0], P50: d.Quantiles[2], P95: d.Quantiles[4], PClear: d.PClear}
}

// supportOut is the project's public support without and with the floor.
type supportOut struct {
	Without supportCase `json:"without_floor"`
	With    supportCase `json:"with_floor"`
}

type supportCase struct {
	Sponsor    npvSummary         `json:"sponsor_npv"`
	Cost       float64            `json:"expected_public_cost"`
	Loan       *projects.LoanCost `json:"loan,omitempty"`
	Guarantee  *projects.LoanCost `json:"guarantee,omitempty"`
	EquityCost float64            `json:"equity_cost"`
	GrantCost  float64            `json:"grant_cost"`
	PDefault   float64            `json:"p_default"`
}

func supportCaseOf(sv *projects.SupportValue) supportCase {
	return supportCase{Sponsor: summary(&sv.With), Cost: sv.Cost, Loan: sv.Loan, Guarantee: sv.Guarantee, EquityCost: sv.EquityCost, GrantCost: sv.GrantCost, PDefault: sv.PDefault}
}

func (o *projectsValueOptions) run(ctx context.Context, s streams) error {
	p, pr, fl, paths, err := o.open(s)
	if err != nil {
		return err
	}
	out := projectValue{Pipeline: p.ID, Illustrative: p.Illustrative, Notice: notice(p), Project: pr.ID, Name: pr.Name, Mineral: pr.Mineral, Stage: string(pr.Stage), Country: pr.Country,
		Rate: o.rate, Hurdle: o.hurdles[pr.ID], PublicRate: o.publicRate}
	// without and with are the paths and floor of the two cases compared.
	var without, with *projects.Paths
	var floor []float64
	if o.scenario != "" {
		feed, err := o.marketFeed(ctx, s, o.env, []*projects.Project{pr})
		if err != nil {
			return err
		}
		mp, err := feed.For(pr)
		if err != nil {
			return err
		}
		mv, err := pr.ValueMarket(mp, o.rate)
		if err != nil {
			return err
		}
		without, with, floor = mp.Without, mp.With, mp.Floor
		out.Floor = &floorUsed{Price: mean(mp.Floor[pr.LeadTimeYears : pr.LeadTimeYears+pr.LifeYears]), Unit: mp.Currency + "/" + mp.Unit, Source: o.env.agreement.ID + " (the design's floor by month, mean over the production years)",
			Method: "scenario " + mp.Scenario, Illustrative: mp.Illustrative || o.env.agreement.Illustrative}
		out.Market = &marketOut{Scenario: mp.Scenario, Illustrative: mp.Illustrative, Region: mp.Region, Start: mp.Start, Paths: mp.Paths, Seed: mp.Seed, Floor: mp.Floor[:pr.Horizon()],
			Design: summary(&mv.Design), MarketEffect: mv.MarketEffect, Guarantee: mv.Guarantee}
		out.Without, out.With, out.FloorValue, out.FloorStdErr = summary(&mv.Without), summary(&mv.With), mv.Value, mv.StdErr
	} else {
		floor = projects.Flat(fl.Price, paths.Years)
		fv, err := pr.ValueFloor(paths, o.rate, floor)
		if err != nil {
			return err
		}
		m := p.PriceModel(pr.Mineral, pr.Stage)
		without, with = paths, paths
		out.Floor, out.Prices = fl, &priceModel{m.Spot, m.Drift, m.Volatility, o.paths.n, o.seed}
		out.Without, out.With, out.FloorValue, out.FloorStdErr = summary(&fv.Without), summary(&fv.With), fv.Value, fv.StdErr
	}
	if pr.Support != nil {
		without, err := pr.ValueSupport(without, o.rate, o.publicRate, projects.Terms{}, pr.Support)
		if err != nil {
			return err
		}
		with, err := pr.ValueSupport(with, o.rate, o.publicRate, projects.Terms{Floor: floor}, pr.Support)
		if err != nil {
			return err
		}
		out.Support = &supportOut{Without: supportCaseOf(without), With: supportCaseOf(with)}
	}
	if o.format.name == "json" {
		return writeJSON(s.out, out)
	}
	return writeProjectValue(s, out)
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
			m.Scenario, ill, m.Region, m.Start, fig(people, float64(m.Paths), 0), m.Seed, pct(people, v.Rate), pct(people, v.PublicRate))
		fmt.Fprintf(s.out, "without: the no-agreement baseline; design: the design's prices; with floor: the design's prices, at least the floor each month\n\n")
	} else {
		fmt.Fprintf(s.out, "prices: GBM from spot %s, drift %s, volatility %s; %s paths, seed %d; hurdle rate %s, public rate %s\n\n",
			fig(people, v.Prices.Spot, 2), pct(people, v.Prices.Drift), pct(people, v.Prices.Volatility), fig(people, float64(v.Prices.Paths), 0), v.Prices.Seed, pct(people, v.Rate), pct(people, v.PublicRate))
	}
	if v.Hurdle.Basis != "" && v.Hurdle.Basis != "the pipeline's rate" {
		fmt.Fprintf(s.out, "hurdle rate %s: %s\n\n", pct(people, v.Hurdle.Rate), v.Hurdle.Basis)
	}
	t := &table{header: []string{"figure", "without floor", "with floor"}, right: []int{1, 2}}
	row := func(name string, a, b npvSummary) {
		t.add(name+" mean", money(a.Mean), money(b.Mean))
		t.add(name+" P5", money(a.P5), money(b.P5))
		t.add(name+" P50", money(a.P50), money(b.P50))
		t.add(name+" P95", money(a.P95), money(b.P95))
		t.add(name+" P(hurdle)", pct(people, a.PClear), pct(people, b.PClear))
	}
	if m := v.Market; m != nil {
		t.header = []string{"figure", "without agreement", "design", "with floor"}
		t.right = []int{1, 2, 3}
		row = func(name string, a, b npvSummary) {
			d := m.Design
			if name != "NPV" {
				t.add(name+" mean", money(a.Mean), "", money(b.Mean))
				t.add(name+" P(hurdle)", pct(people, a.PClear), "", pct(people, b.PClear))
				return
			}
			t.add(name+" mean", money(a.Mean), money(d.Mean), money(b.Mean))
			t.add(name+" P5", money(a.P5), money(d.P5), money(b.P5))
			t.add(name+" P50", money(a.P50), money(d.P50), money(b.P50))
			t.add(name+" P95", money(a.P95), money(d.P95), money(b.P95))
			t.add(name+" P(hurdle)", pct(people, a.PClear), pct(people, d.PClear), pct(people, b.PClear))
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
		add2("P(default)", pct(people, sp.Without.PDefault), pct(people, sp.With.PDefault))
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

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

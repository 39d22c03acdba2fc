package projects

import (
	"context"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Prices from the market simulation (docs/projects.md, "Prices from the
// market simulation"): a scenario's Monte Carlo, run under the agreement's
// design and under no agreement from the same random streams, gives each
// path's monthly producer price in the region a project stands in. Year t of
// a valuation is months 12t to 12t+11 of the run (year 0 starts with the
// scenario); a year's price is the mean of its months. Past the scenario's
// last year each path goes on as the pipeline's price model says (a
// geometric Brownian motion from the path's last yearly price), the floor
// held at its last month's.

// MarketPrices are one region's yearly prices over a scenario's Monte Carlo
// paths, in three cases on the same paths: Without the agreement (the
// baseline: no floor, no duty, no buffer stock), under the Design (the
// prices the design's instruments make in the region), and With the floor
// as a price guarantee on top of the design (each month max(P, F), F the
// design's floor that month). Prices are per unit of the scenario.
type MarketPrices struct {
	Scenario     string
	Illustrative bool
	Region       string
	Start        string // YYYY-MM of month 0: year 0 starts here
	Currency     string
	Unit         string
	Paths        int
	Seed         uint64
	Without      *Paths
	Design       *Paths
	With         *Paths
	// Floor is the design's floor averaged over each year's months (0 where
	// none): what a floor-linked price reads; With is never below it.
	Floor []float64
	// ScenarioYears are the years the market simulation covers (the last
	// one may be partial); later years follow the Tail model.
	ScenarioYears int
	Tail          *PriceModel
}

// Market is a scenario's Monte Carlo fed to projects: its prices by region.
type Market struct {
	Plan    *market.Plan
	zone    *agreement.Zone
	regions map[string]*MarketPrices
	years   int
}

// ScenarioYears returns the years a market feed must span for the projects:
// the longest horizon among them.
func ScenarioYears(prs []*Project) int {
	years := 1
	for _, pr := range prs {
		years = max(years, pr.Horizon())
	}
	return years
}

// Feed runs the plan's Monte Carlo (opts.Paths paths from opts.Seed) under
// the design and the baseline and keeps, for each region where one of prs
// stands, its yearly prices over the projects' horizon. zone is the
// agreement's zone on the design's date (plan.Design.AsOf), which says where
// a party's country belongs. Every project must produce the scenario's
// mineral at its stage. Years past the scenario's months follow tail (the
// pipeline's price model of the mineral and stage) from each path's last
// yearly price, with the same draws in the three cases (common random
// numbers) and the floor of the scenario's last month; a nil tail holds
// the last year's prices.
func Feed(ctx context.Context, pl *market.Plan, zone *agreement.Zone, prs []*Project, opts market.Options, tail *PriceModel) (*Market, error) {
	sc := pl.Scenario
	years := ScenarioYears(prs)
	n := len(pl.Months)
	if n == 0 {
		return nil, problem.Errorf(problem.Invalid, "scenario %s runs no month", sc.ID)
	}
	simYears := min(years, (n+11)/12) // the last may be partial
	var regions []string
	for _, pr := range prs {
		if pr.Mineral != sc.Mineral || string(pr.Stage) != sc.Stage {
			return nil, &problem.Error{Code: problem.Invalid, Field: "scenario", Message: fmt.Sprintf("scenario %s simulates %s/%s; project %s produces %s/%s", sc.ID, sc.Mineral, sc.Stage, pr.ID, pr.Mineral, pr.Stage)}
		}
		if _, err := unitFactor(sc.Unit, pr.Capacity.Unit); err != nil {
			return nil, fmt.Errorf("project %s: %w", pr.ID, err)
		}
		g, ok := pl.RegionOf(pr.Country, zone)
		if !ok {
			return nil, &problem.Error{Code: problem.Invalid, Field: "scenario", Message: fmt.Sprintf("scenario %s has no region for %s (project %s) and no rest-of-world region", sc.ID, pr.Country, pr.ID)}
		}
		if !slices.Contains(regions, g) {
			regions = append(regions, g)
		}
	}
	var drift, vol float64
	if tail != nil { // drift and volatility do not depend on the unit
		drift, vol = tail.Drift, tail.Volatility
	}
	N := opts.Paths
	floors := pl.Floors()
	lastFloor := floors[n-1]
	m := &Market{Plan: pl, zone: zone, regions: map[string]*MarketPrices{}, years: years}
	for _, g := range regions {
		mp := &MarketPrices{Scenario: sc.ID, Illustrative: sc.Illustrative, Region: g, Start: pl.Months[0], Currency: sc.Currency, Unit: sc.Unit, Paths: N, Seed: opts.Seed,
			Without: newPaths(N, years), Design: newPaths(N, years), With: newPaths(N, years), Floor: make([]float64, years), ScenarioYears: simYears, Tail: tail}
		for t := range years {
			mp.Floor[t] = lastFloor
			if t < simYears {
				mp.Floor[t] = meanOver(t, n, func(k int) float64 { return floors[k] })
			}
		}
		m.regions[g] = mp
	}
	err := pl.PricePaths(ctx, opts, regions, func(i int, design, baseline [][]float64) {
		rng := rand.New(rand.NewPCG(opts.Seed^tailStream, uint64(i)))
		z := make([]float64, years)
		for t := simYears; t < years; t++ {
			z[t] = rng.NormFloat64()
		}
		for k, g := range regions {
			mp := m.regions[g]
			d, b := design[k], baseline[k]
			without, des, with := mp.Without.Path(i), mp.Design.Path(i), mp.With.Path(i)
			for t := range simYears {
				without[t] = meanOver(t, n, func(k int) float64 { return b[k] })
				des[t] = meanOver(t, n, func(k int) float64 { return d[k] })
				with[t] = meanOver(t, n, func(k int) float64 { return max(d[k], floors[k]) })
			}
			for t := simYears; t < years; t++ {
				step := math.Exp(drift - vol*vol/2 + vol*z[t])
				without[t], des[t] = without[t-1]*step, des[t-1]*step
				with[t] = max(des[t], lastFloor)
			}
		}
	})
	if err != nil {
		return nil, err
	}
	return m, nil
}

// tailStream separates the draws of the years past a scenario from the
// scenario's own stream PCG(seed, i).
const tailStream = 0x70726f6a65637473 // "projects"

// meanOver is the mean of f over the months of year t that the run has (n
// months in all).
func meanOver(t, n int, f func(int) float64) float64 {
	s, c := 0.0, 0
	for k := 12 * t; k < min(12*t+12, n); k++ {
		s += f(k)
		c++
	}
	return s / float64(c)
}

func newPaths(n, years int) *Paths {
	return &Paths{N: n, Years: years, Prices: make([]float64, n*years)}
}

// For returns the prices project pr sees: those of its region, per unit of
// its output.
func (m *Market) For(pr *Project) (*MarketPrices, error) {
	g, ok := m.Plan.RegionOf(pr.Country, m.zone)
	if !ok || m.regions[g] == nil {
		return nil, problem.Errorf(problem.Invalid, "project %s was not fed from scenario %s", pr.ID, m.Plan.Scenario.ID)
	}
	if pr.Horizon() > m.years {
		return nil, problem.Errorf(problem.Invalid, "project %s spans %d years; the feed has %d", pr.ID, pr.Horizon(), m.years)
	}
	mp := m.regions[g]
	f, err := unitFactor(mp.Unit, pr.Capacity.Unit)
	if err != nil {
		return nil, err
	}
	if f == 1 {
		return mp, nil
	}
	out := *mp
	out.Unit = pr.Capacity.Unit
	out.Without, out.Design, out.With = mp.Without.scaled(f), mp.Design.scaled(f), mp.With.scaled(f)
	out.Floor = slices.Clone(mp.Floor)
	for t := range out.Floor {
		out.Floor[t] *= f
	}
	return &out, nil
}

func (p *Paths) scaled(f float64) *Paths {
	out := &Paths{N: p.N, Years: p.Years, Prices: slices.Clone(p.Prices)}
	for i := range out.Prices {
		out.Prices[i] *= f
	}
	return out
}

// unitFactor returns what a price per unit from is multiplied by to be a
// price per unit to (t and kg of contained mineral).
func unitFactor(from, to string) (float64, error) {
	switch {
	case from == to:
		return 1, nil
	case from == "t" && to == "kg":
		return 1.0 / 1000, nil
	case from == "kg" && to == "t":
		return 1000, nil
	}
	return 0, problem.Errorf(problem.Invalid, "prices per %s cannot be read per %s", from, to)
}

// MarketValue is what the agreement is worth to a project under a market
// scenario: its NPV distribution in the three cases of MarketPrices on the
// same paths, and the differences in expected NPV.
type MarketValue struct {
	Without, Design, With Distribution
	// MarketEffect is E[NPV under the design] − E[NPV without the
	// agreement]: what the design's instruments do to the region's price.
	MarketEffect float64
	// Guarantee is E[NPV with the floor] − E[NPV under the design]: the
	// floor as a price guarantee where the market price falls below it.
	Guarantee float64
	// Value is MarketEffect + Guarantee, with the standard error of the
	// paired differences.
	Value, StdErr float64
}

// ValueMarket values the agreement to pr over m's paths at rate.
func (pr *Project) ValueMarket(m *MarketPrices, rate float64) (*MarketValue, error) {
	without, err := pr.Distribution(m.Without, rate, Terms{})
	if err != nil {
		return nil, err
	}
	design, err := pr.Distribution(m.Design, rate, Terms{})
	if err != nil {
		return nil, err
	}
	with, err := pr.Distribution(m.With, rate, Terms{Floor: m.Floor})
	if err != nil {
		return nil, err
	}
	mv := &MarketValue{Without: *without, Design: *design, With: *with}
	mv.MarketEffect = design.Mean - without.Mean
	mv.Guarantee = with.Mean - design.Mean
	mv.Value = with.Mean - without.Mean
	mv.StdErr = pairedStdErr(with.NPVs, without.NPVs, mv.Value)
	if math.IsNaN(mv.Value) {
		return nil, problem.Errorf(problem.Internal, "project %s: the market's paths gave no finite NPV", pr.ID)
	}
	return mv, nil
}

func (m *Market) paths() int {
	for _, mp := range m.regions {
		return mp.Paths
	}
	return 0
}

func (m *Market) seed() uint64 {
	for _, mp := range m.regions {
		return mp.Seed
	}
	return 0
}

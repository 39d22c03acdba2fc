package projects

import (
	"context"
	"fmt"
	"testing"

	"github.com/mineralpact/mineralpact/internal/market"
)

// benchProjects returns n projects varied from the illustrative pipeline's
// two (capacity, cost, life, lead time and royalty regime differ).
func benchProjects(b *testing.B, n int) []Project {
	b.Helper()
	base := mustPipeline(b).Projects
	out := make([]Project, n)
	for i := range out {
		pr := base[i%len(base)]
		pr.ID = fmt.Sprintf("p%03d", i)
		k := 0.7 + 0.6*float64(i%11)/10
		pr.Capacity.PerYear *= k
		pr.Capital.Total *= 1.2 - 0.4*float64(i%7)/6
		pr.UnitOpex *= 0.8 + 0.4*float64(i%5)/4
		pr.LifeYears = 12 + i%15
		out[i] = pr
	}
	return out
}

// BenchmarkDistribution measures one project's NPV distribution, and the
// floor's value (two NPVs a path), over 10,000 price paths drawn once.
func BenchmarkDistribution(b *testing.B) {
	pr := mustPipeline(b).Project("li-brine-mx")
	const n = 10_000
	h := pr.Horizon()
	paths, err := GBM{Spot: 20000, Drift: 0.03, Vol: 0.4, Antithetic: true}.Draw(n, h, 1)
	if err != nil {
		b.Fatal(err)
	}
	floor := Flat(15000, h)
	b.Run(fmt.Sprintf("paths=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := pr.Distribution(paths, 0.08, Terms{Floor: floor}); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("floor/paths=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := pr.ValueFloor(paths, 0.08, floor); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("floor+draw/paths=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			paths, err := GBM{Spot: 20000, Drift: 0.03, Vol: 0.4, Antithetic: true}.Draw(n, h, 1)
			if err != nil {
				b.Fatal(err)
			}
			if _, err := pr.ValueFloor(paths, 0.08, floor); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkRank measures the ranking-style evaluation: the floor's value to
// each of 500 projects over 1,000 shared price paths (drawn inside the loop).
func BenchmarkRank(b *testing.B) {
	const nProjects, nPaths = 500, 1000
	prs := benchProjects(b, nProjects)
	years := 0
	for i := range prs {
		years = max(years, prs[i].Horizon())
	}
	floor := Flat(15000, years)
	b.Run(fmt.Sprintf("projects=%d/paths=%d", nProjects, nPaths), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			paths, err := GBM{Spot: 20000, Drift: 0.03, Vol: 0.4, Antithetic: true}.Draw(nPaths, years, 1)
			if err != nil {
				b.Fatal(err)
			}
			for i := range prs {
				if _, err := prs[i].ValueFloor(paths, 0.08, floor); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkRankPipeline measures Pipeline.Rank itself: 500 projects, each
// with a loan, valued over 1,000 paths without and with the floor (paths
// drawn inside the loop, the example agreement's zone).
func BenchmarkRankPipeline(b *testing.B) {
	const nProjects, nPaths = 500, 1000
	p := mustPipeline(b)
	p.Projects = benchProjects(b, nProjects)
	countries := []string{"MX", "US", "AU", "CL", "CA", "ID"}
	for i := range p.Projects {
		pr := &p.Projects[i]
		pr.Country = countries[i%len(countries)]
		pr.Support = &Support{Loan: &Loan{Amount: pr.Capital.Total * 0.4, Rate: 0.04, TenorYears: pr.LeadTimeYears + 8, GraceYears: pr.LeadTimeYears}}
		if i%3 == 0 {
			pr.Support.Grant = &Grant{Amount: pr.Capital.Total * 0.05}
		}
	}
	p.Prices = []PriceModel{{Mineral: "lithium", Stage: "processed", Spot: 20000, Drift: 0.03, Volatility: 0.4}, {Mineral: "cobalt", Stage: "processed", Spot: 30000, Volatility: 0.35}}
	opts := RankOptions{Zone: exampleZone(b, "2026-07-01"), Parties: []string{"US", "MX"}, Floors: map[string]float64{"lithium/processed": 15000, "cobalt/processed": 25000},
		Rate: 0.08, PublicRate: 0.04, Paths: nPaths, Seed: 1}
	b.Run(fmt.Sprintf("projects=%d/paths=%d", nProjects, nPaths), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Rank(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// marketProjects returns n cobalt mines varied from cobaltProject, in the
// countries of cobalt-drc-2025's four regions, some with a loan.
func marketProjects(n int) []Project {
	countries := []string{"US", "MX", "CD", "CN", "AU", "ID"}
	out := make([]Project, n)
	for i := range out {
		pr := *cobaltProject()
		pr.ID = fmt.Sprintf("co%03d", i)
		pr.Country = countries[i%len(countries)]
		pr.Capacity.PerYear *= 0.7 + 0.6*float64(i%11)/10
		pr.Capital.Total *= 1.2 - 0.4*float64(i%7)/6
		pr.UnitOpex *= 0.8 + 0.4*float64(i%5)/4
		pr.LifeYears = 4 + i%9
		if i%2 == 0 {
			pr.Support = &Support{Loan: &Loan{Amount: pr.Capital.Total * 0.4, Rate: 0.04, TenorYears: pr.LeadTimeYears + 3, GraceYears: pr.LeadTimeYears}}
		}
		out[i] = pr
	}
	return out
}

// BenchmarkMarketFeed measures the market feed itself: 100 paths of
// cobalt-drc-2025 (48 months), design and baseline, for a 7-year project.
func BenchmarkMarketFeed(b *testing.B) {
	pr := cobaltProject()
	pl, zone := marketPlan(b, "cobalt-drc-2025")
	b.Run("paths=100/months=48", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Feed(context.Background(), pl, zone, []*Project{pr}, market.Options{Paths: 100, Seed: 1}, cobaltTail); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMarketValue measures one project's NPV distributions over 10,000
// paths of the market Monte Carlo (drawn once, outside the timer): without
// the agreement, under the design and with the floor.
func BenchmarkMarketValue(b *testing.B) {
	const n = 10_000
	pr := cobaltProject()
	pl, zone := marketPlan(b, "cobalt-drc-2025")
	m, err := Feed(context.Background(), pl, zone, []*Project{pr}, market.Options{Paths: n, Seed: 1}, cobaltTail)
	if err != nil {
		b.Fatal(err)
	}
	mp, err := m.For(pr)
	if err != nil {
		b.Fatal(err)
	}
	b.Run(fmt.Sprintf("paths=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := pr.ValueMarket(mp, 0.08); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMarketRank measures Pipeline.Rank of 500 projects on 1,000 paths
// of the market Monte Carlo (drawn once, outside the timer), each valued
// with its support without and with the agreement.
func BenchmarkMarketRank(b *testing.B) {
	const nProjects, nPaths = 500, 1000
	p := mustPipeline(b)
	p.Projects = marketProjects(nProjects)
	prs := make([]*Project, len(p.Projects))
	for i := range p.Projects {
		prs[i] = &p.Projects[i]
	}
	pl, zone := marketPlan(b, "cobalt-drc-2025")
	m, err := Feed(context.Background(), pl, zone, prs, market.Options{Paths: nPaths, Seed: 1}, cobaltTail)
	if err != nil {
		b.Fatal(err)
	}
	opts := RankOptions{Zone: exampleZone(b, "2026-07-01"), Parties: []string{"US", "MX"}, Rate: 0.08, PublicRate: 0.04, Paths: nPaths, Market: m}
	b.Run(fmt.Sprintf("projects=%d/paths=%d", nProjects, nPaths), func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := p.Rank(opts); err != nil {
				b.Fatal(err)
			}
		}
	})
}

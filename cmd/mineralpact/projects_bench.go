package main

import (
	"context"
	"fmt"
	"io"

	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/projects"
)

// benchProject is a small cobalt mine in the United States (ILLUSTRATIVE):
// a 7-year horizon, so that 10,000 paths of the market feed take seconds,
// not minutes, to simulate before timing.
func benchProject(id, country string, scale float64, life int) projects.Project {
	return projects.Project{ID: id, Name: "bench mine " + id, Mineral: "cobalt", Stage: "mined", Country: country,
		Capacity: projects.Capacity{PerYear: 2000 * scale, Unit: "t"}, Capital: projects.Capital{Total: 150e6 * scale}, UnitOpex: 24000, LifeYears: life, LeadTimeYears: 1,
		Royalty: projects.Royalty{AdValorem: 0.03}, Tax: projects.Tax{Rate: 0.25, DepreciationYears: min(5, life)}}
}

// benchFeed feeds prs from n paths of cobalt-drc-2025 under the example.
func benchFeed(prs []*projects.Project, n int) (*projects.Market, error) {
	env, err := loadEnv("example")
	if err != nil {
		return nil, err
	}
	o := &projectsOptions{scenario: "cobalt-drc-2025", paths: countOption{n: n}, seed: 1, seedGiven: true}
	return o.marketFeed(context.Background(), streams{err: io.Discard}, env, prs, &projects.PriceModel{Mineral: "cobalt", Stage: "mined", Spot: 26100, Volatility: 0.35})
}

// benchProjectsValue times one project's NPV distributions (without the
// agreement, under the design, with the floor) over 10,000 paths of the
// market Monte Carlo, simulated once before timing.
func benchProjectsValue() (func() error, error) {
	pr := benchProject("co-bench", "US", 1, 6)
	m, err := benchFeed([]*projects.Project{&pr}, 10_000)
	if err != nil {
		return nil, err
	}
	mp, err := m.For(&pr)
	if err != nil {
		return nil, err
	}
	return func() error {
		_, err := pr.ValueMarket(mp, 0.08)
		return err
	}, nil
}

// benchProjectsRank times the ranking of 500 projects on 1,000 paths of the
// market Monte Carlo, simulated once before timing, with the owner
// screening: every other project names an owner of the shipped ownership
// register.
func benchProjectsRank() (func() error, error) {
	env, err := loadEnv("example")
	if err != nil {
		return nil, err
	}
	countries := []string{"US", "MX", "CD", "CN", "AU", "ID"}
	owners := []string{"cmoc", "zijin", "glencore", "mp-materials", "talison", "erg"}
	p := &projects.Pipeline{ID: "bench", Currency: "USD"}
	for i := range 500 {
		pr := benchProject(fmt.Sprintf("co%03d", i), countries[i%len(countries)], 0.7+0.6*float64(i%11)/10, 4+i%9)
		if i%2 == 0 {
			pr.Support = &projects.Support{Loan: &projects.Loan{Amount: pr.Capital.Total * 0.4, Rate: 0.04, TenorYears: 4, GraceYears: 1}}
		} else {
			pr.OwnerID = owners[i%len(owners)]
		}
		p.Projects = append(p.Projects, pr)
	}
	prs := make([]*projects.Project, len(p.Projects))
	for i := range p.Projects {
		prs[i] = &p.Projects[i]
	}
	m, err := benchFeed(prs, 1000)
	if err != nil {
		return nil, err
	}
	in, err := env.agreement.AsOf(env.agreement.EntryIntoForce)
	if err != nil {
		return nil, err
	}
	zone, err := in.Zone(env.reg)
	if err != nil {
		return nil, err
	}
	reg, err := ownership.ReadFS(ownershipdata.FS, ownershipdata.Files, "data/ownership/", env.reg.CountryCode)
	if err != nil {
		return nil, err
	}
	opts := projects.RankOptions{Zone: zone, Parties: []string{"US", "MX"}, Rate: 0.08, PublicRate: 0.04, Paths: 1000, Market: m,
		Owners: &projects.Owners{Register: reg, InForce: in, Members: ownership.GroupMembers(env.reg.Minerals())}}
	return func() error {
		_, err := p.Rank(opts)
		return err
	}, nil
}

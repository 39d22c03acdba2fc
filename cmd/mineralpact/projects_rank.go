package main

import (
	"context"
	"flag"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/projects"
)

// projectsRankOptions are `projects rank`: the pipeline's projects of mutual
// interest to a set of parties, ranked by the zone's secure supply added per
// dollar of expected public cost, each with the numbers that put it there.
type projectsRankOptions struct {
	projectsOptions
	parties string
	mineral string
	budget  float64
	owners  filesOption
	format  formatOption
}

func (o *projectsRankOptions) bind(fs *flag.FlagSet) {
	o.projectsOptions.bind(fs, 1000)
	fs.StringVar(&o.parties, "parties", "", "the parties, comma-separated (US,MX): each must be in force on --as-of")
	fs.StringVar(&o.mineral, "mineral", "", "only this mineral")
	fs.Float64Var(&o.budget, "budget", 0, "public budget for each mineral, in the pipeline's currency (0: none)")
	fs.Var(&o.owners, "ownership", "an ownership file the pipeline's owner_id name (repeat for several; default: the shipped register, data/ownership)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *projectsRankOptions) validate(pos []string) error {
	if o.parties == "" {
		return usagef("--parties US,MX is required")
	}
	if !(o.budget >= 0) {
		return usagef("--budget must be ≥ 0, got %g", o.budget)
	}
	return firstError(noArgs(pos), o.projectsOptions.validate(), o.format.validate(), o.asOf.validate())
}

func (o *projectsRankOptions) run(ctx context.Context, s streams) error {
	env, p, err := o.load(s)
	if err != nil {
		return err
	}
	req := projects.RankRequest{Parties: strings.Split(o.parties, ","), AsOf: o.asOf.date, Mineral: o.mineral, Budget: o.budget,
		Paths: o.paths.n, Seed: o.seed, SeedGiven: o.seedGiven, Rate: o.baseRate, PublicRate: o.publicRate}
	var bar *progress
	if o.scenario != "" {
		if req.Scenario, err = readScenario(o.scenario); err != nil {
			return err
		}
		bar = newProgress(s, "simulating "+req.Scenario.ID, "paths")
		req.Progress = bar.step
	}
	// The owners are screened against the shipped ownership register, or
	// the files given.
	var owners *ownership.Register
	if len(o.owners) > 0 {
		owners, err = loadRegister(o.owners, env.reg, s)
	} else {
		owners, err = ownership.ReadFS(ownershipdata.FS, ownershipdata.Files, "data/ownership/", env.reg.CountryCode)
	}
	if err != nil {
		return err
	}
	r, warnings, err := p.RankFor(ctx, projects.Env{Registry: env.reg, Agreement: env.agreement, Floors: env.floors(), Data: data.FS, Ownership: owners}, req)
	if bar != nil {
		bar.done()
	}
	if err != nil {
		return err
	}
	for _, w := range warnings {
		fmt.Fprintf(s.err, "warning: %s\n", w)
	}
	if o.format.name == "json" {
		return writeJSON(s.out, struct {
			Pipeline     string `json:"pipeline"`
			Illustrative bool   `json:"illustrative"`
			Notice       string `json:"notice,omitempty"`
			Agreement    string `json:"agreement"`
			AsOf         string `json:"as_of"`
			*projects.Ranking
		}{p.ID, p.Illustrative, notice(p), env.agreement.ID, o.asOf.date.String(), r})
	}
	people := forPeople(s, o.format.name)
	t := &table{header: []string{"mineral", "rank", "project", "country", "location", "hurdle", "output/yr", "floor", "P(hurdle) no floor", "P(hurdle) floor", "only with floor",
		"secure supply/yr", "expected public cost", "supply per 1m", "cumulative cost", "within budget", "counts", "owner screening"}, right: []int{1, 5, 6, 7, 8, 9, 11, 12, 13, 14}}
	for _, e := range r.Projects {
		rank, perM := "-", "-"
		if e.Rank > 0 {
			rank = fmt.Sprint(e.Rank)
		}
		if e.SupplyPerMillion != nil {
			perM = fig(people, *e.SupplyPerMillion, 2)
		} else if e.SecureSupply > 0 {
			perM = "no cost"
		}
		floor := "none"
		if e.Floor > 0 {
			floor = fig(people, e.Floor, 2)
		}
		budget := "-"
		if e.Rank > 0 && o.budget > 0 {
			budget = map[bool]string{true: "yes", false: "no"}[e.WithinBudget]
		}
		country := e.Country
		if e.Party != "" && e.Party != e.Country {
			country += " (" + e.Party + ")"
		}
		t.add(e.Mineral, rank, e.Project, country, e.Location, pctFig(people, e.Rate), fig(people, e.Output, 0)+" "+e.Unit, floor, pctFig(people, e.PClearWithout), pctFig(people, e.PClearWith),
			map[bool]string{true: "yes", false: "no"}[e.OnlyWithFloor], fig(people, e.SecureSupply, 0), fig(people, e.PublicCost, 0), perM, fig(people, e.Cumulative, 0), budget, e.Counts, e.OwnerScreening.Flag)
	}
	if o.format.name == "csv" {
		return t.writeCSV(s.out)
	}
	if n := notice(p); n != "" {
		fmt.Fprintln(s.out, n)
	}
	prices := "the pipeline's price models"
	if r.Scenario != "" {
		prices = "market scenario " + r.Scenario + " (without the floor: no agreement; with it: the design's prices, at least the floor)"
	}
	fmt.Fprintf(s.out, "projects of mutual interest to %s under %s as of %s; prices from %s; %s paths, seed %d; hurdle rate %s, public rate %s\n\n",
		strings.Join(r.Parties, ", "), env.agreement.ID, o.asOf.date, prices, fig(people, float64(r.Paths), 0), r.Seed, pctFig(people, r.Rate), pctFig(people, r.Public))
	return t.write(s)
}

package projects

import (
	"cmp"
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Zone is what the ranking asks of the agreement: which party in force a
// country belongs to. *agreement.Zone satisfies it; the ranking never
// re-derives who is a party.
type Zone interface {
	PartyOf(country string) (string, bool)
}

// Where a project stands, for the ranking.
const (
	InParty        = "party"         // in the territory of one of the parties ranking
	InZone         = "zone"          // in another party in force
	InThirdCountry = "third country" // outside the zone
)

// RankOptions are the inputs of a ranking besides the pipeline.
type RankOptions struct {
	Zone    Zone
	Parties []string // the parties the projects are of mutual interest to; each must be in the zone
	// Floors holds the agreement's floor for each "mineral/stage" (Key), per
	// unit of the projects' output; a project without one ranks without a
	// floor. The floor is held flat over the project's years.
	Floors     map[string]float64
	Mineral    string  // only this mineral; "" for all
	Budget     float64 // public budget; 0 for none
	Rate       float64 // the projects' hurdle rate
	PublicRate float64 // the public purse's discount rate
	Paths      int
	Seed       uint64
	// Investable is the probability of clearing the hurdle from which a
	// project counts as investable; 0 means 0.5 (the median NPV ≥ 0).
	Investable float64
	// Market, when set, gives every project its prices from a market
	// scenario's Monte Carlo (Feed) instead of the pipeline's price models:
	// without the floor the no-agreement baseline, with it the design's
	// prices with the floor as a guarantee; Floors and Seed are then unused.
	Market *Market
	// Rates, when set, gives a project's hurdle rate by id (HurdleRates:
	// a WACC with its country's risk premium); a project it lacks takes Rate.
	Rates map[string]float64
	// Owners, when set, screens each ranked project's owner (owner_id)
	// against the agreement's screening rules; nil: every project says it
	// was not screened.
	Owners *Owners
}

// Ranked is one project of a ranking with the numbers that put it there.
type Ranked struct {
	Rank     int    `json:"rank"` // within its mineral, 1 first; 0 when it adds no secure supply
	Project  string `json:"project"`
	Name     string `json:"name"`
	Mineral  string `json:"mineral"`
	Stage    string `json:"stage"`
	Country  string `json:"country"`
	Party    string `json:"party,omitempty"` // the party in force the country belongs to
	Location string `json:"location"`        // party, zone or third country
	Unit     string `json:"unit"`
	// Region is the market scenario's region whose prices it was ranked
	// on; empty under the pipeline's price models.
	Region string `json:"region,omitempty"`
	// Rate is the hurdle rate its NPV was discounted at.
	Rate float64 `json:"discount_rate"`
	// Output is the project's average yearly output over its life.
	Output float64 `json:"output_per_year"`
	// Floor is the floor the project sells under (0: none in the agreement).
	Floor float64 `json:"floor"`
	// PClearWithout and PClearWith are the probabilities that the sponsor's
	// NPV (with the support) clears the hurdle without and with the floor.
	PClearWithout float64 `json:"p_hurdle_without_floor"`
	PClearWith    float64 `json:"p_hurdle_with_floor"`
	// OnlyWithFloor: investable with the floor, not without.
	OnlyWithFloor bool `json:"investable_only_with_floor"`
	// FloorValue is E[sponsor NPV with the floor] − E[without].
	FloorValue float64 `json:"floor_value"`
	// SecureSupply is the zone's expected secure supply added, per year:
	// Output × PClearWith when the project counts (Counts).
	SecureSupply float64 `json:"secure_supply_added"`
	Counts       string  `json:"counts"` // why its supply counts as the zone's, or why not
	// PublicCost is the expected cost of its support to the public purse,
	// with the floor; PDefault the probability of default with it.
	PublicCost float64 `json:"expected_public_cost"`
	PDefault   float64 `json:"p_default"`
	// SupplyPerMillion is SecureSupply per million of PublicCost; null when
	// the expected cost is not positive (those rank first, by supply).
	SupplyPerMillion *float64 `json:"supply_per_million"`
	WithinBudget     bool     `json:"within_budget"`
	Cumulative       float64  `json:"cumulative_cost"` // expected public cost of this and every higher-ranked project of its mineral
	// OwnerScreening is the owner screening flag shown beside the project
	// (owners.go): never clean for an owner the register does not hold.
	OwnerScreening OwnerScreening `json:"owner_screening"`
}

// Ranking is the projects of mutual interest to a set of parties, best
// first within each mineral.
type Ranking struct {
	Parties  []string `json:"parties"`
	Budget   float64  `json:"budget,omitempty"`
	Paths    int      `json:"paths"`
	Seed     uint64   `json:"seed"`
	Rate     float64  `json:"discount_rate"`
	Public   float64  `json:"public_discount_rate"`
	Scenario string   `json:"scenario,omitempty"` // the market scenario the prices come from, if any
	Projects []Ranked `json:"projects"`
}

// Rank ranks the pipeline's projects of mutual interest to the parties.
// docs/projects.md, "Ranking", gives the rule: a project's output counts as
// the zone's secure supply when it stands in the zone, or in a third country
// with public support from the parties; it adds that output times the
// probability that it clears its hurdle with the floor and its support; it
// ranks by secure supply added per million of expected public cost.
func (p *Pipeline) Rank(o RankOptions) (*Ranking, error) {
	if o.Zone == nil {
		return nil, problem.Errorf(problem.Invalid, "ranking: no zone")
	}
	if len(o.Parties) == 0 {
		return nil, problem.Errorf(problem.Invalid, "ranking: name at least one party")
	}
	for _, party := range o.Parties {
		if got, ok := o.Zone.PartyOf(party); !ok || got != party {
			return nil, &problem.Error{Code: problem.Invalid, Field: "parties", Message: fmt.Sprintf("%s is not a party in force on the date", party)}
		}
	}
	if o.Paths < 1 {
		return nil, problem.Errorf(problem.Invalid, "ranking: want at least one price path, got %d", o.Paths)
	}
	if !(o.Budget >= 0) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "budget", Message: fmt.Sprintf("must be ≥ 0, got %g", o.Budget)}
	}
	threshold := o.Investable
	if threshold == 0 {
		threshold = 0.5
	}
	if o.Market != nil {
		return p.rankMarket(o, threshold)
	}
	// One set of paths per mineral and stage, as long as its longest project:
	// every project of a mineral sees the same prices (common random numbers).
	years := map[string]int{}
	for i := range p.Projects {
		pr := &p.Projects[i]
		if o.Mineral == "" || pr.Mineral == o.Mineral {
			k := Key(pr.Mineral, pr.Stage)
			years[k] = max(years[k], pr.Horizon())
		}
	}
	if len(years) == 0 {
		return nil, &problem.Error{Code: problem.NotFound, Field: "mineral", Message: fmt.Sprintf("no project in pipeline %s produces %s", p.ID, o.Mineral)}
	}
	paths := map[string]*Paths{}
	for idx, k := range slices.Sorted(maps.Keys(years)) {
		var m *PriceModel
		for i := range p.Prices {
			if Key(p.Prices[i].Mineral, p.Prices[i].Stage) == k {
				m = &p.Prices[i]
			}
		}
		if m == nil {
			return nil, problem.Errorf(problem.Invalid, "pipeline %s has no price model for %s (add it under prices)", p.ID, k)
		}
		ps, err := m.Draw(o.Paths, years[k], o.Seed+uint64(idx)) // minerals drawn independently
		if err != nil {
			return nil, err
		}
		paths[k] = ps
	}
	r := &Ranking{Parties: o.Parties, Budget: o.Budget, Paths: o.Paths, Seed: o.Seed, Rate: o.Rate, Public: o.PublicRate}
	for i := range p.Projects {
		pr := &p.Projects[i]
		if o.Mineral != "" && pr.Mineral != o.Mineral {
			continue
		}
		ps := paths[Key(pr.Mineral, pr.Stage)]
		without, with := priceCase{paths: ps}, priceCase{paths: ps}
		if f, ok := o.Floors[Key(pr.Mineral, pr.Stage)]; ok {
			with.floor, with.flat = Flat(f, ps.Years), f
		}
		e, err := p.rankOne(pr, without, with, o, threshold)
		if err != nil {
			return nil, err
		}
		r.Projects = append(r.Projects, *e)
	}
	order(r.Projects, o.Budget)
	if err := p.screenOwners(r.Projects, o.Owners, o.Zone); err != nil {
		return nil, err
	}
	return r, nil
}

// priceCase is the prices a project is ranked under, without or with the
// floor: paths, and the floor applied to them (nil: none); flat is the
// floor shown in the ranking.
type priceCase struct {
	paths *Paths
	floor []float64
	flat  float64
}

// rankMarket ranks the projects of the market feed's mineral and stage on
// its paths.
func (p *Pipeline) rankMarket(o RankOptions, threshold float64) (*Ranking, error) {
	sc := o.Market.Plan.Scenario
	r := &Ranking{Parties: o.Parties, Budget: o.Budget, Paths: o.Market.paths(), Seed: o.Market.seed(), Rate: o.Rate, Public: o.PublicRate, Scenario: sc.ID}
	for i := range p.Projects {
		pr := &p.Projects[i]
		if pr.Mineral != sc.Mineral || string(pr.Stage) != sc.Stage {
			continue
		}
		mp, err := o.Market.For(pr)
		if err != nil {
			return nil, err
		}
		with := priceCase{paths: mp.With, floor: mp.Floor}
		n := 0
		for t := pr.LeadTimeYears; t < pr.LeadTimeYears+pr.LifeYears; t++ {
			with.flat += mp.Floor[t]
			n++
		}
		with.flat /= float64(n)
		e, err := p.rankOne(pr, priceCase{paths: mp.Without}, with, o, threshold)
		if err != nil {
			return nil, err
		}
		e.Region = mp.Region
		r.Projects = append(r.Projects, *e)
	}
	if len(r.Projects) == 0 {
		return nil, &problem.Error{Code: problem.NotFound, Field: "scenario", Message: fmt.Sprintf("no project in pipeline %s produces %s/%s, which scenario %s simulates", p.ID, sc.Mineral, sc.Stage, sc.ID)}
	}
	order(r.Projects, o.Budget)
	if err := p.screenOwners(r.Projects, o.Owners, o.Zone); err != nil {
		return nil, err
	}
	return r, nil
}

func (p *Pipeline) rankOne(pr *Project, without, with priceCase, o RankOptions, threshold float64) (*Ranked, error) {
	e := &Ranked{Project: pr.ID, Name: pr.Name, Mineral: pr.Mineral, Stage: string(pr.Stage), Country: pr.Country, Unit: pr.Capacity.Unit}
	party, inZone := o.Zone.PartyOf(pr.Country)
	switch {
	case inZone && slices.Contains(o.Parties, party):
		e.Party, e.Location = party, InParty
	case inZone:
		e.Party, e.Location = party, InZone
	default:
		e.Location = InThirdCountry
	}
	pl := newPlan(pr)
	for _, q := range pl.production {
		e.Output += q
	}
	e.Output /= float64(pr.LifeYears)
	rate := o.Rate
	if r, ok := o.Rates[pr.ID]; ok {
		rate = r
	}
	e.Rate = rate
	svWithout, err := pr.ValueSupport(without.paths, rate, o.PublicRate, Terms{}, pr.Support)
	if err != nil {
		return nil, err
	}
	svWith := svWithout
	if with.floor != nil {
		e.Floor = with.flat
		if svWith, err = pr.ValueSupport(with.paths, rate, o.PublicRate, Terms{Floor: with.floor}, pr.Support); err != nil {
			return nil, err
		}
	}
	e.PClearWithout, e.PClearWith = svWithout.With.PClear, svWith.With.PClear
	e.OnlyWithFloor = e.PClearWithout < threshold && e.PClearWith >= threshold
	e.FloorValue = svWith.With.Mean - svWithout.With.Mean
	// To the cent: a loan at the public rate costs 0, not float noise.
	e.PublicCost, e.PDefault = math.Round(svWith.Cost*100)/100+0, svWith.PDefault
	switch {
	case e.Location != InThirdCountry:
		e.Counts = "in the zone"
	case pr.Support != nil:
		e.Counts = "third country, supported by the parties"
	default:
		e.Counts = "third country without support: not the zone's"
	}
	if e.Location != InThirdCountry || pr.Support != nil {
		e.SecureSupply = e.Output * e.PClearWith
	}
	if e.PublicCost > 0 && e.SecureSupply > 0 {
		v := e.SecureSupply / (e.PublicCost / 1e6)
		e.SupplyPerMillion = &v
	}
	return e, nil
}

// order sorts the projects by mineral, then best first: those adding secure
// supply at no expected cost (by supply), then by supply per million of
// expected cost, then those adding none; it numbers the ranks and marks the
// budget, which is spent down the ranking of each mineral separately.
func order(rs []Ranked, budget float64) {
	class := func(r *Ranked) int {
		switch {
		case r.SecureSupply <= 0:
			return 2
		case r.SupplyPerMillion == nil:
			return 0
		}
		return 1
	}
	slices.SortStableFunc(rs, func(a, b Ranked) int {
		if c := cmp.Compare(a.Mineral, b.Mineral); c != 0 {
			return c
		}
		ca, cb := class(&a), class(&b)
		if ca != cb {
			return cmp.Compare(ca, cb)
		}
		switch ca {
		case 0:
			return cmp.Compare(b.SecureSupply, a.SecureSupply)
		case 1:
			return cmp.Compare(*b.SupplyPerMillion, *a.SupplyPerMillion)
		}
		return cmp.Compare(a.Project, b.Project)
	})
	rank, spent, mineral := 0, 0.0, ""
	for i := range rs {
		r := &rs[i]
		if r.Mineral != mineral {
			rank, spent, mineral = 0, 0, r.Mineral
		}
		spent += math.Max(r.PublicCost, 0)
		r.Cumulative = spent
		if class(r) == 2 {
			continue
		}
		rank++
		r.Rank = rank
		r.WithinBudget = budget == 0 || spent <= budget
	}
}

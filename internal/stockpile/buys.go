package stockpile

import (
	"context"
	"fmt"
	"math"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// ScenarioRun is what Simulate needs: a market scenario and the environment
// it is built in, the agreement in force for its design, the flows and
// holdings, and the Monte Carlo settings.
type ScenarioRun struct {
	Scenario *market.Scenario
	Env      market.Env
	In       *agreement.InForce // the agreement in force on the scenario's design date
	Flows    *Flows
	Holdings []Holding
	// Production is an origin country's production in a year (tonnes of
	// contained mineral), to turn an export quota into the share of its
	// supply cut; false if unknown.
	Production func(country string, year int) (Kg, bool)
	// Initial says where the stocks at the start come from: "holdings" (the
	// declarations on or before the start), "obligation" (every party holds
	// exactly its obligation: a what-if), or "" (holdings, or the obligations
	// when none is declared by then).
	Initial string
	// Disruptions, if given, replace the scenario's shocks (losses entered
	// by hand); the market still runs the scenario's shocks.
	Disruptions []Disruption
	// Days, if > 0, replaces the days of the regime's obligations (every
	// party's): a what-if of the obligation's size.
	Days  int
	Alone bool // also plan and run each party acting alone
	Paths int  // Monte Carlo paths of each response; 0: the central path only
	// MonteCarloWithout also runs the paths without a response, for the
	// comparison (twice the work).
	MonteCarloWithout bool
	Seed              uint64
	Workers           int
	// Progress, if set, is told of the Monte Carlo paths done.
	Progress func(done, total int)
}

// Outcome is one response run through the market: the zone's monthly price,
// consumption and shortage (float64: a model, not an account), what the
// market took of the releases, the cost of the stocks, and the Monte Carlo.
type Outcome struct {
	Response string    `json:"response"` // none, coordinated or alone
	Price    []float64 `json:"price"`
	// Consumption is the zone's consumption, Demand what it would buy at the
	// pre-crisis price, Shortage their difference (≥ 0) in Unit per month.
	Consumption []float64 `json:"consumption"`
	Demand      []float64 `json:"demand"`
	Shortage    []float64 `json:"shortage"`
	// ShortageTonneMonths is Σ Shortage (Unit × months); ShortMonths the
	// months in which the zone gets less than (1 − trigger) of Demand.
	ShortageTonneMonths float64     `json:"shortage_unit_months"`
	ShortMonths         int         `json:"short_months"`
	PeakPrice           float64     `json:"peak_price"`
	MeanPrice           float64     `json:"mean_price"`
	Sold                []float64   `json:"sold,omitempty"` // released stock the market took, by month
	Plan                *Plan       `json:"plan,omitempty"`
	Cost                StockCost   `json:"cost"`
	MonteCarlo          *ShortageMC `json:"monte_carlo,omitempty"`
	threshold           float64
}

// StockCost is what the stocks cost over the run, in the scenario's
// currency (float64): carrying them (the regime's yearly rate × the stock
// valued at the pre-crisis price), buying back, and the proceeds of what was
// sold; Net = Carrying + Purchases − Resale.
type StockCost struct {
	Carrying  float64 `json:"carrying"`
	Purchases float64 `json:"purchases"`
	Resale    float64 `json:"resale"`
	Net       float64 `json:"net"`
}

// ShortageMC is the Monte Carlo of a response: the share of paths with at
// least one month of shortage, and the distribution of the shortage.
type ShortageMC struct {
	Paths           int     `json:"paths"`
	Seed            uint64  `json:"seed"`
	Probability     float64 `json:"probability_of_shortage"`
	MeanUnitMonths  float64 `json:"mean_shortage_unit_months"`
	P95UnitMonths   float64 `json:"p95_shortage_unit_months"`
	MeanPeakPrice   float64 `json:"mean_peak_price"`
	P95PeakPrice    float64 `json:"p95_peak_price"`
	MeanShortMonths float64 `json:"mean_short_months"`
	Threshold       float64 `json:"threshold"` // a month is short below (1 − Threshold) × Demand
}

// Simulation is a scenario's disruption assessed against the regime, the
// response planned, and each response run through the market side by side
// with none.
type Simulation struct {
	Scenario    market.ScenarioInfo `json:"scenario"`
	Mineral     string              `json:"mineral"`
	Stage       registry.Stage      `json:"stage"` // the regime's stage
	Region      string              `json:"region"`
	Currency    string              `json:"currency"`
	Unit        string              `json:"unit"`
	Months      []string            `json:"months"`
	RefPrice    float64             `json:"ref_price"` // the zone's price before the disruption
	Initial     string              `json:"initial"`
	Stocks      []Kg                `json:"initial_stocks"`
	Disruptions []Disruption        `json:"disruptions"`
	Assessment  *Assessment         `json:"assessment"`
	Without     *Outcome            `json:"without"`
	Coordinated *Outcome            `json:"coordinated"`
	Alone       *Outcome            `json:"alone,omitempty"`
	Notes       []string            `json:"notes,omitempty"`
}

// Simulate assesses the scenario's shocks against the regime of its
// mineral, plans the coordinated response (and, with Alone, each party
// alone) and runs each through the market dynamics: the scenario without
// the agreement's own releases, then with the plan's monthly releases
// offered in the zone at the pre-crisis price. Replenishment is planned
// against the price path of the run with the releases (its purchases are not
// fed back into the market).
func Simulate(ctx context.Context, sr ScenarioRun) (*Simulation, error) {
	sc := sr.Scenario
	a := sr.In.Agreement
	s := a.StockRegime(sc.Mineral, registry.Stage(sc.Stage))
	var notes []string
	if s == nil {
		for i := range a.Stockpiles {
			if a.Stockpiles[i].Mineral == sc.Mineral {
				s = &a.Stockpiles[i]
				notes = append(notes, fmt.Sprintf("the regime is for %s/%s and the market %s/%s: stocks are released as contained %s", s.Mineral, s.Stage, sc.Mineral, sc.Stage, s.Mineral))
				break
			}
		}
	}
	if s == nil {
		return nil, problemf("agreement %s has no stockholding regime for %s", a.ID, sc.Mineral)
	}
	scale, err := unitScale(sc.Unit)
	if err != nil {
		return nil, err
	}
	start := sc.Start.FirstOfMonth()
	if sr.Days > 0 {
		c := *s
		c.Obligation.Days = sr.Days
		c.Parties = nil
		s = &c
		notes = append(notes, fmt.Sprintf("what-if: every party's obligation is %d days of %s", sr.Days, s.Obligation.Measure))
		// the assessment and plan read the regime from the agreement
		ac := *a
		ac.Stockpiles = slices.Clone(a.Stockpiles)
		for i := range ac.Stockpiles {
			if ac.Stockpiles[i].Mineral == s.Mineral && ac.Stockpiles[i].Stage == s.Stage {
				ac.Stockpiles[i] = c
			}
		}
		in := *sr.In
		in.Agreement = &ac
		sr.In = &in
	}
	ds := sr.Disruptions
	if ds == nil {
		ds = DisruptionsOf(sc, s.Stage, sr.Production, start.Year()-1)
	}
	as, err := Assess(sr.In, sr.Flows, s.Mineral, s.Stage, ds, start, len(monthsOf(start, sc.Months)))
	if err != nil {
		return nil, err
	}
	sim := &Simulation{Scenario: market.ScenarioInfo{ID: sc.ID, Title: sc.Title, Kind: sc.Kind, Mineral: sc.Mineral, Stage: sc.Stage, Illustrative: sc.Illustrative, Notice: sc.Notice},
		Mineral: s.Mineral, Stage: s.Stage, Currency: sc.Currency, Unit: sc.Unit, Months: monthsOf(start, sc.Months), Disruptions: ds, Assessment: as, Notes: notes}
	sim.Initial, sim.Stocks = initialStocks(sr, as, s, start)
	var ill []string
	for p, y := range as.flows {
		if y.Illustrative {
			ill = append(ill, as.Parties[p])
		}
	}
	if len(ill) > 0 {
		sim.Notes = append(sim.Notes, fmt.Sprintf("the %d flows of %s are ILLUSTRATIVE (generated, docs/stockpile.md)", as.BaseYear, strings.Join(ill, ", ")))
	}

	// without: the scenario without the agreement's own releases
	base := *sc
	base.Releases = nil
	for _, r := range sc.Releases {
		if r.By == "market" {
			base.Releases = append(base.Releases, r)
		}
	}
	without, err := central(&base, sr.Env)
	if err != nil {
		return nil, err
	}
	sim.Region = without.Zone
	if sim.Region == "" {
		return nil, problemf("scenario %s has no region of the parties to release into", sc.ID)
	}
	first := 0
	for i, m := range as.Months {
		if m.Loss > 0 {
			first = max(0, i-1)
			break
		}
	}
	sim.RefPrice = without.price(first)
	threshold := s.Triggers.Collective.Float64()
	sim.Without = without.outcome("none", sim.RefPrice, sc.Demand.Elasticity, threshold)

	modes := []Mode{Coordinated}
	if sr.Alone {
		modes = append(modes, Alone)
	}
	runs := map[Mode]*market.Scenario{}
	for _, mode := range modes {
		pl, err := Respond(as, sim.Stocks, mode, nil)
		if err != nil {
			return nil, err
		}
		withSc := withReleases(&base, pl, sim.RefPrice, scale)
		cr, err := central(withSc, sr.Env)
		if err != nil {
			return nil, err
		}
		// replenishment against the price path of the releases
		if pl, err = Respond(as, sim.Stocks, mode, cr.prices()); err != nil {
			return nil, err
		}
		o := cr.outcome(string(mode), sim.RefPrice, sc.Demand.Elasticity, threshold)
		o.Plan = pl
		o.Sold = cr.sold()
		o.Cost = costOf(pl, o, s, sim.RefPrice, scale)
		runs[mode] = withSc
		if mode == Coordinated {
			sim.Coordinated = o
		} else {
			sim.Alone = o
		}
	}
	sim.Without.Cost = costOf(nil, sim.Without, s, sim.RefPrice, scale)
	sim.Without.Cost.Carrying = carryingOfHeld(sim.Stocks, len(sim.Months), s, sim.RefPrice, scale)
	sim.Without.Cost.Net = sim.Without.Cost.Carrying

	if sr.Paths > 0 {
		type job struct {
			sc *market.Scenario
			o  *Outcome
		}
		jobs := []job{{runs[Coordinated], sim.Coordinated}}
		if sr.MonteCarloWithout {
			jobs = append(jobs, job{&base, sim.Without})
		}
		if sr.Alone {
			jobs = append(jobs, job{runs[Alone], sim.Alone})
		}
		total := sr.Paths * len(jobs)
		for k, j := range jobs {
			progress := sr.Progress
			if progress != nil {
				off := k * sr.Paths
				progress = func(d, _ int) { sr.Progress(off+d, total) }
			}
			mc, err := monteCarlo(ctx, j.sc, sr.Env, sim.Region, market.Options{Paths: sr.Paths, Seed: sr.Seed, Workers: sr.Workers, Progress: progress}, sim.RefPrice, sc.Demand.Elasticity, threshold)
			if err != nil {
				return nil, err
			}
			j.o.MonteCarlo = mc
		}
	}
	return sim, nil
}

// DisruptionsOf turns a scenario's shocks into disruptions of the regime's
// stage: an export ban cuts all of its country's supply (to the parties it
// names, if it names destinations); an export quota cuts 1 − quota ÷ the
// country's production of baseYear; an outage of a country cuts its share.
func DisruptionsOf(sc *market.Scenario, stage registry.Stage, production func(string, int) (Kg, bool), baseYear int) []Disruption {
	var out []Disruption
	for _, sh := range sc.Shocks {
		d := Disruption{Origin: sh.Country, Mineral: sc.Mineral, Stage: stage, From: sh.From, To: sh.From.AddMonths(sh.Months).AddDays(-1), Note: sh.Note, Parties: sh.To}
		switch sh.Type {
		case market.ShockExportBan:
			d.Cut = dec.One
		case market.ShockExportQuota:
			p, ok := Kg(0), false
			if production != nil {
				p, ok = production(sh.Country, baseYear)
			}
			if !ok || p <= 0 {
				continue
			}
			cut := 1 - sh.TonnesPerYear/p.Float()
			if cut <= 0 {
				continue
			}
			d.Cut = decOf(math.Round(cut*10000) / 10000)
			d.Note = fmt.Sprintf("%s (quota %g t a year of a production of %s t in %d: a cut of %s)", sh.Note, sh.TonnesPerYear, p.Tonnes(), baseYear, d.Cut)
		case market.ShockOutage:
			if sh.Country == "" || sh.Share <= 0 {
				continue
			}
			d.Cut = decOf(math.Min(1, sh.Share))
		default:
			continue
		}
		if d.Origin == "" {
			continue
		}
		out = append(out, d)
	}
	return out
}

func monthsOf(start date.Date, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = start.AddMonths(i).MonthKey()
	}
	return out
}

func unitScale(unit string) (float64, error) {
	switch unit {
	case "t":
		return 1, nil
	case "kg":
		return 1000, nil
	}
	return 0, problemf("the scenario's unit %q is neither t nor kg: its releases cannot be converted from tonnes", unit)
}

// initialStocks returns the stocks at the start and where they come from.
func initialStocks(sr ScenarioRun, as *Assessment, s *agreement.Stockpile, start date.Date) (string, []Kg) {
	held := StocksAt(sr.Holdings, as.Parties, as.Mineral, as.Stage, start)
	if sr.Initial == "holdings" || sr.Initial == "" && Total(held) > 0 {
		return "holdings declared on or before " + start.String(), held
	}
	out := make([]Kg, len(as.Parties))
	for p, id := range as.Parties {
		pc := comply(s, id, start, sr.Flows, nil)
		out[p] = pc.Obligation
	}
	return fmt.Sprintf("every party holds its obligation (%d days of %s, flows of %d)", s.Obligation.Days, s.Obligation.Measure, start.Year()-1), out
}

// withReleases is sc with the plan's monthly zone releases offered at price.
func withReleases(sc *market.Scenario, pl *Plan, price, scale float64) *market.Scenario {
	c := *sc
	c.Releases = slices.Clone(sc.Releases)
	for i, m := range pl.Months {
		if m.Release <= 0 {
			continue
		}
		q := m.Release.Float() * scale
		c.Releases = append(c.Releases, market.ReleaseSpec{By: "agreement", Note: "the plan's release of " + m.Month,
			From: sc.Start.FirstOfMonth().AddMonths(i), TonnesPerMonth: q, Total: q, TriggerPrice: math.Max(price, 1e-9)})
	}
	return &c
}

// centralRun is the central path of one scenario.
type centralRun struct {
	Zone string
	zone int
	res  *market.Result
	took []float64 // the agreement's releases the market took, by month
}

func central(sc *market.Scenario, env market.Env) (*centralRun, error) {
	pl, err := market.Build(sc, env)
	if err != nil {
		return nil, err
	}
	res, err := market.Run(context.Background(), pl, market.Options{})
	if err != nil {
		return nil, err
	}
	took, err := pl.AgreementReleases()
	if err != nil {
		return nil, err
	}
	c := &centralRun{Zone: pl.Zone(), zone: -1, res: res, took: took}
	for i, r := range res.Regions {
		if r == c.Zone {
			c.zone = i
		}
	}
	return c, nil
}

func (c *centralRun) price(t int) float64 { return c.res.Central.Months[t].Regions[c.zone].Price }

func (c *centralRun) prices() []float64 {
	out := make([]float64, len(c.res.Central.Months))
	for t := range out {
		out[t] = c.price(t)
	}
	return out
}

func (c *centralRun) sold() []float64 { return c.took }

func (c *centralRun) outcome(response string, ref, e, threshold float64) *Outcome {
	n := len(c.res.Central.Months)
	price, cons := make([]float64, n), make([]float64, n)
	for t, m := range c.res.Central.Months {
		price[t], cons[t] = m.Regions[c.zone].Price, m.Regions[c.zone].Consumption
	}
	o := &Outcome{Response: response, Price: price, Consumption: cons, threshold: threshold}
	o.Demand, o.Shortage, o.ShortageTonneMonths, o.ShortMonths = shortage(price, cons, ref, e, threshold)
	for _, p := range price {
		o.PeakPrice = math.Max(o.PeakPrice, p)
		o.MeanPrice += p / float64(n)
	}
	return o
}

// shortage computes, month by month, the demand at the pre-crisis price ref
// (on the constant-elasticity curve through the month's price and
// consumption: D = C·(ref/p)^e), the shortage D − C (≥ 0), its sum, and the
// months in which C < (1 − threshold)·D.
func shortage(price, cons []float64, ref, e, threshold float64) (demand, short []float64, sum float64, months int) {
	demand, short = make([]float64, len(price)), make([]float64, len(price))
	for t := range price {
		d := cons[t]
		if price[t] > 0 && ref > 0 {
			d = cons[t] * math.Exp(e*math.Log(ref/price[t]))
		}
		demand[t] = d
		short[t] = math.Max(0, d-cons[t])
		sum += short[t]
		if cons[t] < (1-threshold)*d {
			months++
		}
	}
	return demand, short, sum, months
}

// costOf values the plan's stocks: carrying at the pre-crisis price, buying
// back and selling at the month's price of the run.
func costOf(pl *Plan, o *Outcome, s *agreement.Stockpile, ref, scale float64) StockCost {
	var c StockCost
	if pl == nil {
		return c
	}
	rate := s.CarryingCost.Float64() / 12
	for t, m := range pl.Months {
		c.Carrying += m.Stock.Float() * scale * ref * rate
		c.Purchases += m.Replenish.Float() * scale * o.Price[t]
		if t < len(o.Sold) {
			c.Resale += o.Sold[t] * o.Price[t]
		}
	}
	c.Net = c.Carrying + c.Purchases - c.Resale
	return c
}

func carryingOfHeld(stocks []Kg, months int, s *agreement.Stockpile, ref, scale float64) float64 {
	return Total(stocks).Float() * scale * ref * s.CarryingCost.Float64() / 12 * float64(months)
}

// monteCarlo runs paths of sc and counts the shortage of each.
func monteCarlo(ctx context.Context, sc *market.Scenario, env market.Env, region string, opts market.Options, ref, e, threshold float64) (*ShortageMC, error) {
	pl, err := market.Build(sc, env)
	if err != nil {
		return nil, err
	}
	N := opts.Paths
	sums, peaks, months := make([]float64, N), make([]float64, N), make([]int, N)
	var mu sync.Mutex
	err = pl.RegionPaths(ctx, opts, region, func(i int, price, cons []float64) {
		_, _, sum, m := shortage(price, cons, ref, e, threshold)
		peak := 0.0
		for _, p := range price {
			peak = math.Max(peak, p)
		}
		mu.Lock()
		sums[i], peaks[i], months[i] = sum, peak, m
		mu.Unlock()
	})
	if err != nil {
		return nil, err
	}
	mc := &ShortageMC{Paths: N, Seed: opts.Seed, Threshold: threshold}
	short := 0
	for i := range N {
		if months[i] > 0 {
			short++
		}
		mc.MeanUnitMonths += sums[i] / float64(N)
		mc.MeanPeakPrice += peaks[i] / float64(N)
		mc.MeanShortMonths += float64(months[i]) / float64(N)
	}
	mc.Probability = float64(short) / float64(N)
	sort.Float64s(sums)
	sort.Float64s(peaks)
	mc.P95UnitMonths = sums[min(N-1, N*95/100)]
	mc.P95PeakPrice = peaks[min(N-1, N*95/100)]
	return mc, nil
}

// MonteCarloThreshold is the share of demand below which a month is short:
// the regime's collective trigger.
func (o *Outcome) MonteCarloThreshold() float64 { return o.threshold }

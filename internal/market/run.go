package market

import (
	"context"
	"maps"
	"math"
	"math/rand/v2"
	"slices"
)

// Result is a simulation: the central path of the design and of the
// no-agreement baseline, their comparison, and the Monte Carlo fan charts.
type Result struct {
	Scenario   ScenarioInfo      `json:"scenario"`
	Design     DesignSummary     `json:"design"`
	Currency   string            `json:"currency"`
	Unit       string            `json:"unit"`
	Regions    []string          `json:"regions"`
	Zone       string            `json:"zone,omitempty"`
	Months     []string          `json:"months"`
	Central    *PathResult       `json:"central"`
	Baseline   *PathResult       `json:"baseline"`
	Comparison *Comparison       `json:"comparison"`
	MonteCarlo *MonteCarloResult `json:"monte_carlo,omitempty"`
	Replay     *ReplayResult     `json:"replay,omitempty"`
}

// ScenarioInfo names the scenario a result comes from.
type ScenarioInfo struct {
	ID           string `json:"id"`
	Title        string `json:"title"`
	Kind         string `json:"kind"`
	Mineral      string `json:"mineral"`
	Stage        string `json:"stage"`
	Illustrative bool   `json:"illustrative"`
	Notice       string `json:"notice,omitempty"`
}

// PathResult is one path month by month.
type PathResult struct {
	Months    []MonthResult    `json:"months"`
	Producers []ProducerSeries `json:"producers"`
	Buffer    *BufferSummary   `json:"buffer_stock,omitempty"`
	Totals    []RegionTotals   `json:"totals"`
}

// MonthResult is one month of a path.
type MonthResult struct {
	Month       string        `json:"month"`
	Floor       float64       `json:"floor,omitempty"`
	Ceiling     float64       `json:"ceiling,omitempty"`
	Regions     []RegionMonth `json:"regions"`
	Flows       []FlowMonth   `json:"flows,omitempty"`
	Buffer      *BufferMonth  `json:"buffer_stock,omitempty"`
	Released    float64       `json:"released,omitempty"`
	Substitutes float64       `json:"substitutes,omitempty"`
	Committed   []string      `json:"committed,omitempty"`
	Closed      []string      `json:"closed,omitempty"`
	Balance     Balance       `json:"balance"`
}

// RegionMonth is one region in one month.
type RegionMonth struct {
	ID              string  `json:"id"`
	Price           float64 `json:"price"`
	ProducerPrice   float64 `json:"producer_price"`
	Consumption     float64 `json:"consumption"`
	Production      float64 `json:"production"`
	Imports         float64 `json:"imports"`
	Exports         float64 `json:"exports"`
	TariffRevenue   Revenue `json:"tariff_revenue"`
	ConsumerSurplus float64 `json:"consumer_surplus"`
	ProducerSurplus float64 `json:"producer_surplus"`
	// StockChange is what stocks took from the region's market: the buffer
	// stock's purchases less its sales and stockpile releases there;
	// Substitutes is the demand met by substitutes (the backstop price).
	StockChange float64 `json:"stock_change,omitempty"`
	Substitutes float64 `json:"substitutes,omitempty"`
}

// FlowMonth is a shipment between two regions in a month.
type FlowMonth struct {
	From     string  `json:"from"`
	To       string  `json:"to"`
	Quantity float64 `json:"quantity"`
}

// BufferMonth is the buffer stock at the end of a month.
type BufferMonth struct {
	Tonnes        float64 `json:"tonnes"`
	Money         float64 `json:"money"`
	Bought        float64 `json:"bought"`
	Sold          float64 `json:"sold"`
	Sector        string  `json:"sector"` // below_floor, lower, middle, upper, above_ceiling
	FloorBroken   bool    `json:"floor_broken,omitempty"`
	CeilingBroken bool    `json:"ceiling_broken,omitempty"`
}

// Balance is the month's conservation check: production + substitutes =
// consumption + stock change (bought by the buffer stock less sold by it and
// released from stockpiles), to Tolerance of the quantity scale.
type Balance struct {
	Production  float64 `json:"production"`
	Consumption float64 `json:"consumption"`
	StockChange float64 `json:"stock_change"`
	Substitutes float64 `json:"substitutes"`
	Residual    float64 `json:"residual"`
}

// ProducerSeries is one producer's output month by month.
type ProducerSeries struct {
	ID        string    `json:"id"`
	Country   string    `json:"country"`
	Region    string    `json:"region"`
	Cost      float64   `json:"cost"`
	Project   bool      `json:"project,omitempty"`
	Committed string    `json:"committed,omitempty"`
	Closed    string    `json:"closed,omitempty"`
	Output    []float64 `json:"output"`
}

// BufferSummary is what the buffer stock did over the run.
type BufferSummary struct {
	Exhausted     string  `json:"exhausted,omitempty"`    // first month it could not hold the floor for want of money or space
	ExhaustedBy   string  `json:"exhausted_by,omitempty"` // money or space
	StockOut      string  `json:"stock_out,omitempty"`    // first month it could not hold the ceiling for want of stock
	Bought        float64 `json:"bought"`
	Sold          float64 `json:"sold"`
	FinalTonnes   float64 `json:"final_tonnes"`
	FinalMoney    float64 `json:"final_money"`
	MonthsBuying  int     `json:"months_buying"`
	MonthsSelling int     `json:"months_selling"`
}

// RegionTotals sums a region over the run.
type RegionTotals struct {
	ID              string  `json:"id"`
	Consumption     float64 `json:"consumption"`
	Production      float64 `json:"production"`
	Imports         float64 `json:"imports"`
	TariffRevenue   float64 `json:"tariff_revenue"`
	ConsumerSurplus float64 `json:"consumer_surplus"`
	ProducerSurplus float64 `json:"producer_surplus"`
	MeanPrice       float64 `json:"mean_price"`
}

// Comparison is the design against the no-agreement baseline, summed over
// the run, by region (and by party where the scenario splits the zone).
type Comparison struct {
	Regions []RegionDelta `json:"regions"`
	Parties []PartyDelta  `json:"parties,omitempty"`
	// ZoneConsumerCost is what consumers in the zone (every region made of
	// parties) pay for the design: the loss of consumer surplus against the
	// baseline (exact area under the demand curve), and the simpler
	// Σ (p − p₀)·q.
	ZoneConsumerCost     float64 `json:"zone_consumer_cost"`
	ZonePricePremiumPaid float64 `json:"zone_price_premium_paid"`
	ProjectsCommitted    int     `json:"projects_committed"`
	ProjectsBaseline     int     `json:"projects_committed_baseline"`
	ClosedDesign         int     `json:"producers_closed"`
	ClosedBaseline       int     `json:"producers_closed_baseline"`
}

// RegionDelta is one region's change against the baseline.
type RegionDelta struct {
	ID                 string  `json:"id"`
	MeanPrice          float64 `json:"mean_price"`
	MeanPriceBaseline  float64 `json:"mean_price_baseline"`
	ConsumerSurplus    float64 `json:"delta_consumer_surplus"`
	ProducerSurplus    float64 `json:"delta_producer_surplus"`
	TariffRevenue      float64 `json:"tariff_revenue"`
	TariffRevenueDelta float64 `json:"delta_tariff_revenue"`
	Welfare            float64 `json:"delta_welfare"`
	PricePremiumPaid   float64 `json:"price_premium_paid"`
	ProductionDelta    float64 `json:"delta_production"`
	ConsumptionDelta   float64 `json:"delta_consumption"`
}

// PartyDelta splits the zone's revenue and consumer cost by party shares.
type PartyDelta struct {
	Party         string  `json:"party"`
	Share         float64 `json:"share"`
	TariffRevenue float64 `json:"tariff_revenue"`
	ConsumerCost  float64 `json:"consumer_cost"`
}

// Options are the run's settings beyond the scenario.
type Options struct {
	Paths    int    // Monte Carlo paths; 0: the central path only
	Seed     uint64 // seed of the paths' streams
	Workers  int    // parallel workers; 0: runtime.GOMAXPROCS
	Progress func(done, total int)
}

// Run simulates the plan: the central path of the design and of the
// baseline, their comparison, and opts.Paths Monte Carlo paths.
func Run(ctx context.Context, pl *Plan, opts Options) (*Result, error) {
	sc := pl.Scenario
	res := &Result{
		Scenario: ScenarioInfo{ID: sc.ID, Title: sc.Title, Kind: sc.Kind, Mineral: sc.Mineral, Stage: sc.Stage, Illustrative: sc.Illustrative, Notice: sc.Notice},
		Design:   pl.Design, Currency: sc.Currency, Unit: sc.Unit, Months: pl.Months,
	}
	if sc.Kind == KindReplay {
		rp, err := pl.runReplay()
		if err != nil {
			return nil, err
		}
		res.Replay = rp
		return res, nil
	}
	res.Regions = pl.regionNames()
	if pl.zone >= 0 {
		res.Zone = pl.regions[pl.zone].id
	}
	var err error
	if res.Central, err = pl.central(true); err != nil {
		return nil, err
	}
	if res.Baseline, err = pl.central(false); err != nil {
		return nil, err
	}
	res.Comparison = pl.compare(res.Central, res.Baseline)
	if opts.Paths > 0 {
		if res.MonteCarlo, err = pl.MonteCarlo(ctx, opts); err != nil {
			return nil, err
		}
	}
	return res, nil
}

// central runs the central path (no random draws), recording everything.
func (pl *Plan) central(design bool) (*PathResult, error) {
	r := newRunner(pl, design, false)
	r.reset(rand.New(rand.NewPCG(0, 0)))
	n, R := len(pl.Months), r.R
	pr := &PathResult{Months: make([]MonthResult, n)}
	for _, p := range pl.producers {
		pr.Producers = append(pr.Producers, ProducerSeries{ID: p.id, Country: p.country, Region: pl.regions[p.region].id, Cost: p.cost, Project: p.project >= 0, Output: make([]float64, n)})
	}
	tot := make([]RegionTotals, R)
	var bs *BufferSummary
	if design && pl.buffer != nil {
		bs = &BufferSummary{}
	}
	for t := 0; t < n; t++ {
		committedBefore := make([]int, len(r.committed))
		copy(committedBefore, r.committed)
		aliveBefore := make([]bool, len(r.alive))
		copy(aliveBefore, r.alive)
		if err := r.step(t); err != nil {
			return nil, err
		}
		mr := MonthResult{Month: pl.Months[t], Regions: make([]RegionMonth, R), Released: r.released, Substitutes: r.substitutes}
		if design {
			mr.Floor = pl.floor[t]
			mr.Ceiling = pl.ceiling[t]
		}
		for g := 0; g < R; g++ {
			d := &r.m.dem[g]
			var ps float64
			for j, p := range pl.producers {
				if p.region == g {
					ps += (r.pprice[g] - r.costNow[j]) * r.out[j]
				}
			}
			rm := RegionMonth{ID: pl.regions[g].id, Price: r.price[g], ProducerPrice: r.pprice[g], Consumption: r.cons[g], Production: r.prod[g],
				Imports: r.imports[g], Exports: r.exports[g], TariffRevenue: r.rev[g], ConsumerSurplus: d.surplus(r.price[g]), ProducerSurplus: ps,
				Substitutes: r.out[r.ownBackstop(g)]}
			for o := r.P; o < r.nOwn; o++ {
				if r.ownerRegion(o) == g && o < r.ownBackstop(0) {
					rm.StockChange -= r.out[o]
				}
			}
			if design && pl.buffer != nil && pl.buffer.region == g {
				rm.StockChange += r.bsBought
			}
			mr.Regions[g] = rm
			tt := &tot[g]
			tt.ID = rm.ID
			tt.Consumption += rm.Consumption
			tt.Production += rm.Production
			tt.Imports += rm.Imports
			tt.TariffRevenue += rm.TariffRevenue.Total
			tt.ConsumerSurplus += rm.ConsumerSurplus
			tt.ProducerSurplus += rm.ProducerSurplus
			tt.MeanPrice += rm.Price / float64(n)
			for h := 0; h < R; h++ {
				if q := r.flowQ[g*R+h]; q > 0 {
					mr.Flows = append(mr.Flows, FlowMonth{From: pl.regions[g].id, To: pl.regions[h].id, Quantity: q})
				}
			}
		}
		if bs != nil {
			floor, ceiling := pl.bandAt(t)
			mr.Buffer = &BufferMonth{Tonnes: r.bsT, Money: r.bsM, Bought: r.bsBought, Sold: r.bsSold,
				Sector: sector(r.price[pl.buffer.region], floor, ceiling), FloorBroken: r.floorBroken, CeilingBroken: r.ceilingBroken}
			bs.Bought += r.bsBought
			bs.Sold += r.bsSold
			if r.bsBought > 0 {
				bs.MonthsBuying++
			}
			if r.bsSold > 0 {
				bs.MonthsSelling++
			}
		}
		for k, c := range r.committed {
			if c >= 0 && committedBefore[k] < 0 {
				id := pl.producers[pl.projects[k].producer].id
				mr.Committed = append(mr.Committed, id)
				pr.Producers[pl.projects[k].producer].Committed = pl.Months[t]
			}
		}
		for j, a := range r.alive {
			if !a && aliveBefore[j] {
				mr.Closed = append(mr.Closed, pl.producers[j].id)
				pr.Producers[j].Closed = pl.Months[t]
			}
		}
		var prod, cons float64
		for g := 0; g < R; g++ {
			prod += r.prod[g]
			cons += r.cons[g]
		}
		mr.Balance = Balance{Production: prod, Consumption: cons, StockChange: r.bsBought - r.bsSold - r.released, Substitutes: r.substitutes, Residual: r.residual}
		for j := range pl.producers {
			pr.Producers[j].Output[t] = r.out[j]
		}
		pr.Months[t] = mr
	}
	if bs != nil {
		bs.FinalTonnes, bs.FinalMoney = r.bsT, r.bsM
		if r.exhausted >= 0 {
			bs.Exhausted, bs.ExhaustedBy = pl.Months[r.exhausted], r.exhaustedBy
		}
		if r.stockOut >= 0 {
			bs.StockOut = pl.Months[r.stockOut]
		}
		pr.Buffer = bs
	}
	pr.Totals = tot
	return pr, nil
}

// sector names where a price stands in the ITA's band: below the floor, in
// the lower, middle or upper third, or above the ceiling.
func sector(p, floor, ceiling float64) string {
	third := (ceiling - floor) / 3
	tol := 1e-9 * math.Max(1, ceiling)
	switch {
	case p < floor-tol:
		return "below_floor"
	case p < floor+third:
		return "lower"
	case p <= ceiling-third:
		return "middle"
	case p <= ceiling+tol:
		return "upper"
	}
	return "above_ceiling"
}

// compare sums the design against the baseline.
func (pl *Plan) compare(d, b *PathResult) *Comparison {
	c := &Comparison{}
	n := len(pl.Months)
	for g := range pl.regions {
		rd := RegionDelta{ID: pl.regions[g].id, MeanPrice: d.Totals[g].MeanPrice, MeanPriceBaseline: b.Totals[g].MeanPrice}
		for t := 0; t < n; t++ {
			x, y := d.Months[t].Regions[g], b.Months[t].Regions[g]
			rd.ConsumerSurplus += x.ConsumerSurplus - y.ConsumerSurplus
			rd.ProducerSurplus += x.ProducerSurplus - y.ProducerSurplus
			rd.TariffRevenue += x.TariffRevenue.Total
			rd.TariffRevenueDelta += x.TariffRevenue.Total - y.TariffRevenue.Total
			rd.PricePremiumPaid += (x.Price - y.Price) * x.Consumption
			rd.ProductionDelta += x.Production - y.Production
			rd.ConsumptionDelta += x.Consumption - y.Consumption
		}
		rd.Welfare = rd.ConsumerSurplus + rd.ProducerSurplus + rd.TariffRevenueDelta
		c.Regions = append(c.Regions, rd)
		if pl.regions[g].allParty {
			c.ZoneConsumerCost -= rd.ConsumerSurplus
			c.ZonePricePremiumPaid += rd.PricePremiumPaid
		}
		if g == pl.zone {
			for _, party := range slices.Sorted(maps.Keys(pl.regions[g].partyShr)) {
				s := pl.regions[g].partyShr[party]
				c.Parties = append(c.Parties, PartyDelta{Party: party, Share: s, TariffRevenue: s * rd.TariffRevenue, ConsumerCost: -s * rd.ConsumerSurplus})
			}
		}
	}
	for _, p := range d.Producers {
		if p.Committed != "" {
			c.ProjectsCommitted++
		}
		if p.Closed != "" {
			c.ClosedDesign++
		}
	}
	for _, p := range b.Producers {
		if p.Committed != "" {
			c.ProjectsBaseline++
		}
		if p.Closed != "" {
			c.ClosedBaseline++
		}
	}
	return c
}

package projects

import (
	"context"
	"fmt"
	"io/fs"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// One project's valuation as the command line, the API and the portal give
// it: one path from the request to the answer, so that they cannot differ.

// Env is what a valuation reads besides its pipeline: the registry, the
// agreement, the floors published under it (or computed for a preview) and
// the data directory a market scenario's cost curves come from.
type Env struct {
	Registry  *registry.Registry
	Agreement *agreement.Agreement
	Floors    market.FloorSource
	Data      fs.FS
	// Ownership is the ownership register the projects' owner_id name
	// (data/ownership); nil: a ranking screens no owner and says so.
	Ownership *ownership.Register
}

// ValueRequest is what to value.
type ValueRequest struct {
	Project string
	// AsOf is the date of the agreement's floor and of its country risk
	// rule; zero: the agreement's entry into force.
	AsOf date.Date
	// Floor, when set, is the floor per unit of output to value instead of
	// the agreement's.
	Floor *float64
	// Scenario, when set, gives the price paths from its Monte Carlo
	// (Feed); Seed then defaults to the scenario's unless SeedGiven.
	Scenario  *market.Scenario
	Paths     int
	Seed      uint64
	SeedGiven bool
	// Rate and PublicRate override the pipeline's when not 0; Rate is the
	// base to which the country risk premium is added (HurdleRates).
	Rate, PublicRate float64
	// Offtake, when set, is a contract on the project whose effect is
	// valued on the paths with the floor.
	Offtake  *Offtake
	Workers  int
	Progress func(done, total int)
}

// Valuation is a project's value without and with the agreement's floor,
// with what it rests on. Field names are stable (the command line's json
// and the API's answer).
type Valuation struct {
	Pipeline     string        `json:"pipeline"`
	Illustrative bool          `json:"illustrative"`
	Notice       string        `json:"notice,omitempty"`
	Project      string        `json:"project"`
	Name         string        `json:"name"`
	Mineral      string        `json:"mineral"`
	Stage        string        `json:"stage"`
	Country      string        `json:"country"`
	Unit         string        `json:"unit"`
	Currency     string        `json:"currency"`
	Floor        *FloorUsed    `json:"floor"`
	Prices       *PriceUsed    `json:"prices,omitempty"`
	Market       *MarketUsed   `json:"market,omitempty"`
	Rate         float64       `json:"discount_rate"`
	Hurdle       Hurdle        `json:"hurdle"`
	PublicRate   float64       `json:"public_discount_rate"`
	Without      Summary       `json:"without_floor"`
	With         Summary       `json:"with_floor"`
	FloorValue   float64       `json:"floor_value"`
	FloorStdErr  float64       `json:"floor_value_std_err"`
	Support      *SupportCases `json:"support,omitempty"`
	// CashFlows are the project's yearly cash flows at each year's mean
	// realised price over the paths, without and with the floor (a central
	// case, not the expectation of the cash flows).
	CashFlows *CentralCase `json:"cash_flows,omitempty"`
	// Fan is, by year, the 5th, 50th and 95th percentiles over the paths of
	// the cumulative discounted cash flow, without and with the floor: the
	// NPV as it builds up.
	Fan     *NPVFan      `json:"npv_fan,omitempty"`
	Offtake *OfftakeUsed `json:"offtake,omitempty"`
}

// FloorUsed is the floor a valuation applies and where it comes from.
type FloorUsed struct {
	Price        float64 `json:"price"`
	Unit         string  `json:"unit"`
	Source       string  `json:"source"` // "--floor" (or "request") or the agreement's id
	Date         string  `json:"as_of,omitempty"`
	Method       string  `json:"method,omitempty"`
	Illustrative bool    `json:"illustrative"`
}

// PriceUsed is the pipeline's price model a valuation drew its paths from.
type PriceUsed struct {
	Spot       float64 `json:"spot"`
	Drift      float64 `json:"drift"`
	Volatility float64 `json:"volatility"`
	Paths      int     `json:"paths"`
	Seed       uint64  `json:"seed"`
}

// MarketUsed is where a valuation's prices came from when they came from a
// market scenario's Monte Carlo, and what the design alone does.
type MarketUsed struct {
	Scenario     string    `json:"scenario"`
	Illustrative bool      `json:"illustrative"`
	Region       string    `json:"region"`
	Start        string    `json:"start"`
	Paths        int       `json:"paths"`
	Seed         uint64    `json:"seed"`
	Floor        []float64 `json:"floor_by_year"`
	Design       Summary   `json:"design"`
	MarketEffect float64   `json:"market_effect"`
	Guarantee    float64   `json:"guarantee"`
}

// Summary is a Distribution without its paths.
type Summary struct {
	Mean   float64 `json:"mean"`
	StdDev float64 `json:"std_dev"`
	P5     float64 `json:"p5"`
	P50    float64 `json:"p50"`
	P95    float64 `json:"p95"`
	PClear float64 `json:"p_hurdle"`
}

// Summarise drops a distribution's paths.
func Summarise(d *Distribution) Summary {
	return Summary{Mean: d.Mean, StdDev: d.StdDev, P5: d.Quantiles[0], P50: d.Quantiles[2], P95: d.Quantiles[4], PClear: d.PClear}
}

// SupportCases are the project's public support without and with the floor.
type SupportCases struct {
	Without SupportCase `json:"without_floor"`
	With    SupportCase `json:"with_floor"`
}

// SupportCase is what a support costs and does in one case.
type SupportCase struct {
	Sponsor    Summary   `json:"sponsor_npv"`
	Cost       float64   `json:"expected_public_cost"`
	Loan       *LoanCost `json:"loan,omitempty"`
	Guarantee  *LoanCost `json:"guarantee,omitempty"`
	EquityCost float64   `json:"equity_cost"`
	GrantCost  float64   `json:"grant_cost"`
	PDefault   float64   `json:"p_default"`
}

// SupportCaseOf drops a support valuation's paths.
func SupportCaseOf(sv *SupportValue) SupportCase {
	return SupportCase{Sponsor: Summarise(&sv.With), Cost: sv.Cost, Loan: sv.Loan, Guarantee: sv.Guarantee, EquityCost: sv.EquityCost, GrantCost: sv.GrantCost, PDefault: sv.PDefault}
}

// CentralCase is a project's cash flows at each year's mean realised price.
type CentralCase struct {
	Without []CashFlowYear `json:"without_floor"`
	With    []CashFlowYear `json:"with_floor"`
}

// CashFlowYear is one year of a central case.
type CashFlowYear struct {
	Year       int     `json:"year"`
	Price      float64 `json:"price"`
	Production float64 `json:"production"`
	Revenue    float64 `json:"revenue"`
	Royalty    float64 `json:"royalty"`
	Opex       float64 `json:"opex"`
	Capex      float64 `json:"capex"`
	Tax        float64 `json:"tax"`
	CashFlow   float64 `json:"cash_flow"`
}

// NPVFan is the cumulative discounted cash flow's percentiles by year.
type NPVFan struct {
	Without FanBand `json:"without_floor"`
	With    FanBand `json:"with_floor"`
}

// FanBand is one case of an NPVFan.
type FanBand struct {
	P5  []float64 `json:"p5"`
	P50 []float64 `json:"p50"`
	P95 []float64 `json:"p95"`
}

// OfftakeUsed is an offtake contract's effect on the project, valued on
// the paths with the floor.
type OfftakeUsed struct {
	ID             string  `json:"id"`
	Kind           string  `json:"kind"`
	Without        Summary `json:"without_contract"`
	With           Summary `json:"with_contract"`
	Producer       float64 `json:"value_to_producer"`
	ProducerStdErr float64 `json:"value_to_producer_std_err"`
	Buyer          float64 `json:"value_to_buyer"`
}

// Value values one project of the pipeline: its NPV distribution over
// price paths (the pipeline's GBM, or a market scenario's Monte Carlo)
// without and with the agreement's floor, the floor's value, its support's
// cost, a central case of its cash flows, the NPV fan, and an offtake's
// effect.
func (p *Pipeline) Value(ctx context.Context, env Env, req ValueRequest) (*Valuation, error) {
	pr := p.Project(req.Project)
	if pr == nil {
		return nil, &problem.Error{Code: problem.NotFound, Field: "project", Message: fmt.Sprintf("no project %q in pipeline %s", req.Project, p.ID)}
	}
	if req.Paths < 1 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "paths", Message: fmt.Sprintf("want at least one price path, got %d", req.Paths)}
	}
	base, public := req.Rate, req.PublicRate
	if base == 0 {
		base = p.DiscountRate
	}
	if public == 0 {
		public = p.PublicDiscountRate
	}
	if base == 0 || public == 0 {
		return nil, &problem.Error{Code: problem.Invalid, Field: "rate", Message: fmt.Sprintf("pipeline %s gives no discount_rate or public_discount_rate: give the rates", p.ID)}
	}
	on := req.AsOf
	if on.IsZero() {
		on = env.Agreement.EntryIntoForce
	}
	in, err := env.Agreement.AsOf(on)
	if err != nil {
		return nil, err
	}
	hurdles, err := p.HurdleRates(base, in.Agreement, env.Registry)
	if err != nil {
		return nil, err
	}
	h := hurdles[pr.ID]
	rate := h.Rate
	v := &Valuation{Pipeline: p.ID, Illustrative: p.Illustrative, Notice: p.Notice, Project: pr.ID, Name: pr.Name, Mineral: pr.Mineral, Stage: string(pr.Stage), Country: pr.Country,
		Unit: pr.Capacity.Unit, Currency: p.Currency, Rate: rate, Hurdle: h, PublicRate: public}
	var without, with *Paths
	var floor []float64
	if req.Scenario != nil {
		if req.Floor != nil {
			return nil, &problem.Error{Code: problem.Invalid, Field: "floor", Message: "a market scenario reads the agreement's floor by month: give a floor or a scenario, not both"}
		}
		mp, err := p.marketFor(ctx, env, pr, req)
		if err != nil {
			return nil, err
		}
		mv, err := pr.ValueMarket(mp, rate)
		if err != nil {
			return nil, err
		}
		without, with, floor = mp.Without, mp.With, mp.Floor
		v.Floor = &FloorUsed{Price: mean(mp.Floor[pr.LeadTimeYears : pr.LeadTimeYears+pr.LifeYears]), Unit: mp.Currency + "/" + mp.Unit,
			Source: env.Agreement.ID + " (the design's floor by month, mean over the production years)", Method: "scenario " + mp.Scenario, Illustrative: mp.Illustrative || env.Agreement.Illustrative}
		v.Market = &MarketUsed{Scenario: mp.Scenario, Illustrative: mp.Illustrative, Region: mp.Region, Start: mp.Start, Paths: mp.Paths, Seed: mp.Seed, Floor: mp.Floor[:pr.Horizon()],
			Design: Summarise(&mv.Design), MarketEffect: mv.MarketEffect, Guarantee: mv.Guarantee}
		v.Without, v.With, v.FloorValue, v.FloorStdErr = Summarise(&mv.Without), Summarise(&mv.With), mv.Value, mv.StdErr
	} else {
		fl := &FloorUsed{Unit: p.Currency + "/" + pr.Capacity.Unit, Source: "request"}
		if req.Floor != nil {
			fl.Price = *req.Floor
		} else if fl, err = AgreementFloor(env, pr, on); err != nil {
			return nil, fmt.Errorf("%w (give --floor PRICE, or floor in an API request, to value another floor)", err)
		}
		paths, err := p.DrawFor(pr, req.Paths, req.Seed)
		if err != nil {
			return nil, err
		}
		floor = Flat(fl.Price, paths.Years)
		fv, err := pr.ValueFloor(paths, rate, floor)
		if err != nil {
			return nil, err
		}
		m := p.PriceModel(pr.Mineral, pr.Stage)
		without, with = paths, paths
		v.Floor, v.Prices = fl, &PriceUsed{m.Spot, m.Drift, m.Volatility, req.Paths, req.Seed}
		v.Without, v.With, v.FloorValue, v.FloorStdErr = Summarise(&fv.Without), Summarise(&fv.With), fv.Value, fv.StdErr
	}
	if pr.Support != nil {
		sw, err := pr.ValueSupport(without, rate, public, Terms{}, pr.Support)
		if err != nil {
			return nil, err
		}
		sf, err := pr.ValueSupport(with, rate, public, Terms{Floor: floor}, pr.Support)
		if err != nil {
			return nil, err
		}
		v.Support = &SupportCases{Without: SupportCaseOf(sw), With: SupportCaseOf(sf)}
	}
	if v.CashFlows, err = pr.central(without, with, floor, rate); err != nil {
		return nil, err
	}
	v.Fan = &NPVFan{Without: pr.fan(without, rate, Terms{}), With: pr.fan(with, rate, Terms{Floor: floor})}
	if o := req.Offtake; o != nil {
		ov, err := pr.ValueOfftake(with, rate, floor, o)
		if err != nil {
			return nil, err
		}
		v.Offtake = &OfftakeUsed{ID: o.ID, Kind: o.Price.Kind, Without: Summarise(&ov.Without), With: Summarise(&ov.With), Producer: ov.Producer, ProducerStdErr: ov.ProducerStdErr, Buyer: ov.Buyer}
	}
	return v, nil
}

// marketFor runs the request's scenario for pr alone.
func (p *Pipeline) marketFor(ctx context.Context, env Env, pr *Project, req ValueRequest) (*MarketPrices, error) {
	sc := *req.Scenario
	pl, err := market.Build(&sc, market.Env{Registry: env.Registry, Agreement: env.Agreement, Floors: env.Floors, Data: env.Data})
	if err != nil {
		return nil, err
	}
	zone, err := designZone(env, pl)
	if err != nil {
		return nil, err
	}
	seed := sc.MonteCarlo.Seed
	if req.SeedGiven {
		seed = req.Seed
	}
	m, err := Feed(ctx, pl, zone, []*Project{pr}, market.Options{Paths: req.Paths, Seed: seed, Workers: req.Workers, Progress: req.Progress}, p.PriceModel(pr.Mineral, pr.Stage))
	if err != nil {
		return nil, err
	}
	return m.For(pr)
}

// AgreementFloor returns the floor of pr's mineral and stage on date d from
// env's floor source, per unit of the project's output (t or kg).
func AgreementFloor(env Env, pr *Project, d date.Date) (*FloorUsed, error) {
	f, err := env.Floors.Floor(pr.Mineral, string(pr.Stage), d)
	if err != nil {
		return nil, err
	}
	k, err := unitFactor(f.Unit, pr.Capacity.Unit)
	if err != nil {
		return nil, problem.Errorf(problem.Invalid, "the floor of %s/%s is per %s; project %s counts in %s", pr.Mineral, pr.Stage, f.Unit, pr.ID, pr.Capacity.Unit)
	}
	return &FloorUsed{Price: f.Price.Float64() * k, Unit: f.Currency + "/" + pr.Capacity.Unit, Source: env.Agreement.ID, Date: d.String(), Method: string(f.Method), Illustrative: f.Illustrative}, nil
}

// central returns the cash flows at each year's mean realised price:
// without the floor the paths' mean, with it the mean of max(P, F).
func (pr *Project) central(without, with *Paths, floor []float64, rate float64) (*CentralCase, error) {
	meanPath := func(ps *Paths, floor []float64) []float64 {
		out := make([]float64, ps.Years)
		for i := range ps.N {
			for t, x := range ps.Path(i) {
				if floor != nil {
					x = max(x, floor[t])
				}
				out[t] += x / float64(ps.N)
			}
		}
		return out
	}
	c := &CentralCase{}
	for _, k := range []struct {
		dst   *[]CashFlowYear
		paths *Paths
		floor []float64
	}{{&c.Without, without, nil}, {&c.With, with, floor}} {
		cf, err := pr.CashFlows(meanPath(k.paths, k.floor), rate)
		if err != nil {
			return nil, err
		}
		for _, y := range cf.Years {
			*k.dst = append(*k.dst, CashFlowYear{Year: y.Year, Price: y.Price, Production: y.Production, Revenue: y.Revenue, Royalty: y.Royalty, Opex: y.Opex + y.Sustaining,
				Capex: y.Capex, Tax: y.Tax, CashFlow: y.CashFlow})
		}
	}
	return c, nil
}

// fan returns the percentiles of the cumulative discounted cash flow by
// year over the paths.
func (pr *Project) fan(paths *Paths, rate float64, terms Terms) FanBand {
	e := newEvaluator(pr, rate, terms)
	h := len(e.pl.production)
	cum := make([]float64, paths.N*h)
	cf := make([]float64, h)
	for i := range paths.N {
		e.flows(paths.Path(i), cf)
		s := 0.0
		for t := range h {
			s += cf[t] * e.df[t]
			cum[t*paths.N+i] = s
		}
	}
	b := FanBand{P5: make([]float64, h), P50: make([]float64, h), P95: make([]float64, h)}
	for t := range h {
		col := cum[t*paths.N : (t+1)*paths.N]
		slices.Sort(col)
		b.P5[t], b.P50[t], b.P95[t] = quantile(col, 0.05), quantile(col, 0.5), quantile(col, 0.95)
	}
	return b
}

func mean(xs []float64) float64 {
	s := 0.0
	for _, x := range xs {
		s += x
	}
	return s / float64(len(xs))
}

package projects

import (
	"fmt"
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Year is one year of a project's cash flows; money is in the pipeline's
// currency, Production in the project's unit. docs/projects.md, "Cash
// flows", gives each formula.
type Year struct {
	Year            int     // years after the valuation date
	MarketPrice     float64 // the path's price
	Price           float64 // realised market price: max(MarketPrice, floor)
	Production      float64 // capacity × ramp-up share
	Contracted      float64 // volume under the offtake: min(volume, Production) in contract years
	ContractRevenue float64 // what the offtake pays for Contracted
	Revenue         float64 // Price × (Production − Contracted) + ContractRevenue
	Royalty         float64 // ad valorem + profit-based + sliding
	Opex            float64 // unit opex × Production
	Sustaining      float64 // sustaining capital, expensed
	Capex           float64 // initial capital spent this year
	Depreciation    float64 // straight-line share of the initial capital
	TaxableIncome   float64 // Revenue − Royalty − Opex − Sustaining − Depreciation, before losses
	LossUsed        float64 // losses brought forward and set off this year
	LossCarried     float64 // losses carried forward to the next year
	Tax             float64 // rate × max(0, TaxableIncome − LossUsed)
	CashFlow        float64 // Revenue − Royalty − Opex − Sustaining − Capex − Tax
	Discounted      float64 // CashFlow / (1 + rate)^Year
}

// CashFlows is a project's cash flows under one price path and its metrics.
type CashFlows struct {
	Rate    float64 // the discount rate, a yearly fraction
	Years   []Year
	NPV     float64
	IRR     IRR
	Payback int // first year from which the cumulative cash flow stays ≥ 0; -1 if it never does
}

// plan is the part of a project's cash flows that does not depend on the
// price: it is computed once per project and shared by every path.
type plan struct {
	pr           *Project
	production   []float64
	capex        []float64
	depreciation []float64
	sustaining   []float64
	opex         []float64
	first        int // first production year
}

func newPlan(pr *Project) *plan {
	// A plan holds only what the price does not change; see evaluator.
	h := pr.Horizon()
	pl := &plan{pr: pr, production: make([]float64, h), capex: make([]float64, h), depreciation: make([]float64, h),
		sustaining: make([]float64, h), opex: make([]float64, h), first: pr.LeadTimeYears}
	sched := pr.Capital.Schedule
	if len(sched) == 0 {
		sched = []float64{1}
	}
	for t, s := range sched {
		pl.capex[t] = s * pr.Capital.Total
	}
	for i := range pr.LifeYears {
		t := pl.first + i
		share := 1.0
		if i < len(pr.Capacity.RampUp) {
			share = pr.Capacity.RampUp[i]
		}
		pl.production[t] = pr.Capacity.PerYear * share
		pl.opex[t] = pr.UnitOpex * pl.production[t]
		pl.sustaining[t] = pr.SustainingCapex
	}
	if n := pr.Tax.DepreciationYears; n > 0 {
		// Capital not depreciated by the end of the horizon is lost.
		for i := 0; i < n && pl.first+i < h; i++ {
			pl.depreciation[pl.first+i] = pr.Capital.Total / float64(n)
		}
	}
	return pl
}

// slidingRate returns the rate of the highest band whose from_price the
// price reaches, or 0 below the first band.
func (r *Royalty) slidingRate(price float64) float64 {
	rate := 0.0
	for _, b := range r.Sliding {
		if price < b.FromPrice {
			break
		}
		rate = b.Rate
	}
	return rate
}

// royalty returns the royalty on a year's revenue at a price, with opex and
// sustaining capital for the profit-based part.
func (r *Royalty) royalty(price, revenue, opex, sustaining float64) float64 {
	roy := (r.AdValorem + r.slidingRate(price)) * revenue
	if r.Profit > 0 {
		roy += r.Profit * max(0, revenue-opex-sustaining)
	}
	return roy
}

// checkPrices reports a price path too short for the project.
func (pr *Project) checkPrices(prices []float64) error {
	if h := pr.Horizon(); len(prices) < h {
		return problem.Errorf(problem.Invalid, "project %s: the price path has %d years; the project spans %d (years 0 to %d)", pr.ID, len(prices), h, h-1)
	}
	return nil
}

// Terms are what a project sells under, beyond the market price: the
// agreement's floor (Floor[t] in year t; nil for none), which makes the
// realised market price max(P, Floor[t]), and an offtake contract (nil for
// none).
type Terms struct {
	Floor   []float64
	Offtake *Offtake
}

// CashFlows returns the project's yearly cash flows when it realises
// prices[t] in year t, discounted at rate (a yearly fraction), with NPV, IRR
// and payback. Losses are carried forward without limit and never refunded.
func (pr *Project) CashFlows(prices []float64, rate float64) (*CashFlows, error) {
	return pr.CashFlowsUnder(prices, rate, Terms{})
}

// CashFlowsUnder is CashFlows when the project sells under terms.
func (pr *Project) CashFlowsUnder(prices []float64, rate float64, terms Terms) (*CashFlows, error) {
	if err := pr.checkPrices(prices); err != nil {
		return nil, err
	}
	if err := pr.checkTerms(terms); err != nil {
		return nil, err
	}
	if !(rate > -1) || math.IsInf(rate, 0) {
		return nil, problem.Errorf(problem.Invalid, "discount rate must be above -1, got %g", rate)
	}
	e := newEvaluator(pr, rate, terms)
	pl := e.pl
	h := len(pl.production)
	cf := &CashFlows{Rate: rate, Years: make([]Year, h)}
	flows := make([]float64, h)
	loss := 0.0
	for t := range h {
		y := &cf.Years[t]
		y.Year = t
		y.Production = pl.production[t]
		if y.Production > 0 {
			y.MarketPrice = prices[t]
			y.Price, y.Revenue, y.Contracted, y.ContractRevenue = e.revenue(t, prices[t])
		}
		y.Opex = pl.opex[t]
		y.Sustaining = pl.sustaining[t]
		y.Royalty = pr.Royalty.royalty(y.Price, y.Revenue, y.Opex, y.Sustaining)
		y.Capex = pl.capex[t]
		y.Depreciation = pl.depreciation[t]
		y.TaxableIncome = y.Revenue - y.Royalty - y.Opex - y.Sustaining - y.Depreciation
		y.Tax, y.LossUsed, loss = tax(pr.Tax.Rate, y.TaxableIncome, loss)
		y.LossCarried = loss
		y.CashFlow = y.Revenue - y.Royalty - y.Opex - y.Sustaining - y.Capex - y.Tax
		y.Discounted = y.CashFlow * e.df[t]
		cf.NPV += y.Discounted
		flows[t] = y.CashFlow
	}
	cf.IRR = InternalRate(flows)
	cf.Payback = Payback(flows)
	return cf, nil
}

// tax returns the tax on a year's taxable income with losses brought
// forward, the losses set off, and the losses carried to the next year.
func tax(rate, income, loss float64) (tax, used, carried float64) {
	if income <= 0 {
		return 0, 0, loss - income
	}
	used = min(loss, income)
	return rate * (income - used), used, loss - used
}

// Flat returns a price path of years years at one price.
func Flat(price float64, years int) []float64 {
	p := make([]float64, years)
	for i := range p {
		p[i] = price
	}
	return p
}

// String renders a year for test failures.
func (y Year) String() string {
	return fmt.Sprintf("year %d: market price %g price %g production %g contracted %g contract revenue %g revenue %g royalty %g opex %g sustaining %g capex %g depreciation %g taxable %g loss used %g carried %g tax %g cash flow %g",
		y.Year, y.MarketPrice, y.Price, y.Production, y.Contracted, y.ContractRevenue, y.Revenue, y.Royalty, y.Opex, y.Sustaining, y.Capex, y.Depreciation, y.TaxableIncome, y.LossUsed, y.LossCarried, y.Tax, y.CashFlow)
}

package refprice

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// CurveView is the cost curve behind a cost_curve floor as the method reads
// it, for drawing: every producer sorted by cash cost, whether it counts, the
// percentile of counted production, the marginal producer and the floor.
// Costs are in the floor's currency per the floor's unit, deflated and
// converted as the method does the cash cost; capacities stay in the curve's
// unit.
type CurveView struct {
	Floor        *Floor      `json:"floor"`
	Curve        string      `json:"curve"`
	Source       string      `json:"source"`
	Year         int         `json:"year"`
	Illustrative bool        `json:"illustrative"`
	CapacityUnit string      `json:"capacity_unit"` // per year
	Counts       string      `json:"counts"`        // which producers count, in words
	Producers    []CurveStep `json:"producers"`
	// Total is the production that counts; Percentile (0, 100] of it is
	// Target, reached within the Marginal producer's step at TargetX on the
	// axis of all producers' cumulative capacity.
	Total      dec.Decimal `json:"total"`
	Percentile dec.Decimal `json:"percentile"`
	Target     dec.Decimal `json:"target"`
	TargetX    dec.Decimal `json:"target_x"`
	Marginal   string      `json:"marginal"`
	// CashCost is the marginal producer's cost; CapitalCharge the floor's
	// charge on top of it (before the collar, minimum and rounding).
	CashCost      dec.Decimal `json:"cash_cost"`
	CapitalCharge dec.Decimal `json:"capital_charge"`
	// Deflator is the factor that brought the curve's costs of Year to the
	// floor's money (the CPI-U); zero: the costs are as the curve states.
	Deflator dec.Decimal `json:"deflator,omitzero"`
}

// CurveStep is one producer of a CurveView: a step from From to To on the
// axis of cumulative capacity (all producers, in cost order) at height Cost.
type CurveStep struct {
	Producer
	Counted  bool        `json:"counted"`
	From, To dec.Decimal `json:"-"`
}

// CurveView returns the cost curve behind the floor of mineral at stage in
// force on d. A floor set by another method is a problem.Invalid error.
func (e *Engine) CurveView(mineral, stage string, d date.Date) (*CurveView, error) {
	f, err := e.Floor(mineral, stage, d)
	if err != nil {
		return nil, err
	}
	if f.Method != agreement.CostCurve {
		return nil, &problem.Error{Code: problem.Invalid, Field: mineral + "/" + stage,
			Message: fmt.Sprintf("the floor is set by method %s, not from a cost curve", f.Method)}
	}
	ag, err := e.rules(f.ValidFrom)
	if err != nil {
		return nil, err
	}
	rule, err := ruleOf(ag, mineral, stage)
	if err != nil {
		return nil, err
	}
	p := rule.Price
	sc, err := e.sortedCurve(p.Curve, mineral, stage)
	if err != nil {
		return nil, asProblem(err, mineral, stage)
	}
	// A scratch derivation: the conversions record their steps on it, not on f.
	c := &calc{e: e, f: &Floor{Mineral: mineral, Stage: stage, ValidFrom: f.ValidFrom, CutOff: f.CutOff, Currency: f.Currency, Unit: f.Unit}, rule: rule}
	counts, who, err := c.whoCounts(p)
	if err != nil {
		return nil, err
	}
	v := &CurveView{Floor: f, Curve: sc.curve.Name, Source: sc.curve.Source, Year: sc.curve.Year, Illustrative: sc.curve.Illustrative,
		CapacityUnit: sc.curve.Unit, Counts: who, Percentile: p.Percentile}
	factor, deflate := c.deflator(sc.curve)
	if deflate {
		v.Deflator = factor
	}
	var all dec.Decimal
	for _, pr := range sc.producers {
		cost := pr.Cost
		if deflate {
			cost = cost.Mul(factor)
		}
		cost, err := c.perUnit(cost, sc.curve.Unit, "cost curve "+p.Curve)
		if err == nil {
			cost, err = c.inCurrency(cost, sc.curve.Currency, "cost curve "+p.Curve)
		}
		if err != nil {
			return nil, err
		}
		step := CurveStep{Producer: pr, Counted: counts(pr.Country) && pr.Capacity.Sign() > 0, From: all}
		step.Cost = cost
		all = all.Add(pr.Capacity)
		step.To = all
		if step.Counted {
			v.Total = v.Total.Add(pr.Capacity)
		}
		v.Producers = append(v.Producers, step)
	}
	v.Target = v.Total.Mul(p.Percentile).Quo(dec.FromInt(100))
	var cum dec.Decimal
	for _, s := range v.Producers {
		if !s.Counted {
			continue
		}
		if cum.Add(s.Capacity).Cmp(v.Target) >= 0 {
			v.Marginal, v.CashCost = s.ID, s.Cost
			v.TargetX = s.From.Add(v.Target.Sub(cum))
			break
		}
		cum = cum.Add(s.Capacity)
	}
	for _, st := range f.Steps {
		if st.Step == "capital charge" {
			v.CapitalCharge, _ = dec.Parse(st.Output)
		}
	}
	return v, nil
}

// MarketView is a monthly benchmark series beside a floor, in the floor's
// currency per the floor's unit: for a market_average floor the series it is
// computed from; for another method the World Bank Pink Sheet series of the
// same mineral, when the registry has one, shown for comparison only.
type MarketView struct {
	Series       string        `json:"series"`
	Name         string        `json:"name"`
	Source       string        `json:"source"`
	Illustrative bool          `json:"illustrative"`
	Input        bool          `json:"input"` // the floor is computed from this series
	Currency     string        `json:"currency"`
	Unit         string        `json:"unit"`
	Points       []MarketPoint `json:"points"`
}

// MarketPoint is one month of a MarketView.
type MarketPoint struct {
	Month string      `json:"month"` // YYYY-MM
	Value dec.Decimal `json:"value"`
}

// MarketView returns the benchmark series of mineral at stage under the rule
// in force on d, for the months from..to. No series to compare with is a
// problem.NotFound error.
func (e *Engine) MarketView(mineral, stage string, d, from, to date.Date) (*MarketView, error) {
	ag, err := e.rules(d)
	if err != nil {
		return nil, err
	}
	rule, err := ruleOf(ag, mineral, stage)
	if err != nil {
		return nil, err
	}
	c := &calc{e: e, f: &Floor{Mineral: mineral, Stage: stage, Currency: e.ag.Currency, Unit: rule.Unit}, rule: rule}
	id, input := rule.Price.Series, true
	if rule.Price.Method != agreement.MarketAverage || id == "" {
		id, input = "pinksheet:"+mineral, false
	}
	s, err := c.series(id)
	if err != nil {
		if !input {
			return nil, &problem.Error{Code: problem.NotFound, Field: mineral + "/" + stage,
				Message: fmt.Sprintf("no market series to compare with: the floor is set by method %s and the Pink Sheet has no %s series", rule.Price.Method, mineral)}
		}
		return nil, asProblem(err, mineral, stage)
	}
	v := &MarketView{Series: s.ID, Name: s.Name, Source: s.Source, Illustrative: s.Illustrative, Input: input, Currency: c.f.Currency, Unit: c.f.Unit}
	for m := date.New(from.Year(), from.Month(), 1); !m.After(to); m = m.AddMonths(1) {
		key := m.MonthKey()
		x, ok := s.Points[key]
		if !ok {
			continue
		}
		c.f.CutOff, c.f.Steps, c.f.Inputs = m, c.f.Steps[:0], c.f.Inputs[:0]
		if x, err = c.perUnit(x, s.Unit, "series "+s.ID); err != nil {
			return nil, err
		}
		if x, err = c.inCurrency(x, s.Currency, "series "+s.ID); err != nil {
			continue // a month without an exchange rate is left out, not guessed
		}
		v.Points = append(v.Points, MarketPoint{Month: key, Value: x})
	}
	return v, nil
}

// Package costcurve holds the cash-cost curves of the cost_curve reference-price
// method (Art. 6.2 of the example agreement): producers with a yearly capacity
// of contained mineral and a cash cost per unit of it.
//
// Two kinds of curve exist. "busch-lithium-2024" is built from the public
// deposit-level lithium costs of Busch et al. (2024), shipped in
// data/busch-lithium-deposits. Every other curve is "generated": an
// ILLUSTRATIVE curve drawn by a seeded generator (Generate) and calibrated to
// USGS Mineral Commodity Summaries 2026 country production and a reference
// price, written to data/costcurves and labelled illustrative wherever it
// appears. No generated producer is a real mine. docs/costcurves.md describes
// both and the generator step by step.
package costcurve

import (
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The curve names Load accepts.
const (
	Busch     = "busch-lithium-2024" // deposit-level lithium costs of Busch et al. (2024)
	Generated = "generated"          // an illustrative curve from Generate, in data/costcurves
)

// Curve is a cost curve of one mineral at one stage.
type Curve struct {
	Name         string // Busch or Generated
	Mineral      string // registry mineral id: "lithium"
	Stage        string // registry stage: "mined", "processed"
	Unit         string // registry unit of contained mineral of capacities and costs: "t", "kg"
	Currency     string // ISO 4217 code of costs: "USD"
	Year         int    // the year whose money costs are in
	Illustrative bool   // true for generated curves: not real mine data
	Source       string // one line: where the figures come from
	Calibration  string // for generated curves: what they are calibrated to, with the figures
	Producers    []Producer
}

// Producer is one step of a cost curve: a mine, a deposit or, in a generated
// curve, an illustrative producer.
type Producer struct {
	ID       string
	Name     string
	Country  string      // ISO 3166-1 alpha-2; "ZZ" for MCS "other countries"
	Capacity dec.Decimal // production per year, in the curve's Unit of contained mineral
	Cost     dec.Decimal // cash cost per Unit, in the curve's Currency
	// CostSource is how the cost was obtained, for the Busch curve its
	// cost_source ("Report", "Quantile", "Regression"; BuschCostSources);
	// empty for a generated producer.
	CostSource string
}

// OtherCountries is the country code of the producers a generated curve makes
// of the USGS row "Other countries": ZZ is user-assigned in ISO 3166-1 and is
// no country, so no agreement rule can match it by accident.
const OtherCountries = "ZZ"

// Sorted returns a copy of the producers in order of cost, cheapest first,
// ties broken by ID: the order of the cumulative cost curve.
func (c *Curve) Sorted() []Producer {
	ps := slices.Clone(c.Producers)
	slices.SortStableFunc(ps, func(a, b Producer) int {
		if n := a.Cost.Cmp(b.Cost); n != 0 {
			return n
		}
		return strings.Compare(a.ID, b.ID)
	})
	return ps
}

// TotalCapacity returns the sum of the producers' capacities.
func (c *Curve) TotalCapacity() dec.Decimal {
	var t dec.Decimal
	for _, p := range c.Producers {
		t = t.Add(p.Capacity)
	}
	return t
}

// WeightedMeanCost returns the capacity-weighted mean cash cost,
// Σ capacity × cost / Σ capacity, to dec.Precision significant digits (exact
// whenever the quotient terminates). A curve without capacity has no mean: it
// returns zero.
func (c *Curve) WeightedMeanCost() dec.Decimal {
	var sum, total dec.Decimal
	for _, p := range c.Producers {
		sum = sum.Add(p.Capacity.Mul(p.Cost))
		total = total.Add(p.Capacity)
	}
	if total.IsZero() {
		return dec.Zero
	}
	return sum.Quo(total)
}

// CostAt returns the producer at percentile pct (0 < pct ≤ 100) of cumulative
// capacity: in order of cost, the first producer at which cumulative capacity
// reaches pct % of the total. It is the definition the cost_curve method uses
// (package refprice), applied to every producer of the curve.
func (c *Curve) CostAt(pct dec.Decimal) (Producer, error) {
	if pct.Sign() <= 0 || pct.Cmp(dec.FromInt(100)) > 0 {
		return Producer{}, problem.Errorf(problem.Invalid, "percentile %s is not in (0, 100]", pct)
	}
	total := c.TotalCapacity()
	if total.Sign() <= 0 {
		return Producer{}, problem.Errorf(problem.Invalid, "cost curve %s %s/%s has no capacity", c.Name, c.Mineral, c.Stage)
	}
	target := total.Mul(pct).Quo(dec.FromInt(100))
	var cum dec.Decimal
	ps := c.Sorted()
	for _, p := range ps {
		cum = cum.Add(p.Capacity)
		if cum.Cmp(target) >= 0 {
			return p, nil
		}
	}
	return ps[len(ps)-1], nil
}

package market

import (
	"fmt"
	"math"
)

// Tolerance is the relative tolerance of every equilibrium condition: a
// quantity residual is compared with the instance's quantity scale (the
// larger of total capacity and the largest demand intercept or reference
// quantity), a price residual with its price scale (the largest cost, choke
// or reference price, floor or route charge).
const Tolerance = 1e-9

// Check holds the largest residual of each equilibrium condition, in the
// instance's units, and whether all are within Tolerance of their scale.
type Check struct {
	// MarketClearing: |Σ arrivals − consumption| over regions.
	MarketClearing float64 `json:"market_clearing"`
	// SupplyBalance: |Σ shipments − production| over regions.
	SupplyBalance float64 `json:"supply_balance"`
	// Demand: |consumption − demand(price)| over regions.
	Demand float64 `json:"demand"`
	// Arbitrage: max(0, p_importer − landed(p_exporter)) over all routes.
	Arbitrage float64 `json:"arbitrage"`
	// Tightness: |p_importer − landed(p_exporter)| over routes with flow.
	Tightness float64 `json:"tightness"`
	// Producers: distance of outputs from complementary slackness (capacity
	// when the producer price exceeds cost, zero when it is below).
	Producers float64 `json:"producers"`
	// NegativeFlow: the largest negative quantity, flow or output.
	NegativeFlow  float64 `json:"negative_flow"`
	PriceScale    float64 `json:"price_scale"`
	QuantityScale float64 `json:"quantity_scale"`
	Tolerance     float64 `json:"tolerance"`
	OK            bool    `json:"ok"`
	Worst         string  `json:"worst,omitempty"`
}

// CheckEquilibrium recomputes every equilibrium condition of eq from the
// instance alone, independently of how eq was found.
func CheckEquilibrium(in *Instance, eq *Equilibrium) Check {
	m := newModel(in)
	n := m.n
	c := Check{PriceScale: m.pscale, QuantityScale: m.qscale, Tolerance: Tolerance}
	idx := make(map[string]int, n)
	for i, r := range in.Regions {
		idx[r.ID] = i
	}
	arrive := make([]float64, n)
	ship := make([]float64, n)
	prod := make([]float64, n)
	type pair struct{ a, b int }
	flow := map[pair]float64{}
	for _, f := range eq.Flows {
		a, b := idx[f.From], idx[f.To]
		arrive[b] += f.Quantity
		ship[a] += f.Quantity
		flow[pair{a, b}] += f.Quantity
		c.NegativeFlow = math.Max(c.NegativeFlow, -f.Quantity)
	}
	for i, p := range in.Producers {
		r := idx[p.Region]
		x := eq.Producers[i].Output
		prod[r] += x
		c.NegativeFlow = math.Max(c.NegativeFlow, -x)
		pi := eq.Regions[r].ProducerPrice
		var d float64
		switch {
		case pi > p.UnitCost+1e-12*m.pscale:
			d = math.Abs(p.Capacity - x)
		case pi < p.UnitCost-1e-12*m.pscale:
			d = math.Abs(x)
		default:
			d = math.Max(0, math.Max(-x, x-p.Capacity))
		}
		c.Producers = math.Max(c.Producers, d)
	}
	for r := 0; r < n; r++ {
		rr := eq.Regions[r]
		c.MarketClearing = math.Max(c.MarketClearing, math.Abs(arrive[r]-rr.Consumption))
		c.SupplyBalance = math.Max(c.SupplyBalance, math.Abs(ship[r]-prod[r]))
		c.Demand = math.Max(c.Demand, math.Abs(rr.Consumption-m.dem[r].quantity(rr.Price)))
	}
	for _, l := range m.links {
		if len(m.sup[l.from].cost) == 0 {
			continue // nothing to ship: the route's price gap is no arbitrage
		}
		pi := eq.Regions[l.from].ProducerPrice
		gap := eq.Regions[l.to].Price - l.landed(pi)
		c.Arbitrage = math.Max(c.Arbitrage, gap)
		if flow[pair{l.from, l.to}] > 0 {
			c.Tightness = math.Max(c.Tightness, math.Abs(gap))
		}
	}
	qt, pt := Tolerance*m.qscale, Tolerance*m.pscale
	type res struct {
		name string
		v, t float64
	}
	worst, ratio := "", 0.0
	for _, r := range []res{{"market_clearing", c.MarketClearing, qt}, {"supply_balance", c.SupplyBalance, qt},
		{"demand", c.Demand, qt}, {"arbitrage", c.Arbitrage, pt}, {"tightness", c.Tightness, pt},
		{"producers", c.Producers, qt}, {"negative_flow", c.NegativeFlow, qt}} {
		if q := r.v / r.t; q > ratio || math.IsNaN(r.v) {
			worst, ratio = fmt.Sprintf("%s = %.3g (tolerance %.3g)", r.name, r.v, r.t), q
		}
	}
	c.OK = ratio <= 1
	if !c.OK {
		c.Worst = worst
	}
	return c
}

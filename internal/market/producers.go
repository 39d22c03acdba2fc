package market

import (
	"fmt"
	"math"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/annuity"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/dec"
)

type planProducer struct {
	id, country string
	region      int
	capacity    float64 // monthly
	cost        float64
	online      int // first month producing
	offline     int // first month not producing
	project     int // index into projects, −1 if an existing producer
}

type planProject struct {
	producer int
	charge   float64 // capital charge per unit: capex × CRF(rate, life)
	lead     int
	earliest int
}

// buildSupply loads the cost curve and places every producer and project in
// its region.
func (pl *Plan) buildSupply(p *problems, env Env, zone *agreement.Zone) {
	sc := pl.Scenario
	n := len(pl.Months)
	capScale, costScale := sc.Supply.CapacityScale, sc.Supply.CostScale
	if capScale == 0 {
		capScale = 1
	}
	if costScale == 0 {
		costScale = 1
	}
	add := func(field, id, country string, capacity, cost float64, online, offline, project int) {
		r := pl.regionOf(country, zone)
		if r < 0 {
			p.add(field, "country %s of producer %s is in no region (add it to a region, or add a region with countries: [rest])", country, id)
			return
		}
		pl.producers = append(pl.producers, planProducer{id: id, country: country, region: r, capacity: capacity / 12, cost: cost,
			online: max(0, online), offline: min(n, offline), project: project})
	}
	if sc.Supply.Curve != "" {
		if env.Data == nil {
			p.add("supply.curve", "no data directory to load cost curve %s from", sc.Supply.Curve)
			return
		}
		c, err := costcurve.LoadWith(env.Data, env.Registry, sc.Supply.Curve, sc.Mineral, curveStage(sc))
		if err != nil {
			p.add("supply.curve", "%s", messageOf(err))
			return
		}
		if c.Unit != sc.Unit {
			p.add("supply.curve", "cost curve %s is per %s, the scenario per %s", c.Name, c.Unit, sc.Unit)
		}
		if c.Illustrative {
			pl.Design.Notes = append(pl.Design.Notes, fmt.Sprintf("supply: cost curve %s %s/%s is ILLUSTRATIVE (generated, not real mine data)", c.Name, c.Mineral, c.Stage))
		}
		for _, pr := range c.Sorted() {
			cs := 1.0
			if v, ok := sc.Supply.CountryScale[pr.Country]; ok {
				cs = v
			}
			add("supply.curve", pr.ID, pr.Country, pr.Capacity.Float64()*capScale*cs, pr.Cost.Float64()*costScale, 0, n, -1)
		}
	}
	for i, pr := range sc.Supply.Producers {
		on, off := 0, n
		if !pr.Online.IsZero() {
			on = pl.monthIndex(pr.Online)
		}
		if !pr.Offline.IsZero() {
			off = pl.monthIndex(pr.Offline)
		}
		add(fmt.Sprintf("supply.producers[%d].country", i), pr.ID, pr.Country, pr.Capacity, pr.Cost, on, off, -1)
	}
	if in := sc.Investment; in != nil {
		pl.window, pl.closure = in.WindowMonths, in.ClosureMonths
		if pl.window == 0 {
			pl.window = 12
		}
		for i, pj := range in.Projects {
			life := pj.LifeYears
			if life == 0 {
				life = 15
			}
			earliest := 0
			if !pj.Earliest.IsZero() {
				earliest = max(0, pl.monthIndex(pj.Earliest))
			}
			pl.projects = append(pl.projects, planProject{producer: len(pl.producers), charge: pj.Capex * recoveryFactor(pj.Rate, life), lead: pj.LeadMonths, earliest: earliest})
			add(fmt.Sprintf("investment.projects[%d].country", i), pj.ID, pj.Country, pj.Capacity, pj.Cost, n, n, len(pl.projects)-1)
		}
	}
	if len(pl.producers) == 0 {
		p.add("supply", "the scenario has no producers: name a curve or list producers")
	}
	for i := range pl.producers {
		if _, err := env.Registry.Country(pl.producers[i].country); err != nil && pl.producers[i].country != costcurve.OtherCountries {
			p.add("supply", "producer %s: %s", pl.producers[i].id, messageOf(err))
		}
	}
	// Quantity scale: every producer's capacity and the demand at the end.
	var capTotal, dem float64
	for _, pr := range pl.producers {
		capTotal += pr.capacity
	}
	for _, r := range pl.regions {
		dem += r.q0 * math.Pow(r.growth, float64(n)) * 4
	}
	pl.qscale = math.Max(1, math.Max(capTotal, dem))
}

// curveStage is the stage of the cost curve: the busch curve is mined.
func curveStage(sc *Scenario) string {
	if sc.Supply.Curve == costcurve.Busch {
		return "mined"
	}
	return sc.Stage
}

// recoveryFactor is the capital recovery factor of a project financed at
// rate over life years, as the reference prices charge capital
// (annuity.RecoveryFactor; docs/prices.md, cost_curve step 4).
func recoveryFactor(rate float64, life int) float64 {
	r, _ := dec.FromFloat(rate) // the scenario's rate is finite: validated in [0, 1)
	f, _ := annuity.RecoveryFactor(r, life)
	return f.Float64()
}

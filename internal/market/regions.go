package market

import (
	"fmt"
	"maps"
	"math"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

type planRegion struct {
	id        string
	countries []string
	parties   bool    // the zone
	allParty  bool    // every country a party
	q0        float64 // monthly demand at the reference price, month 0
	p0, e     float64 // reference price, elasticity
	growth    float64 // monthly growth factor
	partyShr  map[string]float64
}

// buildRegions assigns countries to regions and calibrates demand.
func (pl *Plan) buildRegions(p *problems, env Env, zone *agreement.Zone) {
	sc := pl.Scenario
	d := sc.Demand
	pl.backstop = d.BackstopPrice
	if pl.backstop == 0 {
		pl.backstop = 10 * d.RefPrice
	}
	for i, r := range sc.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		pr := planRegion{id: r.ID, p0: d.RefPrice, e: d.Elasticity, partyShr: r.PartyShares}
		if r.Elasticity != 0 {
			pr.e = r.Elasticity
		}
		g := d.Growth
		if r.Growth != nil {
			g = *r.Growth
		}
		pr.growth = math.Pow(1+g, 1.0/12)
		pr.q0 = d.RefQuantity * r.Share / 12
		all := true
		for k, c := range r.Countries {
			switch c {
			case CountriesParties:
				pr.parties = true
				pl.zone = i
			case CountriesRest:
				all = false
			default:
				members := []string{c}
				if env.Registry.IsGroup(c) {
					members, _ = env.Registry.Group(c)
				} else if _, err := env.Registry.Country(c); err != nil {
					p.add(fmt.Sprintf("%s.countries[%d]", f, k), "%s", messageOf(err))
					continue
				}
				for _, m := range members {
					pr.countries = append(pr.countries, m)
					if !zone.Contains(m) {
						all = false
					}
				}
			}
		}
		pr.allParty = pr.parties || (all && len(pr.countries) > 0)
		for _, k := range slices.Sorted(maps.Keys(r.PartyShares)) {
			if !zone.Contains(k) {
				p.add(f+".party_shares."+k, "%s is not a party in force on %s", k, pl.Design.AsOf)
			}
		}
		pl.regions = append(pl.regions, pr)
		if sc.Report == r.ID {
			pl.report = i
		}
	}
	if pl.zone >= 0 {
		pl.Design.Zone = pl.regions[pl.zone].id
		if sc.Report == "" {
			pl.report = pl.zone
		}
	} else {
		pl.Design.Notes = append(pl.Design.Notes, "no region is the parties (countries: [parties]): the design's border instruments apply nowhere")
	}
	R := len(pl.regions)
	pl.transport = make([]float64, R*R)
	for i := range pl.transport {
		pl.transport[i] = sc.Transport.Default
	}
	idx := pl.regionIndex
	for _, rt := range sc.Transport.Routes {
		pl.transport[idx(rt.From)*R+idx(rt.To)] = rt.Cost
	}
}

func (pl *Plan) regionIndex(id string) int {
	for i := range pl.regions {
		if pl.regions[i].id == id {
			return i
		}
	}
	return -1
}

// regionOf returns the region of a producer's country: the region that names
// it (or its group), else the zone if it is in a party, else the rest.
func (pl *Plan) regionOf(country string, zone *agreement.Zone) int {
	rest := -1
	for i, r := range pl.regions {
		if slices.Contains(r.countries, country) {
			return i
		}
		if slices.Contains(pl.Scenario.Regions[i].Countries, CountriesRest) {
			rest = i
		}
	}
	if pl.zone >= 0 && zone.Contains(country) {
		return pl.zone
	}
	return rest
}

// ownRegion is the region that is the country alone (by id or by its only
// country), −1 if none.
func (pl *Plan) ownRegion(country string) int {
	if r := pl.regionIndex(country); r >= 0 {
		return r
	}
	for r := range pl.regions {
		if len(pl.regions[r].countries) == 1 && pl.regions[r].countries[0] == country {
			return r
		}
	}
	return -1
}

// regionNames lists the region ids.
func (pl *Plan) regionNames() []string {
	out := make([]string, len(pl.regions))
	for i, r := range pl.regions {
		out[i] = r.id
	}
	return out
}

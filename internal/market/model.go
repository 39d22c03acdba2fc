package market

import (
	"math"
	"slices"
)

// model is an instance compiled for the solver: demand and supply curves by
// region and one link per route, the self-supply links first (link r is
// r → r).
type model struct {
	in     *Instance
	n      int // regions
	dem    []demandCurve
	sup    []supplyCurve
	links  []link
	pscale float64 // typical price, for tolerances
	qscale float64 // typical quantity, for tolerances
}

func newModel(in *Instance) *model {
	m := &model{in: in, n: len(in.Regions)}
	idx := make(map[string]int, m.n)
	for i, r := range in.Regions {
		idx[r.ID] = i
	}
	m.pscale, m.qscale = 1, 1
	byRegion := make([][]int, m.n)
	for j, p := range in.Producers {
		r := idx[p.Region]
		byRegion[r] = append(byRegion[r], j)
	}
	for i, r := range in.Regions {
		m.dem = append(m.dem, newDemandCurve(r.Demand))
		m.sup = append(m.sup, newSupplyCurve(in, byRegion[i]))
		m.pscale = math.Max(m.pscale, m.dem[i].scale())
		if m.dem[i].linear {
			m.qscale = math.Max(m.qscale, m.dem[i].a)
		} else {
			m.qscale = math.Max(m.qscale, m.dem[i].q0)
		}
		m.links = append(m.links, link{from: i, to: i})
	}
	var capTotal float64
	for _, p := range in.Producers {
		m.pscale = math.Max(m.pscale, p.UnitCost)
		capTotal += p.Capacity
	}
	m.qscale = math.Max(m.qscale, capTotal)
	type pair struct{ a, b string }
	tariff := make(map[pair]Tariff, len(in.Tariffs))
	for _, t := range in.Tariffs {
		tariff[pair{t.Importer, t.Exporter}] = t
	}
	floor := make(map[string]*Floor, len(in.Floors))
	for i := range in.Floors {
		floor[in.Floors[i].Importer] = &in.Floors[i]
		m.pscale = math.Max(m.pscale, in.Floors[i].Price)
	}
	for _, rt := range in.Transport {
		l := link{from: idx[rt.From], to: idx[rt.To], transport: rt.Cost}
		t, ok := tariff[pair{rt.To, rt.From}]
		if !ok {
			t = tariff[pair{rt.To, "*"}]
		}
		l.specific, l.adValorem = t.Specific, t.AdValorem
		if f := floor[rt.To]; f != nil && !slices.Contains(f.Exempt, rt.From) {
			l.hasFloor, l.floor = true, f.Price
		}
		m.pscale = math.Max(m.pscale, rt.Cost+t.Specific)
		m.links = append(m.links, l)
	}
	return m
}

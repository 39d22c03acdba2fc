package market

import (
	"fmt"
	"math"
	"slices"
)

type planQuota struct {
	producers []int
	from, to  int     // months [from, to)
	monthly   float64 // tonnes a month
}

// buildShocks lays the scheduled shocks out by month.
func (pl *Plan) buildShocks(p *problems) {
	sc := pl.Scenario
	n, R, P := len(pl.Months), len(pl.regions), len(pl.producers)
	pl.blocked = make([]bool, n*R*R)
	pl.extra = make([]float64, n*R*R)
	pl.capFactor = make([]float64, n*P)
	pl.demFactor = make([]float64, n*R)
	for i := range pl.capFactor {
		pl.capFactor[i] = 1
	}
	for i := range pl.demFactor {
		pl.demFactor[i] = 1
	}
	pl.growthAt = make([]float64, n*R)
	for m := 0; m < n; m++ {
		for g := range pl.regions {
			pl.growthAt[m*R+g] = math.Pow(pl.regions[g].growth, float64(m))
		}
	}
	span := func(s Shock) (int, int) {
		a := pl.monthIndex(s.From)
		return max(0, a), min(n, a+s.Months)
	}
	for i, s := range sc.Shocks {
		f := fmt.Sprintf("shocks[%d]", i)
		a, b := span(s)
		switch s.Type {
		case ShockExportCost:
			own := pl.ownRegion(s.Country)
			if own < 0 {
				p.add(f+".country", "an export cost needs %s to be a region of its own", s.Country)
				continue
			}
			for ti := range pl.regions {
				if ti == own || len(s.To) > 0 && !slices.Contains(s.To, pl.regions[ti].id) {
					continue
				}
				for m := a; m < b; m++ {
					pl.extra[(m*R+own)*R+ti] += s.Cost
				}
			}
		case ShockExportBan:
			own := pl.ownRegion(s.Country)
			if own < 0 {
				if len(s.To) > 0 {
					p.add(f+".to", "a ban to particular regions needs %s to be a region of its own", s.Country)
					continue
				}
				// The country's producers can sell to no one outside it; its
				// own consumption is not modelled, so they stop.
				found := false
				for j, pr := range pl.producers {
					if pr.country == s.Country {
						found = true
						for m := a; m < b; m++ {
							pl.capFactor[m*P+j] = 0
						}
					}
				}
				if !found {
					p.add(f+".country", "no producer is in %s", s.Country)
				}
				continue
			}
			to := s.To
			if len(to) == 0 {
				for _, r := range pl.regions {
					to = append(to, r.id)
				}
			}
			for _, t := range to {
				ti := pl.regionIndex(t)
				if ti == own {
					continue
				}
				for m := a; m < b; m++ {
					pl.blocked[(m*R+own)*R+ti] = true
				}
			}
		case ShockExportQuota:
			q := planQuota{from: a, to: b, monthly: s.TonnesPerYear / 12}
			for j, pr := range pl.producers {
				if pr.country == s.Country {
					q.producers = append(q.producers, j)
				}
			}
			if len(q.producers) == 0 {
				p.add(f+".country", "no producer is in %s", s.Country)
			}
			pl.quotas = append(pl.quotas, q)
		case ShockOutage:
			found := false
			for j, pr := range pl.producers {
				if (s.Producer != "" && pr.id == s.Producer) || (s.Country != "" && pr.country == s.Country) {
					found = true
					for m := a; m < b; m++ {
						pl.capFactor[m*P+j] *= 1 - s.Share
					}
				}
			}
			if !found {
				p.add(f, "no producer matches (producer %q, country %q)", s.Producer, s.Country)
			}
		case ShockDemand:
			for r := range pl.regions {
				if s.Region != "" && pl.regions[r].id != s.Region {
					continue
				}
				for m := a; m < b; m++ {
					pl.demFactor[m*R+r] *= s.Factor
				}
			}
		}
	}
}

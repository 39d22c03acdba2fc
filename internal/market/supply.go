package market

import "sort"

// supplyCurve is a region's step supply curve: its producers sorted by unit
// cost, with cumulative capacities, so that the supply at a price is one
// binary search.
type supplyCurve struct {
	cost []float64 // ascending
	cum  []float64 // cum[k] = capacity of the k cheapest producers; len(cost)+1
	idx  []int     // producer index of each step
}

func newSupplyCurve(in *Instance, region string) supplyCurve {
	var s supplyCurve
	for i, p := range in.Producers {
		if p.Region == region && p.Capacity > 0 {
			s.idx = append(s.idx, i)
		}
	}
	sort.SliceStable(s.idx, func(a, b int) bool {
		return in.Producers[s.idx[a]].UnitCost < in.Producers[s.idx[b]].UnitCost
	})
	s.cost = make([]float64, len(s.idx))
	s.cum = make([]float64, len(s.idx)+1)
	for k, i := range s.idx {
		s.cost[k] = in.Producers[i].UnitCost
		s.cum[k+1] = s.cum[k] + in.Producers[i].Capacity
	}
	return s
}

// count returns how many steps cost less than x.
func (s *supplyCurve) count(x float64) int {
	lo, hi := 0, len(s.cost)
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.cost[m] < x {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo
}

// bounds returns the least and greatest quantity supplied at price p: the
// producers with cost below p − tol produce at capacity, those within tol of p
// are at the margin and may produce anything up to capacity.
func (s *supplyCurve) bounds(p, tol float64) (lo, hi float64) {
	if len(s.cost) == 0 {
		return 0, 0
	}
	i := s.count(p - tol)
	j := i
	for j < len(s.cost) && s.cost[j] <= p+tol {
		j++
	}
	return s.cum[i], s.cum[j]
}

package market

import (
	"cmp"
	"slices"
)

// supplyCurve is a region's step supply curve: its producers sorted by unit
// cost, with cumulative capacities, so that the supply at a price is one
// binary search.
type supplyCurve struct {
	cost []float64 // ascending
	cum  []float64 // cum[k] = capacity of the k cheapest producers; len(cost)+1
	idx  []int     // producer index of each step
}

// newSupplyCurve builds the curve of the producers idx (indices into
// in.Producers), keeping only those with capacity.
func newSupplyCurve(in *Instance, idx []int) supplyCurve {
	type step struct {
		cost float64
		i    int
	}
	steps := make([]step, 0, len(idx))
	for _, i := range idx {
		if p := in.Producers[i]; p.Capacity > 0 {
			steps = append(steps, step{p.UnitCost, i})
		}
	}
	slices.SortFunc(steps, func(a, b step) int { // by cost, then input order
		if c := cmp.Compare(a.cost, b.cost); c != 0 {
			return c
		}
		return a.i - b.i
	})
	s := supplyCurve{cost: make([]float64, len(steps)), cum: make([]float64, len(steps)+1), idx: make([]int, len(steps))}
	for k, st := range steps {
		s.cost[k], s.idx[k] = st.cost, st.i
		s.cum[k+1] = s.cum[k] + in.Producers[st.i].Capacity
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

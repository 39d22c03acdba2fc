package ownership

import (
	"fmt"
	"math/rand/v2"
)

// genCountries are the jurisdictions and nationalities Generate draws from.
var genCountries = []string{"US", "AU", "JP", "CA", "GB", "DE", "CL", "ID", "CN", "RU", "CD", "ZA", "BR", "IN", "KZ"}

// Generate returns a synthetic register of about n relationship statements
// (one interest each), seeded, for benchmarks; it is ILLUSTRATIVE, no real
// ownership. Its shape, chosen to look like corporate registers:
//   - eight levels: persons and state bodies at the top (level 0), companies
//     in levels 1 to 6, facilities at level 7; every node below the top has
//     1 holder (70%), 2 (22%) or 3 (8%) in the level above, with shares
//     summing to 60–95% (the rest unrecorded, as a listed float);
//   - one relationship in a hundred is a cross-holding back up the chain (a
//     company holding 1–5% of one of its holders), making cycles;
//   - one in ten shares is a range (±5 points) instead of an exact figure;
//   - one subject in fifty also gives a holder the right to appoint its
//     board.
//
// The same n and seed give the same register.
func Generate(n int, seed uint64) *Register {
	rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
	r := NewRegister()
	// Relationships per node below the top: 1.38 holders, 0.01 back edges,
	// 0.02 board rights.
	below := int(float64(n) / 1.41)
	top := max(below/10, 1)
	levels := 8
	per := max(below/(levels-1), 1)
	var lv [][]int
	idx := 0
	add := func(kind Kind) int {
		id := fmt.Sprintf("N%08d", idx)
		idx++
		node := Node{ID: id, Kind: kind, Statement: id}
		c := genCountries[rng.IntN(len(genCountries))]
		switch kind {
		case Person:
			node.Nationalities = []string{c}
		case Facility:
			node.Jurisdiction, node.Commodity, node.Stage = c, "lithium", "mined"
		default:
			node.Jurisdiction = c
		}
		return r.add(node)
	}
	first := make([]int, 0, top)
	for range top {
		k := Person
		if rng.IntN(20) == 0 {
			k = State
		}
		first = append(first, add(k))
	}
	lv = append(lv, first)
	edges := 0
	share := func(x float64) Share {
		if rng.IntN(10) == 0 {
			lo, hi := max(x-0.05, 0), min(x+0.05, 1)
			return Share{Low: lo, High: hi, Known: true}
		}
		return Share{Low: x, High: x, Known: true}
	}
	for l := 1; l < levels && edges < n; l++ {
		kind := Entity
		if l == levels-1 {
			kind = Facility
		}
		cur := make([]int, 0, per)
		up := lv[l-1]
		for range per {
			if edges >= n {
				break
			}
			j := add(kind)
			cur = append(cur, j)
			k := 1
			switch p := rng.IntN(100); {
			case p >= 92:
				k = 3
			case p >= 70:
				k = 2
			}
			total := 0.60 + 0.35*rng.Float64()
			w := make([]float64, k)
			sum := 0.0
			for i := range w {
				w[i] = 0.2 + rng.Float64()
				sum += w[i]
			}
			seen := map[int]bool{}
			for i := range k {
				h := up[rng.IntN(len(up))]
				if seen[h] {
					continue
				}
				seen[h] = true
				x := float64(int(total*w[i]/sum*10000)) / 10000 // exact to 0.01%
				r.Edges = append(r.Edges, Edge{Statement: fmt.Sprintf("R%08d", edges), Holder: h, Subject: j, Type: Shareholding, Share: share(x)})
				edges++
			}
			if rng.IntN(50) == 0 {
				h := up[rng.IntN(len(up))]
				r.Edges = append(r.Edges, Edge{Statement: fmt.Sprintf("R%08d", edges), Holder: h, Subject: j, Type: AppointmentOfBoard})
				edges++
			}
			if l > 1 && rng.IntN(100) == 0 {
				// A cross-holding: j holds a little of one of its holders,
				// whose recorded holders leave at least 5% unrecorded.
				h := r.Edges[len(r.Edges)-1].Holder
				x := 0.01 + 0.04*rng.Float64()
				r.Edges = append(r.Edges, Edge{Statement: fmt.Sprintf("R%08d", edges), Holder: j, Subject: h, Type: Shareholding, Share: Share{Low: x, High: x, Known: true}})
				edges++
			}
		}
		lv = append(lv, cur)
	}
	return r
}

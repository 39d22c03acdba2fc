package ownership

import (
	"slices"
	"strings"
)

// Hop is one direct interest on a path: who holds how much of whom, on
// which statements and sources.
type Hop struct {
	Holder     string   `json:"holder"`
	Subject    string   `json:"subject"`
	Low        float64  `json:"share_min"`
	High       float64  `json:"share_max"`
	Statements []string `json:"statements"`
	Sources    []string `json:"sources,omitzero"`
}

// Path is a chain of hops from a holder to a subject and the product of
// its shares.
type Path struct {
	Hops []Hop   `json:"hops"`
	Low  float64 `json:"product_min"`
	High float64 `json:"product_max"`
}

func (r *Register) hop(a arc, holder, subject int) Hop {
	h := Hop{Holder: r.Nodes[holder].ID, Subject: r.Nodes[subject].ID, Low: a.low, High: a.high}
	for _, i := range a.edges {
		e := &r.Edges[int(i)]
		h.Statements = append(h.Statements, e.Statement)
		if e.Source != "" && !slices.Contains(h.Sources, e.Source) {
			h.Sources = append(h.Sources, e.Source)
		}
	}
	return h
}

// maxPaths bounds the paths listed between two nodes; a dense register has
// exponentially many, and the effective interest sums them all anyway.
const maxPaths = 64

// Paths lists the simple paths of shareholdings from holder to subject
// (at most maxPaths, largest product first). A cycle's repeated turns are in
// the effective interest, not in the list: each path visits a node once.
func (x *Interests) Paths(holder, subject int) []Path {
	g := x.graph
	var out []Path
	onPath := make(map[int]bool)
	var walk func(s int, below []Hop, lo, hi float64)
	// Walk up from the subject, only into nodes the holder reaches.
	walk = func(s int, below []Hop, lo, hi float64) {
		if len(out) >= maxPaths*4 {
			return
		}
		onPath[s] = true
		defer delete(onPath, s)
		for _, a := range g.In(s) {
			i := int(a.other)
			if onPath[i] {
				continue
			}
			hops := append([]Hop{x.reg.hop(a, i, s)}, below...)
			if i == holder {
				out = append(out, Path{Hops: hops, Low: lo * a.low, High: hi * a.high})
				continue
			}
			if _, ok := x.Between(holder, i); ok {
				walk(i, hops, lo*a.low, hi*a.high)
			}
		}
	}
	walk(subject, nil, 1, 1)
	slices.SortStableFunc(out, func(a, b Path) int {
		if a.High != b.High {
			if a.High > b.High {
				return -1
			}
			return 1
		}
		return strings.Compare(a.Hops[0].Holder, b.Hops[0].Holder)
	})
	if len(out) > maxPaths {
		out = out[:maxPaths]
	}
	return out
}

package ownership

import (
	"slices"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Control is who controls every node on one date.
//
// A holder controls a subject when it holds more than half of its votes,
// counting with its own the votes of every entity it controls (31 CFR
// 800.208 treats an entity controlled by a foreign person as that person;
// control flows up a majority chain whatever the economic share at its
// end), or when it holds the right to appoint the board (BODS
// appointmentOfBoard with no share, or with more than half of the seats).
// Controller is the ultimate controller: the one at the top of the chain.
type Control struct {
	reg *Register
	On  date.Date
	// Controller[j] is the ultimate controller of j, or −1.
	Controller []int32
	// Possible[j] is the holder that would control j at the upper bounds of
	// the shares when it is not certain at their lower bounds, or −1.
	Possible []int32
	// Basis[j] says why: "votes" or "board".
	Basis []string
	// via[j] lists the arcs into j whose holders count as the controller.
	via   [][]arc
	votes *Graph
}

// Controllers computes control on d.
func Controllers(r *Register, on date.Date) *Control {
	v := Votes(r, on)
	n := len(r.Nodes)
	c := &Control{reg: r, On: on, Controller: make([]int32, n), Possible: make([]int32, n), Basis: make([]string, n), via: make([][]arc, n), votes: v}
	for i := range n {
		c.Controller[i], c.Possible[i] = -1, -1
	}
	var sel []int32
	for i := range r.Edges {
		e := &r.Edges[i]
		if e.Type == AppointmentOfBoard && e.Active(on) && (!e.Share.Known || e.Share.Low > 0.5) {
			sel = append(sel, int32(i))
		}
	}
	bOrder, bStart := bySubject(r, sel)
	board := func(j int) []int32 { return bOrder[bStart[j]:bStart[j+1]] }
	// Holders before subjects, over the arcs of both kinds (a board right
	// orders too): the vote arcs and the board rights in one graph.
	order := &Graph{reg: r, inAt: make([]int32, n+1), in: make([]arc, 0, len(v.in)+len(bOrder))}
	for j := range n {
		order.in = append(order.in, v.In(j)...)
		for _, e := range board(j) {
			order.in = append(order.in, arc{other: int32(r.Edges[e].Holder)})
		}
		order.inAt[j+1] = int32(len(order.in))
	}
	order.outAt, order.out = transpose(order.inAt, order.in, n)
	comps := components(order)
	type count struct {
		u         int32
		low, high float64
	}
	var tally []count
	for ci := len(comps) - 1; ci >= 0; ci-- {
		comp := comps[ci]
		// A component with a cycle is iterated to its fixed point: control
		// found for one member can give control of the next.
		rounds := 1
		if len(comp) > 1 {
			rounds = len(comp) + 1
		}
		for range rounds {
			changed := false
			for _, j := range comp {
				if r.Nodes[j].Kind == Person || r.Nodes[j].Kind == State {
					continue
				}
				tally = tally[:0]
				for _, a := range v.In(j) {
					u := c.ultimate(a.other)
					k := slices.IndexFunc(tally, func(t count) bool { return t.u == u })
					if k < 0 {
						tally = append(tally, count{u: u})
						k = len(tally) - 1
					}
					tally[k].low += a.low
					tally[k].high += a.high
				}
				ctl, poss, basis := int32(-1), int32(-1), ""
				best := 0.0
				for _, t := range tally {
					if int(t.u) == j {
						continue
					}
					// Only one holder can pass half at the lower bounds unless
					// the votes sum above 100% (warned); the largest, then the
					// smallest index, wins, for a stable answer.
					if t.low > 0.5 {
						if ctl < 0 || t.low > best || t.low == best && t.u < ctl {
							ctl, basis, best = t.u, "votes", t.low
						}
					} else if t.high > 0.5 && (poss < 0 || t.u < poss) {
						poss = t.u
					}
				}
				if ctl < 0 {
					for _, e := range board(j) {
						if u := c.ultimate(int32(r.Edges[e].Holder)); int(u) != j {
							ctl, basis = u, "board"
							break
						}
					}
				}
				if ctl != c.Controller[j] {
					changed = true
				}
				c.Controller[j], c.Basis[j] = ctl, basis
				if ctl < 0 {
					c.Possible[j] = poss
				} else {
					c.Possible[j] = -1
				}
				c.via[j] = nil
				switch basis {
				case "votes":
					for _, a := range v.In(j) {
						if c.ultimate(a.other) == ctl {
							c.via[j] = append(c.via[j], a)
						}
					}
				case "board":
					for _, e := range board(j) {
						if c.ultimate(int32(r.Edges[e].Holder)) == ctl {
							c.via[j] = append(c.via[j], arc{other: int32(r.Edges[e].Holder), low: 1, high: 1, edges: []int32{e}})
						}
					}
				}
			}
			if !changed {
				break
			}
		}
	}
	return c
}

// Via returns the direct holders of j whose votes (or board right) make its
// controller's control: the first hop of each control chain.
func (c *Control) Via(j int) []int {
	var out []int
	for _, a := range c.via[j] {
		if !slices.Contains(out, int(a.other)) {
			out = append(out, int(a.other))
		}
	}
	return out
}

// ultimate is whom i's votes count for: its ultimate controller, or itself.
func (c *Control) ultimate(i int32) int32 {
	if u := c.Controller[i]; u >= 0 {
		return u
	}
	return i
}

// Chains returns the control chains from j's ultimate controller down to
// j, each a list of hops, top first.
func (c *Control) Chains(j int) [][]Hop {
	u := c.Controller[j]
	if u < 0 {
		return nil
	}
	var out [][]Hop
	var walk func(s int, below []Hop, depth int)
	walk = func(s int, below []Hop, depth int) {
		if depth > 64 || len(out) >= 32 {
			return
		}
		for _, a := range c.via[s] {
			h := c.reg.hop(a, int(a.other), s)
			path := append([]Hop{h}, below...)
			if a.other == u {
				out = append(out, path)
				continue
			}
			walk(int(a.other), path, depth+1)
		}
	}
	walk(j, nil, 0)
	return out
}

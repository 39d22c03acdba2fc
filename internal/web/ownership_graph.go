package web

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/ownership"
)

// The ownership graph of /ownership/{id}: the facility and every holder
// that reaches it through interests active on the page's date, one edge per
// holder and subject (its statements' shares, types and sources together),
// the edges on the triggers' paths marked. It travels to the page as JSON
// in a <script type="application/json"> block, which static/ownership.js
// draws with Cytoscape.js; the tables of paths stay for readers without
// JavaScript.

// maxGraphNodes bounds the graph drawn: a facility under a large group
// draws its nearest holders and says how many it left out.
const maxGraphNodes = 150

type ownershipGraph struct {
	Facility string       `json:"facility"`
	Nodes    []graphNode  `json:"nodes"`
	Edges    []graphEdge  `json:"edges"`
	Omitted  int          `json:"omitted,omitzero"` // holders beyond maxGraphNodes, not drawn
	Triggers []graphRoute `json:"triggers"`
}

type graphNode struct {
	ID      string `json:"id"`
	Name    string `json:"name"`
	Kind    string `json:"kind"`
	Country string `json:"country,omitzero"`
	Class   string `json:"class,omitzero"`
}

type graphEdge struct {
	ID         string   `json:"id"`
	Source     string   `json:"source"` // the holder
	Target     string   `json:"target"` // the subject
	Share      string   `json:"share"`
	Types      []string `json:"types"`
	Statements []string `json:"statements"`
	Sources    []string `json:"sources,omitzero"`
	// Trigger is "trigger" when the edge is a hop of a counted trigger's
	// path, "possible" when only of a possible one's, "" otherwise.
	Trigger string   `json:"trigger,omitzero"`
	Kinds   []string `json:"kinds,omitzero"` // the kinds of the triggers whose paths use it
	// Indirect is true when every statement behind the edge declares an
	// indirect interest (drawn dotted: the engine leaves such a statement
	// out when the register holds its chain).
	Indirect bool `json:"indirect,omitzero"`
	direct   int
}

// graphRoute is one trigger as the graph's legend names it.
type graphRoute struct {
	Kind     string   `json:"kind"`
	Holder   string   `json:"holder"`
	Level    string   `json:"level"`
	Possible bool     `json:"possible,omitzero"`
	Edges    []string `json:"edges"` // ids of the edges of its paths
}

func edgeID(holder, subject string) string { return holder + "→" + subject }

// graphOf builds the graph of facility f as screened by sc, with dec its
// decision.
func graphOf(sc *ownership.Screen, f int, dec ownership.Decision) ownershipGraph {
	reg := sc.Reg
	// The edges into each subject active on the date, by subject.
	into := map[int][]int{}
	for i := range reg.Edges {
		e := &reg.Edges[i]
		if e.Active(sc.On) {
			into[e.Subject] = append(into[e.Subject], i)
		}
	}
	// Walk up from the facility, breadth first, so that a cut keeps the
	// nearest holders.
	seen := map[int]bool{f: true}
	order := []int{f}
	omitted := map[int]bool{}
	for k := 0; k < len(order); k++ {
		for _, i := range into[order[k]] {
			h := reg.Edges[i].Holder
			if seen[h] {
				continue
			}
			if len(order) >= maxGraphNodes {
				omitted[h] = true
				continue
			}
			seen[h] = true
			order = append(order, h)
		}
	}
	g := ownershipGraph{Facility: reg.Nodes[f].ID, Omitted: len(omitted), Nodes: []graphNode{}, Edges: []graphEdge{}, Triggers: []graphRoute{}}
	for _, i := range order {
		n := &reg.Nodes[i]
		gn := graphNode{ID: n.ID, Name: cmp.Or(n.Name, n.ID), Kind: string(n.Kind), Country: n.Jurisdiction}
		if i < len(sc.Attr) {
			gn.Class = string(sc.Attr[i].Class)
		}
		if n.Kind == ownership.Person && len(n.Nationalities) > 0 {
			gn.Country = strings.Join(n.Nationalities, ", ")
		}
		g.Nodes = append(g.Nodes, gn)
	}
	// One edge per holder and subject, both drawn.
	at := map[string]int{}
	for _, s := range order {
		for _, i := range into[s] {
			e := &reg.Edges[i]
			if !seen[e.Holder] {
				continue
			}
			id := edgeID(reg.Nodes[e.Holder].ID, reg.Nodes[s].ID)
			k, ok := at[id]
			if !ok {
				k = len(g.Edges)
				at[id] = k
				g.Edges = append(g.Edges, graphEdge{ID: id, Source: reg.Nodes[e.Holder].ID, Target: reg.Nodes[s].ID})
			}
			ge := &g.Edges[k]
			if !slices.Contains(ge.Types, string(e.Type)) {
				ge.Types = append(ge.Types, string(e.Type))
			}
			ge.Statements = append(ge.Statements, e.Statement)
			if e.Direct != "indirect" {
				ge.direct++
			}
			if e.Source != "" && !slices.Contains(ge.Sources, e.Source) {
				ge.Sources = append(ge.Sources, e.Source)
			}
			if e.Type == ownership.Shareholding || e.Type == ownership.VotingRights {
				sh := shareText(e.Share)
				if ge.Share != "" {
					ge.Share += ", "
				}
				ge.Share += sh
			}
		}
	}
	for k := range g.Edges {
		g.Edges[k].Indirect = g.Edges[k].direct == 0
		if g.Edges[k].Share == "" {
			g.Edges[k].Share = strings.Join(g.Edges[k].Types, ", ")
		}
	}
	// The triggers' paths.
	for _, t := range dec.Triggers {
		r := graphRoute{Kind: t.Kind, Holder: t.Holder, Level: string(t.Level), Possible: t.Possible, Edges: []string{}}
		for _, p := range t.Paths {
			for _, h := range p.Hops {
				id := edgeID(h.Holder, h.Subject)
				if !slices.Contains(r.Edges, id) {
					r.Edges = append(r.Edges, id)
				}
				k, ok := at[id]
				if !ok {
					continue // beyond the cut
				}
				ge := &g.Edges[k]
				if !t.Possible {
					ge.Trigger = "trigger"
				} else if ge.Trigger == "" {
					ge.Trigger = "possible"
				}
				if !slices.Contains(ge.Kinds, t.Kind) {
					ge.Kinds = append(ge.Kinds, t.Kind)
				}
			}
		}
		g.Triggers = append(g.Triggers, r)
	}
	return g
}

// shareText writes a statement's share: exact, a range, or "share unknown".
func shareText(s ownership.Share) string {
	if !s.Known {
		return "share unknown"
	}
	return ownPercent(ownership.Bounds{Min: s.Low, Max: s.High})
}

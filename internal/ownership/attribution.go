package ownership

import (
	"fmt"
	"slices"
)

// Class is how a holder stands towards the agreement on a date.
type Class string

// The classes. A government is a state body, or an entity a state body
// controls (state ownership, through chains).
const (
	PartyClass      Class = "party"
	PartyGovernment Class = "party_government"
	NonParty        Class = "non_party"
	NonPartyGovt    Class = "non_party_government"
	Unattributed    Class = "unattributed"
)

// NonPartyClass reports whether c is a non-party or a non-party government.
func (c Class) NonPartyClass() bool { return c == NonParty || c == NonPartyGovt }

// Zone answers which party a country belongs to on the date of the
// screening; *agreement.Zone (from agreement.InForce.Zone) satisfies it, so
// membership is the agreement's, never re-derived here.
type Zone interface {
	PartyOf(country string) (string, bool)
}

// Attribution is a node's class with the country and party behind it and
// why.
type Attribution struct {
	Class   Class  `json:"class"`
	Country string `json:"country,omitzero"`
	Party   string `json:"party,omitzero"`
	By      string `json:"by"`
}

// Attribute classes every node on the control's date: a state body by its
// jurisdiction (a government); a person by nationality (a non-party if any
// nationality is outside the zone, as 31 CFR 800.224 counts a foreign
// national whatever other nationality they hold); an entity controlled,
// through chains, by a state body as that state's government; any other
// entity (and a facility) by its jurisdiction.
func Attribute(r *Register, ctl *Control, z Zone) []Attribution {
	out := make([]Attribution, len(r.Nodes))
	for i := range r.Nodes {
		out[i] = attribute(r, ctl, z, i)
	}
	return out
}

func attribute(r *Register, ctl *Control, z Zone, i int) Attribution {
	n := &r.Nodes[i]
	in := func(c string) (string, bool) { return z.PartyOf(c) }
	switch n.Kind {
	case Person:
		if len(n.Nationalities) == 0 {
			return Attribution{Class: Unattributed, By: "no nationality recorded"}
		}
		for _, c := range n.Nationalities {
			if _, ok := in(c); !ok {
				return Attribution{Class: NonParty, Country: c, By: "nationality " + c}
			}
		}
		p, _ := in(n.Nationalities[0])
		return Attribution{Class: PartyClass, Country: n.Nationalities[0], Party: p, By: "nationality " + n.Nationalities[0]}
	case State:
		if p, ok := in(n.Jurisdiction); ok {
			return Attribution{Class: PartyGovernment, Country: n.Jurisdiction, Party: p, By: "state body of " + n.Jurisdiction}
		}
		if n.Jurisdiction == "" {
			return Attribution{Class: NonPartyGovt, By: "state body of an unrecorded state"}
		}
		return Attribution{Class: NonPartyGovt, Country: n.Jurisdiction, By: "state body of " + n.Jurisdiction}
	}
	if ctl != nil {
		if u := ctl.Controller[i]; u >= 0 && r.Nodes[u].Kind == State {
			a := attribute(r, nil, z, int(u))
			a.By = fmt.Sprintf("controlled by state body %s (%s)", r.Nodes[u].ID, a.By)
			return a
		}
	}
	if n.Jurisdiction == "" {
		return Attribution{Class: Unattributed, By: "no jurisdiction recorded"}
	}
	if p, ok := in(n.Jurisdiction); ok {
		return Attribution{Class: PartyClass, Country: n.Jurisdiction, Party: p, By: "jurisdiction " + n.Jurisdiction}
	}
	return Attribution{Class: NonParty, Country: n.Jurisdiction, By: "jurisdiction " + n.Jurisdiction}
}

// Aggregate is, for every subject, the share held by holders of one kind,
// all together (as OFAC's 50% rule aggregates blocked persons: 31 CFR
// 587.406 and OFAC's 2014 guidance on entities owned by blocked persons):
// x_s = Σ_h a_hs · (1 if h is of the kind, x_h otherwise). A holder of the
// kind counts with its whole holding, whoever holds it in turn; any other
// holder is looked through. Cycles are solved as in Effective.
func Aggregate(g *Graph, of func(i int) bool) (low, high []float64, err error) {
	n := len(g.inAt) - 1
	low, high = make([]float64, n), make([]float64, n)
	comps := components(g)
	for ci := len(comps) - 1; ci >= 0; ci-- {
		c := comps[ci]
		if len(c) == 1 && !selfLoop(g, c[0]) {
			j := c[0]
			for _, a := range g.In(j) {
				if of(int(a.other)) {
					low[j] += a.low
					high[j] += a.high
				} else {
					low[j] += a.low * low[a.other]
					high[j] += a.high * high[a.other]
				}
			}
			continue
		}
		k := len(c)
		pos := func(i int) int {
			p, ok := slices.BinarySearch(c, i)
			if !ok {
				return -1
			}
			return p
		}
		mLo, mHi := make([]float64, k*k), make([]float64, k*k)
		bLo, bHi := make([]float64, k), make([]float64, k)
		for li, j := range c {
			for _, a := range g.In(j) {
				switch l := pos(int(a.other)); {
				case of(int(a.other)):
					bLo[li] += a.low
					bHi[li] += a.high
				case l >= 0:
					mLo[li*k+l] += a.low
					mHi[li*k+l] += a.high
				default:
					bLo[li] += a.low * low[a.other]
					bHi[li] += a.high * high[a.other]
				}
			}
		}
		nLo, err := leontief(mLo, k)
		if err != nil {
			return nil, nil, err
		}
		nHi, err := leontief(mHi, k)
		if err != nil {
			return nil, nil, err
		}
		for li, j := range c {
			for l := range k {
				low[j] += nLo[li*k+l] * bLo[l]
				high[j] += nHi[li*k+l] * bHi[l]
			}
		}
	}
	return low, high, nil
}

package scope

import (
	"slices"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// nonPartyHeld is the aggregate non-party interest from which a facility
// counts as held by non-parties: one half, OFAC's 50% rule (31 CFR 587.406)
// as the ownership engine aggregates it (docs/ownership.md, "Aggregation").
const nonPartyHeld = 0.5

// Ownership is who holds a candidate's facilities, were it to join: the
// facilities in the country with a holder recorded on the date (in the
// ownership register), and those of them controlled by a non-party or
// non-party government, or whose aggregate non-party interest is at least
// one half, non-parties being the countries outside the zone with the
// candidate in it.
type Ownership struct {
	Facilities int `json:"facilities"` // in the country, with a holder recorded on the date
	NonParty   int `json:"non_party"`  // of which controlled or held by non-parties
	// Share is NonParty / Facilities; nil where the country has no facility
	// with a recorded holder.
	Share *float64 `json:"non_party_share"`
	// Factor is 1 − Share, the candidate score's ownership factor; 1 (none
	// of its supply counted as held outside the club) where Share is nil,
	// which the note says.
	Factor float64 `json:"factor"`
	// Held lists the facilities counted, with why.
	Held []HeldFacility `json:"held"`
	Note string         `json:"note,omitempty"`
}

// HeldFacility is one facility of a candidate counted as non-party held.
type HeldFacility struct {
	Facility   string  `json:"facility"`
	Name       string  `json:"name,omitempty"`
	Controller string  `json:"controller,omitempty"`
	Class      string  `json:"controller_class,omitempty"`
	Interest   float64 `json:"non_party_interest"` // aggregate, lower bound
}

// owners is the ownership register computed once for a date: effective
// interests and control do not depend on who the parties are; attribution
// and the non-party aggregates do, and are computed per candidate.
type owners struct {
	reg   *ownership.Register
	ctl   *ownership.Control
	graph *ownership.Graph
	by    map[string][]int // facilities with an active holder, by country
}

// ownersOn computes the register's interests and control on d.
func ownersOn(r *ownership.Register, on date.Date) (*owners, error) {
	x, err := ownership.Effective(r, on)
	if err != nil {
		return nil, err
	}
	o := &owners{reg: r, ctl: ownership.Controllers(r, on), graph: x.Graph(), by: map[string][]int{}}
	held := map[int]bool{}
	for i := range r.Edges {
		if e := &r.Edges[i]; e.Active(on) && r.Nodes[e.Subject].Kind == ownership.Facility {
			held[e.Subject] = true
		}
	}
	for f := range held {
		c := r.Nodes[f].Jurisdiction
		o.by[c] = append(o.by[c], f)
	}
	for _, fs := range o.by {
		slices.Sort(fs)
	}
	return o, nil
}

// joined is the zone of the agreement with one country added: the
// agreement answers for its parties (agreement.Zone.PartyOf); the candidate
// is its own party.
type joined struct {
	zone      ownership.Zone
	candidate string
}

func (j joined) PartyOf(c string) (string, bool) {
	if p, ok := j.zone.PartyOf(c); ok {
		return p, true
	}
	return c, c == j.candidate
}

// of is the ownership of country's facilities were it to join zone.
func (o *owners) of(zone ownership.Zone, country string) (Ownership, error) {
	fs := o.by[country]
	res := Ownership{Facilities: len(fs), Factor: 1, Held: []HeldFacility{}}
	if len(fs) == 0 {
		res.Note = "no facility in " + country + " with a holder recorded in the ownership register on the date: factor 1 assumed"
		return res, nil
	}
	z := joined{zone: zone, candidate: country}
	attr := ownership.Attribute(o.reg, o.ctl, z)
	lo, _, err := ownership.Aggregate(o.graph, func(i int) bool { return attr[i].Class.NonPartyClass() })
	if err != nil {
		return res, err
	}
	for _, f := range fs {
		h := HeldFacility{Facility: o.reg.Nodes[f].ID, Name: o.reg.Nodes[f].Name, Interest: round(lo[f])}
		controlled := false
		if u := o.ctl.Controller[f]; u >= 0 {
			h.Controller, h.Class = o.reg.Nodes[u].ID, string(attr[u].Class)
			controlled = attr[u].Class.NonPartyClass()
		}
		if controlled || lo[f] >= nonPartyHeld {
			res.NonParty++
			res.Held = append(res.Held, h)
		}
	}
	share := round(float64(res.NonParty) / float64(res.Facilities))
	res.Share, res.Factor = &share, round(1-share)
	return res, nil
}

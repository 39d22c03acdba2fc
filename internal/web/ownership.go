package web

import (
	"fmt"
	"math"
	"net/http"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/service"
)

// The facilities pages (issue 14): /ownership lists the facilities of the
// shipped ownership data with a recorded holder, by country and mineral,
// coloured by their non-party effective interest, with the decision of the
// agreement's screening rules; /ownership/{id} shows one facility's
// decision, triggers and ownership paths (docs/ownership.md).

// ownershipScreen is the screen of the shipped register on a date, shared
// with the API (service.OwnershipScreen).
func (p *portal) ownershipScreen(on date.Date) (*ownership.Screen, error) {
	sc, _, err := service.OwnershipScreen(p.deps.Agreement, p.deps.Registry, on)
	return sc, err
}

// ownershipPage is the data of both facilities pages.
type ownershipPage struct {
	AsOf    string
	Default bool
	Error   string
	Country string
	Mineral string
	// The list.
	Countries []string
	Minerals  []string
	Rows      []ownershipRow
	// One facility.
	Decision *ownership.Decision
	NonParty string
	Govt     string
	Triggers []triggerView
	Graph    *ownershipGraph    // the facility's ownership graph (ownership_graph.go)
	Article  *agreement.Article // the article the rule applied names as its basis
}

// ownershipRow is one facility of the list; Band colours it by non-party
// interest (0: none, 1: below 10%, 2: below 25%, 3: below 50%, 4: 50% or more).
type ownershipRow struct {
	ownership.Decision
	Level        string // the decision (the embedded Decision's own field is shadowed by its name)
	NonPartyText string
	Band         int
}

// triggerView is a trigger with its figures written for people.
type triggerView struct {
	ownership.Trigger
	InterestText string
	Paths        []pathView
}

type pathView struct {
	Product string
	Hops    []hopView
}

type hopView struct {
	ownership.Hop
	Share string
}

func viewOf(t ownership.Trigger) triggerView {
	v := triggerView{Trigger: t, InterestText: ownPercent(t.Interest)}
	for _, p := range t.Paths {
		pv := pathView{Product: ownPercent(ownership.Bounds{Min: p.Low, Max: p.High})}
		for _, h := range p.Hops {
			pv.Hops = append(pv.Hops, hopView{Hop: h, Share: ownPercent(ownership.Bounds{Min: h.Low, Max: h.High})})
		}
		v.Paths = append(v.Paths, pv)
	}
	return v
}

func band(x float64) int {
	switch {
	case x <= 0:
		return 0
	case x < 0.10:
		return 1
	case x < 0.25:
		return 2
	case x < 0.50:
		return 3
	}
	return 4
}

// ownershipAsOf reads the page's date: as_of, or the entry into force.
func (p *portal) ownershipAsOf(r *http.Request, d *ownershipPage) date.Date {
	on := p.deps.Agreement.EntryIntoForce
	d.AsOf, d.Default = on.String(), true
	if v := r.URL.Query().Get("as_of"); v != "" {
		d.AsOf, d.Default = v, false
		x, err := agreement.ParseAsOf(v)
		if err != nil {
			d.Error = "as of: want a date (YYYY-MM-DD)"
			return date.Date{}
		}
		on = x
	}
	return on
}

func (p *portal) ownershipList(w http.ResponseWriter, r *http.Request) {
	d := ownershipPage{Country: r.URL.Query().Get("country"), Mineral: r.URL.Query().Get("mineral")}
	on := p.ownershipAsOf(r, &d)
	status := http.StatusOK
	if d.Error == "" {
		sc, err := p.ownershipScreen(on)
		if err != nil {
			d.Error, status = err.Error(), http.StatusBadRequest
		} else {
			countries, minerals := map[string]bool{}, map[string]bool{}
			for _, f := range sc.Reg.Facilities() {
				np := sc.NonParty(f)
				if np.Max <= 0 && sc.Ctl.Controller[f] < 0 {
					continue // no holder recorded
				}
				n := &sc.Reg.Nodes[f]
				countries[n.Jurisdiction], minerals[n.Commodity] = true, true
				if d.Country != "" && n.Jurisdiction != d.Country || d.Mineral != "" && n.Commodity != d.Mineral {
					continue
				}
				dec := sc.Facility(f)
				d.Rows = append(d.Rows, ownershipRow{Decision: dec, Level: string(dec.Decision), NonPartyText: ownPercent(dec.NonParty), Band: band(dec.NonParty.Min)})
			}
			d.Countries = slices.Sorted(mapKeys(countries))
			d.Minerals = slices.Sorted(mapKeys(minerals))
			slices.SortStableFunc(d.Rows, func(a, b ownershipRow) int {
				if a.Country != b.Country {
					if a.Country < b.Country {
						return -1
					}
					return 1
				}
				if a.Mineral != b.Mineral {
					if a.Mineral < b.Mineral {
						return -1
					}
					return 1
				}
				return int(math.Copysign(1, b.NonParty.Max-a.NonParty.Max)) * boolInt(a.NonParty.Max != b.NonParty.Max)
			})
		}
	} else {
		status = http.StatusBadRequest
	}
	p.render(w, r, status, "ownership", page{Title: "Facilities and their owners", Nav: "ownership", Data: d, Nonce: newNonce()})
}

func (p *portal) ownershipFacility(w http.ResponseWriter, r *http.Request) {
	d := ownershipPage{}
	on := p.ownershipAsOf(r, &d)
	status := http.StatusOK
	if d.Error == "" {
		sc, err := p.ownershipScreen(on)
		switch {
		case err != nil:
			d.Error, status = err.Error(), http.StatusBadRequest
		default:
			f, ok := sc.Reg.Find(r.PathValue("id"))
			if !ok {
				d.Error, status = fmt.Sprintf("no facility %q in the shipped ownership data", r.PathValue("id")), http.StatusNotFound
				break
			}
			dec := sc.Facility(f)
			d.Decision = &dec
			d.NonParty, d.Govt = ownPercent(dec.NonParty), ownPercent(dec.Government)
			for _, t := range dec.Triggers {
				d.Triggers = append(d.Triggers, viewOf(t))
			}
			g := graphOf(sc, f, dec)
			d.Graph = &g
			for i, a := range p.deps.Agreement.Articles {
				if dec.Basis != "" && a.ID == dec.Basis {
					d.Article = &p.deps.Agreement.Articles[i]
				}
			}
		}
	} else {
		status = http.StatusBadRequest
	}
	title := "Facility"
	if d.Decision != nil {
		title = d.Decision.Name
	}
	p.render(w, r, status, "ownership-facility", page{Title: title, Nav: "ownership", Data: d, Nonce: newNonce()})
}

func mapKeys(m map[string]bool) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// ownPercent renders a fraction as a percentage for the pages, a range as
// lo–hi.
func ownPercent(b ownership.Bounds) string {
	f := func(x float64) string { return strconv.FormatFloat(math.Round(x*100*100)/100, 'f', -1, 64) }
	if b.Min == b.Max {
		return f(b.Min) + "%"
	}
	return f(b.Min) + "–" + f(b.Max) + "%"
}

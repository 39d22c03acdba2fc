package scope

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/suggest"
)

// Countries is what membership asks of the registry: countries by code and
// customs unions expanded, and governance scores of countries the snapshot
// holds none for; *registry.Registry satisfies it.
type Countries interface {
	agreement.Groups
	wgiSource
	Country(code string) (registry.Country, error)
}

// countrySet is a zone as a set of countries (Membership).
type countrySet map[string]bool

func (s countrySet) Contains(c string) bool { return s[c] }
func (s countrySet) Countries() []string {
	out := make([]string, 0, len(s))
	for c := range s {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// Standing is one mineral's position for a zone: at its bottleneck stage
// (the stage of highest world EU supply risk), the zone's share of world
// production and reserves, the share of U.S. supply secured inside the zone
// (self-sufficiency), and the zone's EU supply risk (club criticality).
type Standing struct {
	ZoneProduction *float64 `json:"zone_production_share"`
	ZoneReserves   *float64 `json:"zone_reserves_share"`
	// USSecured is (1 − IR) + IR × Σ share of U.S. imports from zone
	// countries: the share of U.S. apparent consumption met by U.S.
	// production or imports from the zone (MCS 2026 net import reliance and
	// import sources). Nil where MCS gives no reliance, or imports without
	// sources. The zone's own consumption is not shipped: this is the
	// self-sufficiency of the United States inside the zone.
	USSecured *float64 `json:"us_supply_secured_share"`
	ZoneEUSR  *float64 `json:"zone_eu_supply_risk"`
}

// Effect is a what-if's result for one mineral in scope.
type Effect struct {
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage,omitempty"`
	Table   string         `json:"table,omitempty"`
	Scored  bool           `json:"scored"` // false: MCS has no usable world table (Reason says why)
	Reason  string         `json:"reason,omitempty"`
	Before  Standing       `json:"before"`
	After   Standing       `json:"after"`
}

// WhatIf is the zone of an agreement in force on a date, changed by adding
// and removing countries, and what the change does per mineral in scope.
type WhatIf struct {
	Agreement    string    `json:"agreement"`
	Illustrative bool      `json:"illustrative"`
	AsOf         date.Date `json:"as_of"`
	AsOfDefault  bool      `json:"as_of_is_entry_into_force,omitempty"`
	Parties      []string  `json:"parties"`
	Added        []string  `json:"added"`   // as asked (a customs union by its id)
	Removed      []string  `json:"removed"` // as asked
	Before       []string  `json:"countries_before"`
	After        []string  `json:"countries_after"`
	Minerals     []Effect  `json:"minerals"`
	Notes        []string  `json:"notes"`
	// Joining are the added countries (a customs union's member states
	// outside the zone before) as candidates, with the accession criteria
	// evaluated for each (Joining fills it; nil until then).
	Joining []Candidate `json:"joining,omitempty"`
}

// Joining evaluates the countries w adds as candidates to the zone before
// the change, accession criteria included (Assess), and keeps them in
// w.Joining.
func (d *Data) Joining(w *WhatIf, a *agreement.Agreement, reg Countries, rel *Relations) error {
	cs := []string{}
	for _, c := range w.Added {
		if !reg.IsGroup(c) {
			cs = append(cs, c)
			continue
		}
		ms, err := reg.Group(c)
		if err != nil {
			return err
		}
		cs = append(cs, ms...)
	}
	k, err := d.Assess(a, reg, rel, w.AsOf, cs)
	if err != nil {
		return err
	}
	w.Joining = k.Candidates
	return nil
}

// whatIfNotes say what every what-if leaves out.
var whatIfNotes = []string{
	"self-sufficiency is the share of U.S. consumption secured inside the zone (MCS net import reliance and import sources): the other parties' consumption and trade are not shipped",
	"club criticality is the EU supply risk with zone supply secure, at the mineral's bottleneck stage (docs/scope.md)",
	"ownership of a member's facilities by non-parties is not part of the what-if: the candidates' ranking (members rank) counts it in their score",
}

// Change is countries to add to and remove from a zone: alpha-2 codes or a
// customs union's id (EU), as a user gives them.
type Change struct {
	Add, Remove []string
}

// expand checks and expands one code of a Change: a customs union to its
// member states, a country to itself; an unknown code is invalid at field.
func expand(reg Countries, field, code string) ([]string, error) {
	c := strings.ToUpper(strings.TrimSpace(code))
	if reg.IsGroup(c) {
		return reg.Group(c)
	}
	if country, err := reg.Country(c); err == nil {
		return []string{country.Alpha2}, nil
	} else {
		msg := err.Error()
		var pe *problem.Error
		if e, ok := err.(*problem.Error); ok {
			pe = e
			msg = pe.Message
		}
		return nil, &problem.Error{Code: problem.Invalid, Field: field, BadValue: code, Message: fmt.Sprintf("unknown country %q: %s", code, msg)}
	}
}

// apply returns the zone changed: every code checked (unknown, adding a
// member or removing a non-member are invalid, naming the field and value).
func (ch Change) apply(reg Countries, zone []string) (countrySet, error) {
	set := countrySet{}
	for _, c := range zone {
		set[c] = true
	}
	var errs problem.List
	for i, code := range ch.Add {
		field := fmt.Sprintf("add[%d]", i)
		cs, err := expand(reg, field, code)
		if err != nil {
			errs = append(errs, err.(*problem.Error))
			continue
		}
		added := false
		for _, c := range cs {
			if !set[c] {
				set[c], added = true, true
			}
		}
		if !added {
			errs = append(errs, &problem.Error{Code: problem.Invalid, Field: field, BadValue: code, Message: fmt.Sprintf("%s is already in the zone", code)})
		}
	}
	for i, code := range ch.Remove {
		field := fmt.Sprintf("remove[%d]", i)
		cs, err := expand(reg, field, code)
		if err != nil {
			errs = append(errs, err.(*problem.Error))
			continue
		}
		removed := false
		for _, c := range cs {
			if set[c] {
				delete(set, c)
				removed = true
			}
		}
		if !removed {
			errs = append(errs, &problem.Error{Code: problem.Invalid, Field: field, BadValue: code,
				Message: fmt.Sprintf("%s is not in the zone%s", code, suggest.DidYouMean(suggest.Near(strings.ToUpper(code), zone)))})
		}
	}
	if len(errs) > 0 {
		if len(errs) == 1 {
			return nil, errs[0]
		}
		return nil, errs
	}
	return set, nil
}

// zoneOn returns the zone of the agreement in force on asOf (the entry into
// force when zero) and its parties.
func zoneOn(a *agreement.Agreement, g agreement.Groups, asOf date.Date) (*agreement.InForce, *agreement.Zone, date.Date, bool, error) {
	byDefault := asOf.IsZero()
	if byDefault {
		asOf = a.EntryIntoForce
	}
	in, err := a.AsOf(asOf)
	if err != nil {
		return nil, nil, asOf, byDefault, err
	}
	z, err := in.Zone(g)
	return in, z, asOf, byDefault, err
}

// scopeMinerals lists the minerals of the agreement's scope, in its order.
func scopeMinerals(a *agreement.Agreement) []string {
	var out []string
	for _, f := range a.Floors() {
		if !slices.Contains(out, f.Mineral) {
			out = append(out, f.Mineral)
		}
	}
	return out
}

// Evaluate is the what-if: the zone of agreement a in force on asOf (zero:
// the entry into force) changed by ch, and per mineral in the agreement's
// scope its standing before and after. It is the one path of the command
// line, the API and the portal.
func (d *Data) Evaluate(a *agreement.Agreement, reg Countries, asOf date.Date, ch Change) (*WhatIf, error) {
	in, z, asOf, byDefault, err := zoneOn(a, reg, asOf)
	if err != nil {
		return nil, err
	}
	before := countrySet{}
	for _, c := range z.Countries() {
		if !reg.IsGroup(c) {
			before[c] = true
		}
	}
	after, err := ch.apply(reg, before.Countries())
	if err != nil {
		return nil, err
	}
	w := &WhatIf{Agreement: a.ID, Illustrative: a.Illustrative, AsOf: asOf, AsOfDefault: byDefault, Parties: z.Parties,
		Added: codes(ch.Add), Removed: codes(ch.Remove), Before: before.Countries(), After: after.Countries(), Notes: whatIfNotes}
	for _, id := range scopeMinerals(in.Agreement) {
		w.Minerals = append(w.Minerals, d.effect(id, before, after))
	}
	return w, nil
}

// codes returns the codes of a Change as the answer states them: upper
// case, trimmed ("cn " is CN), never nil.
func codes(s []string) []string {
	out := make([]string, len(s))
	for i, c := range s {
		out[i] = strings.ToUpper(strings.TrimSpace(c))
	}
	return out
}

// mineral returns the snapshot's mineral by id.
func (d *Data) mineral(id string) *Mineral {
	i, ok := slices.BinarySearchFunc(d.Minerals, id, func(m Mineral, id string) int { return strings.Compare(m.ID, id) })
	if !ok {
		return nil
	}
	return &d.Minerals[i]
}

func (d *Data) effect(id string, before, after countrySet) Effect {
	e := Effect{Mineral: id}
	m := d.mineral(id)
	if m == nil {
		e.Reason = "not on the 2025 list the snapshot holds"
		return e
	}
	rb, sb := d.standing(m, before)
	_, sa := d.standing(m, after)
	e.Before, e.After = sb, sa
	if s := rb.Summary[0]; s.EUSR != nil {
		e.Scored, e.Stage, e.Table = true, s.Stage, s.Table
	} else {
		e.Reason = "no usable MCS 2026 world production table"
		if m.Coverage.Reason != "" {
			e.Reason += ": " + m.Coverage.Reason
		}
	}
	return e
}

// standing scores one mineral for a zone and reads its standing at the
// bottleneck stage of the world basis.
func (d *Data) standing(m *Mineral, zone countrySet) (Result, Standing) {
	secure := [3]func(string) bool{
		func(string) bool { return false },
		func(c string) bool { return c == "US" },
		zone.Contains,
	}
	r := d.score(m, secure)
	s := Standing{USSecured: usSecured(m, zone)}
	w := r.Summary[0]
	if w.EUSR == nil {
		return r, s
	}
	for _, st := range r.Stages {
		if st.Table == w.Table {
			s.ZoneProduction, s.ZoneReserves, s.ZoneEUSR = st.ZoneProduction, st.ZoneReserves, st.Bases[2].EUSR
		}
	}
	return r, s
}

// usSecured is the share of U.S. supply from U.S. production or imports
// from the zone: (1 − IR) + IR × Σ_{i ∈ zone} import share_i.
func usSecured(m *Mineral, zone countrySet) *float64 {
	ir, ok := tradeExposure(m.Reliance)
	if !ok {
		return nil
	}
	if ir == 0 {
		return ptr(1)
	}
	if len(m.Imports) == 0 {
		return nil
	}
	in := 0.0
	for _, im := range m.Imports {
		if im.Country != "" && zone[im.Country] {
			in += im.Share
		}
	}
	return ptr(round((1 - ir) + ir*in))
}

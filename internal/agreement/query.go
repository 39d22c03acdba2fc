package agreement

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The queries every engine asks of the agreement. Each concept is answered
// here once, so that duty, market, refprice and the engines to come cannot
// disagree on who is in force, which instrument applies to a tariff line or
// which share of a duty a phase-in applies on a date.

// Groups expands a customs union (EU) into its member states;
// *registry.Registry satisfies it.
type Groups interface {
	IsGroup(id string) bool
	Group(id string) ([]string, error)
}

// Zone is the agreement's membership on one date: the parties in force, in
// the order of the text, and the country each stands for, customs unions
// expanded to their member states.
type Zone struct {
	// Parties lists the ids of the parties in force, in the order of the text.
	Parties []string
	partyOf map[string]string
}

// Zone returns the parties of the agreement in force and the countries they
// stand for. A member state of a customs-union party belongs to the union,
// unless it is a party in its own right, in which case its own entry wins
// (whatever the order of the text).
func (in *InForce) Zone(g Groups) (*Zone, error) {
	return zoneOf(in.Agreement, g)
}

func zoneOf(a *Agreement, g Groups) (*Zone, error) {
	z := &Zone{partyOf: make(map[string]string, len(a.Parties))}
	for _, p := range a.Parties {
		z.Parties = append(z.Parties, p.ID)
		z.partyOf[p.ID] = p.ID
	}
	for _, p := range a.Parties {
		if !g.IsGroup(p.ID) {
			continue
		}
		members, err := g.Group(p.ID)
		if err != nil {
			return nil, fmt.Errorf("party %s: %w", p.ID, err)
		}
		for _, m := range members {
			if _, own := z.partyOf[m]; !own {
				z.partyOf[m] = p.ID
			}
		}
	}
	return z, nil
}

// PartyOf returns the party that country belongs to: the country itself, or
// the customs union it is a member of; false when it is in no party in force.
func (z *Zone) PartyOf(country string) (string, bool) {
	p, ok := z.partyOf[country]
	return p, ok
}

// Contains reports whether country belongs to a party in force.
func (z *Zone) Contains(country string) bool {
	_, ok := z.partyOf[country]
	return ok
}

// Countries returns every country of the zone, member states of a union
// included, sorted.
func (z *Zone) Countries() []string {
	out := make([]string, 0, len(z.partyOf))
	for c := range z.partyOf {
		out = append(out, c)
	}
	slices.Sort(out)
	return out
}

// HSMatch reports whether an instrument's tariff lines cover the declared
// code, and how long the matching line is: 0 when the instrument lists no
// line (it covers every line of its mineral and stage), −1 when it does not
// cover the code. A line covers every code it is a prefix of.
func HSMatch(lines []string, code string) int {
	if len(lines) == 0 {
		return 0
	}
	best := -1
	for _, l := range lines {
		if strings.HasPrefix(code, l) && len(l) > best {
			best = len(l)
		}
	}
	return best
}

// Applies reports whether in covers goods of mineral at stage declared under
// code, and how specifically (the length of the matching tariff line, 0 for
// an instrument that lists none); −1 when it does not apply. An instrument
// without a stage covers every stage of its mineral.
//
// A measure that stacks (an MFN line, an additional duty, a remedy, a fee)
// and a preference belong to the tariff line, not to a mineral: one whose
// lines cover the code applies whatever mineral it is listed under, or none
// (a line outside the agreement's scope, such as molybdenum, still pays its
// MFN rate); one without lines applies to its mineral and stage.
func (in *Instrument) Applies(mineral string, stage registry.Stage, code string) int {
	n := HSMatch(in.HS, code)
	if in.Type.LineBased() && n > 0 {
		return n
	}
	if in.Type == Fee && in.Mineral == "" && len(in.HS) == 0 {
		return 0 // a fee on every entry
	}
	if in.Mineral != mineral || (in.Stage != "" && in.Stage != stage) {
		return -1
	}
	return n
}

// Instrument returns the party's instrument of type typ for goods of mineral
// at stage declared under code: of those that apply, the one with the
// longest matching tariff line, then the first in the schedule; nil when none
// does. accept, when not nil, passes over instruments it rejects (a quota
// closed to the origin, an undertaking of another exporter).
//
// Every engine that asks which measure applies to a line asks this, so the
// duty on a declaration and the duty the market model charges at the border
// are the same instrument.
func (p *Party) Instrument(typ InstrumentType, mineral string, stage registry.Stage, code string, accept func(*Instrument) bool) *Instrument {
	var best *Instrument
	bestLen := -1
	for i := range p.Instruments {
		in := &p.Instruments[i]
		if in.Type != typ {
			continue
		}
		n := in.Applies(mineral, stage, code)
		if n < 0 || n <= bestLen {
			continue
		}
		if accept != nil && !accept(in) {
			continue
		}
		best, bestLen = in, n
	}
	return best
}

// Measures returns every instrument of type typ that applies to goods of
// mineral at stage declared under code, in the order of the schedule: those
// on the most specific matching line (as Instrument chooses one), all of
// them, for measures of a stacking type on the same line each apply.
func (p *Party) Measures(typ InstrumentType, mineral string, stage registry.Stage, code string) []*Instrument {
	var out []*Instrument
	bestLen := -1
	for i := range p.Instruments {
		in := &p.Instruments[i]
		if in.Type != typ {
			continue
		}
		switch n := in.Applies(mineral, stage, code); {
		case n > bestLen:
			out, bestLen = append(out[:0], in), n
		case n == bestLen && n >= 0:
			out = append(out, in)
		}
	}
	return out
}

// DutyOrder returns the order in which the party's duty lines are computed
// and listed: its stated order, then the types it leaves out in
// DefaultOrder's.
func (p *Party) DutyOrder() []InstrumentType {
	out := slices.Clone(p.Order)
	for _, t := range DefaultOrder {
		if !slices.Contains(out, t) {
			out = append(out, t)
		}
	}
	return out
}

// ScheduledDuty returns the duty of a safeguard's schedule in force on d:
// the last step from on or before d; "" before the first.
func (in *Instrument) ScheduledDuty(d date.Date) string {
	duty := ""
	for _, st := range in.Schedule {
		if !st.From.After(d) {
			duty = st.Duty
		}
	}
	return duty
}

// StepOn returns the index of the phase-in step in force on d: the last step
// from on or before d; −1 before the first step.
func (in *Instrument) StepOn(d date.Date) int {
	k := -1
	for i, st := range in.Steps {
		if !st.From.After(d) {
			k = i
		}
	}
	return k
}

// ShareOn returns the share of a phased-in duty applied on d: the share of
// the step in force (StepOn); 0 before the first step.
func (in *Instrument) ShareOn(d date.Date) dec.Decimal {
	if i := in.StepOn(d); i >= 0 {
		return in.Steps[i].Share
	}
	return dec.Decimal{}
}

// Containing returns the first day of the quota period that contains d and
// the first day of the next one; false when d is before the first period or
// the length is unknown.
func (p QuotaPeriod) Containing(d date.Date) (start, next date.Date, ok bool) {
	n := p.Length.Months()
	if n == 0 || d.Before(p.Start) {
		return date.Date{}, date.Date{}, false
	}
	// Whole periods elapsed, counted in months; a start on the 31st clamps
	// in short months, so step back while the computed start is after d.
	k := p.Start.MonthsUntil(d) / n
	for p.Start.AddMonths(k * n).After(d) {
		k--
	}
	return p.Start.AddMonths(k * n), p.Start.AddMonths((k + 1) * n), true
}

// Scope returns the stage scope of mineral at stage: its tariff lines, unit
// and price rule. A mineral or stage the agreement sets no floor for is a
// problem.NotFound error naming the field.
func (a *Agreement) Scope(mineral string, stage registry.Stage) (*StageScope, error) {
	m, ok := a.Mineral(mineral)
	if !ok {
		return nil, &problem.Error{Code: problem.NotFound, Field: "mineral", Message: fmt.Sprintf("mineral %q is not in scope of agreement %s", mineral, a.ID)}
	}
	for i := range m.Stages {
		if m.Stages[i].Stage == stage {
			return &m.Stages[i], nil
		}
	}
	return nil, &problem.Error{Code: problem.NotFound, Field: "stage", Message: fmt.Sprintf("stage %q of %s is not in scope of agreement %s", stage, mineral, a.ID)}
}

// Floor is one mineral and stage in scope with its floor: the tariff lines,
// the unit and the price rule of the text.
type Floor struct {
	Mineral string
	Stage   registry.Stage
	HS      []string
	Rule    PriceRule
	Unit    string
}

// Floors lists the minerals and stages in scope, in the order of the text,
// each with its floor. Ask it of the agreement as amended on the date of
// interest (InForce.Agreement); Load has filled in the registry's tariff
// lines where the text lists none. Package scope's warnings and membership
// read the scope through it, so that the scope has one reading.
func (a *Agreement) Floors() []Floor {
	var out []Floor
	for _, m := range a.Minerals {
		for _, s := range m.Stages {
			out = append(out, Floor{Mineral: m.ID, Stage: s.Stage, HS: s.HS, Rule: s.Price, Unit: s.Unit})
		}
	}
	return out
}

package duty

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// This file is the measures that stack on a line (docs/declarations.md,
// "Stacked measures"): every MFN line, additional duty, trade remedy,
// safeguard and fee in force on the declared code applies, each its own duty
// line, in the order the party states (agreement.Party.DutyOrder); and the
// preferences, of which the best one the origin earns replaces the MFN rate.

// dutyLine is one stacked measure's duty on a declaration, in the party's
// currency.
type dutyLine struct {
	ci     *cinstr
	amount exact.Q // exact
	r      exact.Q // rounded by the party's rule (each_duty), else = amount
	why    uint8   // why this amount (whyExempt, whyMinimum, ...); note says it in words
}

// stackOf lists, in the party's order, the stacking measures that apply to
// a line beyond the first MFN line and the first surcharge (which keep their
// own columns): resolve keeps it with the line's instruments.
func stackOf(cp *cparty, m string, st registry.Stage, code string) (mfns, surs, prefs, stack []*cinstr) {
	compiled := func(ins []*agreement.Instrument) []*cinstr {
		out := make([]*cinstr, len(ins))
		for i, in := range ins {
			out[i] = cp.byIn[in]
		}
		return out
	}
	mfns = compiled(cp.p.Measures(agreement.MFN, m, st, code))
	surs = compiled(cp.p.Measures(agreement.NonPartySurcharge, m, st, code))
	prefs = compiled(cp.p.Measures(agreement.Preference, m, st, code))
	for _, t := range cp.order {
		switch t {
		case agreement.MFN:
			if len(mfns) > 1 {
				stack = append(stack, mfns[1:]...)
			}
		case agreement.NonPartySurcharge:
			if len(surs) > 1 {
				stack = append(stack, surs[1:]...)
			}
		case agreement.VariableDuty:
			// The first keeps the variable_duty column; a second on the
			// same line stacks, with its own cap and origin rule.
			if vds := compiled(cp.p.Measures(t, m, st, code)); len(vds) > 1 {
				stack = append(stack, vds[1:]...)
			}
		default:
			stack = append(stack, compiled(cp.p.Measures(t, m, st, code))...)
		}
	}
	return mfns, surs, prefs, stack
}

// originIn reports whether a measure's origin list covers the declaration's
// origin: the country, its party, or a customs union it is a member of
// (expanded when the measure was compiled). An empty list covers every origin.
func (ci *cinstr) originIn(as *Assessment) bool {
	if len(ci.origins) == 0 {
		return true
	}
	return slices.Contains(ci.origins, as.Origin) || (as.originParty != "" && slices.Contains(ci.origins, as.originParty))
}

// stacked is the step "Stacked measures": the duty of each stacking measure
// beyond the base duty's, variable duty's and surcharge's own columns. It
// runs after the quota ledger, since a safeguard spares the in-quota part.
// It keeps what happened (dutyLine.why) and leaves the words to the trace
// (note), so that the bulk path builds no text.
func (a *Assessor) stacked(as *Assessment) {
	as.stack = as.stackBuf[:0]
	for _, ci := range as.rs.stack {
		if !ci.originIn(as) {
			continue
		}
		l := dutyLine{ci: ci}
		switch {
		case ci.typ == agreement.NonPartySurcharge && as.originIsParty:
			l.why = whyPartyOrigin
		case slices.Contains(ci.exempt, as.Origin):
			l.why = whyExempt
		default:
			switch ci.typ {
			case agreement.MFN, agreement.AdditionalDuty:
				l.amount = a.charge(ci.levy, as.valueParty, as, as.fxParty)
			case agreement.NonPartySurcharge:
				l.amount = a.charge(ci.levy, as.valueParty, as, as.fxParty).Mul(as.phaseShare)
			case agreement.VariableDuty:
				if !as.rs.outside {
					var v gapFigures
					a.gapDuty(ci, as, &v)
					l.amount = as.fxParty.perUSD.Quo(as.fxAg.perUSD).Mul(v.final)
				}
			case agreement.AntiDumping, agreement.Countervailing:
				if lv := as.remedyLevy(ci); lv != nil {
					l.amount = a.charge(lv, as.valueParty, as, as.fxParty)
				} else {
					l.why = whyNoRate
				}
			case agreement.Safeguard:
				a.safeguard(as, ci, &l)
			case agreement.Fee:
				a.fee(as, ci, &l)
			}
		}
		l.r = l.amount
		as.stack = append(as.stack, l)
	}
}

// Why a stacked line charged what it did, beyond its duty: its note in the
// trace says it in words.
const (
	whyCharged     uint8 = iota
	whyExempt            // the origin is on the measure's exempt list
	whyPartyOrigin       // a surcharge on goods of a party: none
	whyNoRate            // a remedy with neither the exporter's rate nor an all-others rate
	whyNoStep            // a safeguard before the first step of its schedule
	whyMinimum           // a fee raised to its minimum per entry
	whyMaximum           // a fee lowered to its maximum per entry
)

// remedyLevy is the duty of an anti-dumping or countervailing measure on the
// declaration's exporter: its own rate, else the all-others rate.
func (as *Assessment) remedyLevy(ci *cinstr) *levy {
	if e, ok := ci.exporters[as.d.exporter]; ok && as.d.exporter != "" {
		return e.levy
	}
	return ci.allOthers
}

// safeguardStep is the step of a safeguard's schedule in force on the day
// of as; −1 before the first.
func (as *Assessment) safeguardStep(ci *cinstr) int {
	k := -1
	for i, s := range ci.schedule {
		if !s.from.After(as.On) {
			k = i
		}
	}
	return k
}

// beyondQuota is the share of the goods a safeguard charges: the part beyond
// the quota it names, when the declaration drew on that quota; else 1.
func (as *Assessment) beyondQuota(ci *cinstr) (exact.Q, bool) {
	if ci.quotaID != "" && as.trq != nil && as.trq.in.ID == ci.quotaID && as.quota != nil && as.requested.Sign() > 0 {
		return exact.Int(1).Sub(as.inQuota.Quo(as.requested)), true
	}
	return exact.Int(1), false
}

// safeguard charges the step of the schedule in force, on the goods beyond
// the quota the safeguard names (all the goods when it names none, or when
// the declaration drew on no quota of that name).
func (a *Assessor) safeguard(as *Assessment, ci *cinstr, l *dutyLine) {
	k := as.safeguardStep(ci)
	if k < 0 {
		l.why = whyNoStep
		return
	}
	goods := as
	if out, ok := as.beyondQuota(ci); ok {
		goods = scaled(as, out)
	}
	l.amount = a.charge(ci.schedule[k].levy, goods.valueParty, goods, as.fxParty)
}

// fee charges a fee per entry, held between its minimum and maximum.
func (a *Assessor) fee(as *Assessment, ci *cinstr, l *dutyLine) {
	d := a.charge(ci.levy, as.valueParty, as, as.fxParty)
	if ci.feeMin != nil {
		if lo := a.money(ci.feeMin, as); d.Cmp(lo) < 0 {
			d, l.why = lo, whyMinimum
		}
	}
	if ci.feeMax != nil {
		if hi := a.money(ci.feeMax, as); d.Cmp(hi) > 0 {
			d, l.why = hi, whyMaximum
		}
	}
	l.amount = d
}

// note says in words why a stacked line charged what it did (the trace's).
func (as *Assessment) note(l *dutyLine) string {
	ci := l.ci
	switch l.why {
	case whyExempt:
		return "origin " + as.Origin + " exempted"
	case whyPartyOrigin:
		return "origin is a party: none"
	case whyNoRate:
		return "exporter " + as.d.exporter + " is not named and there is no all-others rate"
	case whyNoStep:
		return "before the first step of the schedule"
	case whyMinimum:
		return ci.levy.text + ", raised to the minimum per entry " + ci.feeMin.text
	case whyMaximum:
		return ci.levy.text + ", lowered to the maximum per entry " + ci.feeMax.text
	}
	switch ci.typ {
	case agreement.VariableDuty:
		return "a second variable duty on the line: max(0, floor − unit price) × contained quantity, with its own cap and origin rule, in the party's currency"
	case agreement.AntiDumping, agreement.Countervailing:
		if e, ok := ci.exporters[as.d.exporter]; ok && as.d.exporter != "" {
			return "exporter " + as.d.exporter + " (" + e.name + "): " + e.levy.text
		}
		return "all others: " + ci.allOthers.text
	case agreement.Safeguard:
		st := ci.schedule[as.safeguardStep(ci)]
		n := "step from " + st.from.String() + ": " + st.levy.text
		if out, ok := as.beyondQuota(ci); ok {
			n += fmt.Sprintf(", on the part beyond quota %s (%s of the goods)", ci.quotaID, out)
		}
		return n
	}
	return ci.levy.text
}

// cmoney is an amount of money, compiled.
type cmoney struct {
	amount   exact.Q
	currency string
	text     string
}

// money converts an amount to the party's currency at the declaration's rates.
func (a *Assessor) money(m *cmoney, as *Assessment) exact.Q {
	if m.currency == as.party.currency {
		return m.amount
	}
	fx, err := a.rateOf(as, m.currency)
	if err != nil {
		fx.perUSD = exact.Int(1) // validated at load: the agreement's currencies convert
	}
	return m.amount.Mul(as.fxParty.perUSD).Quo(fx.perUSD)
}

// sched is a safeguard's duty from a date on, compiled.
type sched struct {
	from date.Date
	levy *levy
}

// exporterLevy is a remedy's duty on one named exporter.
type exporterLevy struct {
	name string
	levy *levy
}

// compileMeasure compiles what the stacking measures and preferences add to
// an instrument: its origins (customs unions expanded), its duty as a rate or
// an expression, its exporters, schedule and bounds.
func (a *Assessor) compileMeasure(ci *cinstr, in *agreement.Instrument) error {
	for _, o := range in.Origins {
		ci.origins = append(ci.origins, o)
		if a.reg.IsGroup(o) {
			members, err := a.reg.Group(o)
			if err != nil {
				return fmt.Errorf("origins: %w", err)
			}
			ci.origins = append(ci.origins, members...)
		}
	}
	var err error
	if ci.levy, err = a.compileLevy(in.Rate, in.Duty); err != nil {
		return err
	}
	if len(in.Exporters) > 0 {
		ci.exporters = make(map[string]exporterLevy, len(in.Exporters))
		for _, e := range in.Exporters {
			lv, err := a.compileLevy(nil, e.Duty)
			if err != nil {
				return fmt.Errorf("exporter %s: %w", e.ID, err)
			}
			ci.exporters[e.ID] = exporterLevy{name: e.Name, levy: lv}
		}
	}
	if ci.allOthers, err = a.compileLevy(nil, in.AllOthers); err != nil {
		return fmt.Errorf("all_others: %w", err)
	}
	for _, s := range in.Schedule {
		lv, err := a.compileLevy(nil, s.Duty)
		if err != nil {
			return fmt.Errorf("schedule from %s: %w", s.From, err)
		}
		ci.schedule = append(ci.schedule, sched{from: s.From, levy: lv})
	}
	ci.quotaID = in.Quota
	for _, m := range []struct {
		src *agreement.Money
		dst **cmoney
	}{{in.EntryMinimum, &ci.feeMin}, {in.EntryMaximum, &ci.feeMax}} {
		if m.src != nil {
			*m.dst = &cmoney{amount: exact.FromDecimal(m.src.Amount), currency: m.src.Currency, text: m.src.Amount.String() + " " + m.src.Currency}
		}
	}
	return nil
}

// lineNeeds is what a declaration under the line must state for its duties
// to be computed: the supplementary units they charge per (a supplementary
// unit belongs to the tariff line, whatever the origin), and whether one is
// charged per unit of contained mineral.
func lineNeeds(r *resolved) (supp []string, content bool) {
	for _, ci := range append(append(append([]*cinstr{r.mfn, r.sur}, r.prefs...), r.stack...), r.trqs...) {
		if ci == nil {
			continue
		}
		ls := []*levy{ci.levy, ci.allOthers}
		for _, e := range ci.exporters {
			ls = append(ls, e.levy)
		}
		for _, st := range ci.schedule {
			ls = append(ls, st.levy)
		}
		for _, l := range ls {
			if l == nil {
				continue
			}
			content = content || l.content
			for _, u := range l.supp {
				if !slices.Contains(supp, u) {
					supp = append(supp, u)
				}
			}
		}
	}
	return supp, content
}

// supplementary checks that the declaration states its quantity in every
// supplementary unit its line's duties charge per.
func supplementary(x *decl, as *Assessment) *problem.Error {
	for _, u := range as.rs.supp {
		if !x.hasSupp || x.suppUnit != u {
			return fieldErr("supplementary_quantity", x.supp.String(), "HS %s is charged per %s: declare supplementary_quantity with supplementary_unit %s", as.HSCode, u, u)
		}
	}
	return nil
}

// stackLevy is the levy a stacked line charged: the exporter's or the
// all-others duty of a remedy, the step of a safeguard, else the measure's.
func (as *Assessment) stackLevy(l *dutyLine) *levy {
	ci := l.ci
	switch ci.typ {
	case agreement.AntiDumping, agreement.Countervailing:
		return as.remedyLevy(ci)
	case agreement.Safeguard:
		return nil // charged on part of the goods: its note gives the step
	}
	return ci.levy
}

// stackComponents are the trace's component steps of a stacked line: its
// duty expression's parts (for a remedy, the exporter's or the all-others
// duty; for a safeguard, the step in force on the goods beyond its quota),
// and the per-entry bound that decided a fee.
func (as *Assessment) stackComponents(l *dutyLine) []Step {
	ci := l.ci
	name := string(ci.typ)
	switch {
	case l.why != whyCharged && l.why != whyMinimum && l.why != whyMaximum:
		return nil
	case ci.typ == agreement.Safeguard:
		goods := as
		if out, ok := as.beyondQuota(ci); ok {
			goods = scaled(as, out)
		}
		return as.components(name, ci.in.ID, ci.schedule[as.safeguardStep(ci)].levy, goods, ci.in.Basis)
	case ci.typ == agreement.VariableDuty:
		return nil
	}
	out := as.components(name, ci.in.ID, as.stackLevy(l), as, ci.in.Basis)
	if l.why == whyMinimum || l.why == whyMaximum {
		bound, m, op := "minimum per entry", ci.feeMin, "max"
		if l.why == whyMaximum {
			bound, m, op = "maximum per entry", ci.feeMax, "min"
		}
		out = append(out, Step{Step: name + "." + strings.ReplaceAll(bound, " ", "_"),
			Inputs:  map[string]string{"measure": ci.in.ID, "decides": "true", "note": "the fee is held to its " + bound + " of " + m.text},
			Formula: op + "(" + as.stackBefore(l).String() + ", " + m.text + ")", Result: l.amount.String() + " " + as.party.currency, Basis: ci.in.Basis})
	}
	return out
}

// stackBefore is a fee's duty before its per-entry bounds.
func (as *Assessment) stackBefore(l *dutyLine) exact.Q {
	return as.assessor.charge(l.ci.levy, as.valueParty, as, as.fxParty)
}

package duty

import (
	"context"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// This file is the assessment of one declaration as docs/declarations.md
// writes it ("The assessment, step by step"): assess calls the steps in the
// doc's order, one function each, named after the step and citing it. Two
// steps come out of the doc's order, each for a reason given where it is
// called: the undertaking (13) is checked before the variable duty (10),
// which it can cancel, and the base duty (9) and the rounding (14) wait for
// the quota ledger (12). The caches the steps ask are in assessor.go and
// cache.go, the schedule's compiled instruments in schedule.go and rates.go,
// the bulk pipeline in bulk.go.

// Prepare assesses d up to the tariff-rate quota: when a quota applies, the
// returned request must be allocated by a ledger and the assessment completed
// with Complete. Without a quota the assessment is complete. A declaration
// that cannot be assessed is a *FieldError.
func (a *Assessor) Prepare(d Declaration) (*Assessment, *QuotaRequest, error) {
	as := new(Assessment)
	x := d.x
	if fe := a.prepareInto(&x, as); fe != nil {
		return nil, nil, fe
	}
	return as, as.quota, nil
}

// Assess assesses one declaration, allocating any quota through the
// Assessor's ledger (a lone request: first come, first served).
func (a *Assessor) Assess(ctx context.Context, d Declaration) (*Assessment, error) {
	as, req, err := a.Prepare(d)
	if err != nil {
		return nil, err
	}
	if req != nil {
		grants, err := a.ledger.Allocate(ctx, *req.Batch(), []Request{req.Request})
		if err != nil {
			return nil, err
		}
		a.Complete(as, grants[0])
	}
	return as, nil
}

// Complete finishes an assessment prepared with a quota request, with what the
// ledger granted.
func (a *Assessor) Complete(as *Assessment, g Grant) {
	as.quotaStatus = g.Status
	switch {
	case as.quota != nil && g.hasGranted && as.quota.hasQ:
		as.inQuota = g.granted
		if g.granted.Cmp(as.quota.q) == 0 {
			as.inQuota = as.requested // the whole request, exactly
		}
	default:
		as.inQuota = exact.FromDecimal(g.Granted)
		if as.quota != nil && g.Granted.Cmp(as.quota.Quantity) == 0 {
			as.inQuota = as.requested
		}
	}
	a.finish(as)
}

// prepareInto assesses x into as (which it overwrites), finishing it unless a
// quota request is pending.
func (a *Assessor) prepareInto(x *decl, as *Assessment) *FieldError {
	if pe := a.assess(x, as); pe != nil {
		return &FieldError{ID: x.id, Row: x.row, Line: x.line, Err: pe}
	}
	if as.quota == nil {
		a.finish(as)
	}
	return nil
}

// assess computes every figure that does not depend on the quota ledger:
// steps 1 to 13.
func (a *Assessor) assess(x *decl, as *Assessment) *problem.Error {
	dy, cp, pe := a.textInForce(x)
	if pe != nil {
		return pe
	}
	// Zeroed in place and then filled: a composite literal would be built on
	// the stack and copied, twice the traffic for a struct of 2.4 kB.
	*as = Assessment{}
	as.ID, as.Importer, as.Party, as.Origin, as.HSCode, as.On, as.party, as.d = x.id, x.importer, cp.id, x.origin, x.hs, x.on, cp, *x
	as.assessor = a
	if pe := a.classify(dy.v, cp, x, as); pe != nil {
		return pe
	}
	content(x, as)
	fx, pe := a.exchangeRate(dy, cp, x, as)
	if pe != nil {
		return pe
	}
	if pe := customsValue(cp, x, fx, as); pe != nil {
		return pe
	}
	if pe := a.quantities(x, as); pe != nil {
		return pe
	}
	if pe := supplementary(x, as); pe != nil {
		return pe
	}
	if as.rs.outside {
		if pe := a.outsideFloor(x, as); pe != nil {
			return pe
		}
	} else if pe := a.floor(x, as); pe != nil {
		return pe
	}
	unitPrice(as)
	as.originParty = dy.v.partyOf[x.origin]
	as.originIsParty = as.originParty != ""
	as.phaseShare = phaseIn(as.phase, as)
	// The undertaking before the variable duty: a met undertaking cancels it.
	if pe := a.undertaking(cp, x, as); pe != nil {
		return pe
	}
	a.variableDuty(fx, as)
	a.surcharge(x, as)
	a.tariffRateQuota(cp, x, as)
	return nil
}

// finish is what follows the quota ledger's grant: the base duty, split at
// the quota, and the rounding.
func (a *Assessor) finish(as *Assessment) {
	a.baseDuty(as)
	a.stacked(as)
	rounding(as)
}

// textInForce is step 1 (docs/declarations.md, Text in force): the agreement
// as in force on the date of acceptance, and the importer's party in it. The
// origin must be a country.
func (a *Assessor) textInForce(x *decl) (*day, *cparty, *problem.Error) {
	dy, pe := x.c.dayOf(a, x.on)
	if pe != nil {
		return nil, nil, pe
	}
	cp := dy.v.parties[x.importer]
	if cp == nil {
		return nil, nil, fieldErr("importer", x.importer, "%q is not a party to %s in force on %s", x.importer, a.ag.ID, x.on)
	}
	if err := x.c.knownCountry(a, x.origin); err != nil {
		return nil, nil, fieldErr("origin", x.origin, "%v", err)
	}
	return dy, cp, nil
}

// classify is step 2 (docs/declarations.md, Classification): the mineral and
// stage the code carries under the party's schedule, and the instruments
// that apply to it, resolved once per (text in force, party, code, declared
// mineral).
func (a *Assessor) classify(v *view, cp *cparty, x *decl, as *Assessment) *problem.Error {
	rs := x.c.resolve(a, v, cp, x)
	if rs.err != nil {
		c := *rs.err
		return &c
	}
	as.rs = rs
	line := rs.line
	as.line, as.Mineral, as.Stage, as.HSLine = line, line.Mineral, string(line.Stage), line.Code
	as.mfn, as.vd, as.sur, as.phase = rs.mfn, rs.vd, rs.sur, rs.phase
	return nil
}

// content is step 3 (docs/declarations.md, Content): the declared mass
// fraction, else the HS map line's default.
func content(x *decl, as *Assessment) {
	as.content, as.contentDeclared = as.line.content, x.hasContent
	if x.hasContent {
		as.content = x.content
	}
}

// exchangeRate is step 4 (docs/declarations.md, Exchange rate): the rates of
// the month the party's rule names, for the declared, the party's and the
// agreement's currencies; no fallback month.
func (a *Assessor) exchangeRate(dy *day, cp *cparty, x *decl, as *Assessment) (*fxTriple, *problem.Error) {
	as.fxMonth = dy.month
	if cp.prevMonth {
		as.fxMonth = dy.prevMon
	}
	if fx := x.c.fxOf(a, dy, cp, x.cur); fx != nil {
		// The rates of the day for this party and currency, found before.
		as.fxDecl, as.fxParty, as.fxAg = fx.decl, fx.party, fx.ag
		return fx, nil
	}
	if cp.table != nil {
		return a.tableRates(dy, cp, x, as)
	}
	var err error
	if as.fxDecl, err = x.c.perUSD(a, x.cur, as.fxMonth); err != nil {
		if a.reg.HasRates(x.cur) {
			return nil, fieldErr("accepted_on", x.on.String(), "%v", err)
		}
		return nil, fieldErr("currency", x.cur, "%v", err)
	}
	if as.fxParty, err = x.c.perUSD(a, cp.currency, as.fxMonth); err != nil {
		return nil, fieldErr("accepted_on", x.on.String(), "party %s assesses in %s: %v", cp.id, cp.currency, err)
	}
	if as.fxAg, err = x.c.perUSD(a, a.ag.Currency, as.fxMonth); err != nil {
		return nil, fieldErr("accepted_on", x.on.String(), "agreement currency %s: %v", a.ag.Currency, err)
	}
	return x.c.keepFx(a, dy, cp, x.cur, as), nil
}

// customsValue is step 5 (docs/declarations.md, Customs value): the declared
// value moved to the party's valuation basis, then converted to the party's
// and the agreement's currencies.
func customsValue(cp *cparty, x *decl, fx *fxTriple, as *Assessment) *problem.Error {
	val := x.value
	switch {
	case cp.cif && x.fob:
		if x.hasFreight || x.hasInsurance {
			val = val.Add(x.freight).Add(x.insurance)
			as.valuationNote = "FOB + declared freight and insurance"
		} else {
			val = val.Mul(exact.Int(1).Add(cp.dfi))
			as.valuationNote = "FOB × (1 + default_freight_insurance)"
		}
	case !cp.cif && !x.fob:
		if x.hasFreight || x.hasInsurance {
			val = val.Sub(x.freight).Sub(x.insurance)
			as.valuationNote = "CIF − declared freight and insurance"
			if val.Sign() < 0 {
				return fieldErr("freight", x.freight.String(), "freight and insurance (%s + %s) exceed the CIF value %s", x.freight, x.insurance, x.value)
			}
		} else {
			as.valuationNote = "CIF value kept: no freight or insurance declared to deduct"
		}
	default:
		as.valuationNote = "declared on the party's basis"
	}
	as.valueDeclBasis = val
	as.valueParty = fx.declParty.conv(val)
	if r := cp.valueRound; r != nil {
		// The party values the goods in whole units (Japan: fractions of
		// 1,000 yen discarded) before any duty is computed on them.
		as.valueExact = as.valueParty
		as.valueParty, _ = roundTo(as.valueParty, r.Places, r.Mode)
	}
	as.valueAg = fx.declAg.conv(val)
	return nil
}

// quantities is step 6 (docs/declarations.md, Quantities): gross and
// contained kilograms (the contained quantity in the floor's unit waits for
// the floor).
func (a *Assessor) quantities(x *decl, as *Assessment) *problem.Error {
	u, ok := x.c.unit(a, x.unit)
	if !ok {
		return fieldErr("unit", x.unit, "unknown unit %q (kg, t, lb, troy_oz, ...)", x.unit)
	}
	if u.contained {
		return fieldErr("unit", x.unit, "%s measures contained weight; declare the gross quantity in a unit of mass", u.code)
	}
	as.grossKg = x.qty.Mul(u.kg)
	as.containedKg = as.grossKg.Mul(as.content)
	return nil
}

// floor is step 7 (docs/declarations.md, Floor): the floor published for the
// mineral and stage on the date of acceptance, and the contained quantity in
// its unit.
func (a *Assessor) floor(x *decl, as *Assessment) *problem.Error {
	f, err := x.c.floorOf(a, as.rs, x.on)
	if err != nil {
		return fieldErr("accepted_on", x.on.String(), "no floor for %s/%s on %s: %v", as.Mineral, as.Stage, x.on, err)
	}
	as.floor = f
	as.contained = as.containedKg.Quo(f.unitKg)
	return nil
}

// outsideFloor stands in for step 7 on a line outside the agreement's scope
// (classify.go, outsideScope): there is no floor, so no variable duty; the
// contained quantity is in kg and needs a declared content when a duty of
// the line is charged on content (the US's "kg on molybdenum content").
func (a *Assessor) outsideFloor(x *decl, as *Assessment) *problem.Error {
	if as.rs.content && !x.hasContent {
		return fieldErr("contained_quantity", "", "HS %s is outside the scope of %s and is charged per unit of content: declare contained_quantity (in the unit of the quantity) or content", x.hs, a.ag.ID)
	}
	as.floor = a.noFloor
	as.contained = as.containedKg
	return nil
}

// unitPrice is step 8 (docs/declarations.md, Unit price): the customs value
// in the agreement currency per unit of contained mineral.
func unitPrice(as *Assessment) {
	as.unitPrice = as.valueAg.Quo(as.contained)
}

// baseDuty is step 9 (docs/declarations.md, Base duty), with the split of
// step 12 (Tariff-rate quota): the in-quota part pays the quota's rate, the
// rest the MFN rate.
func (a *Assessor) baseDuty(as *Assessment) {
	a.baseRate(as)
	if as.trq != nil && as.inQuota.Sign() > 0 && as.requested.Sign() > 0 {
		s := as.inQuota.Quo(as.requested)
		in := scaled(as, s)
		as.baseIn = a.charge(as.trq.levy, in.valueParty, in, as.fxParty)
		if as.baseCI != nil && s.Cmp(exact.Int(1)) < 0 {
			out := scaled(as, exact.Int(1).Sub(s))
			as.baseOut = a.charge(as.baseCI.levy, out.valueParty, out, as.fxParty)
		}
		as.base = as.baseIn.Add(as.baseOut)
	} else if as.baseCI != nil {
		as.base = a.charge(as.baseCI.levy, as.valueParty, as, as.fxParty)
		as.baseOut = as.base
	}
}

// baseRate chooses the rate of the base duty (docs/declarations.md, Base
// duty, preferences): the MFN rate, or a preference the origin qualifies for
// (and, under the claimed rule, that the declaration claims), the one giving
// the lowest duty on the whole goods; the MFN rate on a tie. What decided is
// kept (baseWhy, basePref) for the trace to say.
func (a *Assessor) baseRate(as *Assessment) {
	as.baseCI, as.baseWhy, as.basePref = as.mfn, whyMFN, nil
	if len(as.rs.prefs) == 0 {
		return
	}
	best := exact.Q{}
	if as.mfn != nil {
		best = a.charge(as.mfn.levy, as.valueParty, as, as.fxParty)
	}
	for _, ci := range as.rs.prefs {
		switch {
		case !ci.originIn(as):
			continue
		case as.party.claimed && as.d.pref != ci.scheme:
			if as.baseWhy == whyMFN {
				as.baseWhy, as.basePref = whyNotClaimed, ci
			}
			continue
		}
		d := a.charge(ci.levy, as.valueParty, as, as.fxParty)
		if as.baseCI == nil || d.Cmp(best) < 0 {
			as.baseCI, best, as.baseWhy, as.basePref = ci, d, whyPreference, ci
		} else if as.baseWhy == whyMFN {
			as.baseWhy, as.basePref = whyNotLower, ci
		}
	}
}

// Why the base duty has the rate it has.
const (
	whyMFN        uint8 = iota // no preference of the line covers the origin
	whyPreference              // a preference, lower than MFN (or claimed)
	whyNotClaimed              // the origin qualifies, the declaration does not claim it
	whyNotLower                // the preference is not lower than MFN
)

// baseNote says in words why the base duty has its rate (the trace's).
func (as *Assessment) baseNote() string {
	p := as.basePref
	switch as.baseWhy {
	case whyPreference:
		if as.party.claimed {
			return "preference " + p.in.ID + " claimed under scheme " + p.scheme + " for origin " + as.Origin
		}
		return "preference " + p.in.ID + " for origin " + as.Origin + " (" + p.levy.text + "), lower than MFN"
	case whyNotClaimed:
		return "origin qualifies for " + p.in.ID + " but the declaration does not claim scheme " + p.scheme + ": MFN"
	case whyNotLower:
		return "preference " + p.in.ID + " (" + p.levy.text + ") is not lower than MFN: MFN"
	}
	return "MFN: no preference of the line covers origin " + as.Origin
}

// variableDuty is step 10 (docs/declarations.md, Variable duty): the gap to
// the floor times the contained quantity, capped, phased in, treated by
// origin and cancelled by a met undertaking; computed in the agreement
// currency, then converted to the party's.
func (a *Assessor) variableDuty(fx *fxTriple, as *Assessment) {
	if as.vd == nil {
		return
	}
	var v gapFigures
	a.gapDuty(as.vd, as, &v)
	as.vdRaw, as.vdCap, as.capped, as.vdAfterPhase, as.vdAfterOrigin, as.vdAg = v.raw, v.cap, v.capped, v.afterPhase, v.afterOrigin, v.final
	as.vdParty = fx.agParty.conv(v.final)
}

// gapFigures are the figures of one variable duty, in the agreement currency.
type gapFigures struct {
	raw, cap, afterPhase, afterOrigin, final exact.Q
	capped                                   bool
}

// gapDuty is the variable duty ci levies on as (step 10): the gap to the
// floor times the contained quantity, capped, phased in, treated by origin
// and cancelled by a met undertaking. A second variable duty on the line
// (stacked) is computed the same way with its own cap and origin rule.
func (a *Assessor) gapDuty(ci *cinstr, as *Assessment, v *gapFigures) {
	*v = gapFigures{}
	fc := as.floor.price.Mul(as.contained)
	v.raw = exact.Max(exact.Q{}, fc.Sub(as.valueAg))
	d := v.raw
	if ci.capLevy != nil {
		// An ad valorem cap is a share of the goods' value at the floor
		// (floor × contained quantity), not of the declared value: a cap on
		// the declared value would make a higher price raise the duty.
		v.cap = a.charge(ci.capLevy, fc, as, as.fxAg)
		if v.cap.Cmp(d) < 0 {
			d, v.capped = v.cap, true
		}
	}
	d = d.Mul(as.phaseShare)
	v.afterPhase = d
	if as.originIsParty {
		switch ci.originTreatment {
		case agreement.Exempt:
			d = exact.Q{}
		case agreement.Reduced:
			d = d.Mul(ci.originFactor)
		}
	}
	v.afterOrigin = d
	if as.undertakingMet {
		d = exact.Q{}
	}
	v.final = d
}

// phaseIn is the phase-in share of step 10 (docs/declarations.md, Variable
// duty, phase-in), which step 11 applies too: the share of the step in force,
// 0 before the first, 1 without a phase-in.
func phaseIn(phase *cinstr, as *Assessment) exact.Q {
	if phase == nil {
		return exact.Int(1)
	}
	return phase.share(as.On)
}

// surcharge is step 11 (docs/declarations.md, Non-party surcharge): its rate
// on goods from outside the parties and its exempt list, phased in.
func (a *Assessor) surcharge(x *decl, as *Assessment) {
	if as.sur == nil || as.originIsParty {
		return
	}
	if slices.Contains(as.sur.exempt, x.origin) {
		as.surchargeExempt = true
		return
	}
	as.surchargeFull = a.charge(as.sur.levy, as.valueParty, as, as.fxParty)
	as.surcharge = as.surchargeFull.Mul(as.phaseShare)
}

// tariffRateQuota is step 12 (docs/declarations.md, Tariff-rate quota): the
// quota for the origin, and the request the ledger is to grant, in the
// volume's unit and basis, for the period containing the date (none before
// the first period).
func (a *Assessor) tariffRateQuota(cp *cparty, x *decl, as *Assessment) {
	for _, ci := range as.rs.trqs {
		if len(ci.origins) == 0 || slices.Contains(ci.origins, x.origin) || (as.originParty != "" && slices.Contains(ci.origins, as.originParty)) {
			as.trq = ci
			break
		}
	}
	if as.trq == nil || as.trq.period == nil {
		return
	}
	start, _, open := as.trq.period.Containing(x.on)
	if !open {
		return
	}
	kg := as.containedKg
	if !as.trq.volContained {
		kg = as.grossKg
	}
	as.requested = kg.Quo(as.trq.volUnit.kg)
	// The request as a decimal is the requested quantity at 18 places (the
	// text exact.Q.Decimal writes); its rational, the same figure, goes
	// with it for MemLedger.
	q, _ := as.requested.Round(18, dec.HalfEven)
	as.quota = &QuotaRequest{
		Quota: cp.id + "/" + as.trq.in.ID, PeriodStart: start, Day: x.on,
		Volume: as.trq.in.Volume.Value, Unit: as.trq.volUnit.code, CriticalAt: as.trq.in.CriticalAt, ProRata: as.trq.proRata,
		Request: Request{DeclarationID: x.id, Quantity: as.requested.Decimal(), Seq: int64(x.row), q: q, hasQ: true},
	}
}

// undertaking is step 13 (docs/declarations.md, Price undertaking): the
// importer's undertaking for the exporter (and the id declared, if any), met
// when the unit price is at least its minimum.
func (a *Assessor) undertaking(cp *cparty, x *decl, as *Assessment) *problem.Error {
	if x.exporter == "" && x.und == "" {
		return nil
	}
	var found *cinstr
	for _, ci := range as.rs.unds {
		if (x.und == "" || ci.in.ID == x.und) && ci.exporter == x.exporter {
			found = ci
			break
		}
	}
	if found == nil {
		if x.und != "" {
			return fieldErr("undertaking_id", x.und, "%q is not an undertaking of %s in force on %s for exporter %q and %s/%s", x.und, cp.id, x.on, x.exporter, as.Mineral, as.Stage)
		}
		return nil
	}
	as.und = found
	minAg, pe := a.minPriceAg(found, as)
	if pe != nil {
		return pe
	}
	if as.unitPrice.Cmp(minAg) >= 0 {
		as.undertakingMet = true
	} else {
		as.Breach = true
	}
	return nil
}

// minPriceAg is the undertaking's minimum price in the agreement currency per
// unit of the floor.
func (a *Assessor) minPriceAg(ci *cinstr, as *Assessment) (exact.Q, *problem.Error) {
	fx, err := a.rateOf(as, ci.minCur)
	if err != nil {
		return exact.Q{}, fieldErr("undertaking_id", ci.in.ID, "minimum price of %s: %v", ci.in.ID, err)
	}
	// amount/perUnit → per floor unit: × floorKg / perKg.
	return ci.minPrice.Mul(as.fxAg.perUSD).Quo(fx.perUSD).Mul(as.floor.unitKg).Quo(ci.minUnit.kg), nil
}

// rounding is step 14 (docs/declarations.md, Rounding), once, by the party's
// rule: each duty rounded and added, or the exact sum rounded. What rounding
// did (digits discarded, some of them not zero) is kept: Rounding reports it.
func rounding(as *Assessment) {
	cp := as.party
	if cp.eachDuty {
		var cb, cv, cs exact.Condition
		as.baseR, cb = roundTo(as.base, cp.places, cp.mode)
		as.vdR, cv = roundTo(as.vdParty, cp.places, cp.mode)
		as.surR, cs = roundTo(as.surcharge, cp.places, cp.mode)
		as.total = as.baseR.Add(as.vdR).Add(as.surR)
		as.rounded = cb | cv | cs
		as.other = exact.Q{}
		for i := range as.stack {
			l := &as.stack[i]
			var c exact.Condition
			l.r, c = roundTo(l.amount, cp.places, cp.mode)
			as.other = as.other.Add(l.r)
			as.rounded |= c
		}
		as.total = as.total.Add(as.other)
		return
	}
	as.baseR, as.vdR, as.surR = as.base, as.vdParty, as.surcharge
	as.other = exact.Q{}
	for i := range as.stack {
		as.other = as.other.Add(as.stack[i].amount)
	}
	as.totalExact = as.base.Add(as.vdParty).Add(as.surcharge).Add(as.other)
	as.total, as.rounded = roundTo(as.totalExact, cp.places, cp.mode)
}

// roundTo rounds x to places digits after the point; negative places round
// to a power of ten (-2: to 100 units, as Japan discards duty below 100 yen).
func roundTo(x exact.Q, places int, mode dec.Mode) (exact.Q, exact.Condition) {
	if x.IsZero() { // most duties of a row: nothing to round
		return x, 0
	}
	if places >= 0 {
		return x.Round(places, mode)
	}
	n := int64(1)
	for range -places {
		n *= 10
	}
	p := exact.Int(n) // 10^-places
	r, c := x.Quo(p).Round(0, mode)
	return r.Mul(p), c
}

// Rounding reports what step 14 did to the duties charged: Rounded when it
// discarded digits, Inexact when some of them were not zero, so that the
// duty differs from the exact figure (the conditions of exact.Q.Round).
func (as *Assessment) Rounding() exact.Condition { return as.rounded }

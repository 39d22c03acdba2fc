package duty

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// decl is a declaration with its figures exact, as the engine reads it.
type decl struct {
	id, importer, origin, exporter, hs, unit, cur, und, mineral string
	on                                                          date.Date
	qty, content, value, freight, insurance                     q
	hasContent, hasFreight, hasInsurance, fob                   bool
	row, line                                                   int
	c                                                           *lcache // a worker's cache, or nil
}

// Assessment is the result of assessing one declaration. Its figures are
// exact; Result renders them as the output columns and Trace explains them.
type Assessment struct {
	ID       string
	Importer string
	Party    string // the party whose schedule applies (EU for a member state)
	Origin   string
	Mineral  string
	Stage    string
	HSCode   string // as declared
	HSLine   string // the HS map's line it classified to
	On       date.Date

	party *cparty
	rs    *resolved // what the code means under the party's schedule
	line  classLine
	d     decl

	content          q
	contentDeclared  bool
	fxMonth          string
	fxDecl, fxParty  fxEntry
	fxAg             fxEntry
	valueDeclBasis   q // customs value on the party's basis, declared currency
	valueParty       q // the same in the party's currency
	valueAg          q // the same in the agreement currency
	grossKg          q
	containedKg      q
	contained        q // in the floor's unit
	unitPrice        q // agreement currency per floor unit
	floor            *floorQ
	valuationNote    string
	mfn, vd, sur     *cinstr
	trq, und, phase  *cinstr
	phaseShare       q
	originIsParty    bool
	originParty      string
	vdRaw            q // agreement currency
	vdCap            q
	capped           bool
	vdAfterPhase     q
	vdAfterOrigin    q
	undertakingMet   bool
	Breach           bool
	vdAg             q // final variable duty, agreement currency
	vdParty          q
	surcharge        q
	surchargeFull    q
	surchargeExempt  bool
	quota            *QuotaRequest
	quotaStatus      QuotaStatus
	requested        q // in the volume's unit and basis
	inQuota          q
	base             q // party currency
	baseIn, baseOut  q
	baseR, vdR, surR q // rounded (each_duty), or equal to the exact figures
	total            q
	totalExact       q // base + variable + surcharge, unrounded (set when the party rounds the total)
}

// Prepare assesses d up to the tariff-rate quota: when a quota applies, the
// returned request must be allocated by a ledger and the assessment completed
// with Complete. Without a quota the assessment is complete.
func (a *Assessor) Prepare(d Declaration) (*Assessment, *QuotaRequest, error) {
	x, err := a.fromDeclaration(d)
	if err != nil {
		return nil, nil, err
	}
	return a.prepare(x)
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
	as.inQuota = qOf(g.Granted)
	if as.quota != nil && g.Granted.Cmp(as.quota.Quantity) == 0 {
		as.inQuota = as.requested // the whole request, exactly
	}
	a.finish(as)
}

func (a *Assessor) fromDeclaration(d Declaration) (decl, error) {
	x := decl{id: d.ID, importer: d.Importer, origin: d.Origin, exporter: d.ExporterID, hs: d.HSCode, unit: d.Unit,
		cur: d.Currency, und: d.UndertakingID, mineral: d.Mineral, on: d.AcceptedOn,
		qty: qOf(d.Quantity), value: qOf(d.CustomsValue)}
	if d.Content != nil {
		x.content, x.hasContent = qOf(*d.Content), true
	}
	if d.Freight != nil {
		x.freight, x.hasFreight = qOf(*d.Freight), true
	}
	if d.Insurance != nil {
		x.insurance, x.hasInsurance = qOf(*d.Insurance), true
	}
	switch strings.ToUpper(d.Incoterm) {
	case "FOB":
		x.fob = true
	case "CIF":
	default:
		return x, &FieldError{ID: d.ID, Field: "incoterm", Reason: fmt.Sprintf("%q is not FOB or CIF", d.Incoterm)}
	}
	if err := checkDecl(&x); err != nil {
		err.ID = d.ID
		return x, err
	}
	return x, nil
}

// checkDecl checks what does not need the agreement.
func checkDecl(x *decl) *FieldError {
	switch {
	case x.id == "":
		return fieldErr("id", "is required")
	case x.on.IsZero():
		return fieldErr("accepted_on", "is required (YYYY-MM-DD)")
	case x.importer == "":
		return fieldErr("importer", "is required (a party: ISO alpha-2 or EU)")
	case x.origin == "":
		return fieldErr("origin", "is required (ISO alpha-2)")
	case x.hs == "":
		return fieldErr("hs_code", "is required (6 to 10 digits)")
	case x.qty.sign() <= 0:
		return fieldErr("quantity", "%s is not a positive quantity", x.qty)
	case x.unit == "":
		return fieldErr("unit", "is required (kg, t, lb, ...)")
	case x.hasContent && (x.content.sign() <= 0 || x.content.cmp(qInt(1)) > 0):
		return fieldErr("content", "%s is not a mass fraction in (0, 1]", x.content)
	case x.value.sign() < 0:
		return fieldErr("customs_value", "%s is negative", x.value)
	case x.cur == "":
		return fieldErr("currency", "is required (ISO 4217)")
	case x.hasFreight && x.freight.sign() < 0:
		return fieldErr("freight", "%s is negative", x.freight)
	case x.hasInsurance && x.insurance.sign() < 0:
		return fieldErr("insurance", "%s is negative", x.insurance)
	}
	return nil
}

func (a *Assessor) prepare(x decl) (*Assessment, *QuotaRequest, error) {
	as := new(Assessment)
	if err := a.prepareInto(&x, as); err != nil {
		return nil, nil, err
	}
	return as, as.quota, nil
}

// prepareInto assesses x into as (which it overwrites), finishing it unless a
// quota request is pending.
func (a *Assessor) prepareInto(x *decl, as *Assessment) *FieldError {
	err := a.assess(x, as)
	if err != nil {
		var fe *FieldError
		if errors.As(err, &fe) {
			fe.ID, fe.Row, fe.Line = x.id, x.row, x.line
			return fe
		}
		return &FieldError{ID: x.id, Row: x.row, Line: x.line, Field: "", Reason: err.Error()}
	}
	if as.quota == nil {
		a.finish(as)
	}
	return nil
}

// assess computes every figure that does not depend on the quota ledger.
func (a *Assessor) assess(x *decl, as *Assessment) error {
	dy, err := x.c.dayOf(a, x.on)
	if err != nil {
		return err
	}
	v := dy.v
	cp := v.parties[x.importer]
	if cp == nil {
		return fieldErr("importer", "%q is not a party to %s in force on %s", x.importer, a.ag.ID, x.on)
	}
	if err := x.c.knownCountry(a, x.origin); err != nil {
		return fieldErr("origin", "%v", err)
	}
	// Zeroed in place and then filled: a composite literal would be built on
	// the stack and copied, twice the traffic for a struct of 2.4 kB.
	*as = Assessment{}
	as.ID, as.Importer, as.Party, as.Origin, as.HSCode, as.On, as.party, as.d = x.id, x.importer, cp.id, x.origin, x.hs, x.on, cp, *x

	// Classification and the instruments of the line, resolved once per
	// (text in force, party, code, declared mineral).
	rs := x.c.resolve(a, v, cp, x)
	if rs.err != nil {
		c := *rs.err
		return &c
	}
	as.rs = rs
	line := rs.line
	as.line, as.Mineral, as.Stage, as.HSLine = line, line.Mineral, string(line.Stage), line.Code
	as.content, as.contentDeclared = line.content, x.hasContent
	if x.hasContent {
		as.content = x.content
	}

	// Exchange rates of the month the party's rule names.
	as.fxMonth = dy.month
	if cp.prevMonth {
		as.fxMonth = dy.prevMon
	}
	fx := x.c.fxOf(a, dy, cp, x.cur)
	if fx != nil {
		// The rates of the day for this party and currency, found before.
		as.fxDecl, as.fxParty, as.fxAg = fx.decl, fx.party, fx.ag
	} else if as.fxDecl, err = x.c.perUSD(a, x.cur, as.fxMonth); err != nil {
		field := "currency"
		if a.reg.HasRates(x.cur) {
			field = "accepted_on"
		}
		return fieldErr(field, "%v", err)
	} else if as.fxParty, err = x.c.perUSD(a, cp.currency, as.fxMonth); err != nil {
		return fieldErr("accepted_on", "party %s assesses in %s: %v", cp.id, cp.currency, err)
	} else if as.fxAg, err = x.c.perUSD(a, a.ag.Currency, as.fxMonth); err != nil {
		return fieldErr("accepted_on", "agreement currency %s: %v", a.ag.Currency, err)
	} else {
		fx = x.c.keepFx(a, dy, cp, x.cur, as)
	}

	// Customs value on the party's basis.
	val := x.value
	switch {
	case cp.cif && x.fob:
		if x.hasFreight || x.hasInsurance {
			val = val.add(x.freight).add(x.insurance)
			as.valuationNote = "FOB + declared freight and insurance"
		} else {
			val = val.mul(qInt(1).add(cp.dfi))
			as.valuationNote = "FOB × (1 + default_freight_insurance)"
		}
	case !cp.cif && !x.fob:
		if x.hasFreight || x.hasInsurance {
			val = val.sub(x.freight).sub(x.insurance)
			as.valuationNote = "CIF − declared freight and insurance"
			if val.sign() < 0 {
				return fieldErr("freight", "freight and insurance (%s + %s) exceed the CIF value %s", x.freight, x.insurance, x.value)
			}
		} else {
			as.valuationNote = "CIF value kept: no freight or insurance declared to deduct"
		}
	default:
		as.valuationNote = "declared on the party's basis"
	}
	as.valueDeclBasis = val
	as.valueParty = fx.declParty.conv(val)
	as.valueAg = fx.declAg.conv(val)

	// Quantities.
	u, ok := x.c.unit(a, x.unit)
	if !ok {
		return fieldErr("unit", "unknown unit %q (kg, t, lb, troy_oz, ...)", x.unit)
	}
	if u.contained {
		return fieldErr("unit", "%s measures contained weight; declare the gross quantity in a unit of mass", u.code)
	}
	as.grossKg = x.qty.mul(u.kg)
	as.containedKg = as.grossKg.mul(as.content)

	// Floor and unit price.
	as.floor, err = x.c.floorOf(a, rs, x.on)
	if err != nil {
		return fieldErr("accepted_on", "no floor for %s/%s on %s: %v", as.Mineral, as.Stage, x.on, err)
	}
	as.contained = as.containedKg.quo(as.floor.unitKg)
	as.unitPrice = as.valueAg.quo(as.contained)

	// Origin.
	as.originParty = v.partyOf[x.origin]
	as.originIsParty = as.originParty != ""

	// Instruments.
	as.mfn, as.vd, as.sur, as.phase = rs.mfn, rs.vd, rs.sur, rs.phase
	as.phaseShare = qInt(1)
	if as.phase != nil {
		as.phaseShare = as.phase.share(x.on)
	}
	for _, ci := range rs.trqs {
		if len(ci.origins) == 0 || contains(ci.origins, x.origin) || (as.originParty != "" && contains(ci.origins, as.originParty)) {
			as.trq = ci
			break
		}
	}
	if err := a.undertaking(as, cp, x, rs.unds); err != nil {
		return err
	}

	// Variable duty, in the agreement currency.
	if as.vd != nil {
		fc := as.floor.price.mul(as.contained)
		as.vdRaw = qmax(q{}, fc.sub(as.valueAg))
		vd := as.vdRaw
		if as.vd.cap != nil {
			// An ad valorem cap is a share of the goods' value at the floor
			// (floor × contained quantity), not of the declared value: a cap
			// on the declared value would make a higher price raise the duty.
			as.vdCap = a.apply(as.vd.cap, fc, as, as.fxAg)
			if as.vdCap.cmp(vd) < 0 {
				vd, as.capped = as.vdCap, true
			}
		}
		vd = vd.mul(as.phaseShare)
		as.vdAfterPhase = vd
		if as.originIsParty {
			switch as.vd.originTreatment {
			case "exempt":
				vd = q{}
			case "reduced":
				vd = vd.mul(as.vd.originFactor)
			}
		}
		as.vdAfterOrigin = vd
		if as.undertakingMet {
			vd = q{}
		}
		as.vdAg = vd
		as.vdParty = fx.agParty.conv(vd)
	}

	// Non-party surcharge, in the party's currency.
	if as.sur != nil && !as.originIsParty {
		if contains(as.sur.exempt, x.origin) {
			as.surchargeExempt = true
		} else {
			as.surchargeFull = a.apply(as.sur.rate, as.valueParty, as, as.fxParty)
			as.surcharge = as.surchargeFull.mul(as.phaseShare)
		}
	}

	// Tariff-rate quota request.
	if as.trq != nil && as.trq.period != nil {
		start, _, open := as.trq.period.Containing(x.on)
		if open {
			kg := as.containedKg
			if !as.trq.volContained {
				kg = as.grossKg
			}
			as.requested = kg.quo(as.trq.volUnit.kg)
			as.quota = &QuotaRequest{
				Quota: cp.id + "/" + as.trq.in.ID, PeriodStart: start, Day: x.on,
				Volume: as.trq.in.Volume.Value, Unit: as.trq.volUnit.code, CriticalAt: as.trq.in.CriticalAt, ProRata: as.trq.proRata,
				Request: Request{DeclarationID: x.id, Quantity: as.requested.dec(), Seq: int64(x.row)},
			}
		}
	}
	return nil
}

// undertaking finds the exporter's price undertaking and checks it.
func (a *Assessor) undertaking(as *Assessment, cp *cparty, x *decl, unds []*cinstr) error {
	if x.exporter == "" && x.und == "" {
		return nil
	}
	var found *cinstr
	for _, ci := range unds {
		if x.und != "" && ci.in.ID != x.und {
			continue
		}
		if ci.exporter != x.exporter {
			continue
		}
		found = ci
		break
	}
	if found == nil {
		if x.und != "" {
			return fieldErr("undertaking_id", "%q is not an undertaking of %s in force on %s for exporter %q and %s/%s", x.und, cp.id, x.on, x.exporter, as.Mineral, as.Stage)
		}
		return nil
	}
	as.und = found
	minAg, err := a.minPriceAg(found, as)
	if err != nil {
		return err
	}
	if as.unitPrice.cmp(minAg) >= 0 {
		as.undertakingMet = true
	} else {
		as.Breach = true
	}
	return nil
}

// minPriceAg is the undertaking's minimum price in the agreement currency per
// unit of the floor.
func (a *Assessor) minPriceAg(ci *cinstr, as *Assessment) (q, error) {
	fx, err := a.perUSD(ci.minCur, as.fxMonth)
	if err != nil {
		return q{}, fieldErr("undertaking_id", "minimum price of %s: %v", ci.in.ID, err)
	}
	// amount/perUnit → per floor unit: × floorKg / perKg.
	return ci.minPrice.mul(as.fxAg.perUSD).quo(fx.perUSD).mul(as.floor.unitKg).quo(ci.minUnit.kg), nil
}

// apply computes a rate on the goods, in the currency whose rate is to: value
// must be in that currency.
func (a *Assessor) apply(r *crate, value q, as *Assessment, to fxEntry) q {
	spec := func(s *cspec) q {
		kg := as.grossKg
		if s.contained {
			kg = as.containedKg
		}
		fx, err := a.perUSD(s.currency, as.fxMonth)
		if err != nil {
			fx.perUSD = qInt(1) // validated at load: the agreement's currencies convert
		}
		return s.amount.mul(kg).quo(s.unit.kg).mul(to.perUSD).quo(fx.perUSD)
	}
	var d q
	switch r.kind {
	case "ad_valorem":
		d = r.av.mul(value)
	case "specific":
		d = spec(r.spec)
	case "compound":
		d = r.av.mul(value).add(spec(r.spec))
	case "mixed":
		av, sp := r.av.mul(value), spec(r.spec)
		if r.higher {
			d = qmax(av, sp)
		} else {
			d = qmin(av, sp)
		}
	}
	if r.minimum != nil {
		d = qmax(d, spec(r.minimum))
	}
	if r.maximum != nil {
		d = qmin(d, spec(r.maximum))
	}
	return d
}

// finish computes the base duty (split at the quota), the rounding and the total.
func (a *Assessor) finish(as *Assessment) {
	cp := as.party
	if as.trq != nil && as.inQuota.sign() > 0 && as.requested.sign() > 0 {
		s := as.inQuota.quo(as.requested)
		in := scaled(as, s)
		as.baseIn = a.apply(as.trq.rate, in.valueParty, in, as.fxParty)
		if as.mfn != nil && s.cmp(qInt(1)) < 0 {
			out := scaled(as, qInt(1).sub(s))
			as.baseOut = a.apply(as.mfn.rate, out.valueParty, out, as.fxParty)
		}
		as.base = as.baseIn.add(as.baseOut)
	} else if as.mfn != nil {
		as.base = a.apply(as.mfn.rate, as.valueParty, as, as.fxParty)
		as.baseOut = as.base
	}
	if cp.eachDuty {
		as.baseR, _ = as.base.round(cp.places, cp.mode)
		as.vdR, _ = as.vdParty.round(cp.places, cp.mode)
		as.surR, _ = as.surcharge.round(cp.places, cp.mode)
		as.total = as.baseR.add(as.vdR).add(as.surR)
	} else {
		as.baseR, as.vdR, as.surR = as.base, as.vdParty, as.surcharge
		as.totalExact = as.base.add(as.vdParty).add(as.surcharge)
		as.total, _ = as.totalExact.round(cp.places, cp.mode)
	}
}

// gap is max(0, floor − unit price), for the trace of the variable duty (only
// the trace shows it, so it is computed when the trace is asked for).
func (as *Assessment) gap() q {
	if as.vd == nil {
		return q{}
	}
	return qmax(q{}, as.floor.price.sub(as.unitPrice))
}

// scaled returns the goods' value and quantities scaled by s (a quota part).
func scaled(as *Assessment, s q) *Assessment {
	c := *as
	c.valueParty = as.valueParty.mul(s)
	c.grossKg = as.grossKg.mul(s)
	c.containedKg = as.containedKg.mul(s)
	return &c
}

// pick chooses the mineral and stage the goods are assessed under (see
// docs/declarations.md, Classification).
func (a *Assessor) pick(v *view, lines []classLine, x *decl) (classLine, error) {
	code := normalizeHS(x.hs)
	var best classLine
	found := false
	for _, l := range lines {
		m := l.Mineral
		st := v.scope[msKey{m, string(l.Stage)}]
		if st == nil || !stageCovers(st, code) {
			continue
		}
		if x.mineral != "" && x.mineral != m {
			continue
		}
		if !found || l.content.cmp(best.content) > 0 || (l.content.cmp(best.content) == 0 && v.order[m] < v.order[best.Mineral]) {
			best, found = l, true
		}
	}
	if !found {
		var seen []string
		for _, l := range lines {
			seen = append(seen, l.Mineral+"/"+string(l.Stage))
		}
		if x.mineral != "" {
			return best, fieldErr("mineral", "%q is not carried by HS %s in scope of %s on %s (the code carries %s)", x.mineral, x.hs, a.ag.ID, x.on, strings.Join(seen, ", "))
		}
		return best, fieldErr("hs_code", "HS %s (%s) is not in scope of %s on %s", x.hs, strings.Join(seen, ", "), a.ag.ID, x.on)
	}
	return best, nil
}

// stageCovers reports whether a stage's HS list covers the declared code: a
// listed line that is a prefix of the code, or a code that is a prefix of a
// listed national line (a 6-digit declaration under a party without the
// national subdivision). A stage without a list covers its registry codes.
func stageCovers(st *agreement.StageScope, code string) bool {
	if len(st.HS) == 0 {
		return true
	}
	for _, h := range st.HS {
		if strings.HasPrefix(code, h) || strings.HasPrefix(h, code) {
			return true
		}
	}
	return false
}

func normalizeHS(s string) string {
	if !strings.ContainsAny(s, ". ") {
		return s
	}
	return strings.NewReplacer(".", "", " ", "").Replace(s)
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// resolved is what a declared code means under a party's schedule on the
// text in force: the mineral and stage, and the instruments that apply.
type resolved struct {
	err                 *FieldError
	line                classLine
	mfn, vd, sur, phase *cinstr
	trqs, unds          []*cinstr
}

type resolveKey struct {
	v           *view
	cp          *cparty
	hs, mineral string
}

func (a *Assessor) resolve(v *view, cp *cparty, x *decl) *resolved {
	k := resolveKey{v, cp, x.hs, x.mineral}
	if r, ok := a.resolvedC.load(k); ok {
		return r
	}
	r := &resolved{}
	lines, err := a.classify(x.hs)
	if err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			r.err = fieldErr("hs_code", "%s", pe.Message)
		} else {
			r.err = fieldErr("hs_code", "%v", err)
		}
	} else if line, err := a.pick(v, lines, x); err != nil {
		r.err = err.(*FieldError)
	} else {
		r.line = line
		code := normalizeHS(x.hs)
		m, st := line.Mineral, string(line.Stage)
		r.mfn = cp.instrument(agreement.MFN, m, st, code)
		r.vd = cp.instrument(agreement.VariableDuty, m, st, code)
		r.sur = cp.instrument(agreement.NonPartySurcharge, m, st, code)
		r.phase = cp.instrument(agreement.PhaseIn, m, st, code)
		for _, ci := range cp.instr {
			if (ci.typ == agreement.TariffRateQuota || ci.typ == agreement.Undertaking) && ci.in.Applies(m, st, code) >= 0 {
				if ci.typ == agreement.TariffRateQuota {
					r.trqs = append(r.trqs, ci)
				} else {
					r.unds = append(r.unds, ci)
				}
			}
		}
	}
	a.resolvedC.store(k, r)
	return r
}

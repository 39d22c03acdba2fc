package duty

import (
	"errors"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// resolved is what a declared code means under a party's schedule on the
// text in force: the mineral and stage, and the instruments that apply.
type resolved struct {
	err                 *problem.Error
	line                classLine
	mfn, vd, sur, phase *cinstr
	trqs, unds          []*cinstr
	// measures.go: the stacking measures beyond mfn and sur, in the party's
	// order, and the preferences of the line.
	stack, prefs []*cinstr
	supp         []string // supplementary units the line's duties charge per
	// outside: a line outside the agreement's scope that the party's own
	// measures cover (molybdenum's MFN rate, a safeguard on ferro-alloys):
	// assessed on those measures, without a floor.
	outside bool
	content bool // some duty of the line is charged per unit of content
}

type resolveKey struct {
	v           *view
	cp          *cparty
	hs, mineral string
}

// resolve classifies x's code (docs/declarations.md, Classification) and
// finds the party's instruments for its mineral and stage, once per key.
func (a *Assessor) resolve(v *view, cp *cparty, x *decl) *resolved {
	k := resolveKey{v, cp, x.hs, x.mineral}
	if r, ok := a.resolvedC.load(k); ok {
		return r
	}
	r := &resolved{}
	lines, err := a.hsLines(x.hs)
	if err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			r.err = fieldErr("hs_code", x.hs, "%s", pe.Message)
		} else {
			r.err = fieldErr("hs_code", x.hs, "%v", err)
		}
		a.outsideScope(cp, x, r)
	} else if line, pe := a.pick(v, lines, x); pe != nil {
		r.err = pe
		if x.mineral == "" {
			a.outsideScope(cp, x, r)
		}
	} else {
		r.line = line
		code := normalizeHS(x.hs)
		m, st := line.Mineral, line.Stage
		mfns, surs, prefs, stack := stackOf(cp, m, st, code)
		if len(mfns) > 0 {
			r.mfn = mfns[0]
		}
		if len(surs) > 0 {
			r.sur = surs[0]
		}
		r.prefs, r.stack = prefs, stack
		if vds := cp.p.Measures(agreement.VariableDuty, m, st, code); len(vds) > 0 {
			r.vd = cp.byIn[vds[0]]
		}
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
	if r.err == nil {
		r.supp, r.content = lineNeeds(r)
	}
	a.resolvedC.store(k, r)
	return r
}

// pick chooses the mineral and stage the goods are assessed under (see
// docs/declarations.md, Classification).
func (a *Assessor) pick(v *view, lines []classLine, x *decl) (classLine, *problem.Error) {
	code := normalizeHS(x.hs)
	var best classLine
	found := false
	for _, l := range lines {
		m := l.Mineral
		st := v.scope[msKey{m, l.Stage}]
		if st == nil || !stageCovers(st, code) {
			continue
		}
		if x.mineral != "" && x.mineral != m {
			continue
		}
		if !found || l.content.Cmp(best.content) > 0 || (l.content.Cmp(best.content) == 0 && v.order[m] < v.order[best.Mineral]) {
			best, found = l, true
		}
	}
	if !found {
		var seen []string
		for _, l := range lines {
			seen = append(seen, l.Mineral+"/"+string(l.Stage))
		}
		if x.mineral != "" {
			return best, fieldErr("mineral", x.mineral, "%q is not carried by HS %s in scope of %s on %s (the code carries %s)", x.mineral, x.hs, a.ag.ID, x.on, strings.Join(seen, ", "))
		}
		return best, fieldErr("hs_code", x.hs, "HS %s (%s) is not in scope of %s on %s", x.hs, strings.Join(seen, ", "), a.ag.ID, x.on)
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

// normalizeHS drops the dots and spaces a tariff code may be written with.
func normalizeHS(s string) string {
	if !strings.ContainsAny(s, ". ") {
		return s
	}
	return strings.NewReplacer(".", "", " ", "").Replace(s)
}

// Classify is step 2 (docs/declarations.md, Classification) for a code alone,
// on the text in force on a date: the mineral and stage goods declared under
// code are assessed under, and the HS map's default content. mineral names
// one of a multi-mineral code ("": the one with the highest content).
func (a *Assessor) Classify(on date.Date, code, mineral string) (m, stage string, content dec.Decimal, err error) {
	dy, pe := a.dayOf(on)
	if pe != nil {
		return "", "", dec.Decimal{}, pe
	}
	lines, err := a.hsLines(code)
	if err != nil {
		return "", "", dec.Decimal{}, err
	}
	line, pe := a.pick(dy.v, lines, &decl{hs: code, mineral: mineral, on: on})
	if pe != nil {
		return "", "", dec.Decimal{}, pe
	}
	return line.Mineral, string(line.Stage), line.Content, nil
}

// Check reports why the declaration whose fields are given (as
// ReadDeclaration reads them) cannot be assessed, or nil if it can. It
// allocates no quota.
func (a *Assessor) Check(fields map[string]string) error {
	d, err := ReadDeclaration(fields)
	if err != nil {
		return err
	}
	var as Assessment
	x := d.x
	if fe := a.prepareInto(&x, &as); fe != nil {
		return fe
	}
	return nil
}

// outsideScope resolves a code outside the agreement's scope (or unknown to
// the HS map) when the party's schedule has measures on its tariff line:
// the goods are assessed on those measures (MFN, preferences, additional
// duties, remedies, safeguards and their quotas, fees), without a floor and
// so without a variable duty or surcharge. Without such measures the
// classification's problem stands.
func (a *Assessor) outsideScope(cp *cparty, x *decl, r *resolved) {
	code := normalizeHS(x.hs)
	mfns, _, prefs, stack := stackOf(cp, "", "", code)
	var trqs []*cinstr
	for _, ci := range cp.instr {
		if ci.typ == agreement.TariffRateQuota && ci.in.Mineral == "" && ci.in.Applies("", "", code) > 0 {
			trqs = append(trqs, ci)
		}
	}
	lined := func(cs []*cinstr) bool {
		for _, ci := range cs {
			if len(ci.in.HS) > 0 {
				return true
			}
		}
		return false
	}
	if !lined(mfns) && !lined(stack) && !lined(prefs) {
		return // only measures on every entry (a fee): the code is not the party's
	}
	*r = resolved{outside: true, prefs: prefs, stack: stack, trqs: trqs}
	if len(mfns) > 0 {
		r.mfn = mfns[0]
	}
	r.line = classLine{content: exact.Int(1), contentText: "1"}
	r.line.Code = code
}

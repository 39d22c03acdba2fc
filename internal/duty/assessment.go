package duty

import "github.com/mineralpact/mineralpact/internal/date"

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

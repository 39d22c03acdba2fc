package duty

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
)

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

	content          exact.Q
	contentDeclared  bool
	fxMonth          string
	fxDecl, fxParty  fxEntry
	fxAg             fxEntry
	valueDeclBasis   exact.Q // customs value on the party's basis, declared currency
	valueParty       exact.Q // the same in the party's currency (rounded by its value rule)
	valueExact       exact.Q // valueParty before the value rule's rounding, when it has one
	valueAg          exact.Q // the same in the agreement currency
	grossKg          exact.Q
	containedKg      exact.Q
	contained        exact.Q // in the floor's unit
	unitPrice        exact.Q // agreement currency per floor unit
	floor            *floorQ
	valuationNote    string
	mfn, vd, sur     *cinstr
	trq, und, phase  *cinstr
	phaseShare       exact.Q
	originIsParty    bool
	originParty      string
	vdRaw            exact.Q // agreement currency
	vdCap            exact.Q
	capped           bool
	vdAfterPhase     exact.Q
	vdAfterOrigin    exact.Q
	undertakingMet   bool
	Breach           bool
	vdAg             exact.Q // final variable duty, agreement currency
	vdParty          exact.Q
	surcharge        exact.Q
	surchargeFull    exact.Q
	surchargeExempt  bool
	quota            *QuotaRequest
	quotaStatus      QuotaStatus
	requested        exact.Q // in the volume's unit and basis
	inQuota          exact.Q
	base             exact.Q // party currency
	baseIn, baseOut  exact.Q
	baseR, vdR, surR exact.Q // rounded (each_duty), or equal to the exact figures
	total            exact.Q
	totalExact       exact.Q // base + variable + surcharge, unrounded (set when the party rounds the total)
	rounded          exact.Condition

	// measures.go: the rate the base duty charges (MFN or a preference),
	// why, and the stacked duty lines.
	baseCI   *cinstr
	baseWhy  uint8   // whyMFN, whyPreference, ...: baseNote says it in words
	basePref *cinstr // the preference baseWhy is about
	stack    []dutyLine
	stackBuf [5]dutyLine // room for a US line from China: 301, IEEPA, anti-dumping, countervailing, the fee
	other    exact.Q     // the stacked lines' sum (rounded lines when each_duty)
	assessor *Assessor   // for the trace of duty expressions
	env      exprEnv     // the duty expressions' view of the declaration, reused
	exprErr  error       // a duty expression that could not be evaluated
}

// gap is max(0, floor − unit price), for the trace of the variable duty (only
// the trace shows it, so it is computed when the trace is asked for).
func (as *Assessment) gap() exact.Q {
	if as.vd == nil {
		return exact.Q{}
	}
	return exact.Max(exact.Q{}, as.floor.price.Sub(as.unitPrice))
}

// scaled returns the goods' value and quantities scaled by s (a quota part).
func scaled(as *Assessment, s exact.Q) *Assessment {
	c := *as
	c.valueParty = as.valueParty.Mul(s)
	c.grossKg = as.grossKg.Mul(s)
	c.containedKg = as.containedKg.Mul(s)
	return &c
}

package duty

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// cparty is a party's schedule, compiled: its valuation, exchange-rate and
// rounding rules and its instruments in force, with every figure exact.
type cparty struct {
	p         *agreement.Party
	id        string
	currency  string
	cif       bool
	dfi       q // default freight and insurance, share of the FOB value
	prevMonth bool
	eachDuty  bool
	mode      dec.Mode
	places    int
	instr     []*cinstr
}

// cinstr is one instrument, compiled.
type cinstr struct {
	in      *agreement.Instrument
	typ     string
	mineral string
	stage   string
	hs      []string

	rate, cap *crate

	originTreatment string
	originFactor    q
	exempt          []string

	volume       q
	volUnit      unitInfo
	volContained bool
	period       *agreement.QuotaPeriod
	proRata      bool
	criticalAt   q
	origins      []string

	exporter string
	minPrice q
	minCur   string
	minUnit  unitInfo

	steps []cstep
}

type cstep struct {
	from  date.Date
	share q
}

// crate is a duty rate, compiled.
type crate struct {
	r       *agreement.Rate
	kind    string
	av      q
	spec    *cspec
	higher  bool
	minimum *cspec
	maximum *cspec
}

type cspec struct {
	amount    q
	currency  string
	unit      unitInfo
	contained bool
	s         *agreement.Specific
}

func (a *Assessor) compileParty(p *agreement.Party) (*cparty, error) {
	cp := &cparty{p: p, id: p.ID, currency: p.Currency, cif: p.Valuation.Base == "CIF", dfi: decQ(p.Valuation.DefaultFreightInsurance),
		prevMonth: p.ExchangeRate.Month == "previous", eachDuty: p.Rounding.Scope == "each_duty", mode: p.Rounding.Mode, places: p.Rounding.Places}
	if !cp.mode.Valid() {
		return nil, fmt.Errorf("rounding mode %q", cp.mode)
	}
	if cp.places < 0 || cp.places > 18 {
		return nil, fmt.Errorf("rounding places %d out of range", cp.places)
	}
	for i := range p.Instruments {
		in := &p.Instruments[i]
		ci := &cinstr{in: in, typ: in.Type, mineral: in.Mineral, stage: in.Stage, hs: in.HS}
		var err error
		if ci.rate, err = a.compileRate(in.Rate); err != nil {
			return nil, fmt.Errorf("instrument %s: rate: %w", in.ID, err)
		}
		if ci.cap, err = a.compileRate(in.Cap); err != nil {
			return nil, fmt.Errorf("instrument %s: cap: %w", in.ID, err)
		}
		ci.originTreatment = "exempt"
		ci.originFactor = qInt(1)
		if in.PartyOrigin != nil {
			ci.originTreatment = in.PartyOrigin.Treatment
			ci.originFactor = decQ(in.PartyOrigin.Factor)
		}
		ci.exempt = in.Exempt
		ci.origins = in.Origins
		if in.Volume != nil {
			ci.volume = decQ(in.Volume.Value)
			u, ok := a.unit(in.Volume.Unit)
			if !ok {
				return nil, fmt.Errorf("instrument %s: volume unit %q", in.ID, in.Volume.Unit)
			}
			ci.volUnit = u
			ci.volContained = in.Volume.Basis != "gross"
		}
		ci.period = in.Period
		ci.proRata = in.Allocation == "pro_rata_same_day"
		ci.criticalAt = decQ(in.CriticalAt)
		if in.Exporter != nil {
			ci.exporter = in.Exporter.ID
		}
		if in.MinimumPrice != nil {
			ci.minPrice = decQ(in.MinimumPrice.Amount)
			ci.minCur = in.MinimumPrice.Currency
			u, ok := a.unit(in.MinimumPrice.Per)
			if !ok {
				return nil, fmt.Errorf("instrument %s: minimum price unit %q", in.ID, in.MinimumPrice.Per)
			}
			ci.minUnit = u
		}
		for _, s := range in.Steps {
			ci.steps = append(ci.steps, cstep{from: s.From, share: decQ(s.Share)})
		}
		cp.instr = append(cp.instr, ci)
	}
	return cp, nil
}

func (a *Assessor) compileRate(r *agreement.Rate) (*crate, error) {
	if r == nil {
		return nil, nil
	}
	c := &crate{r: r, kind: r.Kind, av: decQ(r.AdValorem), higher: r.Combine != "lower"}
	var err error
	if c.spec, err = a.compileSpec(r.Specific); err != nil {
		return nil, err
	}
	if c.minimum, err = a.compileSpec(r.Minimum); err != nil {
		return nil, err
	}
	if c.maximum, err = a.compileSpec(r.Maximum); err != nil {
		return nil, err
	}
	return c, nil
}

func (a *Assessor) compileSpec(s *agreement.Specific) (*cspec, error) {
	if s == nil {
		return nil, nil
	}
	u, ok := a.unit(s.Per)
	if !ok {
		return nil, fmt.Errorf("unknown unit %q", s.Per)
	}
	return &cspec{amount: decQ(s.Amount), currency: s.Currency, unit: u, contained: s.On == "contained", s: s}, nil
}

// hsMatch reports whether an instrument's tariff lines cover the declared
// code, and how long the matching line is (0 when the instrument lists none,
// −1 when it does not cover the code). A line covers a code it is a prefix of.
func hsMatch(lines []string, code string) int {
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

// find returns the instrument of type typ that applies to the goods: the
// mineral, the stage (an instrument without a stage covers every stage) and
// the tariff line must match; of several, the one with the longest matching
// line, then the first in the schedule.
func (cp *cparty) find(typ, mineral, stage, code string, ok func(*cinstr) bool) *cinstr {
	var best *cinstr
	bestLen := -1
	for _, ci := range cp.instr {
		if ci.typ != typ || ci.mineral != mineral || (ci.stage != "" && ci.stage != stage) {
			continue
		}
		n := hsMatch(ci.hs, code)
		if n < 0 || n <= bestLen {
			continue
		}
		if ok != nil && !ok(ci) {
			continue
		}
		best, bestLen = ci, n
	}
	return best
}

// findMFN returns the base-duty line of the declared tariff code: an mfn
// instrument whose lines cover the code, whatever mineral it is listed under
// (a tariff line is charged once), else one without lines for the mineral and
// stage.
func (cp *cparty) findMFN(mineral, stage, code string) *cinstr {
	var best *cinstr
	bestLen := -1
	for _, ci := range cp.instr {
		if ci.typ != agreement.MFN {
			continue
		}
		n := hsMatch(ci.hs, code)
		if n == 0 && (ci.mineral != mineral || (ci.stage != "" && ci.stage != stage)) {
			continue
		}
		if n < 0 || n <= bestLen {
			continue
		}
		best, bestLen = ci, n
	}
	return best
}

// share returns the phase-in share applied on d: the share of the last step
// whose date is on or before d; 0 before the first step.
func (ci *cinstr) share(d date.Date) q {
	s := q{}
	for _, st := range ci.steps {
		if !st.from.After(d) {
			s = st.share
		}
	}
	return s
}

// periodStart returns the first day of the quota period containing d, and
// false when d is before the first period.
func periodStart(p *agreement.QuotaPeriod, d date.Date) (date.Date, bool) {
	if d.Before(p.Start) {
		return date.Date{}, false
	}
	months := map[string]int{"month": 1, "quarter": 3, "half_year": 6, "year": 12}[p.Length]
	if months == 0 {
		return date.Date{}, false
	}
	elapsed := (d.Year()-p.Start.Year())*12 + int(d.Month()) - int(p.Start.Month())
	k := elapsed / months
	for {
		s := p.Start.AddMonths(k * months)
		if !s.After(d) {
			return s, true
		}
		k--
	}
}

// floorQ is a published floor with its price exact.
type floorQ struct {
	f         *refprice.Floor
	price     q
	unitKg    q
	priceText string // price as the output shows it, formatted once
}

package duty

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/customsfx"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// cparty is a party's schedule, compiled: its valuation, exchange-rate and
// rounding rules and its instruments in force, with every figure exact.
type cparty struct {
	p                   *agreement.Party
	id                  string
	currency            string
	cif                 bool
	dfi                 exact.Q // default freight and insurance, share of the FOB value
	prevMonth           bool
	eachDuty            bool
	mode                dec.Mode
	places              int
	money               int    // places a charged amount is shown with: places, 0 when negative
	zeroDuty            []byte // a duty of zero as the output shows it
	instr               []*cinstr
	byIn                map[*agreement.Instrument]*cinstr
	order               []agreement.InstrumentType // the order of the duty lines
	claimed             bool                       // preference rule: only a claimed scheme earns a preference
	valueRound, perUnit *agreement.RoundRule
	table               *customsfx.Table // the party's own rate table, if it names one
	rule                customsfx.Rule
}

// cinstr is one instrument, compiled.
type cinstr struct {
	in      *agreement.Instrument
	typ     agreement.InstrumentType
	mineral string
	stage   registry.Stage
	hs      []string

	originTreatment agreement.OriginTreatment
	originFactor    exact.Q
	exempt          []string

	volume       exact.Q
	volUnit      unitInfo
	volContained bool
	period       *agreement.QuotaPeriod
	proRata      bool
	criticalAt   exact.Q
	origins      []string

	exporter string
	minPrice exact.Q
	minCur   string
	minUnit  unitInfo

	steps []cstep

	// The stacking measures and preferences (measures.go).
	head      []byte // "type:measure=", its duty line's head in the CSV form
	levy      *levy  // rate or duty expression
	capLevy   *levy  // variable_duty: its cap
	scheme    string
	exporters map[string]exporterLevy
	allOthers *levy
	schedule  []sched
	quotaID   string
	feeMin    *cmoney
	feeMax    *cmoney
}

type cstep struct {
	from  date.Date
	share exact.Q
}

func (a *Assessor) compileParty(p *agreement.Party) (*cparty, error) {
	cp := &cparty{p: p, id: p.ID, currency: p.Currency, cif: p.Valuation.Base == agreement.CIF, dfi: exact.FromDecimal(p.Valuation.DefaultFreightInsurance),
		prevMonth: p.ExchangeRate.Month == agreement.PreviousMonth, eachDuty: p.Rounding.Scope == agreement.EachDuty, mode: p.Rounding.Mode, places: p.Rounding.Places,
		byIn: make(map[*agreement.Instrument]*cinstr, len(p.Instruments)), order: p.DutyOrder(), claimed: p.Preference == agreement.Claimed,
		valueRound: p.Rounding.Value, perUnit: p.Rounding.PerUnit}
	if !cp.mode.Valid() {
		return nil, fmt.Errorf("rounding mode %q", cp.mode)
	}
	cp.money = max(cp.places, 0)
	if cp.eachDuty {
		cp.zeroDuty = exact.Q{}.AppendMoney(nil, cp.money)
	} else {
		cp.zeroDuty = exact.Q{}.AppendFixed(nil, shownPlaces)
	}
	if er := p.ExchangeRate; er.Source == agreement.CustomsTable {
		t, err := a.reg.CustomsTable(er.Table, p.Currency)
		if err != nil {
			return nil, fmt.Errorf("exchange_rate.table: %w", err)
		}
		cp.table, cp.rule = t, customsfx.Rule(er.Rule)
	}
	if cp.places < -6 || cp.places > 18 {
		return nil, fmt.Errorf("rounding places %d out of range", cp.places)
	}
	for i := range p.Instruments {
		in := &p.Instruments[i]
		ci := &cinstr{in: in, typ: in.Type, mineral: in.Mineral, stage: in.Stage, hs: in.HS,
			head: []byte(string(in.Type) + ":" + in.ID + "=")}
		var err error
		if ci.capLevy, err = a.compileLevy(in.Cap, ""); err != nil {
			return nil, fmt.Errorf("instrument %s: cap: %w", in.ID, err)
		}
		ci.originTreatment = agreement.Exempt
		ci.originFactor = exact.Int(1)
		if in.PartyOrigin != nil {
			ci.originTreatment = in.PartyOrigin.Treatment
			ci.originFactor = exact.FromDecimal(in.PartyOrigin.Factor)
		}
		ci.exempt = in.Exempt
		ci.scheme = in.Scheme
		if err := a.compileMeasure(ci, in); err != nil {
			return nil, fmt.Errorf("instrument %s: %w", in.ID, err)
		}
		if in.Volume != nil {
			ci.volume = exact.FromDecimal(in.Volume.Value)
			u, ok := a.unit(in.Volume.Unit)
			if !ok {
				return nil, fmt.Errorf("instrument %s: volume unit %q", in.ID, in.Volume.Unit)
			}
			ci.volUnit = u
			ci.volContained = in.Volume.Basis != agreement.Gross
		}
		ci.period = in.Period
		ci.proRata = in.Allocation == agreement.ProRataSameDay
		ci.criticalAt = exact.FromDecimal(in.CriticalAt)
		if in.Exporter != nil {
			ci.exporter = in.Exporter.ID
		}
		if in.MinimumPrice != nil {
			ci.minPrice = exact.FromDecimal(in.MinimumPrice.Amount)
			ci.minCur = in.MinimumPrice.Currency
			u, ok := a.unit(in.MinimumPrice.Per)
			if !ok {
				return nil, fmt.Errorf("instrument %s: minimum price unit %q", in.ID, in.MinimumPrice.Per)
			}
			ci.minUnit = u
		}
		for _, s := range in.Steps {
			ci.steps = append(ci.steps, cstep{from: s.From, share: exact.FromDecimal(s.Share)})
		}
		cp.instr = append(cp.instr, ci)
		cp.byIn[in] = ci
	}
	return cp, nil
}

// instrument returns the compiled instrument of type typ that applies to
// goods of mineral at stage declared under code, as the agreement's query
// chooses it (agreement.Party.Instrument: the longest matching tariff line).
func (cp *cparty) instrument(typ agreement.InstrumentType, mineral string, stage registry.Stage, code string) *cinstr {
	if in := cp.p.Instrument(typ, mineral, stage, code, nil); in != nil {
		return cp.byIn[in]
	}
	return nil
}

// share returns the phase-in share applied on d (agreement.Instrument.StepOn
// picks the step); 0 before the first step.
func (ci *cinstr) share(d date.Date) exact.Q {
	if i := ci.in.StepOn(d); i >= 0 {
		return ci.steps[i].share
	}
	return exact.Q{}
}

// floorQ is a published floor with its price exact.
type floorQ struct {
	f         *refprice.Floor
	price     exact.Q
	unitKg    exact.Q
	priceText string // price as the output shows it, formatted once
}

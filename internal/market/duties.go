package market

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/dutyexpr"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// readDuties reads the border instruments the design applies at the zone's
// border: the duty party's variable duty, non-party surcharge and phase-in
// for the scenario's mineral and stage declared under the design's tariff
// line. The agreement chooses each one as it does for a declaration
// (agreement.Party.Instrument: the longest matching line), so the levy the
// market charges is the one internal/duty assesses on that line.
func (pl *Plan) readDuties(p *problems, env Env, ag *agreement.Agreement, start date.Date, floors []dec.Decimal) {
	sc, ds := pl.Scenario, &pl.Design
	line, ok := pl.tariffLine(p, ag)
	if !ok {
		return
	}
	of := func(pt *agreement.Party, typ agreement.InstrumentType) *agreement.Instrument {
		return pt.Instrument(typ, sc.Mineral, registry.Stage(sc.Stage), line, nil)
	}
	var party *agreement.Party
	if id := sc.Design.DutyParty; id != "" {
		if party, ok = ag.Party(id); !ok {
			p.add("design.duty_party", "%s is not a party of %s in force on %s", id, ag.ID, ds.AsOf)
			return
		}
	} else {
		// The first party in force with a variable duty on the line.
		for i := range ag.Parties {
			if of(&ag.Parties[i], agreement.VariableDuty) != nil {
				party = &ag.Parties[i]
				break
			}
		}
	}
	var vd, nps, phase *agreement.Instrument
	if party != nil {
		ds.DutyParty = party.ID
		vd, nps, phase = of(party, agreement.VariableDuty), of(party, agreement.NonPartySurcharge), of(party, agreement.PhaseIn)
	}
	if sc.Design.HS != "" || linesDecide(ag, sc.Mineral, registry.Stage(sc.Stage)) {
		ds.HS = line
	}

	origin := agreement.Exempt
	switch {
	case vd != nil:
		ds.VariableDuty = party.ID + ":" + vd.ID
		pl.enforced = true
		pl.capRate = vd.Cap
		if vd.PartyOrigin != nil {
			origin = vd.PartyOrigin.Treatment
		}
		pl.partyShare = agreement.OriginShare(vd.PartyOrigin).Float64()
		if sc.Design.VariableDuty != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("design.variable_duty is ignored: the agreement has %s", ds.VariableDuty))
		}
	case sc.Design.VariableDuty != nil:
		v := sc.Design.VariableDuty
		ds.VariableDuty = "scenario (hypothetical)"
		pl.enforced = true
		pl.capRate = hypotheticalCap(v, sc.Currency, sc.Unit)
		if v.PartyOrigin != "" {
			origin = agreement.OriginTreatment(v.PartyOrigin)
		}
		pl.partyShare = agreement.OriginShare(&agreement.OriginRule{Treatment: origin}).Float64()
		ds.Notes = append(ds.Notes, fmt.Sprintf("the agreement has no variable duty for %s/%s; the scenario's hypothetical one enforces the floor", sc.Mineral, sc.Stage))
	default:
		ds.VariableDuty = "none"
		ds.Notes = append(ds.Notes, fmt.Sprintf("no variable duty for %s/%s: the floor is not enforced at the zone's border (it still sets the buffer stock's floor and investors' expectations where a buffer stock defends it)", sc.Mineral, sc.Stage))
	}
	if pl.capRate != nil {
		pl.readCap(p, env, floors)
	}
	ds.PartyOrigin = origin
	pl.partyOrigin = origin

	switch {
	case sc.Design.Surcharge != nil:
		ds.Surcharge, ds.SurchargeSource = *sc.Design.Surcharge, "scenario"
	case nps != nil && nps.Rate != nil:
		ds.Surcharge, ds.SurchargeSource = nps.Rate.AdValorem.Float64(), party.ID+":"+nps.ID
		pl.surchargeExempt = nps.Exempt
		if nps.Rate.Specific != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("the specific part of %s is left out: the simulation applies the ad valorem part", nps.ID))
		}
	case nps != nil && nps.Duty != "":
		// A surcharge written as a duty expression: the simulation applies
		// it when it is one ad valorem rate, and says so when it is not.
		if e, err := dutyexpr.Parse(nps.Duty); err == nil {
			if av, ok := e.AdValoremOnly(); ok {
				ds.Surcharge, ds.SurchargeSource = av.Decimal().Float64(), party.ID+":"+nps.ID
				pl.surchargeExempt = nps.Exempt
			} else {
				ds.Notes = append(ds.Notes, fmt.Sprintf("%s (%s) is not one ad valorem rate: the simulation leaves it out", nps.ID, nps.Duty))
			}
		}
	}
	if n := stackedMeasures(party, sc.Mineral, registry.Stage(sc.Stage), line); party != nil && n > 0 {
		ds.Notes = append(ds.Notes, fmt.Sprintf("%s has %d other measures on %s/%s (MFN lines, additional duties, remedies, safeguards, fees): the simulation's border wedge is the floor levy and the surcharge, not those", party.ID, n, sc.Mineral, sc.Stage))
	}

	// The share of the levy and surcharge applied each month: the scenario's
	// own (a hypothetical duty's phase-in), times the agreement's phase-in
	// share on the month's design date.
	share := 1.0
	if v := sc.Design.VariableDuty; v != nil && vd == nil && v.Share > 0 {
		share = v.Share
	}
	if phase != nil {
		ds.PhaseIn = party.ID + ":" + phase.ID
	}
	for m := range pl.levyShare {
		pl.levyShare[m] = share
		if phase != nil {
			pl.levyShare[m] = share * phase.ShareOn(pl.designDate(start, m)).Float64()
		}
	}
}

// tariffLine is the tariff line whose border measures the design applies:
// design.hs, which must be a line of the mineral's stage in the agreement's
// scope, or else the first line of that stage.
func (pl *Plan) tariffLine(p *problems, ag *agreement.Agreement) (string, bool) {
	sc := pl.Scenario
	var lines []string
	if m, ok := ag.Mineral(sc.Mineral); ok {
		for _, st := range m.Stages {
			if string(st.Stage) == sc.Stage {
				lines = st.HS
			}
		}
	}
	if sc.Design.HS == "" {
		if len(lines) == 0 {
			return "", true
		}
		return lines[0], true
	}
	if agreement.HSMatch(lines, sc.Design.HS) <= 0 {
		p.add("design.hs", "%s is not a tariff line of %s/%s in %s (its lines: %v)", sc.Design.HS, sc.Mineral, sc.Stage, ag.ID, lines)
		return "", false
	}
	return sc.Design.HS, true
}

// linesDecide reports whether the tariff line can change which border
// instrument applies to the mineral and stage: some party's variable duty,
// surcharge or phase-in for them lists tariff lines.
func linesDecide(ag *agreement.Agreement, mineral string, stage registry.Stage) bool {
	for _, pt := range ag.Parties {
		for i := range pt.Instruments {
			in := &pt.Instruments[i]
			switch in.Type {
			case agreement.VariableDuty, agreement.NonPartySurcharge, agreement.PhaseIn:
			default:
				continue
			}
			for _, l := range in.HS {
				if in.Applies(mineral, stage, l) > 0 {
					return true
				}
			}
		}
	}
	return false
}

// hypotheticalCap is the cap of a scenario's own variable duty as the
// agreement would write it: cap_ad_valorem + cap_specific per unit of
// contained mineral (a compound rate), or nil without a cap.
func hypotheticalCap(v *VariableDutyIn, currency, unit string) *agreement.Rate {
	if v.CapAdValorem == nil && v.CapSpecific == nil {
		return nil
	}
	r := &agreement.Rate{Kind: agreement.AdValoremRate}
	if v.CapAdValorem != nil {
		r.AdValorem = decimal(*v.CapAdValorem)
	}
	if v.CapSpecific != nil {
		r.Kind = agreement.CompoundRate
		r.Specific = &agreement.Specific{Amount: decimal(*v.CapSpecific), Currency: currency, Per: unit, On: agreement.Contained}
	}
	return r
}

// decimal is x as the shortest decimal that reads back as x.
func decimal(x float64) dec.Decimal {
	d, err := dec.FromFloat(x)
	if err != nil {
		return dec.Decimal{}
	}
	return d
}

// readCap sets the cap on a unit of contained mineral at each month's floor
// (in the scenario's currency and unit), by the agreement's rule
// (agreement.CapAtFloor, as internal/duty caps a declaration): the cap's ad
// valorem part is a rate on the value at the floor, not on the border price.
// It also shows the cap's parts in the design summary.
func (pl *Plan) readCap(p *problems, env Env, floors []dec.Decimal) {
	r, ds := pl.capRate, &pl.Design
	if r.Kind != agreement.SpecificRate || !r.AdValorem.IsZero() {
		x := r.AdValorem.Float64()
		ds.CapAdValorem = &x
	}
	if r.Specific != nil {
		x, err := pl.capPerUnit(env, r.Specific)
		if err != nil {
			p.add("design.duty_party", "the variable duty's cap: %s", err)
			return
		}
		f := x.Float64()
		ds.CapSpecific = &f
	}
	if r.Kind == agreement.MixedRate {
		ds.Notes = append(ds.Notes, fmt.Sprintf("the variable duty's cap is the %s of its ad valorem part (on the value at the floor) and its specific part", r.Combine))
	}
	perUnit := func(s *agreement.Specific) (dec.Decimal, error) { return pl.capPerUnit(env, s) }
	pl.capUnit = make([]float64, len(floors))
	for m, f := range floors {
		c, err := agreement.CapAtFloor(r, f, perUnit)
		if err != nil {
			p.add("design.duty_party", "the variable duty's cap: %s", err)
			return
		}
		pl.capUnit[m] = c.Float64()
	}
}

// capPerUnit converts a specific amount of a cap to the scenario's currency
// per unit of contained mineral in the scenario's unit.
func (pl *Plan) capPerUnit(env Env, s *agreement.Specific) (dec.Decimal, error) {
	if s.On != agreement.Contained {
		return dec.Decimal{}, fmt.Errorf("%s %s per %s of gross product; the simulation needs it per unit of contained mineral", s.Amount, s.Currency, s.Per)
	}
	if s.Currency != pl.Scenario.Currency {
		return dec.Decimal{}, fmt.Errorf("%s %s per %s; the simulation needs it in %s (duty converts it at each month's exchange rate, which the simulation does not model)", s.Amount, s.Currency, s.Per, pl.Scenario.Currency)
	}
	from, err1 := env.Registry.Unit(s.Per)
	to, err2 := env.Registry.Unit(pl.Scenario.Unit)
	if err1 != nil || err2 != nil {
		return dec.Decimal{}, fmt.Errorf("cannot convert %s per %s to per %s", s.Amount, s.Per, pl.Scenario.Unit)
	}
	// amount per `from` unit → per `to` unit: × (kg per to) / (kg per from)
	return s.Amount.Mul(to.PerKg).Quo(from.PerKg), nil
}

// stackedMeasures counts the measures of a party that stack on the line
// (agreement.Party.Measures) other than the surcharge and the MFN rate.
func stackedMeasures(p *agreement.Party, mineral string, stage registry.Stage, line string) int {
	if p == nil {
		return 0
	}
	n := 0
	for _, t := range agreement.InstrumentTypes {
		if t.Stacks() && t != agreement.NonPartySurcharge && t != agreement.MFN {
			n += len(p.Measures(t, mineral, stage, line))
		}
	}
	return n
}

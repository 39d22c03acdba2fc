package market

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// readDuties reads the border instruments the design applies at the zone's
// border: the duty party's variable duty, non-party surcharge and phase-in
// for the scenario's mineral and stage declared under the design's tariff
// line. The agreement chooses each one as it does for a declaration
// (agreement.Party.Instrument: the longest matching line), so the levy the
// market charges is the one internal/duty assesses on that line.
func (pl *Plan) readDuties(p *problems, env Env, ag *agreement.Agreement, start date.Date) {
	sc, ds := pl.Scenario, &pl.Design
	line, ok := pl.tariffLine(p, ag)
	if !ok {
		return
	}
	of := func(pt *agreement.Party, typ agreement.InstrumentType) *agreement.Instrument {
		return pt.Instrument(typ, sc.Mineral, sc.Stage, line, nil)
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
	if sc.Design.HS != "" || linesDecide(ag, sc.Mineral, sc.Stage) {
		ds.HS = line
	}

	origin := agreement.Exempt
	reduced := 1.0
	switch {
	case vd != nil:
		ds.VariableDuty = party.ID + ":" + vd.ID
		pl.enforced = true
		if vd.Cap != nil {
			pl.readCap(p, env, vd.Cap)
		}
		if vd.PartyOrigin != nil {
			origin = vd.PartyOrigin.Treatment
			if origin == agreement.Reduced {
				reduced = vd.PartyOrigin.Factor.Float64()
			}
		}
		if sc.Design.VariableDuty != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("design.variable_duty is ignored: the agreement has %s", ds.VariableDuty))
		}
	case sc.Design.VariableDuty != nil:
		v := sc.Design.VariableDuty
		ds.VariableDuty = "scenario (hypothetical)"
		pl.enforced = true
		if v.CapAdValorem != nil || v.CapSpecific != nil {
			pl.hasCap = true
			if v.CapAdValorem != nil {
				pl.capAdv = *v.CapAdValorem
			}
			if v.CapSpecific != nil {
				pl.capSpec = *v.CapSpecific
			}
		}
		if v.PartyOrigin != "" {
			origin = agreement.OriginTreatment(v.PartyOrigin)
		}
		ds.Notes = append(ds.Notes, fmt.Sprintf("the agreement has no variable duty for %s/%s; the scenario's hypothetical one enforces the floor", sc.Mineral, sc.Stage))
	default:
		ds.VariableDuty = "none"
		ds.Notes = append(ds.Notes, fmt.Sprintf("no variable duty for %s/%s: the floor is not enforced at the zone's border (it still sets the buffer stock's floor and investors' expectations where a buffer stock defends it)", sc.Mineral, sc.Stage))
	}
	if pl.hasCap {
		if pl.capAdv != 0 || vd == nil {
			x := pl.capAdv
			ds.CapAdValorem = &x
		}
		if pl.capSpec != 0 {
			x := pl.capSpec
			ds.CapSpecific = &x
		}
	}
	ds.PartyOrigin = origin
	pl.partyOrigin, pl.partyFactor = origin, reduced

	switch {
	case sc.Design.Surcharge != nil:
		ds.Surcharge, ds.SurchargeSource = *sc.Design.Surcharge, "scenario"
	case nps != nil && nps.Rate != nil:
		ds.Surcharge, ds.SurchargeSource = nps.Rate.AdValorem.Float64(), party.ID+":"+nps.ID
		pl.surchargeExempt = nps.Exempt
		if nps.Rate.Specific != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("the specific part of %s is left out: the simulation applies the ad valorem part", nps.ID))
		}
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
			if st.Stage == sc.Stage {
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
func linesDecide(ag *agreement.Agreement, mineral, stage string) bool {
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

// readCap converts a variable duty's cap to the scenario's unit.
func (pl *Plan) readCap(p *problems, env Env, r *agreement.Rate) {
	pl.hasCap = true
	switch r.Kind {
	case agreement.AdValoremRate, agreement.CompoundRate:
		pl.capAdv = r.AdValorem.Float64()
	case agreement.MixedRate:
		p.add("design.duty_party", "the variable duty's cap is a mixed rate, which the simulation does not model")
		return
	}
	if r.Specific != nil && (r.Kind == agreement.SpecificRate || r.Kind == agreement.CompoundRate) {
		sp := r.Specific
		if sp.On != agreement.Contained {
			p.add("design.duty_party", "the variable duty's specific cap is per %s of gross product; the simulation needs it per unit of contained mineral", sp.Per)
			return
		}
		from, err1 := env.Registry.Unit(sp.Per)
		to, err2 := env.Registry.Unit(pl.Scenario.Unit)
		if err1 != nil || err2 != nil {
			p.add("unit", "cannot convert the cap per %s to per %s", sp.Per, pl.Scenario.Unit)
			return
		}
		// amount per `from` unit → per `to` unit: × (kg per to) / (kg per from)
		pl.capSpec = sp.Amount.Float64() * to.PerKg.Float64() / from.PerKg.Float64()
	}
}

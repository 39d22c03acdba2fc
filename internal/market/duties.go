package market

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// readDuties reads the duty party's variable duty, non-party surcharge and
// phase-in for the mineral and stage.
func (pl *Plan) readDuties(p *problems, env Env, ag *agreement.Agreement, start date.Date) {
	sc, ds := pl.Scenario, &pl.Design
	party := sc.Design.DutyParty
	var vd, nps *agreement.Instrument
	var phase *agreement.Instrument
	find := func(pt *agreement.Party) {
		vd, nps, phase = nil, nil, nil
		for i := range pt.Instruments {
			ins := &pt.Instruments[i]
			if ins.Mineral != sc.Mineral || (ins.Stage != "" && ins.Stage != sc.Stage) {
				continue
			}
			switch ins.Type {
			case agreement.VariableDuty:
				if ins.Stage == sc.Stage && vd == nil {
					vd = ins
				}
			case agreement.NonPartySurcharge:
				if nps == nil {
					nps = ins
				}
			case agreement.PhaseIn:
				if phase == nil {
					phase = ins
				}
			}
		}
	}
	if party == "" {
		for i := range ag.Parties {
			find(&ag.Parties[i])
			if vd != nil {
				party = ag.Parties[i].ID
				break
			}
		}
	} else if pt, ok := ag.Party(party); ok {
		find(pt)
	} else {
		p.add("design.duty_party", "%s is not a party of %s in force on %s", party, ag.ID, ds.AsOf)
		return
	}
	ds.DutyParty = party
	origin := "exempt"
	reduced := 1.0
	switch {
	case vd != nil:
		ds.VariableDuty = party + ":" + vd.ID
		pl.enforced = true
		if vd.Cap != nil {
			pl.readCap(p, env, vd.Cap)
		}
		if vd.PartyOrigin != nil {
			origin = string(vd.PartyOrigin.Treatment)
			if origin == "reduced" {
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
			origin = v.PartyOrigin
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
		ds.Surcharge, ds.SurchargeSource = nps.Rate.AdValorem.Float64(), party+":"+nps.ID
		pl.surchargeExempt = nps.Exempt
		if nps.Rate.Specific != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("the specific part of %s is left out: the simulation applies the ad valorem part", nps.ID))
		}
	}
	share := 1.0
	if v := sc.Design.VariableDuty; v != nil && vd == nil && v.Share > 0 {
		share = v.Share
	}
	for m := range pl.levyShare {
		pl.levyShare[m] = share
	}
	if phase != nil {
		ds.PhaseIn = party + ":" + phase.ID
		for m := range pl.levyShare {
			d := start.AddMonths(m)
			if d.Before(ds.AsOf) {
				d = ds.AsOf
			}
			s := 0.0
			for _, st := range phase.Steps {
				if !st.From.After(d) {
					s = st.Share.Float64()
				}
			}
			pl.levyShare[m] = share * s
		}
	}
}

// readCap converts a variable duty's cap to the scenario's unit.
func (pl *Plan) readCap(p *problems, env Env, r *agreement.Rate) {
	pl.hasCap = true
	switch r.Kind {
	case "ad_valorem", "compound":
		pl.capAdv = r.AdValorem.Float64()
	case "mixed":
		p.add("design.duty_party", "the variable duty's cap is a mixed rate, which the simulation does not model")
		return
	}
	if r.Specific != nil && (r.Kind == "specific" || r.Kind == "compound") {
		sp := r.Specific
		if sp.On != "contained" {
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

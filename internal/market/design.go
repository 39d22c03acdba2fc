package market

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// DesignSummary says what the simulation read from the agreement file, and
// from where: the figures a negotiator would check.
type DesignSummary struct {
	Agreement         string      `json:"agreement"`
	AgreementIllus    bool        `json:"agreement_illustrative"`
	AsOf              date.Date   `json:"as_of"`
	Counterfactual    bool        `json:"counterfactual"` // the scenario starts before the entry into force
	Parties           []string    `json:"parties"`
	Zone              string      `json:"zone,omitempty"`
	FloorMethod       string      `json:"floor_method"`
	FloorScale        float64     `json:"floor_scale"`
	FloorIllustrative bool        `json:"floor_illustrative"`
	Floors            []FloorStep `json:"floors"`
	DutyParty         string      `json:"duty_party,omitempty"`
	// HS is the tariff line whose border instruments the design applies
	// (design.hs, or the first line of the stage in the agreement's scope);
	// shown when it is named or when some party's instruments for the
	// mineral and stage list lines, so that the line decides which apply.
	HS              string                    `json:"hs,omitempty"`
	VariableDuty    string                    `json:"variable_duty"` // instrument id, "scenario (hypothetical)", or "none"
	CapAdValorem    *float64                  `json:"cap_ad_valorem,omitempty"`
	CapSpecific     *float64                  `json:"cap_specific,omitempty"`
	PartyOrigin     agreement.OriginTreatment `json:"party_origin,omitempty"`
	Surcharge       float64                   `json:"non_party_surcharge"`
	SurchargeSource string                    `json:"non_party_surcharge_source,omitempty"`
	PhaseIn         string                    `json:"phase_in,omitempty"`
	Notes           []string                  `json:"notes,omitempty"`
}

// FloorStep is a floor (and ceiling, for a band) in force from a month.
type FloorStep struct {
	From    string  `json:"from"`
	Floor   float64 `json:"floor"`
	Ceiling float64 `json:"ceiling,omitempty"`
}

// buildDesign reads the floor of every month, the parties and the duty
// party's instruments. It returns the zone: the parties in force and the
// countries they stand for (empty if the design cannot be read).
func (pl *Plan) buildDesign(p *problems, env Env, start date.Date) *agreement.Zone {
	sc, ag := pl.Scenario, env.Agreement
	ds := &pl.Design
	ds.Agreement, ds.AgreementIllus = ag.ID, ag.Illustrative
	asOf := sc.Design.AsOf
	if asOf.IsZero() {
		asOf = start
		if asOf.Before(ag.EntryIntoForce) {
			asOf = ag.EntryIntoForce
		}
	}
	if asOf.Before(ag.EntryIntoForce) {
		p.add("design.as_of", "agreement %s enters into force on %s; as_of %s is before it", ag.ID, ag.EntryIntoForce, asOf)
		return &agreement.Zone{}
	}
	ds.AsOf = asOf
	ds.Counterfactual = start.Before(ag.EntryIntoForce)
	if ds.Counterfactual {
		ds.Notes = append(ds.Notes, fmt.Sprintf("the scenario starts %s, before the agreement's entry into force on %s: the design is applied as in force on %s (a counterfactual)", start, ag.EntryIntoForce, asOf))
	}
	in, err := ag.AsOf(asOf)
	if err != nil {
		p.add("design.as_of", "%s", messageOf(err))
		return &agreement.Zone{}
	}
	zone, err := in.Zone(env.Registry)
	if err != nil {
		p.add("design.as_of", "%s", messageOf(err))
		return &agreement.Zone{}
	}
	ds.Parties = zone.Parties
	scale := sc.Design.FloorScale
	if scale == 0 {
		scale = 1
	}
	ds.FloorScale = scale
	n := len(pl.Months)
	pl.floor, pl.ceiling, pl.levyShare = make([]float64, n), make([]float64, n), make([]float64, n)
	var unit string
	floors := make([]dec.Decimal, n) // the floors as published, scaled: the cap's base
	for m := 0; m < n; m++ {
		d := pl.designDate(start, m)
		f, err := env.floors().Floor(sc.Mineral, sc.Stage, d)
		if err != nil {
			p.add("stage", "the floor of %s/%s on %s: %s", sc.Mineral, sc.Stage, d, messageOf(err))
			return zone
		}
		unit = f.Unit
		ds.FloorMethod, ds.FloorIllustrative = string(f.Method), ds.FloorIllustrative || f.Illustrative
		pl.floor[m] = f.Price.Float64() * scale
		floors[m] = f.Price
		if scale != 1 {
			floors[m] = f.Price.Mul(decimal(scale))
		}
		if f.Band != nil {
			pl.ceiling[m] = f.Band.Ceiling.Float64() * scale
		}
		if k := len(ds.Floors); k == 0 || ds.Floors[k-1].Floor != pl.floor[m] || ds.Floors[k-1].Ceiling != pl.ceiling[m] {
			ds.Floors = append(ds.Floors, FloorStep{From: pl.Months[m], Floor: pl.floor[m], Ceiling: pl.ceiling[m]})
		}
	}
	if unit != sc.Unit {
		p.add("unit", "the floor of %s/%s is per %s; the scenario's unit must be %s, got %s", sc.Mineral, sc.Stage, unit, unit, sc.Unit)
	}
	if ag.Currency != sc.Currency {
		p.add("currency", "the agreement's currency is %s, got %s", ag.Currency, sc.Currency)
	}
	pl.readDuties(p, env, in.Agreement, start, floors)
	return zone
}

// designDate is the date whose floor and phase-in share month m reads: the
// month's first day, or the design's as-of date if that is later (a
// counterfactual start).
func (pl *Plan) designDate(start date.Date, m int) date.Date {
	d := start.AddMonths(m)
	if d.Before(pl.Design.AsOf) {
		return pl.Design.AsOf
	}
	return d
}

package duty

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// Trace explains every figure of the assessment, step by step, with the
// article each step applies. It is computed from the figures the assessment
// keeps, on demand, so that bulk assessment does not pay for it.
func (as *Assessment) Trace() []Step {
	cp := as.party
	valBasis := cp.p.Valuation.Basis
	ag := as.floor.f.Currency
	var steps []Step
	add := func(step, formula string, result string, basis string, kv ...string) {
		in := map[string]string{}
		for i := 0; i+1 < len(kv); i += 2 {
			in[kv[i]] = kv[i+1]
		}
		steps = append(steps, Step{Step: step, Inputs: in, Formula: formula, Result: result, Basis: basis})
	}
	scopeBasis := as.floor.f.Basis.Article
	if as.rs.outside {
		add("classify", "no HS-map line of the declared code is in the agreement's scope; the party's schedule has measures on tariff line "+as.HSLine,
			"outside the scope", "", "hs_code", as.HSCode)
	} else {
		add("classify", "longest HS-map line of the declared code, mineral and stage in scope (highest content when several)",
			fmt.Sprintf("%s/%s (HS map line %s)", as.Mineral, as.Stage, as.HSLine), scopeBasis,
			"hs_code", as.HSCode, "declared_mineral", as.d.mineral)
	}
	src := "registry default for " + as.HSLine
	if as.contentDeclared {
		src = "declared"
	}
	switch {
	case as.rs.outside && !as.contentDeclared:
		add("content", "not needed: no duty of the line is charged on content (outside the scope, no HS-map default)", "1 (not used)", "")
	case as.rs.outside:
		add("content", "mass fraction of the mineral the line's duty is charged on", as.content.String(), "", "source", "declared")
	default:
		add("content", "mass fraction of "+as.Mineral+" in the goods", as.content.String(), "", "source", src)
	}
	if cp.table != nil {
		add("exchange_rate", fmt.Sprintf("the party's own table %s, rule %s (units of each currency per %s; shown per USD)", cp.table.Path, cp.rule, cp.currency),
			fmt.Sprintf("%s %s, %s %s, %s %s per USD", as.fxDecl.perUSD, as.d.cur, as.fxParty.perUSD, cp.currency, as.fxAg.perUSD, ag), valBasis,
			"declared_currency", as.d.cur, "declared_rate", as.fxDecl.tableText(), "usd_rate", as.fxAg.tableText(), "illustrative_table", fmt.Sprint(cp.table.Illustrative))
	} else {
		add("exchange_rate", fmt.Sprintf("FRED monthly average of %s (%s month rule), units per USD", as.fxMonth, cp.p.ExchangeRate.Month),
			fmt.Sprintf("%s %s, %s %s, %s %s per USD", as.fxDecl.perUSD, as.d.cur, as.fxParty.perUSD, cp.currency, as.fxAg.perUSD, ag), valBasis,
			"declared_currency", as.d.cur, "party_currency", cp.currency, "agreement_currency", ag)
	}
	add("customs_value", as.valuationNote+" (party basis "+string(cp.p.Valuation.Base)+")", as.valueDeclBasis.String()+" "+as.d.cur, valBasis,
		"declared_value", as.d.value.String(), "incoterm", map[bool]string{true: "FOB", false: "CIF"}[as.d.fob],
		"freight", as.d.freight.String(), "insurance", as.d.insurance.String(), "default_freight_insurance", cp.dfi.String())
	if r := cp.valueRound; r != nil {
		add("customs_value_party", fmt.Sprintf("value × party rate ÷ declared rate, rounded %s to %d places (party's value rule)", r.Mode, r.Places),
			as.valueParty.String()+" "+cp.currency, valBasis, "before_rounding", as.valueExact.String())
	} else {
		add("customs_value_party", "value × party rate ÷ declared rate", as.valueParty.String()+" "+cp.currency, valBasis)
	}
	add("customs_value_agreement", "value × agreement rate ÷ declared rate", as.valueAg.String()+" "+ag, valBasis)
	add("contained_quantity", "quantity × kg per unit × content ÷ kg per "+as.floor.f.Unit, as.contained.String()+" "+as.floor.f.Unit, "",
		"quantity", as.d.qty.String(), "unit", as.d.unit, "gross_kg", as.grossKg.String(), "contained_kg", as.containedKg.String())
	if as.rs.outside {
		add("floor", "none: HS "+as.HSLine+" is outside the agreement's scope; the party's own measures on the line apply", "no floor, no variable duty", "")
	} else {
		add("floor", "reference price published for the date", as.floor.price.String()+" "+ag+"/"+as.floor.f.Unit, scopeBasis,
			"valid_from", as.floor.f.ValidFrom.String(), "inputs_sha256", as.floor.f.InputsHash, "method", string(as.floor.f.Method),
			"publication", as.floor.f.Publication.String())
	}
	add("unit_price", "customs value in the agreement currency ÷ contained quantity", as.unitPrice.String()+" "+ag+"/"+as.floor.f.Unit, valBasis)
	if as.und != nil {
		res := "met: no variable duty"
		if as.Breach {
			res = "breached: unit price below the minimum; assessed as if no undertaking"
		}
		add("undertaking", "unit price ≥ minimum price", res, as.und.in.Basis, "undertaking", as.und.in.ID, "exporter", as.d.exporter,
			"minimum_price", as.und.minPrice.String()+" "+as.und.minCur+"/"+as.und.minUnit.code)
	}
	if as.vd != nil {
		b := as.vd.in.Basis
		add("variable_duty_raw", "max(0, floor − unit price) × contained quantity", as.vdRaw.String()+" "+ag, b, "gap", as.gap().String())
		if as.vd.capLevy != nil {
			add("variable_duty_cap", "cap "+as.vd.capLevy.text+" on the same base", as.vdCap.String()+" "+ag, b, "capped", fmt.Sprint(as.capped))
		}
		if as.phase != nil {
			add("phase_in", "× share of the step in force", as.vdAfterPhase.String()+" "+ag, as.phase.in.Basis, "share", as.phaseShare.String())
		}
		origin := "not a party"
		if as.originIsParty {
			origin = "party " + as.originParty + ": " + string(as.vd.originTreatment)
		}
		add("party_origin", "exempt: 0; reduced: × factor; full: unchanged", as.vdAfterOrigin.String()+" "+ag, b, "origin", as.Origin, "treatment", origin, "factor", as.vd.originFactor.String())
		add("variable_duty", "in the party's currency: × party rate ÷ agreement rate", as.vdParty.String()+" "+cp.currency, b)
	}
	if as.sur != nil {
		switch {
		case as.originIsParty:
			add("surcharge", "origin is a party: none", "0", as.sur.in.Basis, "origin", as.Origin)
		case as.surchargeExempt:
			add("surcharge", "origin exempted: none", "0", as.sur.in.Basis, "origin", as.Origin)
		default:
			add("surcharge", as.sur.levy.text+" × phase-in share", as.surcharge.String()+" "+cp.currency, as.sur.in.Basis,
				"before_phase_in", as.surchargeFull.String(), "share", as.phaseShare.String())
		}
	}
	if as.quota != nil {
		add("quota", "ledger allocation ("+map[bool]string{true: "pro rata same day", false: "first come"}[as.trq.proRata]+")",
			as.inQuota.String()+" "+as.trq.volUnit.code+" in quota, status "+string(as.quotaStatus), as.trq.in.Basis,
			"quota", as.quota.Quota, "period_start", as.quota.PeriodStart.String(), "requested", as.requested.String())
		add("base_duty_in_quota", "in-quota rate "+as.trq.levy.text+" on the in-quota share", as.baseIn.String()+" "+cp.currency, as.trq.in.Basis)
	}
	if as.baseCI != nil {
		kind := "MFN"
		if as.baseCI.typ == agreement.Preference {
			kind = "preferential rate"
		}
		on := "on the goods"
		if as.quota != nil {
			on = "on the out-of-quota part"
		}
		why := as.baseNote()
		add("base_duty", kind+" "+as.baseCI.levy.text+" "+on, as.baseOut.String()+" "+cp.currency, as.baseCI.in.Basis,
			append([]string{"line", as.baseCI.in.ID, "rate_chosen", why}, authority(as.baseCI)...)...)
		goods := as
		if as.quota != nil && as.requested.Sign() > 0 {
			goods = scaled(as, exact.Int(1).Sub(as.inQuota.Quo(as.requested)))
		}
		steps = append(steps, as.components("base_duty", as.baseCI.in.ID, as.baseCI.levy, goods, as.baseCI.in.Basis)...)
	}
	for i := range as.stack {
		l := &as.stack[i]
		add(string(l.ci.typ), l.ci.in.ID+": "+as.note(l), l.amount.String()+" "+cp.currency, l.ci.in.Basis,
			append([]string{"measure", l.ci.in.ID}, authority(l.ci)...)...)
		steps = append(steps, as.stackComponents(l)...)
	}
	r := cp.p.Rounding
	var lines []string
	as.eachLine(func(ci *cinstr, x exact.Q, _ shownAs) {
		lines = append(lines, ci.in.ID+" "+string(as.appendDuty(nil, x)))
	})
	if cp.eachDuty {
		add("rounding", fmt.Sprintf("each duty line rounded %s to %d places, then added", r.Mode, r.Places), strings.Join(lines, " + "), valBasis)
	} else {
		add("rounding", fmt.Sprintf("total rounded %s to %d places", r.Mode, r.Places), as.totalExact.String()+" "+cp.currency+" → "+string(as.total.AppendMoney(nil, cp.money))+" "+cp.currency, valBasis, "lines", strings.Join(lines, " + "))
	}
	add("total_duty", "sum of the duty lines", string(as.total.AppendMoney(nil, cp.money))+" "+cp.currency, valBasis)
	return steps
}

// rateText is a rate given as fields as the trace names it: its text as the
// schedule writes it, else its parts.
func rateText(r *agreement.Rate) string {
	if r.Text != "" {
		return r.Text
	}
	av := exact.FromDecimal(r.AdValorem).String()
	switch r.Kind {
	case agreement.AdValoremRate:
		return av + " ad valorem"
	case agreement.SpecificRate:
		return specText(r.Specific)
	}
	return string(r.Kind) + " " + av + " ad valorem, " + specText(r.Specific)
}

func specText(s *agreement.Specific) string {
	if s == nil {
		return ""
	}
	return fmt.Sprintf("%s %s/%s %s", exact.FromDecimal(s.Amount), s.Currency, s.Per, map[bool]string{true: "contained", false: "gross"}[s.On == agreement.Contained])
}

// components are the steps of a duty expression (docs/duty-expressions.md):
// each part, conversion, rounding per unit, bound and entry-price step, with
// its figures and whether it decided the duty, named under the duty line.
func (as *Assessment) components(line, measure string, l *levy, goods *Assessment, basis string) []Step {
	a := as.assessor
	if a == nil || l == nil || l.expr == nil {
		return nil
	}
	var out []Step
	for _, c := range a.explain(l, goods.valueParty, goods, as.fxParty) {
		in := map[string]string{"measure": measure}
		if c.Note != "" {
			in["note"] = c.Note
		}
		if c.Won {
			in["decides"] = "true"
		}
		out = append(out, Step{Step: line + "." + strings.ReplaceAll(c.Component, " ", "_"), Inputs: in, Formula: c.Formula,
			Result: c.Result.String() + " " + as.party.currency, Basis: basis})
	}
	return out
}

// authority is the trace input naming the party's own law behind a measure,
// when it cites one.
func authority(ci *cinstr) []string {
	if ci.in.Authority == "" {
		return nil
	}
	return []string{"authority", ci.in.Authority}
}

package scope

import (
	"math"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// Citations, as the steps name them (docs/scope.md has the references).
const (
	srcEU      = "European Commission (2017), Methodology for establishing the EU list of critical raw materials, the supply-risk chapter; used for the 2020 and 2023 lists"
	srcUSGS    = "Nassar and Fortier (2021), USGS Open-File Report 2021-1045; Nassar et al. (2020), Science Advances 6, eaay8647"
	srcMCS     = "USGS Mineral Commodity Summaries 2026"
	srcWGI     = "World Bank, Worldwide Governance Indicators, 2023 update"
	srcProject = "docs/scope.md"
)

// Neutral values the methods allow for the inputs the project does not ship.
const (
	assumedEOLRIR = 0.0 // no recycling: supply risk is not reduced
	assumedSISR   = 1.0 // no substitute: supply risk is not reduced
	assumedWGI    = 5.0 // the middle of the 0–10 scale, for a producer with no WGI score
)

// Score computes every indicator of every mineral for the world, the United
// States alone and the zone. zone may be nil: the zone basis then counts no
// supply secure.
func (d *Data) Score(zone Membership) *Report {
	r := &Report{WGIYear: WGIYear, Zone: []string{}, Minerals: make([]Result, 0, len(d.Minerals))}
	if zone != nil {
		r.Zone = slices.Clone(zone.Countries())
	}
	secure := [3]func(string) bool{
		func(string) bool { return false },
		func(c string) bool { return c == "US" },
		func(c string) bool { return zone != nil && zone.Contains(c) },
	}
	for i := range d.Minerals {
		r.Minerals = append(r.Minerals, d.score(&d.Minerals[i], secure))
	}
	return r
}

// importance is mineral id's economic importance, nil where it is not
// computed (no inputs loaded, or no end-use share shipped for it).
func (d *Data) importance(id string) *Importance {
	if d.Importance == nil {
		return nil
	}
	imp := d.Importance.Importance(id)
	if imp.EI == nil {
		return nil
	}
	return &imp
}

func (d *Data) score(m *Mineral, secure [3]func(string) bool) Result {
	res := Result{Mineral: m.ID, Coverage: m.Coverage.Status, Missing: []Missing{}}
	if m.Coverage.Status != registry.MCSFigures {
		res.CoverageReason = m.Coverage.Reason
	}
	if imp := d.importance(m.ID); imp != nil {
		res.Importance = imp // its own inputs, steps and missing inputs (SI_EI, uses without a sector)
	} else {
		res.Missing = append(res.Missing, Missing{Input: "economic importance: end-use shares and sector value added",
			Reason:  "the EU economic importance needs the mineral's end-use shares and the value added of each using sector; the project ships shares for a few minerals only (data/scope/enduses.csv), not for this one",
			Affects: "economic_importance (not computed)"})
	}
	if len(m.Tables) == 0 {
		res.Missing = append(res.Missing, Missing{Input: "world production by country",
			Reason:  "MCS 2026 publishes no world production table for the mineral: " + m.Coverage.Reason,
			Affects: "every supply-risk indicator (not computed)"})
	}
	for ti := range m.Tables {
		res.Stages = append(res.Stages, d.stage(m, &m.Tables[ti], secure))
	}
	for b, basis := range Bases {
		s := Summary{Basis: basis}
		best := -1.0
		for _, st := range res.Stages {
			br := st.Bases[b]
			if br.EUSR != nil && *br.EUSR > best {
				best = *br.EUSR
				s.Stage, s.Table, s.EUSR, s.USGSDP, s.USGSSR = st.Stage, st.Table, br.EUSR, br.USGSDP, br.USGSSR
			}
		}
		res.Summary = append(res.Summary, s)
	}
	return res
}

// share is a producer's share of world production with its governance.
type share struct {
	country, label string
	s              float64 // share of world production
	wgi            float64 // scaled 0–10
}

func (d *Data) stage(m *Mineral, t *Table, secure [3]func(string) bool) StageResult {
	st := StageResult{Stage: t.Stage, Chapter: t.Chapter, Table: t.Label, Unit: t.Unit, Group: t.Group}
	src := srcMCS + ", " + t.Chapter + ", " + t.Label
	add := func(name, value, unit, source, quality string) {
		st.Inputs = append(st.Inputs, Input{Name: name, Value: value, Unit: unit, Source: source, Quality: quality})
	}
	miss := func(input, reason, assumed, affects string) {
		st.Missing = append(st.Missing, Missing{Input: input, Reason: reason, Assumed: assumed, Affects: affects})
	}
	if t.Group {
		miss("production of the element", "MCS 2026 publishes rare-earth production as a group, in REO equivalent; the group's figures stand for the element", "the group's shares", "every indicator")
	}
	if t.Note != "" {
		add("stage", string(t.Stage), "", t.Note, "derived")
	}
	if t.Unusable != "" || t.World <= 0 {
		reason := t.Unusable
		if reason == "" {
			reason = "no world production figure"
		}
		miss("world production", reason, "", "every supply-risk indicator (not computed)")
		for range Bases {
			st.Bases = append(st.Bases, BasisResult{})
		}
		for i, b := range Bases {
			st.Bases[i].Basis = b
		}
		return st
	}
	add("world production 2025", fnum(t.World), t.Unit, src, "reported")
	shares := make([]share, 0, len(t.Producers))
	for _, p := range t.Producers {
		if !p.Known {
			miss("production of "+p.Label, "printed "+strconv.Quote(p.Marker)+" in "+src, "", "the country's share is left out of every concentration (its risk is understated)")
			continue
		}
		sh := share{country: p.Country, label: p.Label, s: p.Quantity / t.World}
		add("production, "+p.Label, fnum(p.Quantity), t.Unit, src, "reported")
		if g, ok := d.Governance[p.Country]; ok && p.Country != "" {
			sh.wgi = g.Scaled
			add("WGI scaled, "+p.Label, fnum(g.Scaled), "0–10", srcWGI+", "+strconv.Itoa(WGIYear)+": mean of "+strconv.Itoa(g.N)+" estimates "+fnum(g.Mean)+", scaled 5 − 2 × mean", "derived")
		} else {
			sh.wgi = assumedWGI
			miss("WGI of "+p.Label, "no WGI score for the producer in "+strconv.Itoa(WGIYear), fnum(assumedWGI)+" (middle of the scale)", "hhi_wgi, eu_supply_risk, usgs_disruption_potential")
		}
		shares = append(shares, sh)
	}
	if t.Unattributed > 0 {
		add("production of other countries", fnum(t.Unattributed), t.Unit, src, "reported")
		miss("producers of \"Other countries\"", "USGS does not attribute "+pct(t.Unattributed/t.World)+" of world production to a country",
			"many small producers: the row adds nothing to the concentration", "hhi_wgi, eu_supply_risk, usgs_disruption_potential")
	}
	miss("the importer's sourcing mix", "the method weighs the concentration of the importer's own sourcing by 1 − IR/2; the project ships the U.S. import sources (eu_supply_risk_us_sourcing) but no sourcing of the zone as an importer",
		"the global supply: HHI_WGI,sourcing = HHI_WGI,GS, so IR drops out", "eu_supply_risk")
	miss("t (trade-related variable: export restrictions of each producer)", "the 2020 and 2023 EU assessments multiply each producer's term by t ≥ 1 for its export taxes, quotas or bans (OECD inventory), reduced where the EU has a trade agreement with it; not shipped", "1 (no export restriction)", "hhi_wgi, eu_supply_risk")
	miss("EOL_RIR (end-of-life recycling input rate)", "not shipped (the EU assessments take it from the MSA studies)", fnum(assumedEOLRIR), "eu_supply_risk")
	miss("SI_SR (substitution index for supply risk)", "not shipped (the EU assessments build it from end-use substitutes, their cost and performance)", fnum(assumedSISR), "eu_supply_risk")
	miss("EV (economic vulnerability)", "not shipped: the USGS method needs the mineral's cost share in each using U.S. industry and the industries' net profit margins", "", "usgs_supply_risk: the geometric mean of DP and TE only")

	// Shares inside the zone and the United States.
	var zoneProd, usProd float64
	for _, sh := range shares {
		if secure[2](sh.country) {
			zoneProd += sh.s
		}
		if sh.country == "US" {
			usProd += sh.s
		}
	}
	st.ZoneProduction, st.USProduction = ptr(round(zoneProd)), ptr(round(usProd))
	if t.WorldReservesKnown && t.WorldReserves > 0 {
		var zr float64
		for _, p := range t.Producers {
			if p.ReservesKnown && secure[2](p.Country) {
				zr += p.Reserves
			}
		}
		st.ZoneReserves = ptr(round(zr / t.WorldReserves))
		q := "reported"
		if t.WorldReservesMarker == ">" || t.WorldReservesMarker == "<" {
			q = "bound"
		}
		add("world reserves", fnum(t.WorldReserves), t.Unit, src, q)
	} else {
		miss("world reserves", "not published in the table", "", "zone_reserves_share (not computed)")
	}

	te, teKnown := tradeExposure(m.Reliance)
	if m.Reliance.Raw != "" {
		q := "reported"
		if m.Reliance.Marker == ">" || m.Reliance.Marker == "<" {
			q = "bound"
		}
		add("U.S. net import reliance 2025", m.Reliance.Raw, "percent of apparent consumption", srcMCS+", "+t.Chapter+", salient statistics", q)
	}
	if !teKnown {
		miss("U.S. net import reliance", "printed "+strconv.Quote(m.Reliance.Raw)+" in "+srcMCS+", "+t.Chapter, "", "usgs_trade_exposure and usgs_supply_risk on the us basis (not computed)")
	}
	miss("the zone's net import reliance", "needs the zone's consumption and trade; the project ships U.S. statistics only", "", "usgs_trade_exposure and usgs_supply_risk on the zone basis (not computed)")

	ir, irKnown := te, teKnown
	if irKnown && len(m.Imports) > 0 {
		add("U.S. import sources", m.ImportsNote, "", srcMCS, "reported")
		for _, im := range m.Imports {
			add("share of U.S. imports, "+im.Label, fnum(im.Share), "fraction", m.ImportsNote, "reported")
			if im.Country == "" && im.Label != "other" && im.Label != "others" {
				miss("country of U.S. imports from "+strconv.Quote(im.Label), "the label names no single country", fnum(assumedWGI)+" (middle of the scale)", "eu_supply_risk_us_sourcing")
			} else if _, ok := d.Governance[im.Country]; im.Country != "" && !ok {
				miss("WGI of "+im.Label+" (U.S. import source)", "no WGI score in "+strconv.Itoa(WGIYear), fnum(assumedWGI)+" (middle of the scale)", "eu_supply_risk_us_sourcing")
			}
		}
	} else if irKnown {
		miss("U.S. import sources", m.ImportsNote, "", "eu_supply_risk_us_sourcing (not computed)")
	}
	for b, basis := range Bases {
		br := basisResult(basis, shares, secure[b], te, teKnown && basis == US)
		if basis != World && irKnown && len(m.Imports) > 0 {
			d.sourcing(&br, m.Imports, ir, secure[b])
		}
		st.Bases = append(st.Bases, br)
	}
	return st
}

// basisResult computes the indicators of one stage on one basis.
func basisResult(basis Basis, shares []share, secure func(string) bool, te float64, withTE bool) BasisResult {
	br := BasisResult{Basis: basis}
	var dp float64
	terms := map[string]string{}
	for _, sh := range shares {
		if secure(sh.country) {
			br.SecureShare += sh.s
			continue
		}
		br.HHI += sh.s * sh.s
		br.HHIWGI += sh.s * sh.s * sh.wgi
		dp += sh.s * sh.s * sh.wgi / 10
		terms[sh.label] = fnum(sh.s) + "² × " + fnum(sh.wgi)
	}
	br.HHI, br.HHIWGI, br.SecureShare = round(br.HHI), round(br.HHIWGI), round(br.SecureShare)
	br.Steps = append(br.Steps, Step{Step: "hhi_wgi", Inputs: terms,
		Formula: "HHI_WGI,t,GS = Σ over producers not secure of share² × WGI_scaled × t, t = 1 (assumed; secure producers' supply carries no risk)",
		Output:  fnum(br.HHIWGI), Source: srcEU + "; secure supply: " + srcProject})
	sr := br.HHIWGI * (1 - assumedEOLRIR) * assumedSISR
	br.EUSR = ptr(round(sr))
	br.Steps = append(br.Steps, Step{Step: "eu_supply_risk",
		Inputs:  map[string]string{"HHI_WGI,GS": fnum(br.HHIWGI), "HHI_WGI,sourcing": fnum(br.HHIWGI) + " (assumed: the global supply)", "EOL_RIR": fnum(assumedEOLRIR) + " (assumed)", "SI_SR": fnum(assumedSISR) + " (assumed)"},
		Formula: "SR = (HHI_WGI,GS × IR/2 + HHI_WGI,sourcing × (1 − IR/2)) × (1 − EOL_RIR) × SI_SR",
		Output:  fnum(*br.EUSR), Source: srcEU})
	br.USGSDP = ptr(round(dp))
	br.Steps = append(br.Steps, Step{Step: "usgs_disruption_potential",
		Formula: "DP = Σ over producers not secure of share² × WGI_scaled/10 (governance-weighted production concentration, 0 to 1)",
		Output:  fnum(*br.USGSDP), Source: srcUSGS})
	if withTE {
		br.USGSTE = ptr(round(te))
		srv := math.Sqrt(dp * te)
		br.USGSSR = ptr(round(srv))
		br.Steps = append(br.Steps,
			Step{Step: "usgs_trade_exposure", Formula: "TE = U.S. net import reliance / 100 (0 for a net exporter)", Output: fnum(te), Source: srcUSGS},
			Step{Step: "usgs_supply_risk", Inputs: map[string]string{"DP": fnum(dp), "TE": fnum(te), "EV": "missing"},
				Formula: "SR = (DP × TE × EV)^(1/3); EV not shipped: SR = (DP × TE)^(1/2)", Output: fnum(*br.USGSSR), Source: srcUSGS})
	}
	return br
}

// sourcing adds the EU supply risk with the U.S. sourcing mix: domestic
// supply, a share 1 − IR of consumption, is secure; imports, a share IR, come
// from each source in its share of U.S. imports; "other" is taken as many
// small sources (nothing added to the concentration).
func (d *Data) sourcing(br *BasisResult, imports []ImportShare, ir float64, secure func(string) bool) {
	var hhi float64
	terms := map[string]string{"domestic supply (secure)": fnum(1 - ir)}
	for _, im := range imports {
		if im.Country == "" && (im.Label == "other" || im.Label == "others") {
			continue
		}
		if im.Country != "" && secure(im.Country) {
			terms[im.Label+" (secure)"] = fnum(ir * im.Share)
			continue
		}
		w := assumedWGI
		if g, ok := d.Governance[im.Country]; ok && im.Country != "" {
			w = g.Scaled
		}
		s := ir * im.Share
		hhi += s * s * w
		terms[im.Label] = fnum(s) + "² × " + fnum(w)
	}
	br.Steps = append(br.Steps, Step{Step: "hhi_wgi_us_sourcing", Inputs: terms,
		Formula: "HHI_WGI,sourcing = Σ over import sources not secure of (IR × share of U.S. imports)² × WGI_scaled",
		Output:  fnum(hhi), Source: srcEU + "; the importer's sourcing: " + srcProject})
	sr := (br.HHIWGI*ir/2 + hhi*(1-ir/2)) * (1 - assumedEOLRIR) * assumedSISR
	br.EUSRSourcing = ptr(round(sr))
	br.Steps = append(br.Steps, Step{Step: "eu_supply_risk_us_sourcing",
		Inputs:  map[string]string{"HHI_WGI,GS": fnum(br.HHIWGI), "HHI_WGI,sourcing": fnum(hhi), "IR": fnum(ir), "EOL_RIR": fnum(assumedEOLRIR) + " (assumed)", "SI_SR": fnum(assumedSISR) + " (assumed)"},
		Formula: "SR = (HHI_WGI,GS × IR/2 + HHI_WGI,sourcing × (1 − IR/2)) × (1 − EOL_RIR) × SI_SR",
		Output:  fnum(sr), Source: srcEU})
}

// tradeExposure is the U.S. net import reliance as a fraction: a bound
// stands for its value, a net exporter (E) for 0.
func tradeExposure(r Reliance) (float64, bool) {
	switch {
	case r.Known:
		return min(1, max(0, r.Percent/100)), true
	case r.Marker == "E":
		return 0, true
	}
	return 0, false
}

func ptr(f float64) *float64 { return &f }

// round keeps six decimals, so that results compare and print stably.
func round(f float64) float64 { return math.Round(f*1e6) / 1e6 }

func fnum(f float64) string { return strconv.FormatFloat(round(f), 'f', -1, 64) }

func pct(f float64) string { return strconv.FormatFloat(round(f*100), 'f', -1, 64) + "%" }

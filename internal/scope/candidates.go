package scope

import (
	"cmp"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Candidate is a country outside the zone, scored on what it would bring to
// the minerals in scope.
type Candidate struct {
	Country string `json:"country"`
	Name    string `json:"name"`
	// Score is RiskRemoved × Ownership.Factor: the supply risk its joining
	// removes, less the part of its facilities non-parties would still
	// control or hold. The ranking's key.
	Score float64 `json:"score"`
	// RiskRemoved is the zone's EU supply risk removed by its joining,
	// summed over the minerals in scope (each at its bottleneck stage):
	// Σ (zone SR before − zone SR with the country).
	RiskRemoved float64 `json:"risk_removed"`
	// Production, Reserves and Refining are its shares of world mine or
	// bottleneck production, of world reserves, and of world processed-stage
	// production (refinery, smelter: capacity where MCS prints it), summed
	// over the minerals in scope: "mineral-equivalents" (2.0 = twice the
	// world's output of one mineral).
	Production float64 `json:"production"`
	Reserves   float64 `json:"reserves"`
	Refining   float64 `json:"refining"`
	// WGI is the country's governance, scaled 0 (best) to 10 (worst) as in
	// the EU method; nil without a score.
	WGI *float64 `json:"wgi_scaled"`
	// Frameworks are its critical-minerals frameworks, MOUs or action plans
	// with the United States (data/scope/frameworks.csv).
	Frameworks []Framework `json:"frameworks"`
	// Ownership is who would hold its facilities were it to join; nil when
	// no ownership register is loaded (Relations.Owners).
	Ownership *Ownership         `json:"ownership"`
	Minerals  []CandidateMineral `json:"minerals"`
	// Criteria are the agreement's accession criteria (its membership
	// section) evaluated for the country, in the order of the text; empty
	// when the agreement states none. They do not enter the score.
	Criteria      []CriterionResult `json:"criteria"`
	CriteriaCount CriteriaCount     `json:"criteria_count"`
}

// CandidateMineral is what a candidate brings to one mineral in scope.
type CandidateMineral struct {
	Mineral     string   `json:"mineral"`
	Production  float64  `json:"production_share"`
	Reserves    *float64 `json:"reserves_share"`
	Refining    *float64 `json:"refining_share"`
	RefiningBy  string   `json:"refining_basis,omitempty"` // "capacity" or "production"
	RiskRemoved float64  `json:"risk_removed"`
}

// Candidates is the ranking of the countries outside a zone.
type Candidates struct {
	Agreement    string      `json:"agreement"`
	Illustrative bool        `json:"illustrative"`
	AsOf         date.Date   `json:"as_of"`
	AsOfDefault  bool        `json:"as_of_is_entry_into_force,omitempty"`
	Parties      []string    `json:"parties"`
	Minerals     []string    `json:"minerals"` // in scope
	Candidates   []Candidate `json:"candidates"`
	// Criteria are the ids of the agreement's accession criteria, in the
	// order of each candidate's Criteria.
	Criteria []string `json:"criteria"`
	Notes    []string `json:"notes"`
}

// Rank scores every country outside the zone of agreement a in force on
// asOf that produces a mineral in scope or has a framework with the United
// States, and ranks them by their score (the supply risk they remove times
// the share of their facilities not held by non-parties), then the risk
// removed, then production.
func (d *Data) Rank(a *agreement.Agreement, reg Countries, rel *Relations, asOf date.Date) (*Candidates, error) {
	return d.rank(a, reg, rel, asOf, nil)
}

// Assess is Rank for the given countries only (those outside the zone),
// whether or not they produce a mineral in scope: what each would bring,
// and the accession criteria evaluated for it.
func (d *Data) Assess(a *agreement.Agreement, reg Countries, rel *Relations, asOf date.Date, countries []string) (*Candidates, error) {
	if countries == nil {
		countries = []string{}
	}
	return d.rank(a, reg, rel, asOf, countries)
}

// rank scores the countries outside the zone: every producer of a mineral
// in scope and every framework country when only is nil, else the
// countries of only.
func (d *Data) rank(a *agreement.Agreement, reg Countries, rel *Relations, asOf date.Date, only []string) (*Candidates, error) {
	in, z, asOf, byDefault, err := zoneOn(a, reg, asOf)
	if err != nil {
		return nil, err
	}
	zone := countrySet{}
	for _, c := range z.Countries() {
		if !reg.IsGroup(c) {
			zone[c] = true
		}
	}
	ids := scopeMinerals(in.Agreement)
	out := &Candidates{Agreement: a.ID, Illustrative: a.Illustrative, AsOf: asOf, AsOfDefault: byDefault, Parties: z.Parties, Minerals: ids,
		Notes: []string{
			"risk removed: Σ over the minerals in scope of the zone's EU supply risk before minus after the country joins (bottleneck stage)",
			"production, reserves, refining: the country's shares of world figures, summed over the minerals in scope",
		}}
	out.Criteria = []string{}
	if m := in.Agreement.Membership; m != nil {
		for _, c := range m.Criteria {
			out.Criteria = append(out.Criteria, c.ID)
		}
		out.Notes = append(out.Notes, "criteria: the agreement's accession criteria (membership) evaluated for each candidate: met, not_met, or not_recorded where the shipped data hold no figure; they do not enter the score")
	}
	var own *owners
	if rel.Owners != nil {
		if own, err = ownersOn(rel.Owners, asOf); err != nil {
			return nil, err
		}
		out.Notes = append(out.Notes, "score: risk removed × (1 − the share of the country's facilities, with a holder recorded in the ownership register on the date, that a non-party or non-party government controls or holds at least half of in aggregate, non-parties being the countries outside the zone with the country in it)")
	} else {
		out.Notes = append(out.Notes, "score: risk removed (no ownership register loaded: ownership of the country's facilities is not counted)")
	}
	type base struct {
		m  *Mineral
		sr *float64
		st string
	}
	var ms []base
	cands := map[string]*Candidate{}
	get := func(c string) *Candidate {
		if zone[c] || c == "" || (only != nil && !slices.Contains(only, c)) {
			return nil
		}
		k, ok := cands[c]
		if !ok {
			k = &Candidate{Country: c, Frameworks: []Framework{}}
			if rc, err := reg.Country(c); err == nil {
				k.Name = rc.Name
			}
			g, ok := d.Governance[c]
			if !ok {
				g, ok = governance(reg, c) // a framework country that produces none of the minerals
			}
			if ok {
				k.WGI = ptr(round(g.Scaled))
			}
			cands[c] = k
		}
		return k
	}
	for _, c := range only {
		get(c)
	}
	for _, id := range ids {
		m := d.mineral(id)
		if m == nil {
			continue
		}
		r, s := d.standing(m, zone)
		ms = append(ms, base{m: m, sr: s.ZoneEUSR, st: r.Summary[0].Table})
		for _, t := range m.Tables {
			for _, p := range t.Producers {
				if p.Known && p.Quantity > 0 {
					get(p.Country)
				}
			}
		}
	}
	for _, f := range rel.Frameworks {
		cs := []string{f.Country}
		if reg.IsGroup(f.Country) {
			cs, _ = reg.Group(f.Country)
		}
		for _, c := range cs {
			if k := get(c); k != nil {
				k.Frameworks = append(k.Frameworks, f)
			}
		}
	}
	for _, k := range cands {
		for _, b := range ms {
			cm := d.brings(b.m, b.st, k.Country)
			if b.sr != nil {
				cm.RiskRemoved = d.riskRemoved(b.m, b.st, k.Country)
			}
			if cm.Production == 0 && cm.Reserves == nil && cm.Refining == nil && cm.RiskRemoved == 0 {
				continue
			}
			k.RiskRemoved += cm.RiskRemoved
			k.Production += cm.Production
			if cm.Reserves != nil {
				k.Reserves += *cm.Reserves
			}
			if cm.Refining != nil {
				k.Refining += *cm.Refining
			}
			k.Minerals = append(k.Minerals, cm)
		}
		k.RiskRemoved, k.Production, k.Reserves, k.Refining = round(k.RiskRemoved), round(k.Production), round(k.Reserves), round(k.Refining)
		k.Score = k.RiskRemoved
		if own != nil {
			o, err := own.of(z, k.Country)
			if err != nil {
				return nil, err
			}
			k.Ownership, k.Score = &o, round(k.RiskRemoved*o.Factor)
		}
		if k.Minerals == nil {
			k.Minerals = []CandidateMineral{}
		}
		k.Criteria, k.CriteriaCount = criteria(in, reg, k, asOf)
		out.Candidates = append(out.Candidates, *k)
	}
	slices.SortFunc(out.Candidates, func(x, y Candidate) int {
		return cmp.Or(cmp.Compare(y.Score, x.Score), cmp.Compare(y.RiskRemoved, x.RiskRemoved), cmp.Compare(y.Production, x.Production), cmp.Compare(x.Country, y.Country))
	})
	return out, nil
}

// brings reads a country's shares for one mineral: of world production at
// the bottleneck table, of world reserves (any table printing them), and of
// processed-stage output (capacity where the table prints it).
func (d *Data) brings(m *Mineral, bottleneck, country string) CandidateMineral {
	cm := CandidateMineral{Mineral: m.ID}
	for _, t := range m.Tables {
		if t.World <= 0 {
			continue
		}
		var capSum, capOf float64
		capKnown := false
		for _, p := range t.Producers {
			if p.CapacityKnown {
				capSum += p.Capacity
				capKnown = true
				if p.Country == country {
					capOf += p.Capacity
				}
			}
			if p.Country != country {
				continue
			}
			if t.Label == bottleneck && p.Known {
				cm.Production = round(cm.Production + p.Quantity/t.World)
			}
			if p.ReservesKnown && t.WorldReservesKnown && t.WorldReserves > 0 && cm.Reserves == nil {
				cm.Reserves = ptr(round(p.Reserves / t.WorldReserves))
			}
			if t.Stage == registry.Processed && !capKnown && p.Known {
				cm.Refining, cm.RefiningBy = ptr(round(p.Quantity/t.World)), "production"
			}
		}
		if t.Stage == registry.Processed && capKnown && capSum > 0 && capOf > 0 {
			cm.Refining, cm.RefiningBy = ptr(round(capOf/capSum)), "capacity"
		}
	}
	return cm
}

// riskRemoved is what a country outside the zone takes off the zone's EU
// supply risk at a table by joining: its own terms of the sum, Σ share² ×
// WGI_scaled over its rows (the zone basis of Score: a secure producer's
// term leaves the sum, every other term stays). Computing the term rather
// than rescoring the mineral with the country in the zone makes the ranking
// ~20 times faster; TestRiskRemovedIsRescoring holds the two equal.
func (d *Data) riskRemoved(m *Mineral, table, country string) float64 {
	wgi := assumedWGI
	if g, ok := d.Governance[country]; ok {
		wgi = g.Scaled
	}
	var sum float64
	for _, t := range m.Tables {
		if t.Label != table || t.World <= 0 || t.Unusable != "" {
			continue
		}
		for _, p := range t.Producers {
			if p.Known && p.Country == country {
				s := p.Quantity / t.World
				sum += s * s * wgi
			}
		}
	}
	return round(sum)
}

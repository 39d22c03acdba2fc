package agreement

import (
	"cmp"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Membership is the agreement's accession criteria: what a country must
// show to join (USTR notice, section A: which partners should join and
// "what qualities they should exhibit"), each criterion with the article
// that states it, and the standards of countries outside the agreement
// that the standard criteria read. Package scope evaluates a candidate
// against the criteria on a date (docs/scope.md, "Accession criteria").
type Membership struct {
	Criteria   []Criterion        `yaml:"criteria" json:"criteria" required:"true" doc:"The accession criteria, each with its legal basis."`
	Candidates []CandidateProfile `yaml:"candidates" json:"candidates,omitzero" doc:"Standards of countries outside the agreement, each with its source: what criteria of kind standard read; a measure a country does not list is not recorded, never taken as absent."`
}

// Criterion is one accession criterion: a kind, its threshold and the
// article that states it.
type Criterion struct {
	ID        string        `yaml:"id" json:"id" required:"true" doc:"Identifier, unique among the criteria, e.g. governance."`
	Kind      CriterionKind `yaml:"kind" json:"kind" required:"true" enum:"governance|framework|standard|ownership|world_share" doc:"governance: a minimum World Bank WGI estimate (indicator, min); framework: a critical-minerals framework or agreement with at least min_parties parties in force (data/scope/frameworks.csv); standard: the country applies measure (recorded under membership.candidates); ownership: at most max of the country's facilities with a recorded holder controlled or held by non-parties (the ownership factor of docs/scope.md); world_share: at least min of world production or reserves (of) of mineral, or of some mineral in scope when mineral is omitted."`
	Indicator WGIIndicator  `yaml:"indicator" json:"indicator,omitzero" enum:"VA|PV|GE|RQ|RL|CC|mean" doc:"governance: the WGI indicator (VA voice and accountability, PV political stability, GE government effectiveness, RQ regulatory quality, RL rule of law, CC control of corruption) or mean, the mean of those the World Bank scores."`
	// Min and Max are pointers, omitted only when absent: a threshold of 0
	// is a threshold (omitzero would drop it through Decimal.IsZero).
	Min     *dec.Decimal `yaml:"min" json:"min,omitempty" doc:"governance: the least WGI estimate, −2.5 to 2.5; world_share: the least share, 0 to 1."`
	Max     *dec.Decimal `yaml:"max" json:"max,omitempty" doc:"ownership: the largest share of facilities held by non-parties, 0 to 1."`
	Parties int          `yaml:"min_parties" json:"min_parties,omitzero" doc:"framework: the least number of parties in force the country has a framework or agreement with."`
	Status  string       `yaml:"status" json:"status,omitzero" enum:"signed|announced|intended" doc:"framework: the least status of a framework that counts: signed (the default), announced or intended, in decreasing order."`
	Measure Measure      `yaml:"measure" json:"measure,omitzero" enum:"oecd_ddg|mineral_dd_law|eiti|irma|ilo_c176" doc:"standard: the measure the country must apply (as in a party's standards)."`
	Mineral string       `yaml:"mineral" json:"mineral,omitzero" doc:"world_share, standard: a mineral in scope; world_share: any mineral in scope when omitted."`
	Of      ShareOf      `yaml:"of" json:"of,omitzero" enum:"production|reserves" doc:"world_share: production (at the mineral's bottleneck stage) or reserves."`
	Basis   string       `yaml:"basis" json:"basis" required:"true" doc:"Article that states the criterion."`
	Note    string       `yaml:"note" json:"note,omitzero" doc:"Free-text note."`
}

// CandidateProfile is a country outside the agreement and the standards it
// applies, each with its source.
type CandidateProfile struct {
	Country   string     `yaml:"country" json:"country" required:"true" doc:"ISO 3166 alpha-2 code."`
	Standards []Standard `yaml:"standards" json:"standards" required:"true" doc:"The standards it applies (or, with their source, does not), as in a party's profile."`
}

// CriterionKind names what a criterion measures.
type CriterionKind string

// The kinds of criteria.
const (
	CriterionGovernance CriterionKind = "governance"
	CriterionFramework  CriterionKind = "framework"
	CriterionStandard   CriterionKind = "standard"
	CriterionOwnership  CriterionKind = "ownership"
	CriterionWorldShare CriterionKind = "world_share"
)

// WGIIndicator is a World Bank WGI indicator code, or WGIMean.
type WGIIndicator string

// WGIMean is the mean of the indicators the World Bank scores.
const WGIMean WGIIndicator = "mean"

// ShareOf says whether a world share is of production or of reserves.
type ShareOf string

// The shares.
const (
	ShareProduction ShareOf = "production"
	ShareReserves   ShareOf = "reserves"
)

// Test states the criterion in a line, e.g. "WGI RL ≥ -1.0": what show,
// the evaluation and the pages print.
func (c *Criterion) Test() string {
	dash := func(x *dec.Decimal) string {
		if x == nil {
			return "?"
		}
		return x.String()
	}
	switch c.Kind {
	case CriterionGovernance:
		return "WGI " + string(c.Indicator) + " ≥ " + dash(c.Min)
	case CriterionFramework:
		return fmt.Sprintf("framework (%s or above) with ≥ %d parties", cmp.Or(c.Status, "signed"), c.Parties)
	case CriterionStandard:
		if c.Mineral != "" {
			return "applies " + string(c.Measure) + " for " + c.Mineral
		}
		return "applies " + string(c.Measure)
	case CriterionOwnership:
		return "non-party held facilities ≤ " + dash(c.Max)
	case CriterionWorldShare:
		return "world " + string(c.Of) + " share of " + cmp.Or(c.Mineral, "some mineral in scope") + " ≥ " + dash(c.Min)
	}
	return string(c.Kind)
}

// FrameworkStatusRank orders the statuses of a framework: signed 3,
// announced 2, intended 1; 0 for anything else.
func FrameworkStatusRank(s string) int {
	switch s {
	case "signed":
		return 3
	case "announced":
		return 2
	case "intended":
		return 1
	}
	return 0
}

// Standard returns what the agreement records of country's measure (for
// mineral, or a standard covering every mineral when mineral is empty):
// known is false when membership.candidates records nothing for it (not
// recorded, never absent); the last covering standard in the text wins,
// as in a party's profile, and src is its source.
func (m *Membership) Standard(country string, measure Measure, mineral string) (applies, known bool, src *Standard) {
	if m == nil {
		return false, false, nil
	}
	for i := range m.Candidates {
		c := &m.Candidates[i]
		if c.Country != country {
			continue
		}
		for j := range c.Standards {
			s := &c.Standards[j]
			if s.Measure == measure && (len(s.Minerals) == 0 || (mineral != "" && s.Covers(mineral, ""))) {
				applies, known, src = s.Status != DoesNotApply, true, s
			}
		}
	}
	return applies, known, src
}

// membership validates the accession criteria: unique ids, a basis that
// names an article, the fields each kind needs (and no other kind's),
// thresholds in range (a WGI estimate within −2.5 to 2.5, a share within 0
// to 1), minerals in scope; and the candidates' standards as a party's.
func (v *validator) membership() {
	m := v.a.Membership
	if m == nil {
		return
	}
	ids := map[string]bool{}
	for i, c := range m.Criteria {
		p := fmt.Sprintf("membership.criteria[%d]", i)
		if c.ID != "" && ids[c.ID] {
			v.add(p+".id", "duplicate criterion id %q", c.ID)
		}
		ids[c.ID] = true
		v.basis(p+".basis", c.Basis)
		need := func(field string, set bool) {
			if !set {
				v.add(p, "a %s criterion needs %s", c.Kind, field)
			}
		}
		unused := func(field string, set bool) {
			if set {
				v.add(p+"."+field, "a %s criterion has no %s", c.Kind, field)
			}
		}
		inRange := func(field string, x *dec.Decimal, lo, hi string) {
			if x != nil && (x.Cmp(dec.MustParse(lo)) < 0 || x.Cmp(dec.MustParse(hi)) > 0) {
				v.add(p+"."+field, "must be within %s and %s, got %s", lo, hi, *x)
			}
		}
		switch c.Kind {
		case CriterionGovernance:
			need("indicator", c.Indicator != "")
			need("min", c.Min != nil)
			inRange("min", c.Min, "-2.5", "2.5")
		case CriterionFramework:
			if c.Parties < 1 {
				v.add(p+".min_parties", "a framework criterion needs min_parties ≥ 1, got %d", c.Parties)
			}
		case CriterionStandard:
			need("measure", c.Measure != "")
		case CriterionOwnership:
			need("max", c.Max != nil)
			inRange("max", c.Max, "0", "1")
		case CriterionWorldShare:
			need("of", c.Of != "")
			need("min", c.Min != nil)
			inRange("min", c.Min, "0", "1")
		}
		unused("indicator", c.Indicator != "" && c.Kind != CriterionGovernance)
		unused("min", c.Min != nil && c.Kind != CriterionGovernance && c.Kind != CriterionWorldShare)
		unused("max", c.Max != nil && c.Kind != CriterionOwnership)
		unused("min_parties", c.Parties != 0 && c.Kind != CriterionFramework)
		unused("status", c.Status != "" && c.Kind != CriterionFramework)
		unused("measure", c.Measure != "" && c.Kind != CriterionStandard)
		unused("of", c.Of != "" && c.Kind != CriterionWorldShare)
		unused("mineral", c.Mineral != "" && c.Kind != CriterionWorldShare && c.Kind != CriterionStandard)
		if c.Mineral != "" && v.scope[c.Mineral] == nil {
			v.add(p+".mineral", "mineral %q is not in scope of the agreement%s", c.Mineral, didYouMean(c.Mineral, keys(v.scope)))
		}
	}
	seen := map[string]bool{}
	for i, c := range m.Candidates {
		p := fmt.Sprintf("membership.candidates[%d]", i)
		if c.Country == "" {
			continue
		}
		v.check(p+".country", v.cat.Country(c.Country))
		if v.parties[c.Country] {
			v.add(p+".country", "%s is a party to the agreement: its standards belong in its party profile", c.Country)
		}
		if seen[c.Country] {
			v.add(p+".country", "candidate %s is listed twice", c.Country)
		}
		seen[c.Country] = true
		v.standards(p, c.Standards)
	}
}

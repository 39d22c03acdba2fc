package agreement

import (
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// A party's profile answers two questions of the USTR notice: which
// standards it applies to each mineral and stage (section D asks how to
// address regulatory arbitrage among parties), and under which of its own
// laws it applies each border instrument (section I asks which legal
// authorities each jurisdiction could use to implement price mechanisms).
// Package scope compares the standards pairwise (docs/scope.md, regulatory
// heterogeneity); validation checks that a party with a profile names an
// authority for every instrument it applies.

// Standard is one binary regulatory measure as it stands for a party: a
// standard the party applies (or, recorded with its source, does not
// apply) to minerals and stages.
type Standard struct {
	Measure  Measure          `yaml:"measure" json:"measure" required:"true" enum:"oecd_ddg|mineral_dd_law|eiti|irma|ilo_c176" doc:"The measure: oecd_ddg, the party adheres to the OECD Recommendation on Due Diligence Guidance for Responsible Supply Chains of Minerals from Conflict-Affected and High-Risk Areas; mineral_dd_law, its law obliges importers or issuers to exercise supply-chain due diligence on the mineral (EU Regulation 2017/821, US Dodd-Frank Section 1502); eiti, it is an EITI implementing country; irma, a site in its territory has a published IRMA audit for the mineral and stage; ilo_c176, it has ratified the ILO Safety and Health in Mines Convention, 1995 (No. 176)."`
	Status   StandardStatus   `yaml:"status" json:"status,omitzero" enum:"applies|does_not_apply" doc:"applies (the default) or does_not_apply: a recorded absence (a withdrawal, a non-ratification) is as much a fact as a presence and needs its source too; a measure a party does not list is unknown, never taken as absent."`
	Minerals []string         `yaml:"minerals" json:"minerals,omitzero" doc:"Minerals in scope it covers; every mineral in scope when omitted."`
	Stages   []registry.Stage `yaml:"stages" json:"stages,omitzero" enum:"mined|processed|derivative|scrap" doc:"Stages it covers; every stage when omitted."`
	Note     string           `yaml:"note" json:"note,omitzero" doc:"What the source says, in a line (e.g. the site and audit level)."`
	Source   *Citation        `yaml:"source" json:"source" required:"true" doc:"Where the fact is stated: a standard without a source is an error."`
}

// Citation is a public document that states a fact, with the date it was
// read or the date it speaks of.
type Citation struct {
	Title string    `yaml:"title" json:"title" required:"true" doc:"The document, as one would cite it."`
	URL   string    `yaml:"url" json:"url,omitzero" doc:"Where it is published."`
	Date  date.Date `yaml:"date" json:"date" required:"true" doc:"The date the document states the fact as of (its publication or last update)."`
}

// LegalAuthority is a party's own law under which it applies border
// instruments (the US Section 232 of the Trade Expansion Act of 1962; the
// EU's basic anti-dumping Regulation 2016/1036).
type LegalAuthority struct {
	ID     string           `yaml:"id" json:"id" required:"true" doc:"Identifier, unique within the party (e.g. us-s232), named by instruments' legal_authority."`
	Name   string           `yaml:"name" json:"name" required:"true" doc:"The law as cited (e.g. Section 232 of the Trade Expansion Act of 1962, 19 U.S.C. 1862)."`
	Covers []InstrumentType `yaml:"covers" json:"covers,omitzero" enum:"mfn|variable_duty|non_party_surcharge|tariff_rate_quota|undertaking|phase_in|preference|additional_duty|anti_dumping|countervailing|safeguard|fee" doc:"Instrument types it carries by default: an instrument of such a type that names no legal_authority is applied under it. At most one authority of the party covers a type."`
	Source *Citation        `yaml:"source" json:"source,omitzero" doc:"Where the law is published."`
}

// Measure is a binary regulatory measure compared across parties.
type Measure string

// The measures, by kind: due diligence (OECDDDG, DDLaw), transparency
// (EITI), environmental and social performance at site (IRMA), labour
// (ILOC176).
const (
	OECDDDG Measure = "oecd_ddg"
	DDLaw   Measure = "mineral_dd_law"
	EITI    Measure = "eiti"
	IRMA    Measure = "irma"
	ILOC176 Measure = "ilo_c176"
)

// Measures lists the measures in a fixed order, the columns of every
// comparison.
var Measures = []Measure{OECDDDG, DDLaw, EITI, IRMA, ILOC176}

// StandardStatus says whether a party applies a measure.
type StandardStatus string

// The statuses; empty means Applies.
const (
	Applies      StandardStatus = "applies"
	DoesNotApply StandardStatus = "does_not_apply"
)

// Covers reports whether the standard covers mineral at stage.
func (s *Standard) Covers(mineral string, stage registry.Stage) bool {
	return (len(s.Minerals) == 0 || slices.Contains(s.Minerals, mineral)) &&
		(len(s.Stages) == 0 || slices.Contains(s.Stages, stage))
}

// Holds returns what the party's profile says of measure for mineral at
// stage: known is false when no standard of the party covers it (unknown,
// never absent); otherwise applies says whether it applies. When several
// standards cover it, the last in the text wins, so that a general entry can
// be narrowed by a later, specific one.
func (p *Party) Holds(m Measure, mineral string, stage registry.Stage) (applies, known bool) {
	for i := range p.Standards {
		s := &p.Standards[i]
		if s.Measure == m && s.Covers(mineral, stage) {
			applies, known = s.Status != DoesNotApply, true
		}
	}
	return applies, known
}

// HasProfile reports whether the party declares a profile (standards or
// legal authorities); only then must every instrument name an authority,
// so that agreements written before profiles still read.
func (p *Party) HasProfile() bool {
	return len(p.Standards) > 0 || len(p.Authorities) > 0
}

// AuthorityOf returns the legal authority under which the party applies in:
// the one it names, or the one that covers its type; nil when none does.
func (p *Party) AuthorityOf(in *Instrument) *LegalAuthority {
	for i := range p.Authorities {
		a := &p.Authorities[i]
		if in.LegalAuthority != "" {
			if a.ID == in.LegalAuthority {
				return a
			}
		} else if slices.Contains(a.Covers, in.Type) {
			return a
		}
	}
	return nil
}

// profile validates a party's standards and legal authorities: known
// minerals and stages, dated sources with a title, unique authority ids, at
// most one authority per instrument type, and an authority for every
// instrument of a party that has a profile.
func (v *validator) profile(pp string, p Party) {
	v.standards(pp, p.Standards)
	ids := map[string]bool{}
	covered := map[InstrumentType]string{}
	for j, a := range p.Authorities {
		ap := fmt.Sprintf("%s.authorities[%d]", pp, j)
		if ids[a.ID] {
			v.add(ap+".id", "authority id %q is used twice in party %s", a.ID, p.ID)
		}
		ids[a.ID] = true
		for k, t := range a.Covers {
			if other, ok := covered[t]; ok {
				v.add(fmt.Sprintf("%s.covers[%d]", ap, k), "%s is already covered by authority %q: an instrument of that type would have two", t, other)
				continue
			}
			covered[t] = a.ID
		}
	}
	for j, in := range p.Instruments {
		ip := fmt.Sprintf("%s.instruments[%d]", pp, j)
		if in.LegalAuthority != "" {
			if !ids[in.LegalAuthority] {
				v.add(ip+".legal_authority", "authority %q is not one of party %s's authorities%s", in.LegalAuthority, p.ID, didYouMean(in.LegalAuthority, keys(ids)))
			}
			continue
		}
		if p.HasProfile() && covered[in.Type] == "" {
			v.add(ip+".legal_authority", "instrument %q (%s) names no legal authority and no authority of party %s covers %s", in.ID, in.Type, p.ID, in.Type)
		}
	}
}

// standards validates standards (a party's, or a candidate's under
// membership): minerals in scope, a source with its address.
func (v *validator) standards(pp string, list []Standard) {
	for j, s := range list {
		sp := fmt.Sprintf("%s.standards[%d]", pp, j)
		for k, m := range s.Minerals {
			if v.scope[m] == nil {
				v.add(fmt.Sprintf("%s.minerals[%d]", sp, k), "mineral %q is not in scope of the agreement%s", m, didYouMean(m, keys(v.scope)))
			}
		}
		if s.Source != nil && s.Source.URL == "" {
			v.add(sp+".source.url", "a standard's source needs the address where it is published")
		}
	}
}

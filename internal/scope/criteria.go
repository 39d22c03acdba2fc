package scope

import (
	"cmp"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// The statuses of a criterion for a candidate. Missing data is its own
// status: a criterion is never passed or failed for want of a figure.
const (
	Met         = "met"
	NotMet      = "not_met"
	NotRecorded = "not_recorded"
)

// frameworkPartner is the party with which every framework of
// data/scope/frameworks.csv is concluded: the file lists the United
// States' critical-minerals frameworks, MOUs and action plans.
const frameworkPartner = "US"

// CriterionResult is one accession criterion of the agreement (its
// membership section) evaluated for one candidate on a date.
type CriterionResult struct {
	ID        string `json:"id"`
	Kind      string `json:"kind"`
	Criterion string `json:"criterion"` // the test, e.g. "WGI RL ≥ 0"
	// Value is the candidate's figure (a WGI estimate, a share, a number of
	// parties; 1 or 0 for a standard); nil when not recorded.
	Value     *float64 `json:"value"`
	Threshold float64  `json:"threshold"`
	Status    string   `json:"status"` // met, not_met, not_recorded
	Basis     string   `json:"basis"`
	Detail    string   `json:"detail"` // where the value comes from, or why it is missing
}

// CriteriaCount counts a candidate's criteria by status.
type CriteriaCount struct {
	Met         int `json:"met"`
	NotMet      int `json:"not_met"`
	NotRecorded int `json:"not_recorded"`
}

// criteria evaluates candidate k against the accession criteria of the
// agreement in force (in, on asOf): its WGI estimates (reg, the year
// WGIYear), its frameworks with parties in force, the standards the
// agreement records for it, the ownership of its facilities and its shares
// of world production and reserves, as Rank computed them.
func criteria(in *agreement.InForce, reg wgiSource, k *Candidate, asOf date.Date) ([]CriterionResult, CriteriaCount) {
	m := in.Agreement.Membership
	var n CriteriaCount
	if m == nil {
		return []CriterionResult{}, n
	}
	out := make([]CriterionResult, 0, len(m.Criteria))
	for i := range m.Criteria {
		c := &m.Criteria[i]
		r := CriterionResult{ID: c.ID, Kind: string(c.Kind), Criterion: c.Test(), Basis: c.Basis, Status: NotRecorded}
		at := func(v, threshold float64, pass bool, detail string) {
			r.Value, r.Threshold, r.Detail = ptr(round(v)), threshold, detail
			r.Status = NotMet
			if pass {
				r.Status = Met
			}
		}
		switch c.Kind {
		case agreement.CriterionGovernance:
			min := c.Min.Float64()
			if c.Indicator == agreement.WGIMean {
				if g, ok := governance(reg, k.Country); ok {
					at(g.Mean, min, g.Mean >= min, fmt.Sprintf("mean of %d WGI estimates, %d", g.N, WGIYear))
				} else {
					r.Detail = fmt.Sprintf("no WGI estimate for %s in %d", k.Country, WGIYear)
				}
				break
			}
			if g, err := reg.WGI(k.Country, string(c.Indicator), WGIYear); err == nil {
				e := g.Estimate.Float64()
				at(e, min, e >= min, fmt.Sprintf("WGI %s estimate, %d", c.Indicator, WGIYear))
			} else {
				r.Detail = fmt.Sprintf("no WGI %s estimate for %s in %d", c.Indicator, k.Country, WGIYear)
			}
		case agreement.CriterionFramework:
			want := agreement.FrameworkStatusRank(cmp.Or(c.Status, "signed"))
			inForce := false
			for _, p := range in.Agreement.Parties {
				inForce = inForce || p.ID == frameworkPartner
			}
			var with []string
			for _, f := range k.Frameworks {
				if agreement.FrameworkStatusRank(f.Status) >= want && (f.SignedOn == "" || f.SignedOn <= asOf.String()[:len(f.SignedOn)]) {
					with = append(with, f.Instrument+" ("+f.Status+" "+f.SignedOn+")")
				}
			}
			parties, detail := 0, "no framework of status "+cmp.Or(c.Status, "signed")+" or above by "+asOf.String()+" in data/scope/frameworks.csv"
			if len(with) > 0 {
				detail = "with " + frameworkPartner + ": " + strings.Join(with, "; ")
				if inForce {
					parties = 1
				} else {
					detail += "; " + frameworkPartner + " is not a party in force"
				}
			}
			at(float64(parties), float64(c.Parties), parties >= c.Parties, detail)
		case agreement.CriterionStandard:
			applies, known, s := m.Standard(k.Country, c.Measure, c.Mineral)
			if !known {
				r.Detail = "the agreement records no " + string(c.Measure) + " standard of " + k.Country + " (membership.candidates)"
				break
			}
			v := 0.0
			if applies {
				v = 1
			}
			at(v, 1, applies, strings.TrimPrefix(s.Note+"; ", "; ")+"source: "+cmp.Or(s.Source.URL, s.Source.Title)+", "+s.Source.Date.String())
		case agreement.CriterionOwnership:
			max := c.Max.Float64()
			switch o := k.Ownership; {
			case o == nil:
				r.Detail = "no ownership register loaded"
			case o.Share == nil:
				r.Detail = o.Note
			default:
				at(*o.Share, max, *o.Share <= max, fmt.Sprintf("%d of %d facilities with a recorded holder", o.NonParty, o.Facilities))
			}
		case agreement.CriterionWorldShare:
			min := c.Min.Float64()
			what := "some mineral in scope"
			if c.Mineral != "" {
				what = c.Mineral
			}
			best, bestOf := -1.0, ""
			for _, cm := range k.Minerals {
				if c.Mineral != "" && cm.Mineral != c.Mineral {
					continue
				}
				v, ok := cm.Production, cm.Production > 0
				if c.Of == agreement.ShareReserves {
					ok = cm.Reserves != nil
					if ok {
						v = *cm.Reserves
					}
				}
				if ok && v > best {
					best, bestOf = v, cm.Mineral
				}
			}
			if best < 0 {
				r.Detail = "MCS 2026 names no " + string(c.Of) + " of " + what + " for " + k.Country
				break
			}
			at(best, min, best >= min, bestOf+", MCS 2026")
		}
		switch r.Status {
		case Met:
			n.Met++
		case NotMet:
			n.NotMet++
		default:
			n.NotRecorded++
		}
		out = append(out, r)
	}
	return out, n
}

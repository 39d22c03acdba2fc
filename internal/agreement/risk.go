package agreement

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The country risk premium: the one rule by which the agreement raises a
// rate of return for the risk of the country an investment stands in.
// refprice charges it to the marginal producer of a cost curve (Art. 6.2 of
// the example); the projects engine adds it to a project's hurdle rate.
// Both ask here, so that they cannot disagree.

// Scores gives a country's World Bank governance score for an indicator
// and year; *registry.Registry satisfies it.
type Scores interface {
	WGI(country, indicator string, year int) (registry.Governance, error)
}

var _ Scores = (*registry.Registry)(nil)

// RiskPremium is the premium a RiskRule gives one country, with what it
// rests on.
type RiskPremium struct {
	// Premium is min(max, slope × max(0, reference − score)), or max when
	// the country has no score.
	Premium dec.Decimal
	// Scored says whether the country has a score for the rule's indicator
	// and year; Score is it (the WGI estimate, about −2.5 to 2.5).
	Scored bool
	Score  dec.Decimal
	// Missing says why there is no score, when Scored is false.
	Missing error
}

// Premium returns the premium the rule gives country: min(max, slope ×
// max(0, reference − score)) on its WGI estimate for the rule's indicator
// and year. A country without a score (the "other countries" of a generated
// cost curve, a territory the WGI skips) gets the largest premium: no score
// is no assurance.
func (r *RiskRule) Premium(s Scores, country string) RiskPremium {
	g, err := s.WGI(country, r.Indicator, r.Year)
	if err != nil {
		return RiskPremium{Premium: r.Max, Missing: err}
	}
	gap := dec.Max(dec.Zero, r.Reference.Sub(g.Estimate))
	return RiskPremium{Premium: dec.Min(r.Max, r.Slope.Mul(gap)), Scored: true, Score: g.Estimate}
}

// CountryRisk returns the cost-curve price rule that prices mineral at
// stage, directly or up its stage chain (a processed floor set from the
// mined one), when that rule charges a country risk premium, and the stage
// it is set at. An agreement whose rule for the stage charges none is a
// problem.NotFound error naming the stage.
func (a *Agreement) CountryRisk(mineral string, stage registry.Stage) (*PriceRule, registry.Stage, error) {
	seen := map[registry.Stage]bool{}
	for s := stage; !seen[s]; {
		seen[s] = true
		sc, err := a.Scope(mineral, s)
		if err != nil {
			return nil, "", err
		}
		p := &sc.Price
		if p.Method == StageChain {
			s = p.From
			continue
		}
		if p.Method == CostCurve && p.Risk != nil {
			return p, s, nil
		}
		break
	}
	return nil, "", &problem.Error{Code: problem.NotFound, Field: "stage",
		Message: fmt.Sprintf("agreement %s charges no country risk premium for %s/%s: its price rule is not a cost curve with a risk rule, directly or up its stage chain", a.ID, mineral, stage)}
}

package projects

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Hurdle is a project's hurdle rate (a WACC with its country's risk
// premium) and what it is made of.
type Hurdle struct {
	Rate    float64 `json:"rate"`
	Base    float64 `json:"base"`
	Premium float64 `json:"country_risk_premium"`
	// Basis says where the rate comes from: the pipeline's rate, the
	// project's own, or the agreement's risk rule with the score it read.
	Basis string `json:"basis"`
}

// HurdleRates returns each project's hurdle rate, by id. A project with its
// own discount_rate takes it. Otherwise the rate is base (the pipeline's
// discount_rate, or the caller's) and, when the pipeline's country_risk is
// "agreement", plus the premium the agreement a (as in force on the
// valuation date) charges the project's country: the risk rule of the cost
// curve that prices its mineral at its stage, up the stage chain
// (agreement.CountryRisk), applied by agreement.RiskRule.Premium, the rule
// refprice applies to a cost curve's marginal producer. A mineral and stage
// the agreement charges no premium for take none, and say so.
func (p *Pipeline) HurdleRates(base float64, a *agreement.Agreement, scores agreement.Scores) (map[string]Hurdle, error) {
	out := make(map[string]Hurdle, len(p.Projects))
	for i := range p.Projects {
		pr := &p.Projects[i]
		switch {
		case pr.DiscountRate != 0:
			out[pr.ID] = Hurdle{Rate: pr.DiscountRate, Base: pr.DiscountRate, Basis: "the project's own rate"}
		case p.CountryRisk != "agreement":
			out[pr.ID] = Hurdle{Rate: base, Base: base, Basis: "the pipeline's rate"}
		default:
			if a == nil || scores == nil {
				return nil, problem.Errorf(problem.Invalid, "pipeline %s takes its country risk premium from the agreement: none was given", p.ID)
			}
			rule, stage, err := a.CountryRisk(pr.Mineral, pr.Stage)
			if problem.CodeOf(err) == problem.NotFound {
				out[pr.ID] = Hurdle{Rate: base, Base: base, Basis: fmt.Sprintf("the pipeline's rate; %s charges no country risk premium for %s/%s", a.ID, pr.Mineral, pr.Stage)}
				continue
			}
			if err != nil {
				return nil, err
			}
			r := rule.Risk
			rp := r.Premium(scores, pr.Country)
			prem := rp.Premium.Float64()
			score := "no score: the maximum"
			if rp.Scored {
				score = "score " + rp.Score.String()
			}
			out[pr.ID] = Hurdle{Rate: base + prem, Base: base, Premium: prem,
				Basis: fmt.Sprintf("the pipeline's rate + %s's country risk premium (%s, rule of %s/%s: WGI %s %d of %s, %s; min(%s, %s × max(0, %s − score)))",
					a.ID, rule.Basis, pr.Mineral, stage, r.Indicator, r.Year, pr.Country, score, r.Max, r.Slope, r.Reference)}
		}
	}
	return out, nil
}

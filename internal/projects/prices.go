package projects

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// PriceModel is the price process a pipeline assumes for one mineral at
// one stage: yearly prices following a geometric Brownian motion (GBM).
type PriceModel struct {
	Mineral    string         `yaml:"mineral" required:"true" doc:"Registry mineral id."`
	Stage      registry.Stage `yaml:"stage" required:"true" enum:"mined|processed|derivative|scrap" doc:"Production stage the price is for."`
	Spot       float64        `yaml:"spot" required:"true" doc:"Price in year 0 per unit of contained mineral (the projects' unit), > 0."`
	Drift      float64        `yaml:"drift" doc:"Yearly drift of the price, continuously compounded."`
	Volatility float64        `yaml:"volatility" required:"true" doc:"Yearly volatility of the log price, ≥ 0 (0.4 is 40%)."`
	Sources    []Source       `yaml:"sources" doc:"Where the spot and volatility come from."`
}

// Key is "mineral/stage", the key of floors and price models.
func Key(mineral string, stage registry.Stage) string { return mineral + "/" + string(stage) }

// PriceModel returns the pipeline's price model for mineral at stage, or nil.
func (p *Pipeline) PriceModel(mineral string, stage registry.Stage) *PriceModel {
	for i := range p.Prices {
		if m := &p.Prices[i]; m.Mineral == mineral && m.Stage == stage {
			return m
		}
	}
	return nil
}

// Draw returns n seeded antithetic paths of years years under the model.
func (m *PriceModel) Draw(n, years int, seed uint64) (*Paths, error) {
	return GBM{Spot: m.Spot, Drift: m.Drift, Vol: m.Volatility, Antithetic: true}.Draw(n, years, seed)
}

// DrawFor returns price paths for project pr from the pipeline's model of
// its mineral and stage: n paths, as many years as the project spans.
func (p *Pipeline) DrawFor(pr *Project, n int, seed uint64) (*Paths, error) {
	m := p.PriceModel(pr.Mineral, pr.Stage)
	if m == nil {
		return nil, problem.Errorf(problem.Invalid, "project %s: the pipeline has no price model for %s (add it under prices)", pr.ID, Key(pr.Mineral, pr.Stage))
	}
	return m.Draw(n, pr.Horizon(), seed)
}

func (p *Pipeline) validatePrices(ps *problems) {
	rate := func(path string, v float64, set bool) {
		if set && !(v > -1 && v < 1) {
			ps.add(path, "must be a yearly rate above −1 and below 1 (0.08 is 8%%), got %g", v)
		}
	}
	rate("discount_rate", p.DiscountRate, p.DiscountRate != 0)
	rate("public_discount_rate", p.PublicDiscountRate, p.PublicDiscountRate != 0)
	for i := range p.Projects {
		rate(fmt.Sprintf("projects[%d].discount_rate", i), p.Projects[i].DiscountRate, p.Projects[i].DiscountRate != 0)
	}
	seen := map[string]int{}
	for i := range p.Prices {
		m := &p.Prices[i]
		at := fmt.Sprintf("prices[%d]", i)
		k := Key(m.Mineral, m.Stage)
		if j, dup := seen[k]; dup {
			ps.add(at+".stage", "a second price model for %s (also prices[%d])", k, j)
		}
		seen[k] = i
		if !(m.Spot > 0) {
			ps.add(at+".spot", "must be > 0, got %g", m.Spot)
		}
		if !(m.Volatility >= 0 && m.Volatility <= 5) {
			ps.add(at+".volatility", "must be 0 to 5 (0.4 is 40%%), got %g", m.Volatility)
		}
		if !(m.Drift > -1 && m.Drift < 1) {
			ps.add(at+".drift", "must be a yearly rate above −1 and below 1, got %g", m.Drift)
		}
	}
}

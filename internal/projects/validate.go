package projects

import (
	"fmt"
	"math"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Limits of a project.
const (
	MaxLifeYears     = 100
	MaxLeadTimeYears = 30
	MaxProjects      = 10_000
)

// problems collects problems with their positions in the pipeline file.
type problems struct {
	p *Pipeline
	l problem.List
}

func (ps *problems) add(path, format string, args ...any) {
	ps.l.Add(ps.p.src.Pos(path), path, format, args...)
}

// rate checks a rate in [0, 1].
func (ps *problems) rate(path string, v float64) {
	if !(v >= 0 && v <= 1) {
		ps.add(path, "must be a rate from 0 to 1 (0.05 is 5%%), got %g", v)
	}
}

// validate checks what the file alone can tell; the registry's minerals and
// countries are checked by the caller that holds the registry.
func (p *Pipeline) validate() error {
	ps := &problems{p: p}
	if p.Version != PipelineVersion {
		ps.add("version", "must be %d, got %d", PipelineVersion, p.Version)
	}
	if p.Currency == "" {
		p.Currency = "USD"
	}
	if p.Illustrative && strings.TrimSpace(p.Notice) == "" {
		ps.add("notice", "an illustrative pipeline must say in notice what is illustrative")
	}
	if len(p.Projects) == 0 {
		ps.add("projects", "must list at least one project")
	}
	if len(p.Projects) > MaxProjects {
		ps.add("projects", "at most %d projects, got %d", MaxProjects, len(p.Projects))
	}
	p.validatePrices(ps)
	seen := map[string]int{}
	for i := range p.Projects {
		at := fmt.Sprintf("projects[%d]", i)
		pr := &p.Projects[i]
		if j, dup := seen[pr.ID]; dup && pr.ID != "" {
			ps.add(at+".id", "duplicate project id %q (also projects[%d])", pr.ID, j)
		}
		seen[pr.ID] = i
		pr.validate(ps, at)
	}
	return ps.l.Err()
}

func (pr *Project) validate(ps *problems, at string) {
	if pr.Country != "" && (len(pr.Country) != 2 || strings.ToUpper(pr.Country) != pr.Country) {
		ps.add(at+".country", "must be an ISO 3166-1 alpha-2 code in capitals (MX), got %q", pr.Country)
	}
	c := &pr.Capacity
	if !(c.PerYear > 0) {
		ps.add(at+".capacity.per_year", "must be > 0, got %g", c.PerYear)
	}
	for i, s := range c.RampUp {
		if !(s >= 0 && s <= 1) {
			ps.add(fmt.Sprintf("%s.capacity.ramp_up[%d]", at, i), "must be a share of capacity from 0 to 1, got %g", s)
		}
	}
	if pr.LifeYears > 0 && len(c.RampUp) > pr.LifeYears {
		ps.add(at+".capacity.ramp_up", "lists %d years, more than the life of %d years", len(c.RampUp), pr.LifeYears)
	}
	k := &pr.Capital
	if !(k.Total >= 0) {
		ps.add(at+".capital.total", "must be ≥ 0, got %g", k.Total)
	}
	if len(k.Schedule) > 0 {
		sum := 0.0
		ok := true
		for i, s := range k.Schedule {
			if !(s >= 0 && s <= 1) {
				ps.add(fmt.Sprintf("%s.capital.schedule[%d]", at, i), "must be a share of the total from 0 to 1, got %g", s)
				ok = false
			}
			sum += s
		}
		if ok && math.Abs(sum-1) > 1e-9 {
			ps.add(at+".capital.schedule", "shares must sum to 1, got %g", sum)
		}
		if last := pr.LeadTimeYears + pr.LifeYears; pr.LifeYears > 0 && len(k.Schedule) > last {
			ps.add(at+".capital.schedule", "lists %d years; capital must be spent by the last production year (year %d)", len(k.Schedule), last-1)
		}
	}
	if !(pr.UnitOpex >= 0) {
		ps.add(at+".unit_opex", "must be ≥ 0, got %g", pr.UnitOpex)
	}
	if !(pr.SustainingCapex >= 0) {
		ps.add(at+".sustaining_capex", "must be ≥ 0, got %g", pr.SustainingCapex)
	}
	if pr.LifeYears < 1 || pr.LifeYears > MaxLifeYears {
		ps.add(at+".life_years", "must be 1 to %d years, got %d", MaxLifeYears, pr.LifeYears)
	}
	if pr.LeadTimeYears < 0 || pr.LeadTimeYears > MaxLeadTimeYears {
		ps.add(at+".lead_time_years", "must be 0 to %d years, got %d", MaxLeadTimeYears, pr.LeadTimeYears)
	}
	r := &pr.Royalty
	ps.rate(at+".royalty.ad_valorem", r.AdValorem)
	ps.rate(at+".royalty.profit", r.Profit)
	for i, b := range r.Sliding {
		bp := fmt.Sprintf("%s.royalty.sliding[%d]", at, i)
		if !(b.FromPrice >= 0) {
			ps.add(bp+".from_price", "must be ≥ 0, got %g", b.FromPrice)
		}
		if i > 0 && !(b.FromPrice > r.Sliding[i-1].FromPrice) {
			ps.add(bp+".from_price", "bands must be in increasing from_price: %g follows %g", b.FromPrice, r.Sliding[i-1].FromPrice)
		}
		ps.rate(bp+".rate", b.Rate)
	}
	t := &pr.Tax
	ps.rate(at+".tax.rate", t.Rate)
	if t.DepreciationYears < 0 || t.DepreciationYears > MaxLifeYears {
		ps.add(at+".tax.depreciation_years", "must be 0 to %d years, got %d", MaxLifeYears, t.DepreciationYears)
	}
	if t.Rate > 0 && t.DepreciationYears == 0 && k.Total > 0 {
		ps.add(at+".tax.depreciation_years", "required when tax.rate > 0: the years over which capital is depreciated")
	}
	if pr.Support != nil {
		pr.Support.validate(ps, at+".support", pr)
	}
	for i, s := range pr.Sources {
		if strings.TrimSpace(s.Text) == "" {
			ps.add(fmt.Sprintf("%s.sources[%d].text", at, i), "must not be empty")
		}
	}
}

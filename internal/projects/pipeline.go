package projects

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// PipelineVersion is the only pipeline format version this build reads.
const PipelineVersion = 1

// Pipeline is one pipeline file: a list of projects with the currency their
// money is in. docs/projects.md, "The pipeline file", documents every field.
type Pipeline struct {
	Version            int          `yaml:"version" required:"true" doc:"Format version of the file; must be 1."`
	ID                 string       `yaml:"id" required:"true" doc:"Short identifier of the pipeline."`
	Title              string       `yaml:"title" doc:"What the pipeline holds."`
	Currency           string       `yaml:"currency" doc:"Currency of every amount; default USD."`
	Illustrative       bool         `yaml:"illustrative" doc:"True when figures are assumptions rather than data; shown with every result."`
	Notice             string       `yaml:"notice" doc:"What is illustrative and what comes from data; required when illustrative."`
	DiscountRate       float64      `yaml:"discount_rate" doc:"The projects' hurdle rate, a yearly fraction (0.10 is 10%): NPV is discounted at it and a project clears its hurdle when NPV ≥ 0."`
	CountryRisk        string       `yaml:"country_risk" enum:"none|agreement" doc:"agreement: each project's hurdle rate is discount_rate plus the country risk premium the agreement's cost-curve rule for its mineral gives its country (the premium refprice charges, asked of the agreement); none (the default): discount_rate alone."`
	PublicDiscountRate float64      `yaml:"public_discount_rate" doc:"The public purse's discount rate for the cost of support, a yearly fraction."`
	Prices             []PriceModel `yaml:"prices" doc:"The price process assumed for each mineral and stage the projects produce."`
	Projects           []Project    `yaml:"projects" required:"true" doc:"The projects."`

	src *strictyaml.Source
}

// Project is one mining or processing project. Money is in the pipeline's
// currency; quantities are in Capacity.Unit of contained mineral.
type Project struct {
	ID              string         `yaml:"id" required:"true" doc:"Unique identifier within the pipeline."`
	Name            string         `yaml:"name" required:"true" doc:"Name of the project."`
	Mineral         string         `yaml:"mineral" required:"true" doc:"Registry mineral id, e.g. lithium."`
	Stage           registry.Stage `yaml:"stage" required:"true" enum:"mined|processed|derivative|scrap" doc:"Production stage of the output."`
	Country         string         `yaml:"country" required:"true" doc:"ISO 3166-1 alpha-2 code of the country the project stands in."`
	Owner           string         `yaml:"owner" doc:"Owner, as free text."`
	OwnerID         string         `yaml:"owner_id" doc:"The owner's id in the ownership register (data/ownership: an entity, state body or person, not a facility); the ranking screens the project as a facility its owner holds in full. Omitted: the ranking says the owner is not in the register."`
	Capacity        Capacity       `yaml:"capacity" required:"true" doc:"Output per year at full capacity, and the ramp-up."`
	Capital         Capital        `yaml:"capital" required:"true" doc:"Initial capital cost and its schedule."`
	UnitOpex        float64        `yaml:"unit_opex" required:"true" doc:"Operating cost per unit of output, ≥ 0."`
	SustainingCapex float64        `yaml:"sustaining_capex" doc:"Sustaining capital per production year, ≥ 0; expensed in the year it is spent."`
	LifeYears       int            `yaml:"life_years" required:"true" doc:"Production years, 1 to 100."`
	LeadTimeYears   int            `yaml:"lead_time_years" doc:"Years from the valuation date (year 0) to the first production year, 0 to 30."`
	DiscountRate    float64        `yaml:"discount_rate" doc:"The project's own hurdle rate, already risk-adjusted (a market scenario's candidate projects carry one); overrides the pipeline's discount_rate and country_risk."`
	Royalty         Royalty        `yaml:"royalty" doc:"Royalty regime; the parts add up (a regime normally uses one)."`
	Tax             Tax            `yaml:"tax" doc:"Corporate income tax with straight-line depreciation of the initial capital."`
	Support         *Support       `yaml:"support" doc:"Public support offered to the project (loan, guarantee, equity, grant)."`
	Sources         []Source       `yaml:"sources" doc:"Where the figures come from."`
}

// Capacity is a project's output.
type Capacity struct {
	PerYear float64   `yaml:"per_year" required:"true" doc:"Output per year at full capacity, > 0."`
	Unit    string    `yaml:"unit" required:"true" doc:"Unit of contained mineral (t, kg); prices are per this unit."`
	RampUp  []float64 `yaml:"ramp_up" doc:"Share of capacity produced in each of the first production years (0 to 1); later years produce at full capacity."`
}

// Capital is a project's initial capital cost.
type Capital struct {
	Total    float64   `yaml:"total" required:"true" doc:"Initial capital cost, ≥ 0."`
	Schedule []float64 `yaml:"schedule" doc:"Share of the total spent in years 0, 1, 2, ...; shares in [0, 1] summing to 1; default all in year 0."`
}

// Royalty is a royalty regime.
type Royalty struct {
	AdValorem float64 `yaml:"ad_valorem" doc:"Rate on revenue (0.05 is 5%), 0 to 1."`
	Profit    float64 `yaml:"profit" doc:"Rate on operating profit (revenue − opex − sustaining capital, if positive), 0 to 1."`
	Sliding   []Band  `yaml:"sliding" doc:"Rate on revenue set by the year's price: the rate of the highest band whose from_price the price reaches; bands in increasing from_price."`
}

// Band is one price band of a sliding royalty.
type Band struct {
	FromPrice float64 `yaml:"from_price" required:"true" doc:"Lowest price at which the band's rate applies, ≥ 0."`
	Rate      float64 `yaml:"rate" required:"true" doc:"Rate on revenue, 0 to 1."`
}

// Tax is a corporate income tax regime.
type Tax struct {
	Rate              float64 `yaml:"rate" doc:"Rate on taxable income, 0 to 1."`
	DepreciationYears int     `yaml:"depreciation_years" doc:"Years over which the initial capital is depreciated straight-line from the first production year; required when rate > 0."`
}

// Source is where a project's figures come from.
type Source struct {
	Text string    `yaml:"text" json:"text" required:"true" doc:"The source: report, page, table."`
	Date date.Date `yaml:"date" json:"date" required:"true" doc:"Date of the source (YYYY-MM-DD)."`
}

// File returns the name the pipeline was decoded from.
func (p *Pipeline) File() string {
	if p.src == nil {
		return ""
	}
	return p.src.File
}

// Project returns the project with the given id, or nil.
func (p *Pipeline) Project(id string) *Project {
	for i := range p.Projects {
		if p.Projects[i].ID == id {
			return &p.Projects[i]
		}
	}
	return nil
}

// Horizon returns the number of years the project's cash flows span, from
// year 0 to its last production year or last capital year.
func (pr *Project) Horizon() int {
	return max(pr.LeadTimeYears+pr.LifeYears, len(pr.Capital.Schedule), 1)
}

package agreement

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// PriceRule is how the reference price of one mineral at one stage is set and
// revised. Which parameters apply depends on Method.
type PriceRule struct {
	Method   PriceMethod `yaml:"method" json:"method" required:"true" enum:"cost_curve|market_average|stage_chain|negotiated|band" doc:"Reference-price method."`
	Basis    string      `yaml:"basis" json:"basis" required:"true" doc:"Article that sets the method."`
	Revision Revision    `yaml:"revision" json:"revision" required:"true" doc:"When and how far the price is revised."`

	// cost_curve
	Curve            string      `yaml:"curve" json:"curve,omitzero" doc:"cost_curve: the cost data set (e.g. busch-lithium-2024, or generated)."`
	Percentile       dec.Decimal `yaml:"percentile" json:"percentile,omitzero" doc:"cost_curve: percentile of cumulative production (0 to 100) whose cash cost sets the floor."`
	Producers        Producers   `yaml:"producers" json:"producers,omitzero" enum:"parties|market_economies" doc:"cost_curve: whose production counts: the parties only, or every country except those named in exclude."`
	Exclude          []string    `yaml:"exclude" json:"exclude,omitzero" doc:"cost_curve: countries left out as non-market producers."`
	BaseRate         dec.Decimal `yaml:"base_rate" json:"base_rate,omitzero" doc:"cost_curve: risk-free real rate of return, as a fraction."`
	Risk             *RiskRule   `yaml:"risk" json:"risk,omitzero" doc:"cost_curve: country risk premium from World Bank governance scores."`
	CapitalIntensity dec.Decimal `yaml:"capital_intensity" json:"capital_intensity,omitzero" doc:"cost_curve: capital cost per unit of annual capacity, in the agreement currency."`
	LifeYears        int         `yaml:"life_years" json:"life_years,omitzero" doc:"cost_curve: project life over which capital is recovered."`

	// market_average
	Series   string      `yaml:"series" json:"series,omitzero" doc:"market_average: benchmark series, e.g. pinksheet:COPPER or store:NAME."`
	Months   int         `yaml:"months" json:"months,omitzero" doc:"market_average: length of the trailing window in months."`
	Factor   dec.Decimal `yaml:"factor" json:"factor,omitzero" doc:"market_average: multiplier applied to the average (e.g. 0.85)."`
	Discount dec.Decimal `yaml:"discount" json:"discount,omitzero" doc:"market_average: amount per unit subtracted after the factor."`

	// stage_chain
	From           registry.Stage `yaml:"from" json:"from,omitzero" enum:"mined|processed|derivative|scrap" doc:"stage_chain: the upstream stage of the same mineral."`
	InputPerOutput dec.Decimal    `yaml:"input_per_output" json:"input_per_output,omitzero" doc:"stage_chain: units of upstream contained mineral per unit of output (stoichiometry ÷ yield)."`
	ConversionCost dec.Decimal    `yaml:"conversion_cost" json:"conversion_cost,omitzero" doc:"stage_chain: conversion cost per unit of output."`
	Margin         dec.Decimal    `yaml:"margin" json:"margin,omitzero" doc:"stage_chain: margin on cost, as a fraction."`

	// negotiated
	Price    dec.Decimal `yaml:"price" json:"price,omitzero" doc:"negotiated: the agreed price per unit."`
	AgreedOn date.Date   `yaml:"agreed_on" json:"agreed_on,omitzero" doc:"negotiated: date the figure was agreed."`

	// band
	Floor   dec.Decimal `yaml:"floor" json:"floor,omitzero" doc:"band: the floor price."`
	Ceiling dec.Decimal `yaml:"ceiling" json:"ceiling,omitzero" doc:"band: the ceiling price; the range is split in three equal sectors as in the International Tin Agreement."`

	// every method
	Precision *Precision `yaml:"precision" json:"precision,omitzero" doc:"How the published price is rounded, once, after the collar and the minimum; default 2 places, half up. A stated figure (price, floor, ceiling, minimum) with more decimals than places is a validation warning."`
}

// Precision is how a reference price is published: rounded to Places digits
// after the point by Mode. The floor keeps the exact figure beside it.
type Precision struct {
	Places int      `yaml:"places" json:"places" required:"true" doc:"Digits after the decimal point of the published price, 0 to 6."`
	Mode   dec.Mode `yaml:"mode" json:"mode,omitzero" enum:"half_up|half_even|down|up" doc:"Rounding mode; default half_up."`
}

// DefaultPrecision is the precision of a rule that states none: the cent (the
// hundredth of the agreement currency's unit), half up.
var DefaultPrecision = Precision{Places: 2, Mode: dec.HalfUp}

// Rounding returns the precision the rule publishes its price at, with the
// defaults filled in: the one place that decides it.
func (r PriceRule) Rounding() Precision {
	if r.Precision == nil {
		return DefaultPrecision
	}
	p := *r.Precision
	if p.Mode == "" {
		p.Mode = dec.HalfUp
	}
	return p
}

// Round rounds x as the precision says, and reports whether that changed it.
func (p Precision) Round(x dec.Decimal) (dec.Decimal, bool, error) {
	return x.Round(int32(p.Places), p.Mode)
}

// String reads the precision as the trace writes it: "half up to 2 places".
func (p Precision) String() string {
	return fmt.Sprintf("%s to %s", strings.ReplaceAll(string(p.Mode), "_", " "), placesText(p.Places))
}

// placesText is "1 place", "2 places".
func placesText(n int) string {
	if n == 1 {
		return "1 place"
	}
	return fmt.Sprintf("%d places", n)
}

// RiskRule maps a World Bank governance score to a country risk premium:
// premium = min(max, slope × max(0, reference − score)).
type RiskRule struct {
	Indicator string      `yaml:"indicator" json:"indicator" required:"true" enum:"VA|PV|GE|RQ|RL|CC" doc:"WGI indicator (PV political stability, RL rule of law, ...)."`
	Year      int         `yaml:"year" json:"year" required:"true" doc:"WGI edition year used."`
	Reference dec.Decimal `yaml:"reference" json:"reference" required:"true" doc:"Score at and above which no premium applies."`
	Slope     dec.Decimal `yaml:"slope" json:"slope" required:"true" doc:"Premium per point of score below the reference."`
	Max       dec.Decimal `yaml:"max" json:"max" required:"true" doc:"Largest premium."`
}

// Revision is the schedule on which a reference price is recomputed.
type Revision struct {
	Every   Every       `yaml:"every" json:"every" required:"true" enum:"monthly|quarterly|half_yearly|yearly|never" doc:"How often the price is revised."`
	Anchor  date.Date   `yaml:"anchor" json:"anchor,omitzero" doc:"First revision date; default the entry into force."`
	LagDays int         `yaml:"lag_days" json:"lag_days,omitzero" doc:"Days between the data cut-off and the publication taking effect."`
	Collar  dec.Decimal `yaml:"collar" json:"collar,omitzero" doc:"Largest change at one revision, as a fraction of the previous price (0 means no limit)."`
	Minimum dec.Decimal `yaml:"minimum" json:"minimum,omitzero" doc:"Least price ever published."`
}

package agreement

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// Party is a member of the agreement: a country, or a customs union such as the EU.
type Party struct {
	ID           string           `yaml:"id" json:"id" required:"true" doc:"ISO 3166 alpha-2 code, or a registry group (EU) for a customs union."`
	Name         string           `yaml:"name" json:"name" required:"true" doc:"Display name."`
	Accession    date.Date        `yaml:"accession" json:"accession" required:"true" doc:"Date from which the party is bound."`
	Withdrawal   date.Date        `yaml:"withdrawal" json:"withdrawal,omitzero" doc:"Date from which the party is no longer bound."`
	Producer     bool             `yaml:"producer" json:"producer,omitzero" doc:"True for producer partners (e.g. signatories of US minerals frameworks)."`
	Currency     string           `yaml:"currency" json:"currency" required:"true" doc:"Currency in which the party assesses duties."`
	Valuation    Valuation        `yaml:"valuation" json:"valuation" required:"true" doc:"The party's customs valuation rule."`
	Rounding     Rounding         `yaml:"rounding" json:"rounding" required:"true" doc:"How the party rounds duties."`
	ExchangeRate ExchangeRule     `yaml:"exchange_rate" json:"exchange_rate" required:"true" doc:"Which exchange rate converts declared values."`
	Instruments  []Instrument     `yaml:"instruments" json:"instruments,omitzero" doc:"The party's border instruments."`
	Order        []InstrumentType `yaml:"order" json:"order,omitzero" enum:"mfn|variable_duty|non_party_surcharge|additional_duty|anti_dumping|countervailing|safeguard|fee" doc:"The order in which the duty lines are computed and listed; types left out come after, in the default order (mfn, additional_duty, anti_dumping, countervailing, safeguard, variable_duty, non_party_surcharge, fee)."`
	Preference   PreferenceRule   `yaml:"preference" json:"preference,omitzero" enum:"lowest|claimed" doc:"How the base rate is chosen among the MFN rate and the preferences the origin qualifies for: lowest (the lowest duty, the default) or claimed (the scheme the declaration claims; MFN without a claim)."`
	Basis        string           `yaml:"basis" json:"basis" required:"true" doc:"Article under which the party is bound."`
	Standards    []Standard       `yaml:"standards" json:"standards,omitzero" doc:"The party's profile: the standards it applies per mineral and stage, each with its source (docs/agreement.md, Standards and legal authorities)."`
	Authorities  []LegalAuthority `yaml:"authorities" json:"authorities,omitzero" doc:"The party's profile: its own laws under which it applies its instruments; a party with a profile names one for every instrument."`
}

// Valuation is the basis on which a party values imports: CIF (cost, insurance
// and freight, as the EU) or FOB (free on board, as the US transaction value).
type Valuation struct {
	Base ValuationBase `yaml:"base" json:"base" required:"true" enum:"CIF|FOB" doc:"Duty base: CIF or FOB value."`
	// DefaultFreightInsurance is the share of the FOB value added for freight and
	// insurance when a CIF-basis party receives an FOB declaration that declares neither.
	DefaultFreightInsurance dec.Decimal `yaml:"default_freight_insurance" json:"default_freight_insurance,omitzero" doc:"For a CIF party: share of the FOB value added when an FOB declaration declares no freight and insurance (e.g. 0.05)."`
	Basis                   string      `yaml:"basis" json:"basis" required:"true" doc:"Article that sets the valuation rule."`
}

// Rounding is a party's rounding rule for duties, applied once at the edge.
type Rounding struct {
	Scope   RoundingScope `yaml:"scope" json:"scope" required:"true" enum:"each_duty|total" doc:"each_duty: round each duty line then add (as US entries do); total: round only the total."`
	Mode    dec.Mode      `yaml:"mode" json:"mode" required:"true" enum:"half_up|half_even|down|up" doc:"Rounding mode."`
	Places  int           `yaml:"places" json:"places" doc:"Digits after the decimal point, -6 to 6: 2 rounds to the cent, -2 to 100 units (Japan: duty below 100 yen discarded)."`
	Value   *RoundRule    `yaml:"value" json:"value,omitzero" doc:"How the customs value is rounded before any duty is computed on it (Japan: down to 1,000 yen); default unrounded."`
	PerUnit *RoundRule    `yaml:"per_unit" json:"per_unit,omitzero" doc:"How a specific duty per unit is rounded, once in the party's currency, before it is multiplied by the quantity (the EU's per-tonne amounts); default unrounded."`
}

// RoundRule is one rounding: to places digits after the point, by mode.
type RoundRule struct {
	Mode   dec.Mode `yaml:"mode" json:"mode" required:"true" enum:"half_up|half_even|down|up" doc:"Rounding mode."`
	Places int      `yaml:"places" json:"places" doc:"Digits after the decimal point, -6 to 6."`
}

// ExchangeRule says which exchange rate converts a declared value.
type ExchangeRule struct {
	Source RateSource `yaml:"source" json:"source" required:"true" enum:"fred_monthly|customs_table" doc:"Rate series: fred_monthly is the Federal Reserve monthly average shipped in the registry; customs_table is the party's own published table (table, rule)."`
	Month  RateMonth  `yaml:"month" json:"month,omitzero" enum:"acceptance|previous" doc:"fred_monthly: acceptance, the average of the month the declaration is accepted; previous, of the month before."`
	Table  string     `yaml:"table" json:"table,omitzero" doc:"customs_table: the CSV of the customs service's rates (docs/customs-rates.md), a path under data/ (e.g. customs-rates/uk-hmrc-monthly-illustrative.csv)."`
	Rule   string     `yaml:"rule" json:"rule,omitzero" enum:"day|month|penultimate_wednesday" doc:"customs_table: the rate of the day of acceptance, of its month, or (EU) the one set on the penultimate Wednesday of the month before. Every conversion is direct, from a currency to the party's, at the table's rate; a currency the table lacks is an error, never a cross rate through another."`
}

package agreement

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Instrument is one border measure of a party. Which fields apply depends on
// Type; validation rejects fields that do not belong to the type.
type Instrument struct {
	ID      string         `yaml:"id" json:"id" required:"true" doc:"Identifier, unique within the party."`
	Type    InstrumentType `yaml:"type" json:"type" required:"true" enum:"mfn|variable_duty|non_party_surcharge|tariff_rate_quota|undertaking|phase_in|preference|additional_duty|anti_dumping|countervailing|safeguard|fee" doc:"Instrument type. mfn, non_party_surcharge, additional_duty, anti_dumping, countervailing, safeguard and fee stack: every one in force on a line applies, each its own duty line."`
	Mineral string         `yaml:"mineral" json:"mineral,omitzero" doc:"Mineral in scope the instrument applies to; a measure that stacks and a preference may name tariff lines (hs) instead, which they cover whatever their mineral, in scope or not."`
	Stage   registry.Stage `yaml:"stage" json:"stage,omitzero" enum:"mined|processed|derivative|scrap" doc:"Stage it applies to; empty means every stage of the mineral in scope (phase_in, non_party_surcharge only)."`
	HS      []string       `yaml:"hs" json:"hs,omitzero" doc:"Tariff lines (6 to 10 digits) it applies to; empty means every line of the mineral and stage."`
	From    date.Date      `yaml:"from" json:"from,omitzero" doc:"First day in force; default the party's accession."`
	Until   date.Date      `yaml:"until" json:"until,omitzero" doc:"First day no longer in force; default open-ended."`
	Basis   string         `yaml:"basis" json:"basis" required:"true" doc:"Article that imposes the instrument."`
	// Authority is the party's own legal instrument behind a measure of its
	// law (a trade remedy order, a regulation, a fee notice), as a customs
	// broker would cite it; Basis stays the agreement's article.
	Authority string `yaml:"authority" json:"authority,omitzero" doc:"The party's own legal instrument the measure applies, as cited (e.g. Commerce A-570-194, preliminary, 17 Jul 2025; Regulation (EU) 2025/2351); shown in the trace."`
	// LegalAuthority names the law (of the party's profile) under which
	// the party applies the instrument, where its type's default does not.
	LegalAuthority string `yaml:"legal_authority" json:"legal_authority,omitzero" doc:"The id of one of the party's authorities under which it applies the instrument; default the authority that covers its type."`

	Rate *Rate  `yaml:"rate" json:"rate,omitzero" doc:"mfn, non_party_surcharge, tariff_rate_quota (the in-quota rate), preference, additional_duty, fee: the duty rate as fields; or write duty."`
	Duty string `yaml:"duty" json:"duty,omitzero" doc:"The duty as the tariff writes it, in the grammar of docs/duty-expressions.md (e.g. 9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg); instead of rate."`

	Cap         *Rate       `yaml:"cap" json:"cap,omitzero" doc:"variable_duty: the most it may raise: an ad valorem cap is a rate on the value of the goods at the floor (floor × contained quantity), so that a higher declared price never raises the duty; a specific cap is an amount per unit."`
	PartyOrigin *OriginRule `yaml:"party_origin" json:"party_origin,omitzero" doc:"variable_duty: treatment of goods originating in a party."`
	Exempt      []string    `yaml:"exempt" json:"exempt,omitzero" doc:"non_party_surcharge: origins exempted although not parties."`

	Volume     *Quantity    `yaml:"volume" json:"volume,omitzero" doc:"tariff_rate_quota: volume per period."`
	Period     *QuotaPeriod `yaml:"period" json:"period,omitzero" doc:"tariff_rate_quota: the quota period."`
	Allocation Allocation   `yaml:"allocation" json:"allocation,omitzero" enum:"first_come|pro_rata_same_day" doc:"tariff_rate_quota: first_come by acceptance time, or same-day requests shared pro rata when together they exceed the balance (EU, UK)."`
	CriticalAt dec.Decimal  `yaml:"critical_at" json:"critical_at,omitzero" doc:"tariff_rate_quota: share of the volume used at which the quota turns critical (e.g. 0.9)."`
	Origins    []string     `yaml:"origins" json:"origins,omitzero" doc:"tariff_rate_quota, preference, additional_duty, anti_dumping, countervailing, safeguard: the origins (countries, parties or customs unions) it applies to; empty means all (a preference and a trade remedy need a list)."`

	Scheme       string         `yaml:"scheme" json:"scheme,omitzero" doc:"preference: the scheme a declaration claims it under (the US special programme indicator, e.g. KR, AU); under the party's claimed rule only a claim earns it."`
	Exporters    []ExporterDuty `yaml:"exporters" json:"exporters,omitzero" doc:"anti_dumping, countervailing: the duty of each named exporter (company-specific rates)."`
	AllOthers    string         `yaml:"all_others" json:"all_others,omitzero" doc:"anti_dumping, countervailing: the duty, as an expression, of every other exporter of the origins."`
	Schedule     []DutyStep     `yaml:"schedule" json:"schedule,omitzero" doc:"safeguard: the duty from each date on, in date order (a safeguard's rate falls over time)."`
	Quota        string         `yaml:"quota" json:"quota,omitzero" doc:"safeguard: the id of a tariff_rate_quota of the party; goods within it pay no safeguard duty."`
	EntryMinimum *Money         `yaml:"entry_minimum" json:"entry_minimum,omitzero" doc:"fee: the least charged per entry (declaration)."`
	EntryMaximum *Money         `yaml:"entry_maximum" json:"entry_maximum,omitzero" doc:"fee: the most charged per entry (declaration)."`

	Exporter     *Exporter `yaml:"exporter" json:"exporter,omitzero" doc:"undertaking: the exporter that gave it."`
	MinimumPrice *Price    `yaml:"minimum_price" json:"minimum_price,omitzero" doc:"undertaking: the minimum price per unit of contained mineral."`

	Steps []PhaseStep `yaml:"steps" json:"steps,omitzero" doc:"phase_in: the share applied from each date, in date order."`
}

// ExporterDuty is a trade remedy's duty on one exporter's goods.
type ExporterDuty struct {
	ID   string `yaml:"id" json:"id" required:"true" doc:"Exporter identifier as declared on entries (exporter_id)."`
	Name string `yaml:"name" json:"name" required:"true" doc:"Exporter name, as the regulation or order lists it."`
	Duty string `yaml:"duty" json:"duty" required:"true" doc:"Its duty, as an expression (e.g. 33.2%)."`
}

// DutyStep is the duty of a safeguard from a date on.
type DutyStep struct {
	From date.Date `yaml:"from" json:"from" required:"true" doc:"First day of the step."`
	Duty string    `yaml:"duty" json:"duty" required:"true" doc:"The duty from that day, as an expression."`
}

// Money is an amount of money.
type Money struct {
	Amount   dec.Decimal `yaml:"amount" json:"amount" required:"true" doc:"Amount."`
	Currency string      `yaml:"currency" json:"currency" required:"true" doc:"ISO 4217 currency."`
}

// Rate is a duty rate: ad valorem, specific, compound (both, added) or mixed
// (the higher or the lower of the two), with an optional minimum and maximum.
type Rate struct {
	Kind      RateKind    `yaml:"kind" json:"kind" required:"true" enum:"ad_valorem|specific|compound|mixed" doc:"ad_valorem, specific, compound (ad valorem + specific) or mixed (the higher or lower of the two)."`
	AdValorem dec.Decimal `yaml:"ad_valorem" json:"ad_valorem,omitzero" doc:"Share of the customs value, as a fraction (0.037 is 3.7%)."`
	Specific  *Specific   `yaml:"specific" json:"specific,omitzero" doc:"Amount per unit of quantity."`
	Combine   Combine     `yaml:"combine" json:"combine,omitzero" enum:"higher|lower" doc:"mixed: take the higher or the lower of the two."`
	Minimum   *Specific   `yaml:"minimum" json:"minimum,omitzero" doc:"Least duty per unit."`
	Maximum   *Specific   `yaml:"maximum" json:"maximum,omitzero" doc:"Most duty per unit."`
	Text      string      `yaml:"text" json:"text,omitzero" doc:"The rate as the schedule writes it, e.g. 37.5¢/kg on tungsten content."`
}

// Specific is an amount of money per unit of gross product or of contained mineral.
type Specific struct {
	Amount   dec.Decimal   `yaml:"amount" json:"amount" required:"true" doc:"Amount per unit."`
	Currency string        `yaml:"currency" json:"currency" required:"true" doc:"ISO 4217 currency."`
	Per      string        `yaml:"per" json:"per" required:"true" doc:"Unit of quantity (kg, t, lb, ...)."`
	On       QuantityBasis `yaml:"on" json:"on" required:"true" enum:"gross|contained" doc:"Whether the quantity is the gross product or the contained mineral."`
}

// Price is an amount of money per unit of contained mineral.
type Price struct {
	Amount   dec.Decimal `yaml:"amount" json:"amount" required:"true" doc:"Amount per unit of contained mineral."`
	Currency string      `yaml:"currency" json:"currency" required:"true" doc:"ISO 4217 currency."`
	Per      string      `yaml:"per" json:"per" required:"true" doc:"Unit of contained mineral."`
}

// OriginRule says how the variable duty treats goods originating in a party.
type OriginRule struct {
	Treatment OriginTreatment `yaml:"treatment" json:"treatment" required:"true" enum:"exempt|reduced|full" doc:"exempt: no variable duty; reduced: scaled by factor; full: as any origin."`
	Factor    dec.Decimal     `yaml:"factor" json:"factor,omitzero" doc:"reduced: the share of the duty applied (0 to 1)."`
}

// QuotaPeriod is the recurring period over which a quota volume is open.
type QuotaPeriod struct {
	Start  date.Date    `yaml:"start" json:"start" required:"true" doc:"Start of the first period."`
	Length PeriodLength `yaml:"length" json:"length" required:"true" enum:"month|quarter|half_year|year" doc:"Length of each period."`
}

// Exporter identifies the exporter that gave a price undertaking.
type Exporter struct {
	ID      string `yaml:"id" json:"id" required:"true" doc:"Exporter identifier as declared on entries (exporter_id)."`
	Name    string `yaml:"name" json:"name" required:"true" doc:"Exporter name."`
	Country string `yaml:"country" json:"country" required:"true" doc:"Country of the exporter (ISO alpha-2)."`
}

// PhaseStep is the share of a phased-in duty applied from a date on.
type PhaseStep struct {
	From  date.Date   `yaml:"from" json:"from" required:"true" doc:"First day of the step."`
	Share dec.Decimal `yaml:"share" json:"share" required:"true" doc:"Share of the duty applied, 0 to 1."`
}

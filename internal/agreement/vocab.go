package agreement

// The agreement's closed vocabularies, one named type each, so that a value of
// one cannot be passed where another is expected and an engine switches over
// constants rather than bare strings. The `enum` struct tags that drive strict
// decoding, the JSON Schema and docs/agreement.md list the same values;
// TestVocabularies checks that the two never drift apart. The production
// stage is registry.Stage, shared with the HS map.

// InstrumentType is the kind of a border instrument.
type InstrumentType string

// The instrument types a party's schedule may hold.
const (
	MFN               InstrumentType = "mfn"                 // the base (MFN) duty of a tariff line
	VariableDuty      InstrumentType = "variable_duty"       // the floor-enforcing duty: max(0, floor − price) × contained quantity
	NonPartySurcharge InstrumentType = "non_party_surcharge" // an extra duty on imports from non-parties
	TariffRateQuota   InstrumentType = "tariff_rate_quota"   // a lower in-quota rate up to a volume per period
	Undertaking       InstrumentType = "undertaking"         // an exporter's promise to sell at or above a minimum price
	PhaseIn           InstrumentType = "phase_in"            // the share of the variable duty and surcharge applied over time

	// Measures that stack on the base duty, each its own duty line.
	Preference     InstrumentType = "preference"      // a preferential rate for listed origins, in place of the MFN rate
	AdditionalDuty InstrumentType = "additional_duty" // an extra ad valorem or specific duty (US Chapter 99: Sections 232, 301)
	AntiDumping    InstrumentType = "anti_dumping"    // an anti-dumping duty by exporter, with an all-others rate
	Countervailing InstrumentType = "countervailing"  // a countervailing (anti-subsidy) duty by exporter, with an all-others rate
	Safeguard      InstrumentType = "safeguard"       // a safeguard duty by date, optionally beyond a quota
	Fee            InstrumentType = "fee"             // a fee per entry with a minimum and a maximum (US merchandise processing fee)
)

// InstrumentTypes lists every instrument type.
var InstrumentTypes = []InstrumentType{MFN, VariableDuty, NonPartySurcharge, TariffRateQuota, Undertaking, PhaseIn,
	Preference, AdditionalDuty, AntiDumping, Countervailing, Safeguard, Fee}

// Stacks reports whether instruments of type t on the same tariff line all
// apply, each as its own duty line (mfn, additional duties, remedies, fees,
// surcharges), rather than one of them (variable_duty, phase_in, quotas,
// undertakings, preferences: the best of which replaces the MFN rate).
func (t InstrumentType) Stacks() bool {
	switch t {
	case MFN, NonPartySurcharge, AdditionalDuty, AntiDumping, Countervailing, Safeguard, Fee:
		return true
	}
	return false
}

// LineBased reports whether an instrument of type t that names tariff lines
// belongs to those lines rather than to a mineral: it applies to goods
// declared under them whatever their mineral, in the agreement's scope or
// not (molybdenum still pays its MFN rate, a safeguard and its quota apply
// to ferro-alloys outside the scope).
func (t InstrumentType) LineBased() bool {
	return t.Stacks() || t == Preference || t == TariffRateQuota
}

// DefaultOrder is the order in which a party's duty lines are computed and
// listed when it states none: the base duty first, the trade remedies, the
// agreement's own duties, the fees last.
var DefaultOrder = []InstrumentType{MFN, AdditionalDuty, AntiDumping, Countervailing, Safeguard, VariableDuty, NonPartySurcharge, Fee}

// PreferenceRule is how a party chooses among the MFN rate and the
// preferential rates an origin qualifies for.
type PreferenceRule string

// The preference rules.
const (
	LowestRate PreferenceRule = "lowest"  // the rate giving the lowest duty on the declaration, whether claimed or not
	Claimed    PreferenceRule = "claimed" // the scheme the declaration claims, if the origin qualifies; else MFN (US special programme indicators)
)

// PreferenceRules lists every preference rule.
var PreferenceRules = []PreferenceRule{LowestRate, Claimed}

// RateKind is how a duty rate is expressed.
type RateKind string

// The rate kinds.
const (
	AdValoremRate RateKind = "ad_valorem" // a share of the customs value
	SpecificRate  RateKind = "specific"   // an amount per unit of quantity
	CompoundRate  RateKind = "compound"   // ad valorem plus specific
	MixedRate     RateKind = "mixed"      // the higher (or lower) of ad valorem and specific
)

// RateKinds lists every rate kind.
var RateKinds = []RateKind{AdValoremRate, SpecificRate, CompoundRate, MixedRate}

// Combine says which of the two parts of a mixed rate applies.
type Combine string

// The ways a mixed rate combines its parts.
const (
	Higher Combine = "higher"
	Lower  Combine = "lower"
)

// Combines lists every way of combining.
var Combines = []Combine{Higher, Lower}

// QuantityBasis says whether a quantity counts the gross product or the
// mineral contained in it.
type QuantityBasis string

// The quantity bases.
const (
	Gross     QuantityBasis = "gross"
	Contained QuantityBasis = "contained"
)

// QuantityBases lists every quantity basis.
var QuantityBases = []QuantityBasis{Gross, Contained}

// OriginTreatment is how the variable duty treats goods originating in a party.
type OriginTreatment string

// The origin treatments.
const (
	Exempt  OriginTreatment = "exempt"  // no variable duty
	Reduced OriginTreatment = "reduced" // the duty scaled by a factor
	Full    OriginTreatment = "full"    // as for any origin
)

// OriginTreatments lists every origin treatment.
var OriginTreatments = []OriginTreatment{Exempt, Reduced, Full}

// Allocation is how a tariff-rate quota is shared among requests.
type Allocation string

// The quota allocation rules.
const (
	FirstCome      Allocation = "first_come"        // by acceptance time
	ProRataSameDay Allocation = "pro_rata_same_day" // same-day requests shared pro rata when together they exceed the balance (EU, UK)
)

// Allocations lists every allocation rule.
var Allocations = []Allocation{FirstCome, ProRataSameDay}

// PeriodLength is the length of a recurring quota period.
type PeriodLength string

// The quota period lengths.
const (
	Month    PeriodLength = "month"
	Quarter  PeriodLength = "quarter"
	HalfYear PeriodLength = "half_year"
	Year     PeriodLength = "year"
)

// PeriodLengths lists every period length.
var PeriodLengths = []PeriodLength{Month, Quarter, HalfYear, Year}

// Months returns the number of calendar months in a period of length l, 0
// for an unknown length.
func (l PeriodLength) Months() int {
	switch l {
	case Month:
		return 1
	case Quarter:
		return 3
	case HalfYear:
		return 6
	case Year:
		return 12
	}
	return 0
}

// ValuationBase is the value on which a party charges ad valorem duty.
type ValuationBase string

// The valuation bases.
const (
	CIF ValuationBase = "CIF" // cost, insurance and freight (EU)
	FOB ValuationBase = "FOB" // free on board (the US transaction value)
)

// ValuationBases lists every valuation base.
var ValuationBases = []ValuationBase{CIF, FOB}

// RoundingScope says what a party rounds: each duty line, or only the total.
type RoundingScope string

// The rounding scopes.
const (
	EachDuty RoundingScope = "each_duty" // round each duty line, then add (as US entries do)
	Total    RoundingScope = "total"     // round only the total
)

// RoundingScopes lists every rounding scope.
var RoundingScopes = []RoundingScope{EachDuty, Total}

// RateSource names the exchange-rate series that converts declared values.
type RateSource string

// The exchange-rate sources.
const (
	FREDMonthly  RateSource = "fred_monthly"  // the Federal Reserve monthly averages shipped in the registry
	CustomsTable RateSource = "customs_table" // the party's own published rates (internal/customsfx)
)

// RateSources lists every exchange-rate source.
var RateSources = []RateSource{FREDMonthly, CustomsTable}

// RateMonth says which month's exchange rate applies to a declaration.
type RateMonth string

// The exchange-rate months.
const (
	AcceptanceMonth RateMonth = "acceptance" // the month the declaration is accepted
	PreviousMonth   RateMonth = "previous"   // the month before
)

// RateMonths lists every exchange-rate month rule.
var RateMonths = []RateMonth{AcceptanceMonth, PreviousMonth}

// PriceMethod is how a reference price is computed; the formulas and their
// sources are in docs/prices.md.
type PriceMethod string

// The reference-price methods.
const (
	CostCurve     PriceMethod = "cost_curve"     // cash cost at a percentile of the market-economy cost curve + capital charge
	MarketAverage PriceMethod = "market_average" // trailing average of a benchmark series × factor
	StageChain    PriceMethod = "stage_chain"    // upstream floor × input per output + conversion cost + margin
	Negotiated    PriceMethod = "negotiated"     // a fixed figure
	Band          PriceMethod = "band"           // a floor and a ceiling with the ITA's three sectors
)

// PriceMethods lists every price method.
var PriceMethods = []PriceMethod{CostCurve, MarketAverage, StageChain, Negotiated, Band}

// Producers says whose production counts on a cost curve.
type Producers string

// The producer sets of a cost curve.
const (
	PartyProducers  Producers = "parties"          // the parties in force only
	MarketEconomies Producers = "market_economies" // every country except those excluded
)

// ProducerSets lists every producer set.
var ProducerSets = []Producers{PartyProducers, MarketEconomies}

// Every is how often a reference price is revised.
type Every string

// The revision frequencies.
const (
	Monthly    Every = "monthly"
	Quarterly  Every = "quarterly"
	HalfYearly Every = "half_yearly"
	Yearly     Every = "yearly"
	Never      Every = "never"
)

// Months returns the number of months between two revisions, 0 for Never
// (and for an unknown frequency).
func (e Every) Months() int { return revisionPeriod[e].Months() }

// revisionPeriod is the period between two revisions at each frequency.
var revisionPeriod = map[Every]PeriodLength{Monthly: Month, Quarterly: Quarter, HalfYearly: HalfYear, Yearly: Year}

// Frequencies lists every revision frequency.
var Frequencies = []Every{Monthly, Quarterly, HalfYearly, Yearly, Never}

// GroupReason is why minerals are grouped.
type GroupReason string

// The grouping reasons of USTR's design questions (section A).
const (
	CoOccurrence GroupReason = "co_occurrence"
	SharedMarket GroupReason = "market"
	SupplyChain  GroupReason = "supply_chain"
	Geography    GroupReason = "geography"
)

// GroupReasons lists every grouping reason.
var GroupReasons = []GroupReason{CoOccurrence, SharedMarket, SupplyChain, Geography}

// ChangeOp is the edit an amendment makes at a path.
type ChangeOp string

// The amendment operations.
const (
	OpSet    ChangeOp = "set"
	OpAdd    ChangeOp = "add"
	OpRemove ChangeOp = "remove"
)

// ChangeOps lists every amendment operation.
var ChangeOps = []ChangeOp{OpSet, OpAdd, OpRemove}

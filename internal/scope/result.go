package scope

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Basis is whose supply risk a score measures: the world's (no supply is
// secure), the United States' (U.S. production is secure) or the zone's
// (the production of every country of the parties in force is secure).
type Basis string

// The bases.
const (
	World Basis = "world"
	US    Basis = "us"
	Zone  Basis = "zone"
)

// Bases lists the bases in the order results give them.
var Bases = []Basis{World, US, Zone}

// Membership is what the zone basis counts secure: *agreement.Zone
// (the parties in force, customs unions expanded) satisfies it.
type Membership interface {
	Contains(country string) bool // whether the country's supply is secure
	Countries() []string          // every country of the zone, sorted
}

// The thresholds of the published lists, for comparison. The EU lists a
// material whose supply risk is at least EUSRThreshold and whose economic
// importance is at least EUEIThreshold (European Commission 2017); the USGS
// 2021 review recommended the commodities whose recency-weighted mean supply
// risk was at least USGSThreshold (Nassar and Fortier 2021). Our USGS supply
// risk lacks economic vulnerability, so its magnitude is not comparable with
// USGSThreshold; docs/scope.md.
const (
	EUSRThreshold = 1.0
	EUEIThreshold = 2.8
	USGSThreshold = 0.40
)

// Report is the criticality of every mineral of the 2025 list.
type Report struct {
	WGIYear  int      `json:"wgi_year"`
	Zone     []string `json:"zone"` // the countries whose supply is secure on the zone basis, sorted
	Minerals []Result `json:"minerals"`
}

// Result is one mineral's criticality: per stage where the shipped data have
// a production table for it, and its summary per basis (the stage of
// highest EU supply risk: the bottleneck).
type Result struct {
	Mineral        string             `json:"mineral"`
	Coverage       registry.MCSStatus `json:"mcs_coverage"`
	CoverageReason string             `json:"mcs_coverage_reason,omitempty"`
	Summary        []Summary          `json:"summary"`
	Stages         []StageResult      `json:"stages"`
	// Importance is the mineral's economic importance (EU formula, U.S.
	// sectors), with its inputs, steps and missing inputs; nil where it is
	// not computed, and Missing says why.
	Importance *Importance `json:"economic_importance,omitempty"`
	// Missing lists the inputs the shipped data lack for the mineral as a
	// whole (no production table at all; economic importance).
	Missing []Missing `json:"missing"`
}

// Summary is a mineral's score on one basis at its bottleneck stage.
type Summary struct {
	Basis  Basis          `json:"basis"`
	Stage  registry.Stage `json:"stage,omitempty"`
	Table  string         `json:"table,omitempty"`
	EUSR   *float64       `json:"eu_supply_risk"`
	USGSDP *float64       `json:"usgs_disruption_potential"`
	USGSSR *float64       `json:"usgs_supply_risk"`
}

// StageResult is the criticality computed from one world production table.
type StageResult struct {
	Stage   registry.Stage `json:"stage"`
	Chapter string         `json:"mcs_chapter"`
	Table   string         `json:"table"`
	Unit    string         `json:"unit"`
	Group   bool           `json:"group_figures,omitempty"`
	// ZoneProduction and ZoneReserves are the zone's shares of world
	// production and reserves (0 to 1); nil where the world figure is not
	// known. USProduction is the United States' share.
	ZoneProduction *float64      `json:"zone_production_share"`
	ZoneReserves   *float64      `json:"zone_reserves_share"`
	USProduction   *float64      `json:"us_production_share"`
	Bases          []BasisResult `json:"bases"`
	Inputs         []Input       `json:"inputs"`
	Missing        []Missing     `json:"missing"`
}

// BasisResult is every indicator of one stage on one basis, with its steps.
// A nil indicator could not be computed: Missing says why.
type BasisResult struct {
	Basis Basis `json:"basis"`
	// SecureShare is the share of world production counted secure.
	SecureShare float64 `json:"secure_share"`
	// HHI is the plain Herfindahl-Hirschman index of the shares at risk
	// (0 to 1), without governance.
	HHI float64 `json:"hhi"`
	// HHIWGI is Σ share² × scaled WGI over the producers at risk (0 to 10).
	HHIWGI float64 `json:"hhi_wgi"`
	// EUSR is the EU supply risk (European Commission 2017), with the
	// sourcing mix taken as the global supply.
	EUSR *float64 `json:"eu_supply_risk"`
	// EUSRSourcing is the EU supply risk with the U.S. sourcing mix:
	// domestic supply (1 − IR) and imports (IR × each country's share of
	// U.S. imports); on the us basis domestic supply is secure, on the zone
	// basis imports from the zone are too. Nil on the world basis and where
	// the net import reliance or the import sources are not shipped.
	EUSRSourcing *float64 `json:"eu_supply_risk_us_sourcing"`
	// USGSDP, USGSTE and USGSSR are the USGS disruption potential, trade
	// exposure and supply risk (Nassar and Fortier 2021).
	USGSDP *float64 `json:"usgs_disruption_potential"`
	USGSTE *float64 `json:"usgs_trade_exposure"`
	USGSSR *float64 `json:"usgs_supply_risk"`
	Steps  []Step   `json:"steps"`
}

// Input is one figure a result depends on, with where it comes from.
type Input struct {
	Name   string `json:"name"`
	Value  string `json:"value"`
	Unit   string `json:"unit,omitempty"`
	Source string `json:"source"`
	// Quality: reported (as printed), bound (a ">" or "<" bound used as the
	// value), derived (computed from reported figures), assumed (a neutral
	// value standing for a missing input, see Missing).
	Quality string `json:"quality"`
}

// Step is one step of a computation, as data.
type Step struct {
	Step    string            `json:"step"`
	Inputs  map[string]string `json:"inputs,omitempty"`
	Formula string            `json:"formula"`
	Output  string            `json:"output"`
	Source  string            `json:"source"`
}

// Missing is an input the method asks for and the shipped data do not
// hold. Assumed is the neutral value used in its place, if the method
// allows one; empty when the indicator that needs it is not computed.
type Missing struct {
	Input   string `json:"input"`
	Reason  string `json:"reason"`
	Assumed string `json:"assumed,omitempty"`
	Affects string `json:"affects"` // the indicators it affects
}

// Scorecard is a report with the agreement and the date whose zone it was
// scored for: what `mineralpact scope score --format json` and GET /v1/scope
// answer.
type Scorecard struct {
	Agreement    string `json:"agreement"`
	Illustrative bool   `json:"illustrative"`
	// AsOf is the date of the zone; AsOfDefault says it was not asked for
	// and is the agreement's entry into force.
	AsOf        date.Date `json:"as_of"`
	AsOfDefault bool      `json:"as_of_is_entry_into_force,omitempty"`
	Parties     []string  `json:"parties"` // the parties in force, in the order of the text
	// Countries counts the countries of the zone, a customs union's member
	// states counted and not the union itself.
	Countries int   `json:"countries"`
	Basis     Basis `json:"basis,omitempty"`
	*Report
}

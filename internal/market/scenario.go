package market

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/strictyaml"
)

// ScenarioVersion is the only scenario format version this build reads.
const ScenarioVersion = 1

// The kinds of scenario.
const (
	KindEquilibrium = "equilibrium" // monthly spatial equilibria over the scenario's months
	KindReplay      = "replay"      // a historical price series against a band: no equilibrium
)

// Scenario is one scenario file (scenarios/*.yaml): a mineral at one stage,
// its regions and their demand, its supply, the shocks it suffers, the
// investment it may attract, the buffer stock and stockpile releases of the
// design, and the Monte Carlo draws around it. The agreement file supplies the
// design (floor, parties, border instruments); docs/market.md, "Scenarios",
// documents every field. Quantities are per year in the file (the engine
// steps by month); prices are in Currency per Unit of contained mineral.
type Scenario struct {
	Version      int    `yaml:"version" required:"true" doc:"Format version of the file; must be 1."`
	ID           string `yaml:"id" required:"true" doc:"Short identifier, e.g. cobalt-drc-2025."`
	Title        string `yaml:"title" required:"true" doc:"What the scenario shows."`
	Kind         string `yaml:"kind" enum:"equilibrium|replay" doc:"equilibrium (default): monthly market equilibria; replay: a historical price series run against a band (no equilibrium)."`
	Illustrative bool   `yaml:"illustrative" doc:"True when figures are assumptions rather than data; shown with every result."`
	Notice       string `yaml:"notice" doc:"What is illustrative and what comes from data; shown with every result."`

	Mineral  string    `yaml:"mineral" required:"true" doc:"Registry mineral id, e.g. cobalt."`
	Stage    string    `yaml:"stage" required:"true" enum:"mined|processed|derivative|scrap" doc:"Stage whose floor and instruments the design reads."`
	Unit     string    `yaml:"unit" required:"true" doc:"Unit of contained mineral of quantities and prices (t, kg); must be the floor's unit."`
	Currency string    `yaml:"currency" doc:"Currency of prices; default USD; must be the agreement's."`
	Start    date.Date `yaml:"start" required:"true" doc:"First day of the first month simulated (the day is ignored: steps are calendar months)."`
	Months   int       `yaml:"months" doc:"Number of monthly steps (1 to 1200); a replay may leave it out and run to replay.to."`

	Design     Design          `yaml:"design" doc:"How the agreement file's design is read."`
	Demand     DemandSpec      `yaml:"demand" doc:"World demand at a reference price, shared among the regions."`
	Regions    []RegionSpec    `yaml:"regions" doc:"The regions: each a set of countries with one price (equilibrium only)."`
	Transport  TransportSpec   `yaml:"transport" doc:"Transport costs between regions."`
	Supply     SupplySpec      `yaml:"supply" doc:"Producers: a cost curve and producers of the scenario's own."`
	Shocks     []Shock         `yaml:"shocks" doc:"Scheduled shocks: export bans and quotas, outages, demand shifts."`
	Investment *InvestmentSpec `yaml:"investment" doc:"Candidate projects that enter when the expected price pays, and the closure rule."`
	Buffer     *BufferSpec     `yaml:"buffer_stock" doc:"A buffer stock as in the International Tin Agreement (part of the design)."`
	Releases   []ReleaseSpec   `yaml:"stockpile_releases" doc:"Coordinated stockpile releases (part of the design)."`
	MonteCarlo MonteCarloSpec  `yaml:"monte_carlo" doc:"Paths, seed and the distributions of the random shocks."`
	Report     string          `yaml:"report_region" doc:"Region whose price the fan charts show; default the zone, else the first region."`
	Replay     *ReplaySpec     `yaml:"replay" doc:"replay kind: the price series and the band it is run against."`

	// The decoded file, kept so that Build points at the line of a problem.
	src *strictyaml.Source
}

// File returns the name the scenario was decoded from.
func (sc *Scenario) File() string {
	if sc.src == nil {
		return ""
	}
	return sc.src.File
}

// Design says how the simulation reads the agreement file. The floor is the
// reference price refprice computes for the scenario's mineral and stage in
// force each month; the zone is the parties in force; the border instruments
// are those of one party (DutyParty), applied at the zone's border.
type Design struct {
	AsOf         date.Date       `yaml:"as_of" doc:"Date whose parties and instruments the design reads, and the earliest date whose floor it reads; default the start, or the entry into force if the start is earlier (the design applied as a counterfactual)."`
	DutyParty    string          `yaml:"duty_party" doc:"Party whose variable duty, non-party surcharge and phase-in for this mineral and stage apply at the zone's border; default the first party in force that has a variable duty for them on the tariff line (hs)."`
	HS           string          `yaml:"hs" doc:"Tariff line (6 to 10 digits) whose border instruments apply, chosen as for an import declaration under it (the instrument with the longest matching line); it must be a line of the stage in the agreement's scope. Default the stage's first line."`
	FloorScale   float64         `yaml:"floor_scale" doc:"Multiplies the agreement's floor (a design variant); default 1."`
	VariableDuty *VariableDutyIn `yaml:"variable_duty" doc:"A variable duty of the scenario's own, used when the agreement has none for this mineral and stage (hypothetical: results say so)."`
	Surcharge    *float64        `yaml:"non_party_surcharge" doc:"Ad valorem surcharge on non-party imports into the zone, overriding the agreement's (a fraction)."`
}

// VariableDutyIn is a variable duty written in the scenario, levied by the
// agreement's rule (agreement.VariableDutyPerUnit): the gap
// max(0, floor − border price), capped at cap_ad_valorem × floor +
// cap_specific (an agreement's compound cap on a unit valued at the floor),
// then × share.
type VariableDutyIn struct {
	CapAdValorem *float64 `yaml:"cap_ad_valorem" doc:"Cap as a fraction of the value at the floor (the floor a unit), as the agreement's ad valorem caps; absent means no ad valorem cap."`
	CapSpecific  *float64 `yaml:"cap_specific" doc:"Cap per unit, added to the ad valorem part; absent means no specific cap."`
	Share        float64  `yaml:"share" doc:"Share of the levy applied, after the cap (a phase-in); default 1."`
	PartyOrigin  string   `yaml:"party_origin" enum:"exempt|full" doc:"exempt (default): imports from regions made only of parties pay no levy; full: they pay it too."`
}

// DemandSpec is world demand: constant elasticity through the reference
// point (RefPrice, RefQuantity), growing at Growth a year, shared among the
// regions by their Share.
type DemandSpec struct {
	RefPrice      float64 `yaml:"ref_price" required:"true" doc:"Reference price (Currency per Unit), e.g. the MCS 2026 average price of the start year."`
	RefQuantity   float64 `yaml:"ref_quantity" required:"true" doc:"World consumption per year at the reference price, in Unit (e.g. MCS 2026 world production)."`
	Elasticity    float64 `yaml:"elasticity" required:"true" doc:"Price elasticity of demand (< 0), e.g. -0.3."`
	Growth        float64 `yaml:"growth" doc:"Growth of demand per year at a constant price, as a fraction (0.05 is 5% a year)."`
	BackstopPrice float64 `yaml:"backstop_price" doc:"Price at which substitutes meet any demand the mineral does not (the demand that is rationed out is reported); default 10 × ref_price."`
	Source        string  `yaml:"source" doc:"Where the reference figures come from."`
}

// RegionSpec is one region of the market.
type RegionSpec struct {
	ID          string             `yaml:"id" required:"true" doc:"Region identifier, e.g. zone, CN, ROW."`
	Countries   []string           `yaml:"countries" required:"true" doc:"ISO alpha-2 codes or groups (EU); parties: the parties in force; rest: every country no other region names."`
	Share       float64            `yaml:"share" required:"true" doc:"Share of world demand at the reference price (the shares add up to 1)."`
	Elasticity  float64            `yaml:"elasticity" doc:"Overrides demand.elasticity for this region."`
	Growth      *float64           `yaml:"growth" doc:"Overrides demand.growth for this region."`
	PartyShares map[string]float64 `yaml:"party_shares" doc:"For a region of several parties: each party's share of its imports, to split its tariff revenue and consumer cost by party (an assumption: say so in notice)."`
}

// TransportSpec is the cost of moving a unit between two regions.
type TransportSpec struct {
	Default float64     `yaml:"default" doc:"Cost per unit between any two regions not listed in routes."`
	Routes  []RouteSpec `yaml:"routes" doc:"Costs of particular routes (one direction each)."`
}

// RouteSpec is the transport cost of one route.
type RouteSpec struct {
	From string  `yaml:"from" required:"true" doc:"Exporting region."`
	To   string  `yaml:"to" required:"true" doc:"Importing region."`
	Cost float64 `yaml:"cost" required:"true" doc:"Cost per unit."`
}

// SupplySpec is the producers of the scenario: those of a cost curve
// (internal/costcurve), scaled, and those the scenario adds.
type SupplySpec struct {
	Curve         string             `yaml:"curve" doc:"Cost curve: generated (data/costcurves) or busch-lithium-2024; empty for producers of the scenario only."`
	CapacityScale float64            `yaml:"capacity_scale" doc:"Multiplies the curve's capacities (e.g. from the curve's year to the start); default 1."`
	CostScale     float64            `yaml:"cost_scale" doc:"Multiplies the curve's costs; default 1."`
	CountryScale  map[string]float64 `yaml:"country_scale" doc:"Multiplies the capacities of one country's curve producers (after capacity_scale), e.g. ID: 0.3 to start before a surge."`
	Producers     []ProducerSpec     `yaml:"producers" doc:"Producers of the scenario's own, added to the curve's."`
}

// ProducerSpec is one producer: a yearly capacity at a cash cost, in a
// country, from a date to a date.
type ProducerSpec struct {
	ID       string    `yaml:"id" required:"true" doc:"Identifier, unique in the scenario."`
	Country  string    `yaml:"country" required:"true" doc:"ISO alpha-2 country (ZZ: other countries)."`
	Capacity float64   `yaml:"capacity" required:"true" doc:"Capacity per year, in Unit."`
	Cost     float64   `yaml:"cost" required:"true" doc:"Cash cost per Unit."`
	Online   date.Date `yaml:"online" doc:"First month it produces (scheduled capacity); default from the start."`
	Offline  date.Date `yaml:"offline" doc:"First month it no longer produces; default never."`
}

// The types of shock.
const (
	ShockExportBan   = "export_ban"
	ShockExportQuota = "export_quota"
	ShockOutage      = "outage"
	ShockDemand      = "demand"
	ShockExportCost  = "export_cost"
)

// Shock is one scheduled shock from a date for a number of months.
type Shock struct {
	Type          string    `yaml:"type" required:"true" enum:"export_ban|export_quota|export_cost|outage|demand" doc:"export_ban: a country's producers may not export (to: only to those regions); export_quota: its producers' output is capped; export_cost: exports from a country (a region of its own) cost more per unit (a licence regime, an export tax); outage: a producer or country loses a share of capacity; demand: a region's demand is multiplied."`
	Country       string    `yaml:"country" doc:"export_ban, export_quota, outage: the country."`
	Producer      string    `yaml:"producer" doc:"outage: one producer instead of a country."`
	Region        string    `yaml:"region" doc:"demand: the region; empty means every region."`
	To            []string  `yaml:"to" doc:"export_ban: regions the ban applies to; empty means every other region."`
	From          date.Date `yaml:"from" required:"true" doc:"First day (its month is the first month affected)."`
	Months        int       `yaml:"months" required:"true" doc:"Number of months it lasts."`
	Share         float64   `yaml:"share" doc:"outage: share of capacity lost (0 to 1)."`
	Factor        float64   `yaml:"factor" doc:"demand: multiplier of demand (0.9 is a 10% fall)."`
	TonnesPerYear float64   `yaml:"tonnes_per_year" doc:"export_quota: the quota, in Unit per year (applied as a monthly twelfth)."`
	Cost          float64   `yaml:"cost" doc:"export_cost: the extra cost per Unit on every route out of the country (to: only those)."`
	Note          string    `yaml:"note" doc:"What the shock stands for, with its source."`
}

// InvestmentSpec is the investment and closure rules and the candidate
// projects.
type InvestmentSpec struct {
	WindowMonths  int           `yaml:"window_months" doc:"Trailing months of the producer price whose average a project expects; default 12."`
	ClosureMonths int           `yaml:"closure_months" doc:"A producer whose price stays below its cash cost this many months in a row closes for good; 0 never closes."`
	Projects      []ProjectSpec `yaml:"projects" doc:"Candidate projects."`
}

// ProjectSpec is a candidate project: it commits when its expected price
// covers its cash cost plus its capital charge, and produces after its lead
// time.
type ProjectSpec struct {
	ID         string    `yaml:"id" required:"true" doc:"Identifier, unique in the scenario."`
	Country    string    `yaml:"country" required:"true" doc:"ISO alpha-2 country."`
	Capacity   float64   `yaml:"capacity" required:"true" doc:"Capacity per year once built, in Unit."`
	Cost       float64   `yaml:"cost" required:"true" doc:"Cash cost per Unit."`
	Capex      float64   `yaml:"capex" required:"true" doc:"Capital cost per Unit of yearly capacity."`
	LeadMonths int       `yaml:"lead_months" required:"true" doc:"Months from commitment to first output."`
	Rate       float64   `yaml:"rate" required:"true" doc:"Risk-adjusted rate of return required, a fraction a year."`
	LifeYears  int       `yaml:"life_years" doc:"Years over which the capital is recovered; default 15."`
	Earliest   date.Date `yaml:"earliest" doc:"Earliest commitment date; default the start."`
}

// BufferSpec is a buffer stock. In an equilibrium it buys at the floor
// whatever holds the price there, until its money or space runs out, and sells
// at the ceiling until its stock runs out; in the lower and upper sectors (the
// ITA's thirds) it may buy and sell a set amount a month.
type BufferSpec struct {
	Region          string  `yaml:"region" doc:"Region whose market it operates in; default the zone."`
	Floor           float64 `yaml:"floor" doc:"Floor price; default the agreement's band floor, else its floor."`
	Ceiling         float64 `yaml:"ceiling" doc:"Ceiling price; default the agreement's band ceiling (required otherwise)."`
	InitialTonnes   float64 `yaml:"initial_tonnes" doc:"Stock at the start, in Unit."`
	InitialMoney    float64 `yaml:"initial_money" doc:"Cash at the start, in Currency."`
	MaxTonnes       float64 `yaml:"max_tonnes" doc:"Most it may hold; 0 means no limit but its money."`
	MaxMonthly      float64 `yaml:"max_monthly" doc:"Most it may buy or sell in one month; 0 means no limit."`
	LowerSectorBuy  float64 `yaml:"lower_sector_buy" doc:"Bought each month the price is in the lower sector (above the floor), in Unit; 0 none."`
	UpperSectorSell float64 `yaml:"upper_sector_sell" doc:"Sold each month the price is in the upper sector (below the ceiling), in Unit; 0 none."`
	FloorBuy        float64 `yaml:"floor_buy" doc:"replay: bought each month the price is at or below the floor (it must buy), in Unit."`
	CeilingSell     float64 `yaml:"ceiling_sell" doc:"replay: sold each month the price is at or above the ceiling (it must sell), in Unit."`
}

// ReleaseSpec is a stockpile release: up to TonnesPerMonth offered at the
// trigger price in Region from From, until Total is released. A release by
// the agreement (coordinated by the parties) is part of the design and absent
// from the baseline; one by the market (refiners' or traders' inventories)
// happens in both.
type ReleaseSpec struct {
	By             string    `yaml:"by" enum:"agreement|market" doc:"agreement (default): a coordinated release of the parties, part of the design; market: inventories drawn down in the design and the baseline alike."`
	Note           string    `yaml:"note" doc:"What the stock is, with its source."`
	Region         string    `yaml:"region" doc:"Region where the stock is released; default the zone."`
	From           date.Date `yaml:"from" required:"true" doc:"First day releases may happen."`
	TonnesPerMonth float64   `yaml:"tonnes_per_month" required:"true" doc:"Most released in one month, in Unit."`
	Total          float64   `yaml:"total" required:"true" doc:"The stockpile: most released in all."`
	TriggerPrice   float64   `yaml:"trigger_price" required:"true" doc:"Released only at or above this price (it is offered at this price)."`
}

// MonteCarloSpec is the Monte Carlo run: paths, seed and shock distributions.
type MonteCarloSpec struct {
	Paths       int             `yaml:"paths" doc:"Default number of paths (the command line and the API may override); 0 runs the central path only."`
	Seed        uint64          `yaml:"seed" doc:"Default seed."`
	DemandNoise *NoiseSpec      `yaml:"demand_noise" doc:"Monthly noise on every region's demand: log AR(1)."`
	CostNoise   *NoiseSpec      `yaml:"cost_noise" doc:"Monthly noise on every producer's cost (one factor): log AR(1)."`
	Disruptions *DisruptionSpec `yaml:"disruptions" doc:"Random outages of producers."`
}

// NoiseSpec is a log AR(1) process: x_t = persistence·x_{t−1} + sigma·ε_t,
// ε standard normal, applied as the factor exp(x_t).
type NoiseSpec struct {
	Sigma       float64 `yaml:"sigma" required:"true" doc:"Standard deviation of the monthly innovation."`
	Persistence float64 `yaml:"persistence" doc:"AR(1) coefficient in [0, 1); 0 draws each month afresh."`
}

// DisruptionSpec draws outages: each month, with Probability, one producer
// (chosen with probability proportional to capacity among those of
// Countries, or all) loses Share of its capacity for Months months.
type DisruptionSpec struct {
	Probability float64  `yaml:"probability" required:"true" doc:"Probability per month of a new outage."`
	Share       float64  `yaml:"share" required:"true" doc:"Share of the producer's capacity lost."`
	Months      int      `yaml:"months" required:"true" doc:"Months an outage lasts."`
	Countries   []string `yaml:"countries" doc:"Countries whose producers may be hit; empty means all."`
}

// ReplaySpec is a replay: a historical monthly price series run against a
// band (floor and ceiling) that changes over time.
type ReplaySpec struct {
	Series        string             `yaml:"series" required:"true" doc:"Price series: pinksheet:CODE (World Bank Pink Sheet, USD per its unit)."`
	To            date.Date          `yaml:"to" doc:"Last month replayed; default start + months."`
	Ranges        []RangeSpec        `yaml:"ranges" required:"true" doc:"The band in force from each date, in date order."`
	Contributions []ContributionSpec `yaml:"contributions" doc:"Money and metal added to the buffer stock on a date (a new agreement's contributions), in date order."`
	Source        string             `yaml:"source" doc:"Where the ranges come from, or that they are an assumption."`
}

// ContributionSpec adds money and metal to a replay's buffer stock on a date
// and may change its largest holding.
type ContributionSpec struct {
	From      date.Date `yaml:"from" required:"true" doc:"Date of the contribution (its month)."`
	Money     float64   `yaml:"money" doc:"Money added, in USD."`
	Tonnes    float64   `yaml:"tonnes" doc:"Metal added, in Unit."`
	MaxTonnes float64   `yaml:"max_tonnes" doc:"The new largest holding; 0 keeps the current one."`
	Note      string    `yaml:"note" doc:"Source or assumption."`
}

// RangeSpec is a floor and a ceiling in force from a date, in a currency per
// unit; converted to the series' currency and unit at the month's exchange
// rate (the registry's FRED series), or at UsdRate where FRED has none.
type RangeSpec struct {
	From     date.Date `yaml:"from" required:"true" doc:"First day in force."`
	Floor    float64   `yaml:"floor" required:"true" doc:"Floor price."`
	Ceiling  float64   `yaml:"ceiling" required:"true" doc:"Ceiling price."`
	Currency string    `yaml:"currency" required:"true" doc:"Currency of floor and ceiling (GBP, MYR, USD)."`
	Per      string    `yaml:"per" required:"true" doc:"Unit they are per (long_ton, kg, t; picul is 60.478982 kg)."`
	UsdRate  float64   `yaml:"usd_rate" doc:"US dollars per unit of Currency where the registry has no rate (before 1971)."`
	Note     string    `yaml:"note" doc:"Source or assumption of this range."`
}

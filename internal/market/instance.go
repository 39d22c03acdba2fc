package market

// Instance is one spatial-equilibrium problem in the neutral JSON format of
// docs/market.md: regions with demand, producers, transport routes, tariffs
// and price floors, for one good in one currency and unit.
type Instance struct {
	Currency  string     `json:"currency"`
	Unit      string     `json:"unit"`
	Regions   []Region   `json:"regions"`
	Producers []Producer `json:"producers"`
	Transport []Route    `json:"transport"`
	Tariffs   []Tariff   `json:"tariffs,omitempty"`
	Floors    []Floor    `json:"floors,omitempty"`
}

// Region is a market with one price and a demand curve.
type Region struct {
	ID     string `json:"id"`
	Demand Demand `json:"demand"`
}

// Demand kinds.
const (
	Linear             = "linear"
	ConstantElasticity = "constant_elasticity"
)

// Demand is a region's demand curve: linear, Q = intercept − slope·P (and 0
// above the choke price intercept/slope), or constant-elasticity,
// Q = ref_quantity·(P/ref_price)^elasticity with elasticity < 0. Fields of
// the other kind must be absent.
type Demand struct {
	Kind        string   `json:"kind"`
	Intercept   *float64 `json:"intercept,omitempty"`
	Slope       *float64 `json:"slope,omitempty"`
	RefPrice    *float64 `json:"ref_price,omitempty"`
	RefQuantity *float64 `json:"ref_quantity,omitempty"`
	Elasticity  *float64 `json:"elasticity,omitempty"`
}

// Producer is one plant or mine: it supplies up to Capacity at UnitCost in
// its region, so a region's supply curve is a step function.
type Producer struct {
	ID       string  `json:"id"`
	Region   string  `json:"region"`
	Capacity float64 `json:"capacity"`
	UnitCost float64 `json:"unit_cost"`
}

// Route lets goods move From one region To another at Cost per unit. A pair
// that is not listed cannot trade; a region always supplies itself at no cost.
type Route struct {
	From string  `json:"from"`
	To   string  `json:"to"`
	Cost float64 `json:"cost"`
}

// Tariff is the duty Importer levies on goods from Exporter ("*" for every
// exporter without an entry of its own): Specific per unit plus AdValorem
// times the border price (exporter's price plus transport).
type Tariff struct {
	Importer  string  `json:"importer"`
	Exporter  string  `json:"exporter"`
	Specific  float64 `json:"specific,omitempty"`
	AdValorem float64 `json:"ad_valorem,omitempty"`
}

// Floor is a reference price enforced at Importer's border by a variable
// levy max(0, Price − border price) on imports from every exporter not in
// Exempt.
type Floor struct {
	Importer string   `json:"importer"`
	Price    float64  `json:"price"`
	Exempt   []string `json:"exempt,omitempty"`
}

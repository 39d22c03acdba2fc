package agreement

// Catalog is what validation needs to know of the world: which minerals,
// countries, currencies, units and HS codes exist. The registry implements it
// (see RegistryCatalog); tests may use a small fake.
type Catalog interface {
	// Mineral reports an unknown mineral id, suggesting near matches.
	Mineral(id string) error
	// Country reports an unknown ISO 3166 alpha-2 code or group id (EU).
	Country(code string) error
	// Currency reports an unknown ISO 4217 code.
	Currency(code string) error
	// Unit reports an unknown unit of quantity.
	Unit(code string) error
	// HS reports a malformed or unknown tariff line of 6 to 10 digits.
	HS(code string) error
	// HSFor returns the registry's tariff lines for a mineral at a stage.
	HSFor(mineral, stage string) []string
	// Carries reports whether goods under code carry mineral at stage (stage ""
	// means any stage), by the registry's HS map; codes mapped to a group (rare
	// earths, PGMs) carry each member.
	Carries(code, mineral, stage string) bool
	// Rates reports a currency that the named exchange-rate source cannot convert.
	Rates(source, currency string) error
}

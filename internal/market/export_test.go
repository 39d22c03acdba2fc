package market

// PriceSources gives the external tests (package market_test) the
// reference-price inputs the internal ones use.
var PriceSources = priceSources

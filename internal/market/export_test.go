package market

// PriceSources gives the external tests (package market_test) the
// reference-price inputs the internal ones use.
var PriceSources = priceSources

// CapTilt is the share of the gap a capped levy leaves unlevied where it
// would take the whole gap (dynamics.go).
const CapTilt = capTilt

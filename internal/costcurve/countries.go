package costcurve

import "github.com/mineralpact/mineralpact/internal/registry"

// countryNames resolves the country names of the sources (USGS, Busch et
// al.) to ISO alpha-2 codes through the registry, which owns them.
type countryNames struct{ reg *registry.Registry }

func newCountryNames(reg *registry.Registry) countryNames { return countryNames{reg} }

// code returns the alpha-2 code of a country name, in any case.
func (n countryNames) code(name string) (string, bool) { return n.reg.CountryCode(name) }

package costcurve

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// countryAliases are the country names of the shipped sources that are not the
// short English (CLDR) name of data/countries/countries.csv: USGS writes
// "Burma" and "Congo (Kinshasa)", Busch et al. "DR Congo". The registry's
// Country accepts codes only, so names are matched here, once.
var countryAliases = map[string]string{
	"burma":              "MM",
	"congo (kinshasa)":   "CD",
	"dr congo":           "CD",
	"czech republic":     "CZ",
	"korea, north":       "KP",
	"korea, republic of": "KR",
	"turkey":             "TR",
	"united kingdom":     "GB",
	"united states":      "US",
}

// countryNames resolves country names to ISO alpha-2 codes.
type countryNames map[string]string

// newCountryNames indexes the registry's country names (lower case) and the
// aliases above.
func newCountryNames(reg *registry.Registry) countryNames {
	m := make(countryNames, 300)
	for _, c := range reg.Countries() {
		m[strings.ToLower(c.Name)] = c.Alpha2
	}
	for k, v := range countryAliases {
		m[k] = v
	}
	return m
}

// code returns the alpha-2 code of a country name, in any case.
func (n countryNames) code(name string) (string, bool) {
	c, ok := n[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

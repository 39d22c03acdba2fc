package scope

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// countryAliases are the USGS country names that are not the short English
// (CLDR) name of data/countries/countries.csv. The same table lives in
// internal/costcurve (unexported); both should move to the registry, which
// owns country names (noted in docs/scope.md).
var countryAliases = map[string]string{
	"burma":              "MM",
	"congo (kinshasa)":   "CD",
	"côte d’ivoire":      "CI",
	"czech republic":     "CZ",
	"korea, north":       "KP",
	"korea, republic of": "KR",
	"republic of korea":  "KR",
	"laos":               "LA",
	"russia":             "RU",
	"iran":               "IR",
	"syria":              "SY",
	"vietnam":            "VN",
	"turkey":             "TR",
	"united kingdom":     "GB",
	"united states":      "US",
}

// countryNames resolves USGS country names to ISO alpha-2 codes.
type countryNames map[string]string

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

// code returns the alpha-2 code of a USGS row label: the whole label first
// ("Congo (Kinshasa)", "Korea, North"), then the label without its
// qualifier ("Sweden (concentrate)", "United States (copper telluride)").
func (n countryNames) code(label string) (string, bool) {
	l := strings.ToLower(strings.TrimSpace(label))
	if c, ok := n[l]; ok {
		return c, true
	}
	if i := strings.IndexAny(l, ",("); i > 0 {
		if c, ok := n[strings.TrimSpace(l[:i])]; ok {
			return c, true
		}
	}
	return "", false
}

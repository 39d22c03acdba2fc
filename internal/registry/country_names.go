package registry

import "strings"

// countryAliases are the country names the shipped sources write that are
// not the short English (CLDR) name of data/countries/countries.csv: USGS
// writes "Burma" and "Congo (Kinshasa)", Busch et al. "DR Congo".
var countryAliases = map[string]string{
	"burma":              "MM",
	"congo (kinshasa)":   "CD",
	"dr congo":           "CD",
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

// indexCountryNames indexes the countries' names (lower case) and the
// aliases, once the countries are loaded.
func (r *Registry) indexCountryNames() {
	r.countryByName = make(map[string]string, len(r.countries)+len(countryAliases))
	for _, c := range r.countries {
		r.countryByName[strings.ToLower(c.Name)] = c.Alpha2
	}
	for k, v := range countryAliases {
		r.countryByName[k] = v
	}
}

// CountryCode returns the ISO alpha-2 code of a country as the shipped
// sources name it (any case, surrounding spaces ignored): its short English
// name, or an alias above. The one place names are matched, so the cost
// curves and the criticality scores read USGS and Busch et al. alike.
func (r *Registry) CountryCode(name string) (string, bool) {
	c, ok := r.countryByName[strings.ToLower(strings.TrimSpace(name))]
	return c, ok
}

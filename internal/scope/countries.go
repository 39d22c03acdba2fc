package scope

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// countryNames resolves USGS row labels to ISO alpha-2 codes through the
// registry, which owns country names (Registry.CountryCode).
type countryNames struct{ reg *registry.Registry }

func newCountryNames(reg *registry.Registry) countryNames { return countryNames{reg} }

// code returns the alpha-2 code of a USGS row label: the whole label first
// ("Congo (Kinshasa)", "Korea, North"), then the label without its
// qualifier ("Sweden (concentrate)", "United States (copper telluride)").
func (n countryNames) code(label string) (string, bool) {
	if c, ok := n.reg.CountryCode(label); ok {
		return c, true
	}
	if i := strings.IndexAny(label, ",("); i > 0 {
		return n.reg.CountryCode(label[:i])
	}
	return "", false
}

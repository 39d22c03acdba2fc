package agreement

import (
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// RegistryCatalog is the Catalog of the shipped registry.
func RegistryCatalog(r *registry.Registry) Catalog { return regCatalog{r} }

type regCatalog struct{ r *registry.Registry }

func (c regCatalog) Mineral(id string) error {
	_, err := c.r.Mineral(id)
	return err
}

func (c regCatalog) Country(code string) error {
	if c.r.IsGroup(code) {
		return nil
	}
	if len(code) != 2 {
		return problem.Errorf(problem.Invalid, "country %q: want an ISO 3166 alpha-2 code (or the group EU)", code)
	}
	_, err := c.r.Country(code)
	return err
}

func (c regCatalog) Currency(code string) error {
	if c.r.KnownCurrency(code) {
		return nil
	}
	return problem.Errorf(problem.NotFound, "unknown currency %q (want an ISO 4217 code such as USD, EUR, JPY)", code)
}

func (c regCatalog) Unit(code string) error {
	_, err := c.r.Unit(code)
	return err
}

// HS accepts a code of 6 to 10 digits that the mineral map classifies, or
// whose first six digits are a subheading of the HS 2022 nomenclature (a
// national line beyond the map cannot be checked further).
func (c regCatalog) HS(code string) error {
	_, err := c.r.Classify(code)
	if err == nil || problem.CodeOf(err) == problem.Invalid {
		return err
	}
	if _, ok := c.r.HSDescription(code[:6]); ok {
		return nil
	}
	return problem.Errorf(problem.NotFound, "HS code %q: %s is not a subheading of HS 2022", code, code[:6])
}

func (c regCatalog) HSFor(mineral, stage string) []string {
	var out []string
	for _, l := range c.r.HSCodesFor(mineral, registry.Stage(stage)) {
		out = append(out, l.Code)
	}
	return out
}

func (c regCatalog) Carries(code, mineral, stage string) bool {
	lines, err := c.r.Classify(code)
	if err != nil {
		return false
	}
	group := ""
	if m, err := c.r.Mineral(mineral); err == nil {
		group = m.Group
	}
	for _, l := range lines {
		if (l.Mineral == mineral || (group != "" && l.Mineral == group)) && (stage == "" || string(l.Stage) == stage) {
			return true
		}
	}
	return false
}

func (c regCatalog) Rates(source, currency string) error {
	if source == "fred_monthly" && !c.r.HasRates(currency) {
		return problem.Errorf(problem.Invalid, "the FRED monthly rates shipped in the registry have no series for %s: assess in a currency they convert (USD, EUR, JPY, ...)", currency)
	}
	return nil
}

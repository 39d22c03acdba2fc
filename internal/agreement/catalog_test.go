package agreement

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// fakeCatalog is a small world for tests that do not load the registry.
type fakeCatalog struct{}

func member(set, x string) bool { return strings.Contains(" "+set+" ", " "+x+" ") }

func notFound(kind, x string) error {
	return problem.Errorf(problem.NotFound, "unknown %s %q", kind, x)
}

func (fakeCatalog) Mineral(id string) error {
	if member("lithium cobalt tungsten copper gallium", id) {
		return nil
	}
	return notFound("mineral", id)
}

func (fakeCatalog) Country(c string) error {
	if member("US JP CL CN MX DE EU AU CA GB", c) {
		return nil
	}
	return notFound("country", c)
}

func (fakeCatalog) Currency(c string) error {
	if member("USD JPY EUR GBP", c) {
		return nil
	}
	return notFound("currency", c)
}

func (fakeCatalog) Unit(u string) error {
	if member("t kg lb", u) {
		return nil
	}
	return notFound("unit", u)
}

func (fakeCatalog) HS(code string) error {
	if n := len(code); n < 6 || n > 10 {
		return problem.Errorf(problem.Invalid, "HS code must have 6 to 10 digits, got %d: %q", n, code)
	}
	if member("283691 28369100 261100 26110060 2611", code) || member("283691 261100", code[:6]) {
		return nil
	}
	return notFound("HS code", code)
}

func (fakeCatalog) HSFor(mineral, stage string) []string {
	switch mineral + "/" + stage {
	case "tungsten/mined":
		return []string{"261100"}
	case "lithium/processed":
		return []string{"283691"}
	}
	return nil
}

func (fakeCatalog) Carries(code, mineral, stage string) bool {
	switch code[:min(6, len(code))] {
	case "283691":
		return mineral == "lithium" && (stage == "" || stage == "processed")
	case "261100":
		return mineral == "tungsten" && (stage == "" || stage == "mined")
	}
	return false
}

func (fakeCatalog) Rates(source, currency string) error {
	if member("USD JPY EUR GBP", currency) {
		return nil
	}
	return fmt.Errorf("no rates for %s", currency)
}

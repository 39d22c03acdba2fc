// Package exampletest loads what most tests start from: the shipped
// registry, the example agreement (examples/pact-2026.yaml, illustrative)
// and the reference-price engine over the shipped data.
package exampletest

import (
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Load returns the shipped registry and the example agreement validated
// against it; a failure fails tb.
func Load(tb testing.TB) (*registry.Registry, *agreement.Agreement) {
	tb.Helper()
	reg, err := registry.Default()
	if err != nil {
		tb.Fatalf("registry.Default() = %v", err)
	}
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		tb.Fatalf("agreement.Load(%s) = %v", examples.Pact2026Name, err)
	}
	return reg, a
}

// Sources is the reference-price data of the binary: the registry and the
// shipped cost curves.
func Sources(reg *registry.Registry) refprice.Sources { return costcurve.PriceSources(reg, data.FS) }

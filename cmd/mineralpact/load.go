package main

import (
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// loaded is what a verb reads: the shipped registry, an agreement validated
// against it, and the reference-price engine over both. loadEnv is the one
// place that opens them.
type loaded struct {
	reg       *registry.Registry
	agreement *agreement.Agreement
	source    *agreement.Source
	file      string // as named on the command line
}

// loadEnv loads the registry and the agreement file at path ("example": the
// embedded example agreement).
func loadEnv(path string) (*loaded, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, err
	}
	a, src, err := loadAgreementWith(reg, path)
	if err != nil {
		return nil, err
	}
	return &loaded{reg: reg, agreement: a, source: src, file: path}, nil
}

// prices returns a reference-price engine over the loaded agreement and the
// shipped data.
func (l *loaded) prices(opts ...refprice.Option) *refprice.Engine {
	return refprice.New(l.agreement, priceSources(l.reg), opts...)
}

// floors returns the floor source of a run without a store: each floor
// computed once and published in process (refprice.InProcess), so that an
// engine reads a published floor whether or not a store keeps it.
func (l *loaded) floors() *refprice.InProcess { return refprice.NewInProcess(l.prices()) }

// loadAgreement loads and validates an agreement file against the shipped
// registry. The path "example" names the embedded example agreement.
func loadAgreement(path string) (*agreement.Agreement, *agreement.Source, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, nil, err
	}
	return loadAgreementWith(reg, path)
}

func loadAgreementWith(reg *registry.Registry, path string) (*agreement.Agreement, *agreement.Source, error) {
	cat := agreement.RegistryCatalog(reg)
	if path == "example" || path == examples.Pact2026Name {
		return agreement.Load(examples.Pact2026Name, examples.Pact2026, cat)
	}
	return agreement.LoadFile(path, cat)
}

package main

import (
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// loadAgreement loads and validates an agreement file against the shipped
// registry. The path "example" names the embedded example agreement.
func loadAgreement(path string) (*agreement.Agreement, *agreement.Source, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, nil, err
	}
	cat := agreement.RegistryCatalog(reg)
	if path == "example" || path == examples.Pact2026Name {
		return agreement.Load(examples.Pact2026Name, examples.Pact2026, cat)
	}
	return agreement.LoadFile(path, cat)
}

package main

import (
	"context"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// benchAssess measures one assessment (a US lithium carbonate declaration
// below the floor, no quota) with the assessor's caches warm.
func benchAssess() (func() error, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, err
	}
	ag, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		return nil, err
	}
	a, err := duty.New(ag, reg, refprice.New(ag, priceSources(reg)))
	if err != nil {
		return nil, err
	}
	d := duty.Declaration{ID: "B1", AcceptedOn: date.MustParse("2026-03-10"), Importer: "US", Origin: "CN", HSCode: "28369100",
		Quantity: dec.MustParse("10"), Unit: "t", CustomsValue: dec.MustParse("30000"), Currency: "USD", Incoterm: "FOB"}
	ctx := context.Background()
	return func() error {
		_, err := a.Assess(ctx, d)
		return err
	}, nil
}

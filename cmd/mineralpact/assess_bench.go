package main

import (
	"context"

	"github.com/mineralpact/mineralpact/internal/duty"
)

// benchAssess measures one assessment (a US lithium carbonate declaration
// below the floor, no quota) with the assessor's caches warm.
func benchAssess() (func() error, error) {
	env, err := loadEnv("example")
	if err != nil {
		return nil, err
	}
	a, err := duty.New(env.agreement, env.reg, env.floors())
	if err != nil {
		return nil, err
	}
	d, err := duty.ReadDeclaration(map[string]string{"id": "B1", "accepted_on": "2026-03-10", "importer": "US", "origin": "CN",
		"hs_code": "28369100", "quantity": "10", "unit": "t", "customs_value": "30000", "currency": "USD", "incoterm": "FOB"})
	if err != nil {
		return nil, err
	}
	ctx := context.Background()
	return func() error {
		_, err := a.Assess(ctx, d)
		return err
	}, nil
}

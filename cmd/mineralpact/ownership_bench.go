package main

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// benchOwnership measures effective interests and control of a generated
// register of 1,000,000 relationship statements (ownership.Generate, seed
// 1, made before timing); the target is 10 s on 2 cores.
func benchOwnership() (func() error, error) {
	r := ownership.Generate(1_000_000, 1)
	on := date.MustParse("2026-06-01")
	return func() error {
		if _, err := ownership.Effective(r, on); err != nil {
			return err
		}
		ownership.Controllers(r, on)
		return nil
	}, nil
}

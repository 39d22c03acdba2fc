package main

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// benchHeterogeneity is the regulatory heterogeneity of the example's
// parties in force on 2027-07-01 (66 pairs × 35 mineral-stages), as the
// /members page computes it on every request.
func benchHeterogeneity() (func() error, error) {
	_, a, err := benchExample()
	if err != nil {
		return nil, err
	}
	on := date.MustParse("2027-07-01")
	return func() error {
		_, err := scope.HeterogeneityAsOf(a, on, 15)
		return err
	}, nil
}

package main

import (
	"fmt"

	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// benchMembers is one membership what-if, as the portal recomputes it on a
// change: the example's zone with every party in force, China added and
// Mexico removed, each mineral in scope before and after (the snapshot
// gathered once, as the server does per request before it).
func benchMembers() (func() error, error) {
	reg, a, d, err := benchSnapshot()
	if err != nil {
		return nil, err
	}
	on := date.MustParse("2027-07-01")
	ch := scope.Change{Add: []string{"CN"}, Remove: []string{"MX"}}
	return func() error {
		_, err := d.Evaluate(a, reg, on, ch)
		return err
	}, nil
}

// benchScope scores the 60 minerals of the list on the three bases, every
// indicator with its inputs, steps and missing inputs and the economic
// importance where the shipped end uses allow it, for the example's zone
// with every party in force (the snapshot and the end uses read once, as a
// server could keep them).
func benchScope() (func() error, error) {
	reg, a, d, err := benchSnapshot()
	if err != nil {
		return nil, err
	}
	if d.Importance, err = scope.LoadImportance(scopedata.FS, reg); err != nil {
		return nil, err
	}
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		return nil, err
	}
	z, err := in.Zone(reg)
	if err != nil {
		return nil, err
	}
	return func() error {
		if r := d.Score(z); len(r.Minerals) != 60 {
			return fmt.Errorf("scope bench: %d minerals scored, want 60", len(r.Minerals))
		}
		return nil
	}, nil
}

// benchSnapshot loads the example agreement and gathers the scope snapshot
// from the registry, once before timing.
func benchSnapshot() (*registry.Registry, *agreement.Agreement, *scope.Data, error) {
	reg, a, err := benchExample()
	if err != nil {
		return nil, nil, nil, err
	}
	d, err := scope.Gather(reg)
	return reg, a, d, err
}

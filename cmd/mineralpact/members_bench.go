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
// change (GET /v1/members/evaluate): the example's zone with every party in
// force, China added and Mexico removed, each mineral in scope before and
// after, and China's accession criteria (Joining); the snapshot gathered
// and the relations read once, as the server does before it.
func benchMembers() (func() error, error) {
	reg, a, d, err := benchSnapshot()
	if err != nil {
		return nil, err
	}
	_, rel, err := loadScope(reg)
	if err != nil {
		return nil, err
	}
	on := date.MustParse("2027-07-01")
	ch := scope.Change{Add: []string{"CN"}, Remove: []string{"MX"}}
	return func() error {
		w, err := d.Evaluate(a, reg, on, ch)
		if err != nil {
			return err
		}
		if err := d.Joining(w, a, reg, rel); err != nil {
			return err
		}
		if len(w.Joining) != 1 || len(w.Joining[0].Criteria) != 6 {
			return fmt.Errorf("members bench: joining %d countries, want China with the example's 6 criteria", len(w.Joining))
		}
		return nil
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

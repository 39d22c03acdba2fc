package main

import (
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// benchMembers is one membership what-if, as the portal recomputes it on a
// change: the example's zone with every party in force, China added and
// Mexico removed, each mineral in scope before and after (the snapshot
// gathered once, as the server does per request before it).
func benchMembers() (func() error, error) {
	reg, a, err := benchExample()
	if err != nil {
		return nil, err
	}
	d, err := scope.Gather(reg)
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

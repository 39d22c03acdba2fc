package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// ownershipPathsOptions are `ownership paths`: the effective interest of
// one holder in one subject on a date, and the chains that make it.
type ownershipPathsOptions struct {
	files    filesOption
	from, to string
	asOf     dateOption
	format   formatOption
}

func (o *ownershipPathsOptions) bind(fs *flag.FlagSet) {
	ownershipFlag(fs, &o.files)
	fs.StringVar(&o.from, "from", "", "the holder")
	fs.StringVar(&o.to, "to", "", "the entity or facility held")
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the interests")
	o.format.bind(fs, "table", "json")
}

func (o *ownershipPathsOptions) validate(pos []string) error {
	if err := firstError(noArgs(pos), o.files.validate(), o.format.validate(), o.asOf.validate()); err != nil {
		return err
	}
	if o.from == "" || o.to == "" {
		return usagef("--from and --to are required")
	}
	return nil
}

// pathsResult is the JSON answer of `ownership paths`.
type pathsResult struct {
	From     string            `json:"from"`
	To       string            `json:"to"`
	AsOf     string            `json:"as_of"`
	Interest ownership.Bounds  `json:"effective_interest"`
	Paths    []ownership.Path  `json:"paths"`
	Control  [][]ownership.Hop `json:"control_chains,omitzero"`
}

func (o *ownershipPathsOptions) run(_ context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	r, err := loadRegister(o.files, reg, s)
	if err != nil {
		return err
	}
	from, ok1 := r.Find(o.from)
	to, ok2 := r.Find(o.to)
	if !ok1 || !ok2 {
		missing := o.from
		if ok1 {
			missing = o.to
		}
		return &problem.Error{Code: problem.NotFound, Message: fmt.Sprintf("no node %q in the ownership files", missing)}
	}
	x, err := ownership.Effective(r, o.asOf.date)
	if err != nil {
		return err
	}
	h, _ := x.Between(from, to)
	res := pathsResult{From: o.from, To: o.to, AsOf: o.asOf.date.String(), Interest: ownership.Bounds{Min: h.Low, Max: h.High}, Paths: x.Paths(from, to)}
	if res.Paths == nil {
		res.Paths = []ownership.Path{}
	}
	ctl := ownership.Controllers(r, o.asOf.date)
	if int(ctl.Controller[to]) == from {
		res.Control = ctl.Chains(to)
	}
	if o.format.name == "json" {
		return writeJSON(s.out, res)
	}
	fmt.Fprintf(s.out, "%s holds an effective %s of %s on %s, through %d path(s)\n", o.from, ownPct(h.Low, h.High), o.to, o.asOf.date, len(res.Paths))
	for _, p := range res.Paths {
		writePath(s, "", p)
	}
	if res.Control != nil {
		fmt.Fprintf(s.out, "%s controls %s (majority chain or board right):\n", o.from, o.to)
		for _, c := range res.Control {
			p := ownership.Path{Hops: c, Low: 1, High: 1}
			for _, h := range c {
				p.Low *= h.Low
				p.High *= h.High
			}
			writePath(s, "", p)
		}
	}
	return nil
}

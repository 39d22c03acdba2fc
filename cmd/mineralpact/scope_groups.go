package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// scopeGroupsOptions are `scope groups`: the minerals of the 2025 list in
// proposed groups, each with its reasons (docs/scope.md, "Grouping").
type scopeGroupsOptions struct {
	format formatOption
}

func (o *scopeGroupsOptions) bind(fs *flag.FlagSet) { o.format.bind(fs, "table", "json", "csv") }

func (o *scopeGroupsOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate())
}

// loadScope reads the snapshot and the grouping data the scope verbs share.
func loadScope(reg *registry.Registry) (*scope.Data, *scope.Relations, error) {
	d, err := scope.Gather(reg)
	if err != nil {
		return nil, nil, err
	}
	rel, err := scope.LoadRelations(reg, scope.Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS, OwnershipFiles: ownershipdata.Files})
	return d, rel, err
}

func (o *scopeGroupsOptions) run(_ context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	d, rel, err := loadScope(reg)
	if err != nil {
		return err
	}
	gs := d.Groups(rel)
	switch o.format.name {
	case "json":
		return writeJSON(s.out, gs)
	case "csv":
		return groupsTable(gs, false).writeCSV(s.out)
	}
	human := forPeople(s, o.format.name)
	t := groupsTable(gs, human)
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	fmt.Fprintln(s.out)
	for _, g := range gs {
		fmt.Fprintf(s.out, "%s (%s): %s\n", g.Name, g.Basis, strings.Join(g.Minerals, ", "))
		for _, r := range g.Reasons {
			fmt.Fprintf(s.out, "  %-15s %s\n", r.Kind, r.Text)
		}
	}
	return nil
}

// groupsHeader is one row per mineral of a group.
var groupsHeader = []string{"group", "basis", "mineral", "principal_host", "price_formation", "venue", "top_producer", "top_share", "hhi"}

func groupsTable(gs []scope.Group, human bool) *table {
	t := &table{header: groupsHeader, right: []int{7, 8}}
	f := func(x *float64, share bool) string {
		switch {
		case x == nil:
			return "-"
		case human && share:
			return formatFloat(*x*100, 1) + "%"
		case human:
			return formatFloat(*x, 2)
		}
		return strconv.FormatFloat(*x, 'f', -1, 64)
	}
	for _, g := range gs {
		for _, m := range g.Members {
			t.add(g.ID, g.Basis, m.Mineral, dash(m.PrincipalHost), m.Formation, dash(m.Venue), dash(m.TopProducer), f(m.TopShare, true), f(m.HHI, false))
		}
	}
	return t
}

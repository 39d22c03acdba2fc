package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// membersHeterogeneityOptions are `members heterogeneity`: the regulatory
// heterogeneity of the parties' standards, pair by pair and mineral by
// mineral (docs/scope.md, "Regulatory heterogeneity").
type membersHeterogeneityOptions struct {
	agreement string
	asOf      dateOption
	top       int
	cells     bool
	format    formatOption
}

func (o *membersHeterogeneityOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the parties and their profiles (default the entry into force)")
	fs.IntVar(&o.top, "top", 15, "how many pair-mineral cells the arbitrage list shows")
	fs.BoolVar(&o.cells, "cells", false, "table and csv: every pair × mineral × stage instead of the pairs")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *membersHeterogeneityOptions) validate(pos []string) error {
	if o.top < 0 {
		return usagef("--top %d: want 0 or more", o.top)
	}
	return firstError(noArgs(pos), o.format.validate(), o.asOf.optional())
}

func (o *membersHeterogeneityOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	h, err := scope.HeterogeneityAsOf(env.agreement, o.asOf.date, o.top)
	if err != nil {
		return err
	}
	human := forPeople(s, o.format.name)
	switch o.format.name {
	case "json":
		return writeJSON(s.out, h)
	case "csv":
		if o.cells {
			return cellTable(h.Cells, false).writeCSV(s.out)
		}
		return pairTable(h, false).writeCSV(s.out)
	}
	il := illustrativeMark(h.Illustrative)
	when := asOfText(h.AsOf, h.AsOfDefault)
	fmt.Fprintf(s.out, "regulatory heterogeneity (Nordås 2016, OECD Trade Policy Papers No. 189): agreement %s%s in force on %s, %d parties, measures %s, equal weights\n",
		h.Agreement, il, when, len(h.Parties), measureList(h.Measures))
	t := pairTable(h, human)
	if o.cells {
		t = cellTable(h.Cells, human)
	}
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	if !o.cells && len(h.Arbitrage) > 0 {
		fmt.Fprintln(s.out, "\nwhere arbitrage is most likely (highest index first):")
		a := cellTable(h.Arbitrage, human)
		a.header = upper(a.header)
		if err := a.write(s); err != nil {
			return err
		}
	}
	for _, n := range h.Notes {
		fmt.Fprintln(s.out, "note: "+n)
	}
	return nil
}

func measureList(ms []agreement.Measure) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ",")
}

func pairTable(h *scope.Heterogeneity, human bool) *table {
	t := &table{header: []string{"a", "b", "mean_index", "max_index", "cells_defined", "cells"}, right: []int{2, 3, 4, 5}}
	for _, p := range h.Pairs {
		t.add(p.A, p.B, indexText(p.Mean, human), indexText(p.Max, human), strconv.Itoa(p.Defined), strconv.Itoa(p.Cells))
	}
	return t
}

func cellTable(cs []scope.Cell, human bool) *table {
	t := &table{header: []string{"a", "b", "mineral", "stage", "index", "compared", "differ_on", "unknown"}, right: []int{4, 5}}
	for _, c := range cs {
		t.add(c.A, c.B, c.Mineral, string(c.Stage), indexText(c.Index, human), strconv.Itoa(c.Compared), dash(measureList(c.Differ)), dash(measureList(c.Unknown)))
	}
	return t
}

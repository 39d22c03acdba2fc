package main

import (
	"context"
	"fmt"
	"sort"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

func runAgreementShow(ctx context.Context, args []string, s streams) error {
	fs := newFlags("agreement show")
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) on which to show the agreement in force")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one agreement file")
	}
	f, err := chooseFormat(*format, "table", "json", "yaml")
	if err != nil {
		return err
	}
	if *asOf == "" {
		return usagef("--as-of is required: the agreement in force depends on the date")
	}
	d, err := agreement.ParseAsOf(*asOf)
	if err != nil {
		return err
	}
	a, _, err := loadAgreement(pos[0])
	if err != nil {
		return err
	}
	in, err := a.AsOf(d)
	if err != nil {
		return err
	}
	switch f {
	case "json":
		return writeJSON(s.out, in)
	case "yaml":
		return writeYAML(s.out, in)
	}
	return showTable(s, in)
}

// showTable prints the agreement in force for people: a header, then the
// parties and their instruments, then the minerals in scope.
func showTable(s streams, in *agreement.InForce) error {
	a := in.Agreement
	fmt.Fprintf(s.out, "%s: %s\n", a.ID, a.Title)
	if a.Illustrative {
		fmt.Fprintln(s.out, "ILLUSTRATIVE: not a negotiated text.", a.Notice)
	}
	applied := "none"
	if len(in.Applied) > 0 {
		applied = strings.Join(in.Applied, ", ")
	}
	fmt.Fprintf(s.out, "in force on %s (entry into force %s); amendments applied: %s\n\n", in.AsOf, a.EntryIntoForce, applied)

	pt := table{header: []string{"PARTY", "NAME", "ACCESSION", "CURRENCY", "VALUATION", "ROUNDING", "INSTRUMENTS"}}
	for _, p := range a.Parties {
		pt.add(p.ID, p.Name, p.Accession.String(), p.Currency, p.Valuation.Base,
			fmt.Sprintf("%s %s %d", p.Rounding.Scope, p.Rounding.Mode, p.Rounding.Places), instrumentCounts(p.Instruments))
	}
	if err := pt.writeText(s.out); err != nil {
		return err
	}
	fmt.Fprintln(s.out)
	mt := table{header: []string{"MINERAL", "STAGE", "UNIT", "PRICE METHOD", "HS CODES"}}
	for _, m := range a.Minerals {
		for _, st := range m.Stages {
			mt.add(m.ID, st.Stage, st.Unit, st.Price.Method, strings.Join(st.HS, " "))
		}
	}
	return mt.writeText(s.out)
}

func instrumentCounts(ins []agreement.Instrument) string {
	n := map[string]int{}
	for _, in := range ins {
		n[in.Type]++
	}
	var parts []string
	for t, c := range n {
		parts = append(parts, fmt.Sprintf("%s %d", t, c))
	}
	sort.Strings(parts)
	return strings.Join(parts, ", ")
}

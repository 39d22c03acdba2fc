package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// agreementShowOptions are `agreement show FILE`: the agreement in force on
// a date.
type agreementShowOptions struct {
	file   string
	asOf   dateOption
	format formatOption
}

func (o *agreementShowOptions) bind(fs *flag.FlagSet) {
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) on which to show the agreement in force")
	o.format.bind(fs, "table", "json", "yaml")
}

func (o *agreementShowOptions) validate(pos []string) error {
	if len(pos) != 1 {
		return usagef("name one agreement file")
	}
	o.file = pos[0]
	if err := o.format.validate(); err != nil {
		return err
	}
	if o.asOf.given == "" {
		return usagef("--as-of is required: the agreement in force depends on the date")
	}
	return o.asOf.validate()
}

func (o *agreementShowOptions) run(ctx context.Context, s streams) error {
	a, _, err := loadAgreement(o.file)
	if err != nil {
		return err
	}
	in, err := a.AsOf(o.asOf.date)
	if err != nil {
		return err
	}
	switch o.format.name {
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
		pt.add(p.ID, p.Name, p.Accession.String(), p.Currency, string(p.Valuation.Base),
			fmt.Sprintf("%s %s %d", p.Rounding.Scope, p.Rounding.Mode, p.Rounding.Places), instrumentCounts(p.Instruments))
	}
	if err := pt.write(s); err != nil {
		return err
	}
	fmt.Fprintln(s.out)
	mt := table{header: []string{"MINERAL", "STAGE", "UNIT", "PRICE METHOD", "HS CODES"}}
	for _, m := range a.Minerals {
		for _, st := range m.Stages {
			mt.add(m.ID, string(st.Stage), st.Unit, string(st.Price.Method), strings.Join(st.HS, " "))
		}
	}
	if err := mt.write(s); err != nil || a.Membership == nil {
		return err
	}
	fmt.Fprintln(s.out)
	ct := table{header: []string{"ACCESSION CRITERION", "KIND", "TEST", "BASIS"}}
	for _, c := range a.Membership.Criteria {
		ct.add(c.ID, string(c.Kind), c.Test(), c.Basis)
	}
	return ct.write(s)
}

// instrumentCounts reads "type count" for each type of instrument, in the
// order of the names.
func instrumentCounts(ins []agreement.Instrument) string {
	n := map[string]int{}
	for _, in := range ins {
		n[string(in.Type)]++
	}
	parts := make([]string, 0, len(n))
	for _, t := range slices.Sorted(maps.Keys(n)) {
		parts = append(parts, fmt.Sprintf("%s %d", t, n[t]))
	}
	return strings.Join(parts, ", ")
}

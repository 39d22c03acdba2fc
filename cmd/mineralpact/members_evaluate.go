package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// membersEvaluateOptions are `members evaluate`: the what-if of membership,
// the zone of an agreement with countries added or removed, per mineral in
// scope before and after (docs/scope.md, "Membership").
type membersEvaluateOptions struct {
	agreement   string
	asOf        dateOption
	add, remove countriesFlag
	format      formatOption
}

// countriesFlag is a repeatable flag whose values may also be
// comma-separated: --add CN,ZA or --add CN --add ZA.
type countriesFlag []string

func (l *countriesFlag) String() string { return strings.Join(*l, ",") }
func (l *countriesFlag) Set(v string) error {
	for _, s := range strings.Split(v, ",") {
		if s = strings.TrimSpace(s); s != "" {
			*l = append(*l, s)
		}
	}
	return nil
}

func (o *membersEvaluateOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the zone: the parties in force (default the entry into force)")
	fs.Var(&o.add, "add", "country (alpha-2) or customs union (EU) to add; repeat or separate with commas")
	fs.Var(&o.remove, "remove", "country or customs union to remove; repeat or separate with commas")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *membersEvaluateOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), o.asOf.optional())
}

func (o *membersEvaluateOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	d, rel, err := loadScope(env.reg)
	if err != nil {
		return err
	}
	w, err := d.Evaluate(env.agreement, env.reg, o.asOf.date, scope.Change{Add: o.add, Remove: o.remove})
	if err != nil {
		return flagError(err)
	}
	if err := d.Joining(w, env.agreement, env.reg, rel); err != nil {
		return err
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, w)
	case "csv":
		return evaluateTable(w, false).writeCSV(s.out)
	}
	il := illustrativeMark(w.Illustrative)
	when := asOfText(w.AsOf, w.AsOfDefault)
	fmt.Fprintf(s.out, "zone: agreement %s%s in force on %s: %d countries; added %s, removed %s: %d countries\n",
		w.Agreement, il, when, len(w.Before), listOrNone(w.Added), listOrNone(w.Removed), len(w.After))
	t := evaluateTable(w, forPeople(s, o.format.name))
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	for _, k := range w.Joining {
		if len(k.Criteria) == 0 {
			continue
		}
		n := k.CriteriaCount
		fmt.Fprintf(s.out, "accession criteria of %s: %d met, %d not met, %d not recorded\n", k.Country, n.Met, n.NotMet, n.NotRecorded)
		if err := criteriaTable(k.Criteria, forPeople(s, o.format.name)).write(s); err != nil {
			return err
		}
	}
	for _, n := range w.Notes {
		fmt.Fprintln(s.out, "note: "+n)
	}
	return nil
}

// criteriaTable lists a candidate's accession criteria: the test, the
// candidate's value, the status and the article that states it.
func criteriaTable(rs []scope.CriterionResult, human bool) *table {
	t := &table{header: []string{"  criterion", "test", "value", "status", "basis", "detail"}, right: []int{2}}
	if human {
		t.header = upper(t.header)
	}
	for _, r := range rs {
		v := "-"
		if r.Value != nil {
			v = strconv.FormatFloat(*r.Value, 'f', -1, 64)
			if human {
				v = formatFloat(*r.Value, 3)
			}
		}
		t.add("  "+r.ID, r.Criterion, v, criteriaCells([]scope.CriterionResult{r}, human)[0], r.Basis, r.Detail)
	}
	return t
}

// flagError names the flag and value of a what-if's bad country
// (`--add XX: unknown country ...`), every one of them, as a usage error.
func flagError(err error) error {
	var list problem.List
	var one *problem.Error
	switch {
	case errors.As(err, &one):
		list = problem.List{one}
	case errors.As(err, &list):
	default:
		return err
	}
	var lines []string
	for _, e := range list {
		name, _, ok := strings.Cut(e.Field, "[")
		if !ok || (name != "add" && name != "remove") {
			return err
		}
		lines = append(lines, "--"+name+" "+e.BadValue+": "+e.Message)
	}
	return usagef("%s", strings.Join(lines, "\n"))
}

func listOrNone(l []string) string {
	if len(l) == 0 {
		return "none"
	}
	return strings.Join(l, ",")
}

var evaluateHeader = []string{"mineral", "stage", "zone_production_before", "zone_production_after", "zone_reserves_before", "zone_reserves_after",
	"us_secured_before", "us_secured_after", "zone_eu_sr_before", "zone_eu_sr_after", "note"}

func evaluateTable(w *scope.WhatIf, human bool) *table {
	t := &table{header: evaluateHeader, right: []int{2, 3, 4, 5, 6, 7, 8, 9}}
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
	for _, e := range w.Minerals {
		b, a := e.Before, e.After
		t.add(e.Mineral, dash(string(e.Stage)), f(b.ZoneProduction, true), f(a.ZoneProduction, true), f(b.ZoneReserves, true), f(a.ZoneReserves, true),
			f(b.USSecured, true), f(a.USSecured, true), f(b.ZoneEUSR, false), f(a.ZoneEUSR, false), dash(e.Reason))
	}
	return t
}

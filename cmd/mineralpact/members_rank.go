package main

import (
	"context"
	"flag"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/scope"
)

// membersRankOptions are `members rank`: the countries outside the zone
// ranked by what they would bring to the minerals in scope.
type membersRankOptions struct {
	agreement string
	asOf      dateOption
	top       int
	format    formatOption
}

func (o *membersRankOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the zone (default the entry into force)")
	fs.IntVar(&o.top, "top", 0, "only the first N candidates (default all)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *membersRankOptions) validate(pos []string) error {
	if o.top < 0 {
		return usagef("--top %d: want 0 (all) or more", o.top)
	}
	return firstError(noArgs(pos), o.format.validate(), o.asOf.optional())
}

func (o *membersRankOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	d, rel, err := loadScope(env.reg)
	if err != nil {
		return err
	}
	cs, err := d.Rank(env.agreement, env.reg, rel, o.asOf.date)
	if err != nil {
		return err
	}
	if o.top > 0 && o.top < len(cs.Candidates) {
		cs.Candidates = cs.Candidates[:o.top]
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, cs)
	case "csv":
		return rankTable(cs, false).writeCSV(s.out)
	}
	il := illustrativeMark(cs.Illustrative)
	fmt.Fprintf(s.out, "candidates outside agreement %s%s as in force on %s; minerals in scope: %s\n", cs.Agreement, il, cs.AsOf, strings.Join(cs.Minerals, " "))
	t := rankTable(cs, forPeople(s, o.format.name))
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	for _, n := range cs.Notes {
		fmt.Fprintln(s.out, "note: "+n)
	}
	return nil
}

var rankHeader = []string{"rank", "country", "name", "risk_removed", "production", "reserves", "refining", "wgi_scaled", "us_framework", "score", "non_party_facilities"}

func rankTable(cs *scope.Candidates, human bool) *table {
	t := &table{header: slices.Concat(rankHeader, criteriaHeader(cs.Criteria)), right: []int{0, 3, 4, 5, 6, 7, 9}}
	f := func(x float64) string {
		if human {
			return formatFloat(x, 3)
		}
		return strconv.FormatFloat(x, 'f', -1, 64)
	}
	for i, c := range cs.Candidates {
		wgi := "-"
		if c.WGI != nil {
			wgi = f(*c.WGI)
		}
		var fw []string
		for _, x := range c.Frameworks {
			fw = append(fw, strings.TrimSpace(x.Instrument+" ("+x.Status+" "+x.SignedOn)+")")
		}
		held := "-" // the facilities a non-party would control or hold, of those with a recorded holder
		if o := c.Ownership; o != nil && o.Facilities > 0 {
			held = strconv.Itoa(o.NonParty) + "/" + strconv.Itoa(o.Facilities)
		}
		t.add(slices.Concat([]string{strconv.Itoa(i + 1), c.Country, c.Name, f(c.RiskRemoved), f(c.Production), f(c.Reserves), f(c.Refining), wgi, dash(strings.Join(fw, "; ")), f(c.Score), held},
			criteriaCells(c.Criteria, human))...)
	}
	return t
}

// criteriaHeader names a column per accession criterion of the agreement,
// after the score: criterion_<id>.
func criteriaHeader(ids []string) []string {
	h := make([]string, len(ids))
	for i, id := range ids {
		h[i] = "criterion_" + id
	}
	return h
}

// criteriaCells are a candidate's criteria: met, not_met or not_recorded
// (for people, with spaces).
func criteriaCells(rs []scope.CriterionResult, human bool) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = r.Status
		if human {
			out[i] = strings.ReplaceAll(r.Status, "_", " ")
		}
	}
	return out
}

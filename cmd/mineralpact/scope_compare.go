package main

import (
	"context"
	"flag"
	"fmt"
	"strconv"
	"strings"

	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// scopeCompareOptions are `scope compare`: our scores against the
// published EU 2023 and USGS 2022 assessments (docs/scope.md, "How close
// the published assessments come").
type scopeCompareOptions struct {
	format formatOption
}

func (o *scopeCompareOptions) bind(fs *flag.FlagSet) { o.format.bind(fs, "table", "json", "csv") }

func (o *scopeCompareOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate())
}

func (o *scopeCompareOptions) run(_ context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	d, err := scope.Gather(reg)
	if err != nil {
		return err
	}
	p, err := scope.LoadPublished(reg, scopedata.FS)
	if err != nil {
		return err
	}
	// The world and U.S. bases do not depend on a zone.
	c := scope.Compare(d.Score(nil), p, reg)
	switch o.format.name {
	case "json":
		return writeJSON(s.out, c)
	case "csv":
		return scopeCompareTable(c, false).writeCSV(s.out)
	}
	human := forPeople(s, o.format.name)
	for i, side := range []scope.Side{c.EU, c.USGS} {
		if i > 0 {
			fmt.Fprintln(s.out)
		}
		fmt.Fprintf(s.out, "%s against %s, threshold %s\n", side.Ours, side.Assessment, strconv.FormatFloat(side.Threshold, 'f', -1, 64))
		for _, cor := range []scope.Correlation{side.Scores, side.List} {
			rho := "not computed"
			if cor.Rho != nil {
				rho = strconv.FormatFloat(*cor.Rho, 'f', -1, 64)
			}
			fmt.Fprintf(s.out, "  Spearman ρ, %s: n %d, ρ %s", cor.Of, cor.N, rho)
			if cor.Note != "" {
				fmt.Fprintf(s.out, " (%s)", cor.Note)
			}
			fmt.Fprintln(s.out)
		}
		var counts []string
		for _, k := range scopeAgreements {
			counts = append(counts, fmt.Sprintf("%s %d", k, side.Counts[k]))
		}
		fmt.Fprintf(s.out, "  membership: %s\n", strings.Join(counts, ", "))
		for _, n := range side.Notes {
			fmt.Fprintf(s.out, "  note: %s\n", n)
		}
		fmt.Fprintln(s.out)
		t := scopeSideTable(side, human)
		t.header = upper(t.header)
		if err := t.write(s); err != nil {
			return err
		}
	}
	return nil
}

var scopeAgreements = []string{scope.AgreeBoth, scope.AgreePublishedOnly, scope.AgreeOursOnly, scope.AgreeNeither, scope.AgreeNotScored, scope.AgreeNotMapped}

var scopeCompareHeader = []string{"assessment", "material", "our_minerals", "published_critical", "published_sr", "our_sr", "our_flag", "agreement", "gaps"}

func scopeCompareRows(t *table, name string, side scope.Side, human bool) {
	f := func(x *float64) string { return indexText(x, human) }
	yn := func(b bool) string {
		if b {
			return "yes"
		}
		return "no"
	}
	for _, r := range side.Rows {
		flag := "-"
		if r.Flagged != nil {
			flag = yn(*r.Flagged)
		}
		ms := strings.Join(r.Minerals, ";")
		if human && len(r.Minerals) > 2 {
			ms = fmt.Sprintf("%s (+%d)", r.OurMineral, len(r.Minerals)-1)
		}
		gaps := strings.Join(r.Gaps, "; ")
		if human && len(r.Gaps) > 0 {
			gaps = fmt.Sprintf("%d named (--format json)", len(r.Gaps))
		}
		t.add(name, r.Material, dash(ms), yn(r.Critical), f(r.PublishedSR), f(r.OurSR), flag, r.Agreement, dash(gaps))
	}
}

func scopeSideTable(side scope.Side, human bool) *table {
	t := &table{header: scopeCompareHeader[1:], right: []int{3, 4}}
	tmp := &table{header: scopeCompareHeader}
	scopeCompareRows(tmp, "", side, human)
	for _, row := range tmp.rows {
		t.add(row[1:]...)
	}
	return t
}

func scopeCompareTable(c scope.Comparison, human bool) *table {
	t := &table{header: scopeCompareHeader, right: []int{4, 5}}
	scopeCompareRows(t, "eu_2023", c.EU, human)
	scopeCompareRows(t, "usgs_2022", c.USGS, human)
	return t
}

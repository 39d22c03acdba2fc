package main

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// runAgreementDiff compares two files as written, or, with --as-of, the two
// agreements as in force on that date.
func runAgreementDiff(ctx context.Context, args []string, s streams) error {
	fs := newFlags("agreement diff")
	asOf := fs.String("as-of", "", "compare the agreements in force on this date (YYYY-MM-DD) instead of the texts")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 2 {
		return usagef("name two agreement files, OLD and NEW")
	}
	f, err := chooseFormat(*format, "table", "json")
	if err != nil {
		return err
	}
	old, _, err := loadAgreement(pos[0])
	if err != nil {
		return err
	}
	cur, _, err := loadAgreement(pos[1])
	if err != nil {
		return err
	}
	if *asOf != "" {
		d, err := agreement.ParseAsOf(*asOf)
		if err != nil {
			return err
		}
		oi, err := old.AsOf(d)
		if err != nil {
			return err
		}
		ci, err := cur.AsOf(d)
		if err != nil {
			return err
		}
		old, cur = oi.Agreement, ci.Agreement
	}
	diffs, err := agreement.Diff(old, cur)
	if err != nil {
		return err
	}
	if f == "json" {
		if diffs == nil {
			diffs = []agreement.Difference{}
		}
		return writeJSON(s.out, diffs)
	}
	if len(diffs) == 0 {
		fmt.Fprintln(s.out, "no differences")
		return nil
	}
	t := table{header: []string{"CHANGE", "PATH", "OLD", "NEW"}}
	for _, d := range diffs {
		t.add(d.Kind, d.Path, brief(d.Old), brief(d.New))
	}
	return t.writeText(s.out)
}

// brief renders a value on one line, cut for a table cell on a terminal.
func brief(v any) string {
	if v == nil {
		return ""
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	default:
		b, _ := jsonCompact(v)
		s = string(b)
	}
	if len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

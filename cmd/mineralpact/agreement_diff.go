package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// agreementDiffOptions are `agreement diff OLD NEW`: what changed between
// two files as written, or, with --as-of, between the two agreements as in
// force on that date.
type agreementDiffOptions struct {
	old, new string
	asOf     dateOption
	format   formatOption
}

func (o *agreementDiffOptions) bind(fs *flag.FlagSet) {
	o.asOf.bind(fs, "as-of", "compare the agreements in force on this date (YYYY-MM-DD) instead of the texts")
	o.format.bind(fs, "table", "json")
}

func (o *agreementDiffOptions) validate(pos []string) error {
	if len(pos) != 2 {
		return usagef("name two agreement files, OLD and NEW")
	}
	o.old, o.new = pos[0], pos[1]
	return firstError(o.format.validate(), o.asOf.optional())
}

func (o *agreementDiffOptions) run(ctx context.Context, s streams) error {
	old, err := o.load(o.old)
	if err != nil {
		return err
	}
	cur, err := o.load(o.new)
	if err != nil {
		return err
	}
	diffs, err := agreement.Diff(old, cur)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
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
		t.add(string(d.Kind), d.Path, brief(d.Old, s.outTTY), brief(d.New, s.outTTY))
	}
	return t.write(s)
}

// load reads one of the two files, as in force on --as-of if it is given.
func (o *agreementDiffOptions) load(file string) (*agreement.Agreement, error) {
	a, _, err := loadAgreement(file)
	if err != nil || o.asOf.given == "" {
		return a, err
	}
	in, err := a.AsOf(o.asOf.date)
	if err != nil {
		return nil, err
	}
	return in.Agreement, nil
}

// brief renders a value on one line; cut, on a terminal, to fit a table
// cell. A pipe gets it whole.
func brief(v any, cut bool) string {
	if v == nil {
		return ""
	}
	var s string
	switch x := v.(type) {
	case string:
		s = x
	default:
		b, _ := json.Marshal(v)
		s = string(b)
	}
	if cut && len(s) > 60 {
		s = s[:57] + "..."
	}
	return s
}

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/scope"
)

// scopeWarningsOptions are `scope warnings`: what an agreement's scope
// leaves exposed (docs/scope.md, "Scope warnings").
type scopeWarningsOptions struct {
	agreement string
	asOf      dateOption
	format    formatOption
}

func (o *scopeWarningsOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the agreement's text, amendments applied (default the entry into force)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *scopeWarningsOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), o.asOf.optional())
}

func (o *scopeWarningsOptions) run(_ context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	_, rel, err := loadScope(env.reg)
	if err != nil {
		return err
	}
	out, err := scope.AgreementWarnings(env.agreement, rel, o.asOf.date)
	if err != nil {
		return err
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, out)
	case "csv":
		return warningsTable(out.Warnings).writeCSV(s.out)
	}
	il := illustrativeMark(out.Illustrative)
	fmt.Fprintf(s.out, "scope warnings: agreement %s%s as in force on %s: %d\n", out.Agreement, il, out.AsOf, len(out.Warnings))
	t := warningsTable(out.Warnings)
	t.header = upper(t.header)
	return t.write(s)
}

var warningsHeader = []string{"kind", "mineral", "stage", "other", "other_stage", "hs_line", "message"}

func warningsTable(ws []scope.Warning) *table {
	t := &table{header: warningsHeader}
	for _, w := range ws {
		t.add(w.Kind, w.Mineral, dash(string(w.Stage)), w.Other, dash(string(w.OtherStage)), dash(w.Line), w.Message)
	}
	return t
}

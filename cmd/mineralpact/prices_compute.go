package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// pricesComputeOptions are `prices compute`: the floors in force on a date,
// all of them or one mineral's or stage's.
type pricesComputeOptions struct {
	priceOptions
	asOf           dateOption
	mineral, stage string
	format         formatOption
}

func (o *pricesComputeOptions) bind(fs *flag.FlagSet) {
	o.priceOptions.bind(fs)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the floors in force")
	fs.StringVar(&o.mineral, "mineral", "", "only this mineral")
	fs.StringVar(&o.stage, "stage", "", "only this stage")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *pricesComputeOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), o.asOf.validate())
}

func (o *pricesComputeOptions) run(ctx context.Context, s streams) error {
	env, eng, err := o.load()
	if err != nil {
		return err
	}
	floors, cerr := eng.Compute(o.asOf.date)
	var kept []refprice.Floor
	for _, fl := range floors {
		if (o.mineral == "" || fl.Mineral == o.mineral) && (o.stage == "" || fl.Stage == o.stage) {
			kept = append(kept, fl)
		}
	}
	var failed problem.List
	if cerr != nil && !errors.As(cerr, &failed) {
		return cerr
	}
	failed = filterProblems(failed, o.mineral, o.stage)
	if len(kept) == 0 && len(failed) == 0 {
		return &problem.Error{Code: problem.NotFound, Message: fmt.Sprintf("no floor in scope matches mineral %q, stage %q", o.mineral, o.stage)}
	}
	if err := writeFloors(s, o.format.name, kept); err != nil {
		return err
	}
	// The stage order over every floor of the date (a stage's neighbour may
	// be filtered out), reported for the floors kept: a warning on stderr,
	// never a change to stdout or the exit status.
	reportStageOrder(s, filterOrder(eng.StageOrder(o.asOf.date, refprice.FloorRefs(floors)), o.mineral, o.stage))
	reportPrecision(s, env, o.mineral, o.stage)
	return reportProblems(s, "", failed)
}

// reportPrecision writes on stderr, at its place in the agreement file, each
// figure of a price rule of mineral and stage (any when "") that the rule's
// precision rounds (agreement.PrecisionWarnings): the floor is published
// rounded and keeps the exact figure, so it is a warning, never a change to
// stdout or the exit status.
func reportPrecision(s streams, env *loaded, mineral, stage string) {
	for _, w := range agreement.PrecisionWarnings(env.agreement, env.source) {
		if (mineral == "" || w.Mineral == mineral) && (stage == "" || string(w.Stage) == stage) {
			fmt.Fprintln(s.err, w)
		}
	}
}

// reportStageOrder writes each stage-order warning on stderr. Warnings are
// not errors: the exit status stays what the floors make it.
func reportStageOrder(s streams, ws []refprice.StageOrderWarning) {
	for _, w := range ws {
		fmt.Fprintf(s.err, "warning: %s\n", w.Message)
	}
}

// filterOrder keeps the warnings of mineral (any when "") that involve stage
// (any when "").
func filterOrder(ws []refprice.StageOrderWarning, mineral, stage string) []refprice.StageOrderWarning {
	var out []refprice.StageOrderWarning
	for _, w := range ws {
		if (mineral == "" || w.Mineral == mineral) && (stage == "" || w.Upstream.Stage == stage || w.Downstream.Stage == stage) {
			out = append(out, w)
		}
	}
	return out
}

// reportProblems writes each problem on stderr, after what could be done was
// written; any problem makes the exit status 1.
func reportProblems(s streams, prefix string, l problem.List) error {
	if len(l) == 0 {
		return nil
	}
	for _, e := range l {
		fmt.Fprintf(s.err, "%s%v\n", prefix, e)
	}
	return errReported
}

func filterProblems(l problem.List, mineral, stage string) problem.List {
	var out problem.List
	for _, e := range l {
		m, st, _ := strings.Cut(e.Field, "/")
		if (mineral == "" || m == mineral) && (stage == "" || st == stage) {
			out = append(out, e)
		}
	}
	return out
}

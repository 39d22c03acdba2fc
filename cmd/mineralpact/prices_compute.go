package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"strings"

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
	eng, err := o.engine()
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
	return reportProblems(s, "", failed)
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

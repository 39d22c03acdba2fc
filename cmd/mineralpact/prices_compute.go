package main

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

func runPricesCompute(ctx context.Context, args []string, s streams) error {
	fs := newFlags("prices compute")
	pf := addPriceFlags(fs)
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) of the floors in force")
	mineral := fs.String("mineral", "", "only this mineral")
	stage := fs.String("stage", "", "only this stage")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	f, err := chooseFormat(*format, "table", "json", "csv")
	if err != nil {
		return err
	}
	d, err := requireDate("as-of", *asOf)
	if err != nil {
		return err
	}
	eng, _, err := pf.engine()
	if err != nil {
		return err
	}
	floors, cerr := eng.Compute(d)
	var kept []refprice.Floor
	for _, fl := range floors {
		if (*mineral == "" || fl.Mineral == *mineral) && (*stage == "" || fl.Stage == *stage) {
			kept = append(kept, fl)
		}
	}
	var failed problem.List
	if cerr != nil && !errors.As(cerr, &failed) {
		return cerr
	}
	failed = filterProblems(failed, *mineral, *stage)
	if len(kept) == 0 && len(failed) == 0 {
		return &problem.Error{Code: problem.NotFound, Message: fmt.Sprintf("no floor in scope matches mineral %q, stage %q", *mineral, *stage)}
	}
	if err := writeFloors(s, f, kept); err != nil {
		return err
	}
	if len(failed) > 0 {
		for _, e := range failed {
			fmt.Fprintln(s.err, e)
		}
		return errReported
	}
	return nil
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

func upper(h []string) []string {
	out := make([]string, len(h))
	for i, x := range h {
		out[i] = strings.ToUpper(strings.ReplaceAll(x, "_", " "))
	}
	return out
}

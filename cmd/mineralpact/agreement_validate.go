package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// agreementValidateOptions are `agreement validate FILE...`: it checks each
// file and reports every problem of every file, like a compiler, before it
// exits. A figure a price rule's precision would round is a warning on
// stderr at its line and column (agreement.PrecisionWarnings). With --prices --as-of D it also computes the floors of each valid
// file in force on D from the shipped data and warns, on stderr, of every
// pair out of stage order (refprice.StageOrder): warnings, which do not
// change the exit status. Validation alone never reads price data.
type agreementValidateOptions struct {
	files  []string
	quiet  bool
	prices bool
	asOf   dateOption
}

func (o *agreementValidateOptions) bind(fs *flag.FlagSet) {
	fs.BoolVar(&o.quiet, "q", false, "print nothing for valid files")
	fs.BoolVar(&o.prices, "prices", false, "also compute the floors in force on --as-of and warn when they are out of stage order")
	o.asOf.bind(fs, "as-of", "with --prices: date (YYYY-MM-DD) of the floors to check")
}

func (o *agreementValidateOptions) validate(pos []string) error {
	if len(pos) == 0 {
		return usagef("name at least one agreement file")
	}
	o.files = pos
	if !o.prices {
		if o.asOf.given != "" {
			return usagef("--as-of goes with --prices (the floors of a date)")
		}
		return nil
	}
	if o.asOf.given == "" {
		return usagef("--prices needs --as-of DATE: the floors of which date to check")
	}
	return o.asOf.validate()
}

// stageOrder computes the floors of a in force on the --as-of date and
// writes each stage-order warning on stderr. It returns how many it wrote;
// an error only when no floor can be computed for the date (before the
// entry into force). Floors that cannot be computed are not checked, and
// said so in one line (prices compute lists them).
func (o *agreementValidateOptions) stageOrder(s streams, reg *registry.Registry, file string, a *agreement.Agreement) (int, error) {
	eng := refprice.New(a, priceSources(reg))
	floors, err := eng.Compute(o.asOf.date)
	var failed problem.List
	if err != nil && !errors.As(err, &failed) {
		return 0, err
	}
	if len(failed) > 0 {
		fmt.Fprintf(s.err, "%s: %d floor(s) of %s not computed, so not checked (prices compute --as-of %s lists them)\n", file, len(failed), o.asOf.date, o.asOf.date)
	}
	ws := eng.StageOrder(o.asOf.date, refprice.FloorRefs(floors))
	for _, w := range ws {
		fmt.Fprintf(s.err, "%s: warning: %s\n", file, w.Message)
	}
	return len(ws), nil
}

func (o *agreementValidateOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	bad := 0
	for _, f := range o.files {
		a, src, err := loadAgreementWith(reg, f)
		if err != nil {
			bad++
			var l problem.List
			if errors.As(err, &l) {
				for _, e := range l {
					fmt.Fprintln(s.err, e)
				}
				fmt.Fprintf(s.err, "%s: %d problem(s)\n", f, len(l))
			} else {
				fmt.Fprintln(s.err, err)
			}
			continue
		}
		// Figures the price rules' precision would round: warnings at their
		// place in the file, which leave the exit status as it is.
		ws := agreement.PrecisionWarnings(a, src)
		for _, w := range ws {
			fmt.Fprintln(s.err, w)
		}
		order := ""
		if len(ws) > 0 {
			order = fmt.Sprintf(", %d precision warning(s)", len(ws))
		}
		if o.prices {
			n, err := o.stageOrder(s, reg, f, a)
			if err != nil {
				bad++
				fmt.Fprintf(s.err, "%s: %v\n", f, err)
				continue
			}
			if n > 0 {
				order += fmt.Sprintf(", %d stage-order warning(s) on %s", n, o.asOf.date)
			} else {
				order += fmt.Sprintf(", floors of %s in stage order", o.asOf.date)
			}
		}
		if o.quiet {
			continue
		}
		hash, err := a.Hash()
		if err != nil {
			return err
		}
		note := ""
		if a.Illustrative {
			note = " (illustrative)"
		}
		fmt.Fprintf(s.out, "%s: ok: %s%s, %d parties, %d minerals in scope, %d amendments, sha256 %s%s\n",
			f, a.ID, note, len(a.Parties), len(a.Minerals), len(a.Amendments), hash, order)
	}
	if bad > 0 {
		return errReported
	}
	return nil
}

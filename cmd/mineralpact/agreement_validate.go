package main

import (
	"context"
	"errors"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// agreementValidateOptions are `agreement validate FILE...`: it checks each
// file and reports every problem of every file, like a compiler, before it
// exits.
type agreementValidateOptions struct {
	files []string
	quiet bool
}

func (o *agreementValidateOptions) bind(fs *flag.FlagSet) {
	fs.BoolVar(&o.quiet, "q", false, "print nothing for valid files")
}

func (o *agreementValidateOptions) validate(pos []string) error {
	if len(pos) == 0 {
		return usagef("name at least one agreement file")
	}
	o.files = pos
	return nil
}

func (o *agreementValidateOptions) run(ctx context.Context, s streams) error {
	bad := 0
	for _, f := range o.files {
		a, _, err := loadAgreement(f)
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
		fmt.Fprintf(s.out, "%s: ok: %s%s, %d parties, %d minerals in scope, %d amendments, sha256 %s\n",
			f, a.ID, note, len(a.Parties), len(a.Minerals), len(a.Amendments), hash)
	}
	if bad > 0 {
		return errReported
	}
	return nil
}

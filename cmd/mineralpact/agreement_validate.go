package main

import (
	"context"
	"errors"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// runAgreementValidate checks each file and reports every problem of every
// file, like a compiler, before it exits.
func runAgreementValidate(ctx context.Context, args []string, s streams) error {
	fs := newFlags("agreement validate")
	quiet := fs.Bool("q", false, "print nothing for valid files")
	files, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(files) == 0 {
		return usagef("name at least one agreement file")
	}
	bad := 0
	for _, f := range files {
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
		if *quiet {
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

package main

import (
	"flag"
	"io"
	"strings"
)

// newFlags returns a flag set that reports to nothing: parse errors become
// usage errors reported once by run.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parseFlags parses flags wherever they stand among the arguments
// (`agreement show FILE --as-of D` as well as `--as-of D FILE`) and returns the
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usagef("%v", strings.TrimPrefix(err.Error(), "flag provided but not defined: "))
		}
		args = fs.Args()
		if len(args) == 0 {
			return pos, nil
		}
		if args[0] == "--" {
			return append(pos, args[1:]...), nil
		}
		pos = append(pos, args[0])
		args = args[1:]
	}
}

// formatFlag adds --format; chooseFormat checks its value.
func formatFlag(fs *flag.FlagSet, allowed ...string) *string {
	return fs.String("format", "", "output format: "+strings.Join(allowed, ", "))
}

// chooseFormat validates the --format value, defaulting to the first allowed
// value (a table for people).
func chooseFormat(got string, allowed ...string) (string, error) {
	if got == "" {
		return allowed[0], nil
	}
	for _, a := range allowed {
		if got == a {
			return got, nil
		}
	}
	return "", usagef("--format %q: want one of %s", got, strings.Join(allowed, ", "))
}

package main

import (
	"errors"
	"flag"
	"io"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// defaultDB is the store every --db flag names by default.
const defaultDB = "sqlite:mineralpact.db"

// newFlags returns a flag set that reports to nothing: parse errors become
// usage errors reported once by run.
func newFlags(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// helpRequest is -h or --help: not a mistake, a question, answered on
// standard output with the verb's usage and every flag with its default.
type helpRequest struct{ flags string }

func (helpRequest) Error() string { return "help requested" }

func helpOf(fs *flag.FlagSet) helpRequest {
	var b strings.Builder
	fs.SetOutput(&b)
	fs.PrintDefaults()
	fs.SetOutput(io.Discard)
	return helpRequest{b.String()}
}

// parseFlags parses flags wherever they stand among the arguments
// (`agreement show FILE --as-of D` as well as `--as-of D FILE`) and returns the
// positional arguments.
func parseFlags(fs *flag.FlagSet, args []string) ([]string, error) {
	var pos []string
	for {
		if err := fs.Parse(args); errors.Is(err, flag.ErrHelp) {
			return nil, helpOf(fs)
		} else if err != nil {
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

// dbOption is the --db flag: the store, defaultDB unless the command line
// names another. given says whether it did (assess records only then).
type dbOption struct {
	dsn   string
	given bool
}

// dbFlag adds --db to fs, with the one default of every verb.
func dbFlag(fs *flag.FlagSet) *dbOption {
	d := &dbOption{dsn: defaultDB}
	fs.Var(d, "db", "store: sqlite:PATH or postgres://...")
	return d
}

func (d *dbOption) String() string {
	if d == nil {
		return defaultDB
	}
	return d.dsn
}

func (d *dbOption) Set(v string) error {
	d.dsn, d.given = v, true
	return nil
}

// agreementFlag adds --agreement, the agreement file, by default the shipped
// example.
func agreementFlag(fs *flag.FlagSet, file *string) {
	fs.StringVar(file, "agreement", "example", "agreement file (example: the shipped examples/pact-2026.yaml)")
}

// outFlag adds --out, an output file or - for standard output; openOut opens it.
func outFlag(fs *flag.FlagSet, path *string) {
	fs.StringVar(path, "out", "-", "output file, - for standard output")
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
	if slices.Contains(allowed, got) {
		return got, nil
	}
	return "", usagef("--format %q: want one of %s", got, strings.Join(allowed, ", "))
}

// requireDate parses a required date flag.
func requireDate(name, value string) (date.Date, error) {
	if value == "" {
		return date.Date{}, usagef("--%s is required (YYYY-MM-DD): engines never read the clock", name)
	}
	return agreement.ParseAsOf(value)
}

// formatOption is a verb's --format: bind adds the flag with the formats
// allowed, the first being the default; validate chooses one.
type formatOption struct {
	given, name string
	allowed     []string
}

func (f *formatOption) bind(fs *flag.FlagSet, allowed ...string) {
	f.allowed = allowed
	fs.StringVar(&f.given, "format", "", "output format: "+strings.Join(allowed, ", "))
}

func (f *formatOption) validate() (err error) {
	f.name, err = chooseFormat(f.given, f.allowed...)
	return err
}

// dateOption is a date flag (YYYY-MM-DD): bind adds it, validate parses it
// and requires it, optional parses it if given.
type dateOption struct {
	flag, given string
	date        date.Date
}

func (d *dateOption) bind(fs *flag.FlagSet, name, usage string) {
	d.flag = name
	fs.StringVar(&d.given, name, "", usage)
}

func (d *dateOption) validate() (err error) {
	d.date, err = requireDate(d.flag, d.given)
	return err
}

func (d *dateOption) optional() (err error) {
	if d.given == "" {
		return nil
	}
	d.date, err = agreement.ParseAsOf(d.given)
	return err
}

// firstError is the first of the errors of a verb's checks that is not nil.
func firstError(errs ...error) error {
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// noArgs is the check of a verb that takes no positional arguments.
func noArgs(pos []string) error {
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	return nil
}

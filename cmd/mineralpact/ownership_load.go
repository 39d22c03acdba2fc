package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// filesOption is a repeatable file flag (--ownership A --ownership B).
type filesOption []string

func (f *filesOption) String() string { return strings.Join(*f, ",") }
func (f *filesOption) Set(v string) error {
	*f = append(*f, v)
	return nil
}

func ownershipFlag(fs *flag.FlagSet, f *filesOption) {
	fs.Var(f, "ownership", "an ownership file: BODS 0.4 JSON, the analyst's CSV (relationships, entities or facilities) or the ICMM facility file; repeat for several (e.g. the four files of data/ownership)")
}

func (f filesOption) validate() error {
	if len(f) == 0 {
		return usagef("--ownership FILE is required (e.g. --ownership data/ownership/owners.csv --ownership data/ownership/entities.csv)")
	}
	return nil
}

// loadRegister reads every ownership file into one register; the warnings
// (shares above 100%, unspecified parties, unknown countries) go to s.err.
func loadRegister(files []string, reg *registry.Registry, s streams) (*ownership.Register, error) {
	r := ownership.NewRegister()
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			return nil, &problem.Error{Code: problem.Invalid, Message: err.Error()}
		}
		if err := ownership.Read(r, f, b, reg.CountryCode); err != nil {
			return nil, err
		}
	}
	for _, w := range r.Warnings {
		fmt.Fprintf(s.err, "warning: %v\n", w)
	}
	return r, nil
}

// screenOf loads the register and the agreement in force on d, and
// computes the screen.
func screenOf(files []string, agreementFile string, d date.Date, s streams) (*ownership.Screen, *ownership.Register, error) {
	env, err := loadEnv(agreementFile)
	if err != nil {
		return nil, nil, err
	}
	r, err := loadRegister(files, env.reg, s)
	if err != nil {
		return nil, nil, err
	}
	in, z, err := inForce(env.agreement, env.reg, d)
	if err != nil {
		return nil, nil, err
	}
	sc, err := ownership.NewScreen(r, in, z)
	if err != nil {
		return nil, nil, err
	}
	sc.Members = ownership.GroupMembers(env.reg.Minerals())
	return sc, r, nil
}

func inForce(a *agreement.Agreement, reg *registry.Registry, d date.Date) (*agreement.InForce, *agreement.Zone, error) {
	in, err := a.AsOf(d)
	if err != nil {
		return nil, nil, err
	}
	z, err := in.Zone(reg)
	return in, z, err
}

// ownPct renders a fraction as a percentage rounded to 6 decimals (for
// people: JSON carries the fractions unrounded), and a range as lo–hi.
func ownPct(lo, hi float64) string {
	f := func(x float64) string {
		return strconv.FormatFloat(math.Round(x*100*1e6)/1e6, 'f', -1, 64)
	}
	if lo == hi {
		return f(lo) + "%"
	}
	return f(lo) + "–" + f(hi) + "%"
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

// writePath prints one path, a hop a line, each with its share, statements
// and sources.
func writePath(s streams, indent string, p ownership.Path) {
	fmt.Fprintf(s.out, "%spath, product %s:\n", indent, ownPct(p.Low, p.High))
	for _, h := range p.Hops {
		fmt.Fprintf(s.out, "%s  %s holds %s of %s  [%s]", indent, h.Holder, ownPct(h.Low, h.High), h.Subject, strings.Join(h.Statements, ", "))
		if len(h.Sources) > 0 {
			fmt.Fprintf(s.out, "  source: %s", strings.Join(h.Sources, " | "))
		}
		fmt.Fprintln(s.out)
	}
}

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/duty"
)

var _ declgen.Engine = (*duty.Assessor)(nil)

// genDeclarationsOptions are `gen declarations`: synthetic declarations for
// an agreement, calibrated to public trade statistics but ILLUSTRATIVE (a
// note on standard error says so), every one assessable unless spoiled on
// purpose; the same seed writes the same bytes. A million rows by
// default (docs/declarations.md, "Generated declarations").
type genDeclarationsOptions struct {
	agreement string
	out       string
	format    string
	from, to  dateOption
	opt       declgen.Options
}

var runGenDeclarations = runVerb[genDeclarationsOptions]()

func (o *genDeclarationsOptions) bind(fs *flag.FlagSet) {
	fs.IntVar(&o.opt.N, "n", 1_000_000, "number of declarations")
	fs.Uint64Var(&o.opt.Seed, "seed", 1, "random seed: the same seed gives the same file")
	fs.Float64Var(&o.opt.BadRate, "bad-rate", 0, "share of rows with one deliberately bad field (0 to 1)")
	agreementFlag(fs, &o.agreement)
	fs.StringVar(&o.format, "format", "csv", "csv or jsonl")
	outFlag(fs, &o.out)
	o.from.bind(fs, "from", "first acceptance date (default: the entry into force)")
	o.to.bind(fs, "to", "last acceptance date (default: from + 211 days)")
}

func (o *genDeclarationsOptions) validate(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if o.opt.N < 0 {
		return usagef("--n must be at least 0")
	}
	if o.opt.BadRate < 0 || o.opt.BadRate > 1 {
		return usagef("--bad-rate must be between 0 and 1")
	}
	if o.format != "csv" && o.format != "jsonl" {
		return usagef("--format %q: want csv or jsonl", o.format)
	}
	o.opt.Format = o.format
	if err := firstError(o.from.optional(), o.to.optional()); err != nil {
		return usagef("%v", err)
	}
	o.opt.From, o.opt.To = o.from.date, o.to.date
	return nil
}

func (o *genDeclarationsOptions) run(ctx context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	a, err := duty.New(env.agreement, env.reg, env.floors())
	if err != nil {
		return err
	}
	out, err := openOut(o.out, s)
	if err != nil {
		return err
	}
	defer out.Close()
	fmt.Fprintf(s.err, "writing %d ILLUSTRATIVE declarations (seed %d): calibrated to USGS MCS 2026, UN Comtrade and World Bank figures, not real trade (docs/declarations.md, \"Generated declarations\")\n", o.opt.N, o.opt.Seed)
	if err := declgen.Generate(out, a, env.reg, o.opt); err != nil {
		return err
	}
	return out.Close()
}

package main

import (
	"context"
	"os"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

func runGenDeclarations(ctx context.Context, args []string, s streams) error {
	fs := newFlags("gen declarations")
	n := fs.Int("n", 1000, "number of declarations")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same file")
	bad := fs.Float64("bad-rate", 0, "share of rows with one deliberately bad field (0 to 1)")
	agPath := fs.String("agreement", "example", "agreement file (example: the shipped examples/pact-2026.yaml)")
	format := fs.String("format", "csv", "csv or jsonl")
	out := fs.String("out", "-", "output file, or - for standard output")
	from := fs.String("from", "", "first acceptance date (default: the entry into force)")
	to := fs.String("to", "", "last acceptance date (default: from + 211 days)")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *n < 0 {
		return usagef("--n must be at least 0")
	}
	if *bad < 0 || *bad > 1 {
		return usagef("--bad-rate must be between 0 and 1")
	}
	if *format != "csv" && *format != "jsonl" {
		return usagef("--format %q: want csv or jsonl", *format)
	}
	opt := duty.GenOptions{N: *n, Seed: *seed, BadRate: *bad, Format: *format}
	for _, f := range []struct {
		v   string
		dst *date.Date
	}{{*from, &opt.From}, {*to, &opt.To}} {
		if f.v != "" {
			d, err := date.Parse(f.v)
			if err != nil {
				return usagef("%v", err)
			}
			*f.dst = d
		}
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	ag, _, err := loadAgreement(*agPath)
	if err != nil {
		return err
	}
	as, err := duty.New(ag, reg, refprice.New(ag, priceSources(reg)))
	if err != nil {
		return err
	}
	w := s.out
	if *out != "-" {
		f, err := os.Create(*out)
		if err != nil {
			return err
		}
		defer f.Close()
		if err := as.Generate(f, opt); err != nil {
			return err
		}
		return f.Close()
	}
	return as.Generate(w, opt)
}

package main

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// runGenCostcurve writes an ILLUSTRATIVE generated cost curve, calibrated to
// USGS MCS 2026, in the format of data/costcurves (docs/costcurves.md).
func runGenCostcurve(ctx context.Context, args []string, s streams) error {
	fs := newFlags("gen costcurve")
	mineral := fs.String("mineral", "", "mineral id (the generator knows "+strings.Join(costcurve.Generatable(), ", ")+")")
	stage := fs.String("stage", "", "stage: mined, processed")
	seed := fs.String("seed", strconv.Itoa(costcurve.DefaultSeed), "seed of the random generator (PCG)")
	unit := fs.String("unit", "", "unit of contained mineral (default: the mineral's, t or kg)")
	ratio := fs.String("ratio", costcurve.DefaultRatio, "production-weighted mean cash cost ÷ reference price")
	out := fs.String("out", "-", "output file, - for standard output")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if *mineral == "" || *stage == "" {
		return usagef("--mineral and --stage are required")
	}
	n, err := strconv.ParseUint(*seed, 10, 64)
	if err != nil {
		return usagef("--seed %q: want a whole number from 0 to 18446744073709551615", *seed)
	}
	r, err := dec.Parse(*ratio)
	if err != nil || r.Sign() <= 0 {
		return usagef("--ratio %q: want a decimal greater than 0", *ratio)
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	q := costcurve.Request{Mineral: *mineral, Stage: *stage, Unit: *unit, Seed: n, Ratio: r}
	p, err := costcurve.ParamsFor(reg, q)
	if err != nil {
		return err
	}
	c, err := costcurve.Generate(p)
	if err != nil {
		return err
	}
	q.Unit, q.Ratio = p.Unit, p.Ratio
	var b bytes.Buffer
	if err := costcurve.Encode(&b, c, q.Command()); err != nil {
		return err
	}
	if *out == "-" {
		_, err = s.out.Write(b.Bytes())
		return err
	}
	if err := os.WriteFile(*out, b.Bytes(), 0o644); err != nil {
		return &problem.Error{Code: problem.Invalid, Field: "out", Message: "cannot write " + *out, Err: err}
	}
	return nil
}

package main

import (
	"bytes"
	"context"
	"flag"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// genCostcurveOptions are `gen costcurve`: an ILLUSTRATIVE generated cost
// curve, calibrated to USGS MCS 2026, in the format of data/costcurves
// (docs/costcurves.md).
type genCostcurveOptions struct {
	request           costcurve.Request
	seed, ratio, unit string
	out               string
	mineral, stage    string
}

func (o *genCostcurveOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.mineral, "mineral", "", "mineral id (the generator knows "+strings.Join(costcurve.Generatable(), ", ")+")")
	fs.StringVar(&o.stage, "stage", "", "stage: mined, processed")
	fs.StringVar(&o.seed, "seed", strconv.Itoa(costcurve.DefaultSeed), "seed of the random generator (PCG)")
	fs.StringVar(&o.unit, "unit", "", "unit of contained mineral (default: the mineral's, t or kg)")
	fs.StringVar(&o.ratio, "ratio", costcurve.DefaultRatio, "production-weighted mean cash cost ÷ reference price")
	outFlag(fs, &o.out)
}

func (o *genCostcurveOptions) validate(pos []string) error {
	if len(pos) != 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if o.mineral == "" || o.stage == "" {
		return usagef("--mineral and --stage are required")
	}
	n, err := strconv.ParseUint(o.seed, 10, 64)
	if err != nil {
		return usagef("--seed %q: want a whole number from 0 to 18446744073709551615", o.seed)
	}
	r, err := dec.Parse(o.ratio)
	if err != nil || r.Sign() <= 0 {
		return usagef("--ratio %q: want a decimal greater than 0", o.ratio)
	}
	o.request = costcurve.Request{Mineral: o.mineral, Stage: o.stage, Unit: o.unit, Seed: n, Ratio: r}
	return nil
}

func (o *genCostcurveOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	q := o.request
	p, err := costcurve.ParamsFor(reg, q)
	if err != nil {
		return err
	}
	c, err := costcurve.Generate(p)
	if err != nil {
		return err
	}
	q.Unit, q.Ratio = p.Unit, p.Ratio
	var b bytes.Buffer // all or nothing: no half-written file
	if err := costcurve.Encode(&b, c, q.Command()); err != nil {
		return err
	}
	out, err := openOut(o.out, s)
	if err != nil {
		return err
	}
	defer out.Close()
	if _, err := out.Write(b.Bytes()); err != nil {
		return err
	}
	return out.Close()
}

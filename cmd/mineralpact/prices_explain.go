package main

import (
	"context"
	"flag"

	"github.com/mineralpact/mineralpact/internal/refprice"
)

// pricesExplainOptions are `prices explain MINERAL/STAGE`: one floor down to
// its inputs.
type pricesExplainOptions struct {
	priceOptions
	mineral, stage string
	asOf           dateOption
	format         formatOption
}

func (o *pricesExplainOptions) bind(fs *flag.FlagSet) {
	o.priceOptions.bind(fs)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the floor in force")
	o.format.bind(fs, "text", "json")
}

func (o *pricesExplainOptions) validate(pos []string) (err error) {
	if o.mineral, o.stage, err = oneMineralStage(pos); err != nil {
		return err
	}
	return firstError(o.format.validate(), o.asOf.validate())
}

func (o *pricesExplainOptions) run(ctx context.Context, s streams) error {
	eng, err := o.engine()
	if err != nil {
		return err
	}
	fl, err := eng.Floor(o.mineral, o.stage, o.asOf.date)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, fl)
	}
	return refprice.Explain(s.out, fl)
}

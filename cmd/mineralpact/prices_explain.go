package main

import (
	"context"

	"github.com/mineralpact/mineralpact/internal/refprice"
)

func runPricesExplain(ctx context.Context, args []string, s streams) error {
	fs := newFlags("prices explain")
	pf := addPriceFlags(fs)
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) of the floor in force")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one MINERAL/STAGE")
	}
	f, err := chooseFormat(*format, "text", "json")
	if err != nil {
		return err
	}
	m, st, err := splitMineralStage(pos[0])
	if err != nil {
		return err
	}
	d, err := requireDate("as-of", *asOf)
	if err != nil {
		return err
	}
	eng, _, err := pf.engine()
	if err != nil {
		return err
	}
	fl, err := eng.Floor(m, st, d)
	if err != nil {
		return err
	}
	if f == "json" {
		return writeJSON(s.out, fl)
	}
	return refprice.Explain(s.out, fl)
}

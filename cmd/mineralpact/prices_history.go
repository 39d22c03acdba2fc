package main

import (
	"context"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/refprice"
)

func runPricesHistory(ctx context.Context, args []string, s streams) error {
	fs := newFlags("prices history")
	pf := addPriceFlags(fs)
	from := fs.String("from", "", "first date (YYYY-MM-DD)")
	to := fs.String("to", "", "last date (YYYY-MM-DD)")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usagef("name one MINERAL/STAGE")
	}
	f, err := chooseFormat(*format, "table", "json", "csv")
	if err != nil {
		return err
	}
	m, st, err := splitMineralStage(pos[0])
	if err != nil {
		return err
	}
	fd, err := requireDate("from", *from)
	if err != nil {
		return err
	}
	td, err := requireDate("to", *to)
	if err != nil {
		return err
	}
	eng, _, err := pf.engine()
	if err != nil {
		return err
	}
	floors, herr := eng.History(m, st, fd, td)
	if herr != nil && len(floors) == 0 {
		return herr
	}
	if err := writeFloors(s, f, floors); err != nil {
		return err
	}
	if herr != nil {
		// The revisions before the failing one stand; say why the list stops.
		fmt.Fprintln(s.err, herr)
		return errReported
	}
	return nil
}

func writeFloors(s streams, format string, floors []refprice.Floor) error {
	if format == "json" {
		if floors == nil {
			floors = []refprice.Floor{}
		}
		return writeJSON(s.out, floors)
	}
	t := table{header: priceHeader}
	for i := range floors {
		t.add(priceRow(&floors[i])...)
	}
	if format == "csv" {
		return t.writeCSV(s.out)
	}
	t.header = upper(priceHeader)
	return t.writeText(s.out)
}

package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/refprice"
)

// pricesHistoryOptions are `prices history MINERAL/STAGE`: a floor's
// revisions between two dates.
type pricesHistoryOptions struct {
	priceOptions
	mineral, stage string
	from, to       dateOption
	format         formatOption
}

func (o *pricesHistoryOptions) bind(fs *flag.FlagSet) {
	o.priceOptions.bind(fs)
	o.from.bind(fs, "from", "first date (YYYY-MM-DD)")
	o.to.bind(fs, "to", "last date (YYYY-MM-DD)")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *pricesHistoryOptions) validate(pos []string) (err error) {
	if o.mineral, o.stage, err = oneMineralStage(pos); err != nil {
		return err
	}
	return firstError(o.format.validate(), o.from.validate(), o.to.validate())
}

func (o *pricesHistoryOptions) run(ctx context.Context, s streams) error {
	eng, err := o.engine()
	if err != nil {
		return err
	}
	floors, herr := eng.History(o.mineral, o.stage, o.from.date, o.to.date)
	if herr != nil && len(floors) == 0 {
		return herr
	}
	if err := writeFloors(s, o.format.name, floors); err != nil {
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
	t := table{header: priceHeader, right: []int{2}}
	for i := range floors {
		t.add(priceRow(&floors[i], forPeople(s, format))...)
	}
	return writeTable(s, format, &t)
}

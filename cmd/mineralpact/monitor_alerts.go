package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"strings"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/store"
)

// `monitor alerts import` stores what `monitor scan --format jsonl` wrote.
// The scan stays a pure reader of files that writes alerts; storing them is
// a second step over the same JSON Lines an analyst keeps, so a scan can be
// rerun, diffed and reviewed before it reaches the secretariat's store, and
// the API's scan jobs store through the same store.Monitor.PutScan.
type alertsImportOptions struct {
	files     []string
	asOf      dateOption
	margin    float64
	detectors multiFlag
	actor     actorOption
	db        *dbOption
	format    formatOption
}

func (o *alertsImportOptions) bind(fs *flag.FlagSet) {
	o.asOf.bind(fs, "as-of", "the scan's as-of date (YYYY-MM-DD)")
	fs.Float64Var(&o.margin, "margin", monitor.DefaultMargin, "how much a dismissed pattern must grow to be raised again (a share: 0.25 = 25%)")
	fs.Var(&o.detectors, "detector", "a detector the scan ran (repeat; default: all)")
	o.actor.bind(fs)
	o.db = dbFlag(fs)
	o.format.bind(fs, "text", "json")
}

func (o *alertsImportOptions) validate(pos []string) error {
	if len(pos) == 0 {
		return usagef("name the JSON Lines files a scan wrote")
	}
	o.files = pos
	if o.margin < 0 {
		return usagef("--margin %v: want a share of 0 or more", o.margin)
	}
	return firstError(o.asOf.validate(), o.format.validate())
}

func (o *alertsImportOptions) run(ctx context.Context, s streams) error {
	var alerts []monitor.Alert
	for _, name := range o.files {
		f, err := os.Open(name)
		if err != nil {
			return err
		}
		as, err := monitor.ReadAlerts(f, name)
		f.Close()
		if err != nil {
			return err
		}
		alerts = append(alerts, as...)
	}
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	who := o.actor.now()
	sc, err := st.PutScan(store.WithActing(ctx, who), store.Scan{AsOf: o.asOf.date.String(), Detectors: o.detectors, Source: strings.Join(o.files, " "),
		Margin: o.margin, CreatedAt: who.At}, alerts)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, sc)
	}
	fmt.Fprintf(s.out, "scan %d: %d alerts read, %d stored (%d already stored), %d suppressed as dismissed, %d regrown\n",
		sc.ID, sc.Alerts, sc.Stored, sc.Alerts-sc.Stored, sc.Suppressed, sc.Regrown)
	return nil
}

type alertsListOptions struct {
	filter store.AlertFilter
	db     *dbOption
	format formatOption
}

func (o *alertsListOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.filter.Detector, "detector", "", "only this detector's alerts")
	fs.StringVar(&o.filter.Importer, "importer", "", "only alerts on this importer")
	fs.StringVar(&o.filter.Exporter, "exporter", "", "only alerts on this exporter or origin")
	fs.StringVar(&o.filter.HS, "hs", "", "only alerts on this HS line")
	fs.StringVar(&o.filter.Status, "status", "", "only alerts of this status: "+strings.Join(store.AlertStatuses, ", ")+", or all (default: all but the suppressed)")
	fs.IntVar(&o.filter.Limit, "limit", 0, "at most this many (0: all)")
	o.db = dbFlag(fs)
	o.format.bind(fs, "table", "json", "csv")
}

func (o *alertsListOptions) validate(pos []string) error {
	if o.filter.Limit < 0 {
		return usagef("--limit %d: want 0 or more", o.filter.Limit)
	}
	return firstError(noArgs(pos), o.format.validate(), o.filter.Check())
}

func (o *alertsListOptions) run(ctx context.Context, s streams) error {
	st, err := openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	as, err := st.ListAlerts(ctx, o.filter)
	if err != nil {
		return err
	}
	if o.format.name == "json" {
		return writeJSON(s.out, nonNil(as))
	}
	tb := alertTable(as)
	if o.format.name == "csv" {
		return tb.writeCSV(s.out)
	}
	return tb.write(s)
}

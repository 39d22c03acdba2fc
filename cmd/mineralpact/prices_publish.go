package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"slices"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// publishUser is who publishes, in the audit trail.
const publishUser = "prices publish"

// pricesPublishOptions are `prices publish`. With --as-of it computes the
// floors in force on a date and stores each as a publication: publishing the
// same inputs again changes nothing, and a floor whose inputs changed since
// it was published is stored as a correction. With --through it publishes
// the schedule as serve does on start: every revision from the entry into
// force through the date that has no publication yet, never a correction. A
// floor that cannot be computed is reported on stderr after the others are
// stored, and the exit status is 1.
type pricesPublishOptions struct {
	agreement string
	asOf      dateOption
	through   dateOption
	db        *dbOption
	format    formatOption
}

func (o *pricesPublishOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the floors to publish (corrects a published revision whose inputs changed)")
	o.through.bind(fs, "through", "publish every revision of the schedule through this date (YYYY-MM-DD) not yet published")
	o.db = dbFlag(fs)
	o.format.bind(fs, "table", "json", "csv")
}

func (o *pricesPublishOptions) validate(pos []string) error {
	if (o.asOf.given == "") == (o.through.given == "") {
		return usagef("name one of --as-of DATE (the floors of a date) and --through DATE (the schedule up to a date)")
	}
	if o.through.given != "" {
		return firstError(noArgs(pos), o.format.validate(), o.through.validate())
	}
	return firstError(noArgs(pos), o.format.validate(), o.asOf.validate())
}

func (o *pricesPublishOptions) run(ctx context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	eng := env.prices()
	// publish stores what the mode says under the agreement version hash.
	var publish func(st store.Store, hash string, now time.Time) ([]service.PublishResult, problem.List, error)
	if o.through.given != "" {
		publish = func(st store.Store, hash string, now time.Time) ([]service.PublishResult, problem.List, error) {
			res, failed, err := service.PublishSchedule(ctx, st, hash, env.agreement, eng, o.through.date, now, publishUser)
			return res, problemList(failed), err
		}
	} else {
		floors, cerr := eng.Compute(o.asOf.date)
		var failed problem.List
		if cerr != nil && !errors.As(cerr, &failed) {
			return cerr // nothing computed: the date or the agreement is wrong
		}
		publish = func(st store.Store, hash string, now time.Time) ([]service.PublishResult, problem.List, error) {
			todo := make([]*refprice.Floor, len(floors))
			for i := range floors {
				todo[i] = &floors[i]
			}
			res, err := service.Publish(ctx, st, hash, todo, now, publishUser, map[string]any{"as_of": o.asOf.date.String(), "failed": len(failed)})
			return res, failed, err
		}
	}
	st, err := env.openStore(ctx, o.db.dsn, publishUser)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := env.agreement.Hash()
	if err != nil {
		return err
	}
	res, failed, err := publish(st, hash, time.Now().UTC()) // the adapter's clock, never the engine's
	if err != nil {
		return err
	}
	if err := writePublished(s, o.format.name, res); err != nil {
		return err
	}
	reportStageOrder(s, publishedOrder(eng, o.asOf.date, res))
	reportPrecision(s, env, "", "")
	return reportProblems(s, "not published: ", failed)
}

// publishedOrder checks the stage order of the floors in force on each date a
// floor of the run starts (with --as-of, that date only), as computed by eng:
// the floors just published or found unchanged. Every pair out of order is a
// warning; none stops the run or changes its exit status.
func publishedOrder(eng *refprice.Engine, asOf date.Date, res []service.PublishResult) []refprice.StageOrderWarning {
	dates := []date.Date{asOf}
	if asOf.IsZero() {
		seen := map[date.Date]bool{}
		dates = nil
		for _, r := range res {
			if d := r.Publication.ValidFrom; !seen[d] {
				seen[d] = true
				dates = append(dates, d)
			}
		}
		slices.SortFunc(dates, func(x, y date.Date) int { return x.Compare(y) })
	}
	var out []refprice.StageOrderWarning
	for _, d := range dates {
		floors, _ := eng.Compute(d) // a floor that cannot be computed is reported as not published
		out = append(out, eng.StageOrder(d, refprice.FloorRefs(floors))...)
	}
	return out
}

// problemList is errs as problems, for reportProblems.
func problemList(errs []error) problem.List {
	var l problem.List
	for _, e := range errs {
		pe, ok := errors.AsType[*problem.Error](e)
		if !ok {
			pe = &problem.Error{Code: problem.Internal, Message: e.Error()}
		}
		l = append(l, pe)
	}
	return l
}

func writePublished(s streams, format string, res []service.PublishResult) error {
	rows := make([]service.PublishedRow, 0, len(res))
	for _, r := range res {
		rows = append(rows, r.Row())
	}
	if format == "json" {
		return writeJSON(s.out, rows)
	}
	header := []string{"mineral", "stage", "price", "per", "valid_from", "publication", "outcome", "supersedes", "flags"}
	t := table{header: header, right: []int{2, 5, 7}}
	human := forPeople(s, format)
	for _, r := range rows {
		sup, flags := "", ""
		if r.Supersedes != 0 {
			sup = fmt.Sprint(r.Supersedes)
		}
		if r.Illustrative {
			flags = "illustrative"
		}
		price := r.Price
		if human {
			price = formatDecimal(price, priceCents)
		}
		t.add(r.Mineral, r.Stage, price, r.Currency+"/"+r.Unit, r.ValidFrom, fmt.Sprint(r.Publication), r.Outcome, sup, flags)
	}
	return writeTable(s, format, &t)
}

package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Outcomes of publishing one floor.
const (
	published   = "created"
	unchanged   = "unchanged" // the same inputs were already published
	corrected   = "corrected" // new inputs for a published revision: supersedes it
	publishUser = "prices publish"
)

// publishRow is one floor of a run of prices publish, as --format json writes it.
type publishRow struct {
	Mineral      string `json:"mineral"`
	Stage        string `json:"stage"`
	Price        string `json:"price"`
	Currency     string `json:"currency"`
	Unit         string `json:"unit"`
	ValidFrom    string `json:"valid_from"`
	Publication  int64  `json:"publication"`
	Outcome      string `json:"outcome"`
	Supersedes   int64  `json:"supersedes,omitempty"`
	Illustrative bool   `json:"illustrative"`
}

// pricesPublishOptions are `prices publish`: it computes the floors in force
// on a date and stores each as a publication. Publishing the same inputs
// again changes nothing; a floor whose inputs changed since it was published
// is stored as a correction. A floor that cannot be computed is reported on
// stderr after the others are stored, and the exit status is 1.
type pricesPublishOptions struct {
	agreement string
	asOf      dateOption
	db        *dbOption
	format    formatOption
}

func (o *pricesPublishOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the floors to publish")
	o.db = dbFlag(fs)
	o.format.bind(fs, "table", "json", "csv")
}

func (o *pricesPublishOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), o.asOf.validate())
}

func (o *pricesPublishOptions) run(ctx context.Context, s streams) error {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	floors, cerr := env.prices().Compute(o.asOf.date)
	var failed problem.List
	if cerr != nil && !errors.As(cerr, &failed) {
		return cerr // nothing computed: the date or the agreement is wrong
	}
	st, err := env.openStore(ctx, o.db.dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	hash, err := env.agreement.Hash()
	if err != nil {
		return err
	}
	now := time.Now().UTC() // the adapter's clock, never the engine's
	rows := make([]publishRow, 0, len(floors))
	counts := map[string]int{}
	for i := range floors {
		row, err := publishFloor(ctx, st, hash, &floors[i], now)
		if err != nil {
			return err
		}
		counts[row.Outcome]++
		rows = append(rows, row)
	}
	detail, _ := json.Marshal(map[string]any{"as_of": o.asOf.date.String(), published: counts[published], unchanged: counts[unchanged], corrected: counts[corrected], "failed": len(failed)})
	if _, err := st.AppendAudit(ctx, store.AuditRecord{At: now, Actor: publishUser, Action: "prices.publish", Subject: "agreement:" + hash, Detail: detail}); err != nil {
		return err
	}
	if err := writePublished(s, o.format.name, rows); err != nil {
		return err
	}
	return reportProblems(s, "not published: ", failed)
}

// publishFloor stores one floor and says what the store did with it.
func publishFloor(ctx context.Context, st store.Store, hash string, fl *refprice.Floor, now time.Time) (publishRow, error) {
	body, err := json.Marshal(fl)
	if err != nil {
		return publishRow{}, err
	}
	p, created, err := st.PutPublication(ctx, store.Publication{
		AgreementHash: hash, Mineral: fl.Mineral, Stage: fl.Stage, ValidFrom: fl.ValidFrom, ValidTo: fl.ValidTo,
		Price: fl.Price, Currency: fl.Currency, Unit: fl.Unit, Method: string(fl.Method), InputsHash: fl.InputsHash,
		Illustrative: fl.Illustrative, Body: body, PublishedAt: now,
	})
	if err != nil {
		return publishRow{}, err
	}
	outcome := unchanged
	switch {
	case created && p.Supersedes != 0:
		outcome = corrected
	case created:
		outcome = published
	}
	return publishRow{Mineral: fl.Mineral, Stage: fl.Stage, Price: p.Price.String(), Currency: p.Currency, Unit: p.Unit,
		ValidFrom: p.ValidFrom.String(), Publication: p.ID, Outcome: outcome, Supersedes: p.Supersedes, Illustrative: p.Illustrative}, nil
}

func writePublished(s streams, format string, rows []publishRow) error {
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

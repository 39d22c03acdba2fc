package main

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
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

// runPricesPublish computes the floors in force on a date and stores each as
// a publication. Publishing the same inputs again changes nothing; a floor
// whose inputs changed since it was published is stored as a correction. A
// floor that cannot be computed is reported on stderr after the others are
// stored, and the exit status is 1.
func runPricesPublish(ctx context.Context, args []string, s streams) error {
	fs := newFlags("prices publish")
	file := fs.String("agreement", "example", "agreement file (example: the shipped examples/pact-2026.yaml)")
	asOf := fs.String("as-of", "", "date (YYYY-MM-DD) of the floors to publish")
	dsn := fs.String("db", "sqlite:mineralpact.db", "store: sqlite:PATH or postgres://...")
	format := formatFlag(fs)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usagef("takes no arguments")
	}
	f, err := chooseFormat(*format, "table", "json", "csv")
	if err != nil {
		return err
	}
	d, err := requireDate("as-of", *asOf)
	if err != nil {
		return err
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	a, src, err := loadAgreement(*file)
	if err != nil {
		return err
	}
	floors, cerr := refprice.New(a, priceSources(reg)).Compute(d)
	var failed problem.List
	if cerr != nil && !errors.As(cerr, &failed) {
		return cerr // nothing computed: the date or the agreement is wrong
	}
	st, err := openStore(ctx, *dsn)
	if err != nil {
		return err
	}
	defer st.Close()
	if err := recordAgreement(ctx, st, a, src, *file); err != nil {
		return err
	}
	hash, err := a.Hash()
	if err != nil {
		return err
	}
	now := time.Now().UTC() // the adapter's clock, never the engine's
	rows := make([]publishRow, 0, len(floors))
	counts := map[string]int{}
	for i := range floors {
		fl := &floors[i]
		row, err := publishFloor(ctx, st, hash, fl, now)
		if err != nil {
			return err
		}
		counts[row.Outcome]++
		rows = append(rows, row)
	}
	detail, _ := json.Marshal(map[string]any{"as_of": d.String(), published: counts[published], unchanged: counts[unchanged], corrected: counts[corrected], "failed": len(failed)})
	if _, err := st.AppendAudit(ctx, store.AuditRecord{At: now, Actor: publishUser, Action: "prices.publish", Subject: "agreement:" + hash, Detail: detail}); err != nil {
		return err
	}
	if err := writePublished(s, f, rows); err != nil {
		return err
	}
	if len(failed) > 0 {
		for _, e := range failed {
			fmt.Fprintf(s.err, "not published: %v\n", e)
		}
		return errReported
	}
	return nil
}

// publishFloor stores one floor and says what the store did with it.
func publishFloor(ctx context.Context, st store.Store, hash string, fl *refprice.Floor, now time.Time) (publishRow, error) {
	body, err := json.Marshal(fl)
	if err != nil {
		return publishRow{}, err
	}
	p, created, err := st.PutPublication(ctx, store.Publication{
		AgreementHash: hash, Mineral: fl.Mineral, Stage: fl.Stage, ValidFrom: fl.ValidFrom, ValidTo: fl.ValidTo,
		Price: fl.Price, Currency: fl.Currency, Unit: fl.Unit, Method: fl.Method, InputsHash: fl.InputsHash,
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
	t := table{header: header}
	for _, r := range rows {
		sup, flags := "", ""
		if r.Supersedes != 0 {
			sup = fmt.Sprint(r.Supersedes)
		}
		if r.Illustrative {
			flags = "illustrative"
		}
		t.add(r.Mineral, r.Stage, r.Price, r.Currency+"/"+r.Unit, r.ValidFrom, fmt.Sprint(r.Publication), r.Outcome, sup, flags)
	}
	if format == "csv" {
		return t.writeCSV(s.out)
	}
	t.header = upper(header)
	return t.writeText(s.out)
}

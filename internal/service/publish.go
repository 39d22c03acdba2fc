package service

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/store"
)

// What the store did with a floor offered for publication.
const (
	Published = "created"   // a new publication
	Unchanged = "unchanged" // the same inputs were published already: nothing stored
	Corrected = "corrected" // new inputs for a published revision: a correction that supersedes it
)

// Publisher is what publishing needs of a store: the publications and the
// audit trail.
type Publisher interface {
	store.Publications
	store.Audit
}

// PublishResult is one floor offered for publication and what became of it.
type PublishResult struct {
	Floor       *refprice.Floor
	Publication store.Publication
	Outcome     string
}

// PublishedRow is one floor offered for publication and what became of it,
// as `prices publish --format json` and POST /v1/publications answer it.
type PublishedRow struct {
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

// Row is r as a PublishedRow.
func (r PublishResult) Row() PublishedRow {
	p := r.Publication
	return PublishedRow{Mineral: p.Mineral, Stage: p.Stage, Price: p.Price.String(), Currency: p.Currency, Unit: p.Unit,
		ValidFrom: p.ValidFrom.String(), Publication: p.ID, Outcome: r.Outcome, Supersedes: p.Supersedes, Illustrative: p.Illustrative}
}

// Publish stores floors as publications under the agreement version hash, at
// time at (the caller's clock, never an engine's), and appends one audit
// record of the action by actor with detail (plus the counts). Publishing the
// same inputs again stores nothing; different inputs for a published revision
// are a correction that supersedes it.
func Publish(ctx context.Context, st Publisher, hash string, floors []*refprice.Floor, at time.Time, actor string, detail map[string]any) ([]PublishResult, error) {
	out := make([]PublishResult, 0, len(floors))
	counts := map[string]int{}
	// Each publication is an audit record of its own, by actor at at (the
	// store writes it with the row); this action's record below sums them.
	ctx = store.WithActing(ctx, store.Acting{Actor: actor, At: at})
	for _, fl := range floors {
		body, err := json.Marshal(fl)
		if err != nil {
			return out, err
		}
		p, created, err := st.PutPublication(ctx, store.Publication{
			AgreementHash: hash, Mineral: fl.Mineral, Stage: fl.Stage, ValidFrom: fl.ValidFrom, ValidTo: fl.ValidTo,
			Price: fl.Price, Currency: fl.Currency, Unit: fl.Unit, Method: string(fl.Method), InputsHash: fl.InputsHash,
			Illustrative: fl.Illustrative, Body: body, PublishedAt: at,
		})
		if err != nil {
			return out, err
		}
		outcome := Unchanged
		switch {
		case created && p.Supersedes != 0:
			outcome = Corrected
		case created:
			outcome = Published
		}
		counts[outcome]++
		out = append(out, PublishResult{Floor: fl, Publication: p, Outcome: outcome})
	}
	d := map[string]any{Published: counts[Published], Unchanged: counts[Unchanged], Corrected: counts[Corrected]}
	for k, v := range detail {
		d[k] = v
	}
	b, err := json.Marshal(d)
	if err != nil {
		return out, err
	}
	_, err = st.AppendAudit(ctx, store.AuditRecord{At: at, Actor: actor, Action: "prices.publish", Subject: "agreement:" + hash, Detail: b})
	return out, err
}

// PublishSchedule publishes every revision of every floor in scope of a,
// from its entry into force through the date through, that has no
// publication yet; it never corrects one (a correction is the secretariat's
// deliberate act: `mineralpact prices publish`). e computes the floors over
// a. It is what `serve` does on start, so that it never assesses against an
// unpublished floor. A floor that cannot be computed is returned in problems
// and the rest are published.
func PublishSchedule(ctx context.Context, st Publisher, hash string, a *agreement.Agreement, e *refprice.Engine, through date.Date, at time.Time, actor string) ([]PublishResult, []error, error) {
	if through.Before(a.EntryIntoForce) {
		return nil, nil, nil
	}
	var todo []*refprice.Floor
	var problems []error
	for _, m := range a.Minerals {
		for _, st0 := range m.Stages {
			floors, err := e.History(m.ID, string(st0.Stage), a.EntryIntoForce, through)
			if err != nil {
				problems = append(problems, err)
			}
			for i := range floors {
				fl := &floors[i]
				if _, err := st.CurrentPublication(ctx, hash, fl.Mineral, fl.Stage, fl.ValidFrom); err == nil {
					continue
				} else if !isNotFound(err) {
					return nil, problems, err
				}
				todo = append(todo, fl)
			}
		}
	}
	if len(todo) == 0 {
		return nil, problems, nil
	}
	res, err := Publish(ctx, st, hash, todo, at, actor, map[string]any{"schedule_through": through.String(), "failed": len(problems)})
	return res, problems, err
}

package service

import (
	"context"
	"encoding/json"
	"io/fs"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Config is what Start builds the services from.
type Config struct {
	Registry      *registry.Registry
	Store         store.Store
	Agreement     *agreement.Agreement
	AgreementFile string
	// Prices computes floors live over Agreement; Backcast (optional) is the
	// same with refprice.Backcast; NewPrices (optional) makes the engine of
	// an agreement sent with a simulation request.
	Prices, Backcast *refprice.Engine
	NewPrices        func(*agreement.Agreement) *refprice.Engine
	Data             fs.FS
	// Today is the last date whose floors are published on start, and Now
	// the time recorded: the caller's clock, never an engine's.
	Today date.Date
	Now   time.Time
	// Actor names who started the services in the audit trail ("serve").
	Actor string
	// SimWorkers and SimQueue size the simulation queue (0: no queue).
	SimWorkers, SimQueue int
	// FloorRefresh is how long the node trusts the publication it read for
	// a date before asking the store again: a correction published by
	// another node applies within it (0: store.DefaultRefresh, a second;
	// negative: ask every time).
	FloorRefresh time.Duration
}

// Start records the served agreement version, publishes every revision of
// its schedule through cfg.Today that is not published yet (an audited
// action; see PublishSchedule), and builds the services over the published
// floors: the assessor reads them and never a live computation, and its
// quotas go through the store's ledger. It returns the floors that could not
// be computed, which stay unpublished (an assessment that needs one says so).
func Start(ctx context.Context, cfg Config) (*Services, []error, error) {
	hash, err := RecordAgreement(ctx, cfg.Store, cfg.Agreement, cfg.AgreementFile, cfg.Actor, cfg.Now)
	if err != nil {
		return nil, nil, err
	}
	_, problems, err := PublishSchedule(ctx, cfg.Store, hash, cfg.Agreement, cfg.Prices, cfg.Today, cfg.Now, cfg.Actor)
	if err != nil {
		return nil, problems, err
	}
	floors := store.NewFloorSource(cfg.Store, hash, cfg.FloorRefresh)
	as, err := duty.New(cfg.Agreement, cfg.Registry, floors, duty.WithLedger(cfg.Store))
	if err != nil {
		return nil, problems, err
	}
	s := &Services{Registry: cfg.Registry, Store: cfg.Store, Agreement: cfg.Agreement, AgreementFile: cfg.AgreementFile,
		Floors: floors, Prices: cfg.Prices, Backcast: cfg.Backcast, NewPrices: cfg.NewPrices, Data: cfg.Data,
		Assessor: as, Ledger: cfg.Store, Recorder: store.NewRecorder(cfg.Store, 0)}
	if cfg.SimWorkers > 0 {
		s.Simulations = NewSimulations(cfg.Store, cfg.SimWorkers, cfg.SimQueue)
	}
	return s, problems, nil
}

// RecordAgreement stores the agreement version a, content-addressed, notes in
// the audit trail that actor loaded it from file, and returns its hash.
func RecordAgreement(ctx context.Context, st store.Store, a *agreement.Agreement, file, actor string, at time.Time) (string, error) {
	canon, err := a.Canonical()
	if err != nil {
		return "", err
	}
	hash, err := a.Hash()
	if err != nil {
		return "", err
	}
	created, err := st.PutAgreement(ctx, store.AgreementVersion{Hash: hash, Name: a.ID, Canonical: canon, StoredAt: at})
	if err != nil {
		return "", err
	}
	detail, _ := json.Marshal(map[string]any{"file": file, "created": created})
	_, err = st.AppendAudit(ctx, store.AuditRecord{At: at, Actor: actor, Action: "agreement.loaded", Subject: "agreement:" + hash, Detail: detail})
	return hash, err
}

package main

import (
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
)

// dutyService is what the assessment routes and the duty calculator need: an
// assessor whose quotas go through the store's ledger, and a recorder that
// group-commits assessments to the store.
type dutyService struct {
	assessor *duty.Assessor
	ledger   duty.QuotaLedger
	recorder *store.Recorder
}

// newDutyService wires the duty engine to st; Close stops its recorder.
func newDutyService(st store.Store, a *agreement.Agreement, reg *registry.Registry, prices *refprice.Engine) (*dutyService, error) {
	as, err := duty.New(a, reg, prices, duty.WithLedger(st))
	if err != nil {
		return nil, err
	}
	return &dutyService{assessor: as, ledger: st, recorder: store.NewRecorder(st, 0)}, nil
}

// Close commits the assessments still queued.
func (d *dutyService) Close() { d.recorder.Close() }

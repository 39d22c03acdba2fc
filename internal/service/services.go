// Package service holds what the API and the portal serve from: one
// Services struct, built once by `mineralpact serve` and shared by both, and
// the application services behind it that are neither an engine nor HTTP:
// publishing the floors (the secretariat's act) and the queue of long
// simulation runs.
package service

import (
	"context"
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Services is what the API and the portal serve from. Registry and Agreement
// are required; a nil service makes the routes that need it answer
// "unavailable".
type Services struct {
	Registry      *registry.Registry
	Store         store.Store
	Agreement     *agreement.Agreement
	AgreementFile string // the file the agreement was loaded from, named in answers

	// Floors are the floors published under Agreement: the law that
	// assessments apply, simulations of the served agreement read and the
	// price pages show.
	Floors Floors
	// Prices computes floors live over Agreement. It serves what a
	// publication does not hold (the market series and cost curve behind a
	// floor's charts) and previews; Backcast, optional, is the same engine
	// with refprice.Backcast, for charts that start before the entry into
	// force.
	Prices, Backcast *refprice.Engine
	// Data is the data directory (cost curves) simulations read; NewPrices
	// makes the live engine of an agreement sent with a simulation request (a
	// design preview; nil: only the served agreement is simulated).
	Data      fs.FS
	NewPrices func(*agreement.Agreement) *refprice.Engine

	// Assessor assesses declarations against Floors, with its quotas
	// allocated through Ledger (the store's); Recorder group-commits the
	// assessments to the store.
	Assessor *duty.Assessor
	Ledger   duty.QuotaLedger
	Recorder *store.Recorder

	// Simulations runs the long simulation jobs; nil: runs that need the
	// queue are refused.
	Simulations *Simulations
}

// Floors is the published floors as the API and the portal read them;
// *store.FloorSource implements it.
type Floors interface {
	Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
	Floors(ctx context.Context, on date.Date) ([]*refprice.Floor, error)
	History(ctx context.Context, mineral, stage string, from, to date.Date) ([]*refprice.Floor, error)
}

var _ Floors = (*store.FloorSource)(nil)

// Close stops what runs in the background: the simulation queue (a running
// job is cancelled and recorded as interrupted) and the assessment recorder
// (what is queued is committed).
func (s *Services) Close() {
	if s.Simulations != nil {
		s.Simulations.Close()
	}
	if s.Recorder != nil {
		s.Recorder.Close()
	}
}

func isNotFound(err error) bool { return problem.CodeOf(err) == problem.NotFound }

var _ Floors = (*refprice.InProcess)(nil)

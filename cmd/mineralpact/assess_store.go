package main

import (
	"context"
	"fmt"
	"io"
	"sync/atomic"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
)

// assessActor is `assess --db` in the audit trail.
const assessActor = "assess (command line)"

// recordGroup is how many assessments `assess --db` records per transaction.
const recordGroup = 1000

// assessRecording is `assess --db`: quotas are allocated through the store's
// ledger (idempotent per declaration, so a re-run allocates nothing new) and
// every assessment written to the output is recorded in the store, with its
// trace, once per agreement version and declaration (a re-run records nothing
// new). The assessments come from the bulk run's sink, in output order,
// whatever the output format.
type assessRecording struct {
	st     store.Store
	hash   string
	ledger *countingLedger
	now    time.Time // the adapter's clock, never an engine's
	actor  string    // who records, in the audit trail

	group    []*duty.Result
	groups   chan []*duty.Result // nil once closed
	done     chan struct{}
	err      atomic.Pointer[error] // the first failure to record
	recorded atomic.Int64
	existing atomic.Int64
}

// openAssessRecording opens the store named by dsn and stores the agreement
// version the assessments refer to.
func openAssessRecording(ctx context.Context, env *loaded, dsn string) (*assessRecording, error) {
	st, err := env.openStore(ctx, dsn, assessActor)
	if err != nil {
		return nil, err
	}
	hash, err := env.agreement.Hash()
	if err != nil {
		st.Close()
		return nil, err
	}
	// Every assessment and allocation of the run is one audit record, all
	// with the run's actor and time.
	who := store.Acting{Actor: assessActor, At: time.Now().UTC()}
	return &assessRecording{st: st, hash: hash, ledger: &countingLedger{l: st, who: who}, now: who.At, actor: who.Actor}, nil
}

// start starts recording and returns the sink of the bulk run
// (duty.BulkOptions.Sink): it gathers assessments in groups, which a
// goroutine records, one transaction each, while the run goes on.
func (r *assessRecording) start(ctx context.Context) func(*duty.Result) error {
	r.groups = make(chan []*duty.Result, 2)
	r.done = make(chan struct{})
	go func() {
		defer close(r.done)
		for g := range r.groups {
			if r.failure() != nil {
				continue // drain: the run stops at its next group
			}
			if err := r.record(ctx, g); err != nil {
				r.err.Store(&err)
			}
		}
	}()
	return func(res *duty.Result) error {
		r.group = append(r.group, res)
		if len(r.group) < recordGroup {
			return nil
		}
		return r.send()
	}
}

// failure is the first error recording met, or nil.
func (r *assessRecording) failure() error {
	if p := r.err.Load(); p != nil {
		return *p
	}
	return nil
}

// send hands the group gathered to the recording goroutine; it fails once
// recording has.
func (r *assessRecording) send() error {
	if err := r.failure(); err != nil {
		return err
	}
	r.groups <- r.group
	r.group = make([]*duty.Result, 0, recordGroup)
	return nil
}

// wait records what is left once the run is over and reports how recording
// went.
func (r *assessRecording) wait() error {
	if r.groups == nil {
		return r.failure()
	}
	if len(r.group) > 0 {
		r.send() // a failure is reported below
	}
	close(r.groups)
	r.groups = nil
	<-r.done
	return r.failure()
}

// record records one group of assessments in one transaction.
func (r *assessRecording) record(ctx context.Context, g []*duty.Result) error {
	recs := make([]store.AssessmentRecord, len(g))
	for i, res := range g {
		var err error
		if recs[i], err = store.NewAssessmentRecord(r.hash, res, r.actor, r.now); err != nil {
			return err
		}
	}
	created, err := r.st.PutAssessments(ctx, recs)
	if err != nil {
		return err
	}
	for _, c := range created {
		if c {
			r.recorded.Add(1)
		} else {
			r.existing.Add(1)
		}
	}
	return nil
}

// close ends recording, if a failure cut the run short, and closes the store.
func (r *assessRecording) close() {
	r.wait()
	r.st.Close()
}

// summary says what the run changed in the store.
func (r *assessRecording) summary(w io.Writer) {
	fmt.Fprintf(w, "store: %d assessments recorded, %d already recorded (kept, not counted again); quota: %d allocations made, %d repeated (earlier grant returned)\n",
		r.recorded.Load(), r.existing.Load(), r.ledger.fresh.Load(), r.ledger.repeats.Load())
}

// countingLedger counts what a run allocated and what it found allocated,
// and tells the store who allocates.
type countingLedger struct {
	l              duty.QuotaLedger
	who            store.Acting
	fresh, repeats atomic.Int64
}

func (c *countingLedger) Allocate(ctx context.Context, b duty.QuotaBatch, reqs []duty.Request) ([]duty.Grant, error) {
	gs, err := c.l.Allocate(store.WithActing(ctx, c.who), b, reqs)
	for _, g := range gs {
		if g.Repeat {
			c.repeats.Add(1)
		} else {
			c.fresh.Add(1)
		}
	}
	return gs, err
}

func (c *countingLedger) Usage(ctx context.Context, quota string, periodStart date.Date) (duty.QuotaUsage, error) {
	return c.l.Usage(ctx, quota, periodStart)
}

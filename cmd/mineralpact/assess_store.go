package main

import (
	"bufio"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/store"
)

// recordGroup is how many assessments `assess --db` records per transaction.
const recordGroup = 1000

// assessRecording is `assess --db`: quotas are allocated through the store's
// ledger (idempotent per declaration, so a re-run allocates nothing new) and
// every assessment written to the output is recorded in the store, once per
// agreement version and declaration (a re-run records nothing new).
type assessRecording struct {
	st     store.Store
	closer io.Closer
	hash   string
	ledger *countingLedger

	pw       *io.PipeWriter
	done     chan error
	recorded atomic.Int64
	existing atomic.Int64
}

// openAssessRecording opens the store named by dsn and stores the agreement
// version the assessments refer to.
func openAssessRecording(ctx context.Context, dsn string, ag *agreement.Agreement, src *agreement.Source, file string) (*assessRecording, error) {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, err
	}
	ds := st
	if err := recordAgreement(ctx, st, ag, src, file); err != nil {
		st.Close()
		return nil, err
	}
	hash, err := ag.Hash()
	if err != nil {
		st.Close()
		return nil, err
	}
	return &assessRecording{st: ds, closer: st, hash: hash, ledger: &countingLedger{l: ds}}, nil
}

// options makes the assessor allocate through the store's ledger.
func (r *assessRecording) options() []duty.Option {
	if r == nil {
		return nil
	}
	return []duty.Option{duty.WithLedger(r.ledger)}
}

// tee returns out with a copy of everything written to it going to the
// recorder, which reads the assessments back in format (csv or jsonl).
func (r *assessRecording) tee(ctx context.Context, out io.Writer, format string) io.Writer {
	pr, pw := io.Pipe()
	r.pw = pw
	r.done = make(chan error, 1)
	go func() {
		err := r.record(ctx, pr, format)
		pr.CloseWithError(err) // unblock the writer if recording failed
		r.done <- err
	}()
	return io.MultiWriter(out, pw)
}

// wait ends the recording once the assessments are all written.
func (r *assessRecording) wait() error {
	r.pw.Close()
	return <-r.done
}

func (r *assessRecording) close() { r.closer.Close() }

// record reads assessments as assess writes them and records them in groups.
func (r *assessRecording) record(ctx context.Context, in io.Reader, format string) error {
	now := time.Now().UTC() // the adapter's clock, never an engine's
	group := make([]store.AssessmentRecord, 0, recordGroup)
	flush := func() error {
		if len(group) == 0 {
			return nil
		}
		created, err := r.st.PutAssessments(ctx, group)
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
		group = group[:0]
		return nil
	}
	add := func(res duty.Result, body []byte) error {
		total, err := dec.Parse(res.TotalDuty)
		if err != nil {
			return fmt.Errorf("assessment %s: total_duty %q: %v", res.ID, res.TotalDuty, err)
		}
		group = append(group, store.AssessmentRecord{AgreementHash: r.hash, DeclarationID: res.ID, Body: body, TotalDuty: total, Currency: res.Currency, CreatedAt: now})
		if len(group) == recordGroup {
			return flush()
		}
		return nil
	}
	if format == "jsonl" {
		br := bufio.NewReaderSize(in, 1<<20)
		for {
			line, err := br.ReadBytes('\n')
			if len(strings.TrimSpace(string(line))) > 0 {
				var res duty.Result
				if jerr := json.Unmarshal(line, &res); jerr != nil {
					return fmt.Errorf("reading an assessment back: %v", jerr)
				}
				if aerr := add(res, []byte(strings.TrimSpace(string(line)))); aerr != nil {
					return aerr
				}
			}
			if errors.Is(err, io.EOF) {
				return flush()
			}
			if err != nil {
				return err
			}
		}
	}
	cr := csv.NewReader(bufio.NewReaderSize(in, 1<<20))
	cr.ReuseRecord = true
	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		return nil
	}
	if err != nil {
		return err
	}
	if strings.Join(header, ",") != strings.Join(duty.Columns, ",") {
		return fmt.Errorf("reading assessments back: unexpected header %q", strings.Join(header, ","))
	}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			return flush()
		}
		if err != nil {
			return err
		}
		res := resultOf(rec)
		body, err := json.Marshal(res)
		if err != nil {
			return err
		}
		if err := add(res, body); err != nil {
			return err
		}
	}
}

// resultOf reads one CSV output row (duty.Columns) back into a Result.
func resultOf(c []string) duty.Result {
	return duty.Result{ID: c[0], Importer: c[1], Party: c[2], Origin: c[3], HSCode: c[4], Mineral: c[5], Stage: c[6], Content: c[7],
		ContainedQuantity: c[8], ContainedUnit: c[9], CustomsValue: c[10], UnitPrice: c[11], Floor: c[12], FloorCurrency: c[13],
		FXMonth: c[14], BaseDuty: c[15], VariableDuty: c[16], Surcharge: c[17], Quota: c[18], InQuotaQuantity: c[19],
		QuotaStatus: c[20], Undertaking: c[21], UndertakingBreach: c[22] == "true", TotalDuty: c[23], Currency: c[24]}
}

// summary says what the run changed in the store.
func (r *assessRecording) summary(w io.Writer) {
	fmt.Fprintf(w, "store: %d assessments recorded, %d already recorded (kept, not counted again); quota: %d allocations made, %d repeated (earlier grant returned)\n",
		r.recorded.Load(), r.existing.Load(), r.ledger.fresh.Load(), r.ledger.repeats.Load())
}

// countingLedger counts what a run allocated and what it found allocated.
type countingLedger struct {
	l              duty.QuotaLedger
	fresh, repeats atomic.Int64
}

func (c *countingLedger) Allocate(ctx context.Context, b duty.QuotaBatch, reqs []duty.Request) ([]duty.Grant, error) {
	gs, err := c.l.Allocate(ctx, b, reqs)
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

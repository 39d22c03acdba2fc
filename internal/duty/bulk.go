package duty

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"runtime"
	"sync"
)

// The bulk pipeline (docs/declarations.md, "Quotas and the ledger" and
// "Performance"): a reader cuts the input into batches of records, workers
// decode and assess them in parallel (bulk_work.go), and one writer puts the
// rows back in input order, allocating quotas as it goes (bulk_write.go).
// The rules themselves are in assess.go; the workers' caches in cache.go.

// BulkOptions configure AssessStream.
type BulkOptions struct {
	Format  string // "csv" (default) or "jsonl", for input, output and errors alike
	Workers int    // 0: one per core
	Trace   bool   // jsonl: add each assessment's trace
	// Duties adds the duties column to CSV output: every duty line of the
	// row in one cell (docs/declarations.md, "Reading the duty lines").
	// JSON Lines always list them. The other columns already show the base
	// duty, the variable duty, the surcharge and the sum of the rest; the
	// cell is asked for, since it makes each row about 30% longer.
	Duties bool
	// Progress, if set, is called from the writer after each batch with the
	// number of rows finished so far.
	Progress func(rows int64)
	// MaxPending bounds how many rows may wait for a pro-rata day to close
	// before that day is settled early (0: 1,000,000).
	MaxPending int
	// Sink, if set, receives every assessment written to the output, in
	// output order and with its trace, whatever the format: assess --db
	// records through it. An error stops the run.
	Sink func(r *Result) error
}

// Summary is what a bulk run did: every row read is either assessed or rejected.
type Summary struct {
	Read     int64         `json:"rows_read"`
	Assessed int64         `json:"rows_assessed"`
	Rejected int64         `json:"rows_rejected"`
	Duty     []SummaryLine `json:"duty"`
}

// SummaryLine is the duty assessed on one party's imports of one mineral at
// one stage, in the party's currency.
type SummaryLine struct {
	Party    string `json:"party"`
	Mineral  string `json:"mineral"`
	Stage    string `json:"stage"`
	Rows     int64  `json:"rows"`
	Total    string `json:"total_duty"`
	Currency string `json:"currency"`
}

const batchRows = 512

type batch struct {
	seq   int64
	recs  [][]byte
	lines []int
	row0  int // row number of recs[0] (1 = first data row)
	buf   []byte
	offs  []int
	bad   []badRow // rows the reader rejected, in order of i

	out  []byte
	res  []rowResult
	done chan struct{}
}

type rowResult struct {
	end int // end of the row's output in out
	err *FieldError
	as  *Assessment // set when a quota allocation is pending
	res *Result     // for the sink, when there is one
}

// AssessStream assesses every declaration of in and writes one output row per
// assessed declaration to out, in input order, and one error row per rejected
// declaration to errs. Records are decoded and assessed by parallel workers;
// quota allocation happens in one place, the writer, in input order, so the
// result does not depend on the number of workers. An error is returned only
// when the input is unusable as a whole (a bad header) or a write fails.
func (a *Assessor) AssessStream(ctx context.Context, in io.Reader, out, errs io.Writer, opt BulkOptions) (*Summary, error) {
	if opt.Format == "" {
		opt.Format = "csv"
	}
	if opt.Format != "csv" && opt.Format != "jsonl" {
		return nil, fmt.Errorf("format %q: want csv or jsonl", opt.Format)
	}
	workers := opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	if opt.MaxPending <= 0 {
		opt.MaxPending = 1_000_000
	}
	rd := &reader{br: bufio.NewReaderSize(in, 1<<20), jsonl: opt.Format == "jsonl"}
	var hdr *Header
	if opt.Format == "csv" {
		var err error
		if hdr, err = rd.header(); err != nil {
			return nil, err
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *batch, workers*2)
	order := make(chan *batch, workers*4+4)
	// Batches the writer is done with go back to the reader, so that their
	// buffers are reused rather than left to the collector.
	free := make(chan *batch, workers*6+8)
	go rd.run(ctx, work, order, free)
	var wg sync.WaitGroup
	ws := make([]*worker, workers)
	for i := range ws {
		w := &worker{a: a, hdr: hdr, opt: opt, c: newLCache(), sums: map[sumSlot]*sumAcc{}}
		ws[i] = w
		wg.Go(func() {
			for b := range work {
				w.do(b)
				close(b.done)
			}
		})
	}
	wr := newWriter(ctx, a, out, errs, opt)
	var werr error
	for b := range order {
		<-b.done
		if werr == nil {
			werr = wr.batch(b)
			if werr != nil {
				cancel()
			}
		}
		select {
		case free <- b:
		default:
		}
	}
	wg.Wait()
	if werr == nil {
		werr = wr.close()
	}
	for _, w := range ws {
		wr.addSums(w)
	}
	if werr != nil {
		return nil, werr
	}
	if rd.err != nil {
		return nil, rd.err
	}
	return wr.summary(), nil
}

package duty

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// BulkOptions configure AssessStream.
type BulkOptions struct {
	Format  string // "csv" (default) or "jsonl", for input, output and errors alike
	Workers int    // 0: one per core
	Trace   bool   // jsonl: add each assessment's trace
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

type sumKey struct{ party, mineral, stage, currency string }

// sumSlot is what a worker sums the duty of a row under: the party and the
// resolved line give the party, mineral, stage and currency of a sumKey, and
// two pointers hash faster than four strings. Sums are exact, so adding them
// up by worker and then together gives the writer's figures.
type sumSlot struct {
	cp *cparty
	rs *resolved
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
	br := bufio.NewReaderSize(in, 1<<20)
	var hdr *Header
	line := 0
	if opt.Format == "csv" {
		rec, n, err := readRecord(br)
		if err != nil && len(rec) == 0 {
			if err == io.EOF {
				return nil, fmt.Errorf("input is empty: want a header row (%s)", strings.Join(InputColumns, ","))
			}
			return nil, err
		}
		line += n
		cols, err := csv.NewReader(bytes.NewReader(rec)).Read()
		if err != nil {
			return nil, fmt.Errorf("header row: %v", err)
		}
		if hdr, err = ParseHeader(cols); err != nil {
			return nil, fmt.Errorf("header row: %v", err)
		}
	}

	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	work := make(chan *batch, workers*2)
	order := make(chan *batch, workers*4+4)
	// Batches the writer is done with go back to the reader, so that their
	// buffers are reused rather than left to the collector.
	free := make(chan *batch, workers*6+8)
	var readErr error
	go func() {
		defer close(work)
		defer close(order)
		row := 0
		var seq int64
		for {
			var b *batch
			select {
			case b = <-free:
				b.buf, b.offs, b.lines, b.recs = b.buf[:0], b.offs[:0], b.lines[:0], b.recs[:0]
			default:
				b = &batch{buf: make([]byte, 0, 64<<10)}
			}
			b.seq, b.row0, b.done = seq, row+1, make(chan struct{})
			offs := b.offs
			for len(offs) < batchRows {
				rec, n, err := readRecord(br)
				if len(bytes.TrimSpace(rec)) > 0 {
					offs = append(offs, len(b.buf))
					b.buf = append(b.buf, rec...)
					b.lines = append(b.lines, line+1)
					row++
				}
				line += n
				if err != nil {
					if err != io.EOF {
						readErr = err
					}
					break
				}
			}
			b.offs = offs
			if len(offs) == 0 {
				return
			}
			for i, o := range offs {
				end := len(b.buf)
				if i+1 < len(offs) {
					end = offs[i+1]
				}
				b.recs = append(b.recs, b.buf[o:end])
			}
			seq++
			select {
			case order <- b:
			case <-ctx.Done():
				return
			}
			select {
			case work <- b:
			case <-ctx.Done():
				return
			}
			if len(offs) < batchRows {
				return
			}
		}
	}()
	var wg sync.WaitGroup
	ws := make([]*worker, workers)
	for i := range ws {
		w := &worker{a: a, hdr: hdr, opt: opt, c: newLCache(), sums: map[sumSlot]*sumAcc{}}
		ws[i] = w
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				w.do(b)
				close(b.done)
			}
		}()
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
		for k, s := range w.sums {
			wr.addSum(sumKey{k.cp.id, k.rs.line.Mineral, string(k.rs.line.Stage), k.cp.currency}, s)
		}
	}
	if werr != nil {
		return nil, werr
	}
	if readErr != nil {
		return nil, readErr
	}
	return wr.summary(), nil
}

// readRecord returns the next record without its line end, and how many
// lines it spans: a CSV record may span lines inside quotes.
func readRecord(br *bufio.Reader) ([]byte, int, error) {
	var acc []byte
	lines := 0
	for {
		l, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			acc = append(acc, l...)
			continue
		}
		if len(l) > 0 {
			lines++
		}
		if acc != nil || (bytes.IndexByte(l, '"') >= 0 && bytes.Count(l, []byte{'"'})%2 == 1) {
			acc = append(acc, l...)
			if bytes.Count(acc, []byte{'"'})%2 == 1 && err == nil {
				continue // a quoted field goes on on the next line
			}
			return trimEOL(acc), lines, err
		}
		return trimEOL(l), lines, err
	}
}

func trimEOL(b []byte) []byte {
	if n := len(b); n > 0 && b[n-1] == '\n' {
		b = b[:n-1]
		if n := len(b); n > 0 && b[n-1] == '\r' {
			b = b[:n-1]
		}
	}
	return b
}

type worker struct {
	a    *Assessor
	hdr  *Header
	opt  BulkOptions
	st   decodeState
	as   Assessment
	c    *lcache
	sums map[sumSlot]*sumAcc // duty of the rows without a quota
}

func (w *worker) do(b *batch) {
	if n := len(b.recs); cap(b.res) < n {
		b.res = make([]rowResult, n)
	} else {
		b.res = b.res[:n]
		clear(b.res)
	}
	if b.out == nil {
		b.out = make([]byte, 0, len(b.recs)*200)
	}
	b.out = b.out[:0]
	for i, rec := range b.recs {
		x := decl{row: b.row0 + i, line: b.lines[i], c: w.c}
		var pe *problem.Error
		if w.opt.Format == "csv" {
			pe = decodeCSVRecord(w.hdr, rec, &x, &w.st)
		} else {
			pe = decodeJSONRecord(rec, &x, &w.st)
		}
		var fe *FieldError
		if pe != nil {
			fe = &FieldError{Err: pe}
		} else {
			fe = w.a.prepareInto(&x, &w.as)
		}
		r := &b.res[i]
		if fe != nil {
			fe.Row, fe.Line, fe.ID = x.row, x.line, x.id
			r.err = fe
			r.end = len(b.out)
			continue
		}
		if w.as.quota != nil {
			as := new(Assessment)
			*as = w.as
			r.as = as
			r.end = len(b.out)
			continue
		}
		b.out = appendOutput(b.out, &w.as, w.opt)
		r.end = len(b.out)
		if w.opt.Sink != nil {
			res := w.as.Result(true)
			r.res = &res
		}
		s := w.sum(&w.as)
		s.rows++
		s.total = s.total.add(w.as.total)
	}
}

// sum returns the worker's sum for the party and line of as, through the
// slot of the line in the worker's cache when that is the row's.
func (w *worker) sum(as *Assessment) *sumAcc {
	sl := w.c.lastResolve
	if sl != nil && sl.rs == as.rs && sl.cp == as.party && sl.sum != nil {
		return sl.sum
	}
	k := sumSlot{as.party, as.rs}
	s := w.sums[k]
	if s == nil {
		s = &sumAcc{}
		w.sums[k] = s
	}
	if sl != nil && sl.rs == as.rs && sl.cp == as.party {
		sl.sum = s
	}
	return s
}

func appendOutput(b []byte, as *Assessment, opt BulkOptions) []byte {
	if opt.Format == "csv" {
		return as.appendCSV(b)
	}
	r := as.Result(opt.Trace)
	b, _ = r.appendJSON(b) // a Step's fields are strings: nothing can fail
	return append(b, '\n')
}

// writer writes rows in input order and allocates quotas, in input order.
type writer struct {
	ctx  context.Context
	a    *Assessor
	out  *bufio.Writer
	errs *bufio.Writer
	opt  BulkOptions

	read, assessed, rejected int64
	sums                     map[sumKey]*sumAcc

	queue   []*queued // rows waiting for a pro-rata day to close
	groups  map[groupKey]*group
	lastDay date.Date
}

type sumAcc struct {
	rows  int64
	total q
}

type queued struct {
	bytes []byte
	res   *Result
	as    *Assessment
	ready bool
}

type groupKey struct {
	quota string
	start date.Date
	day   date.Date
}

type group struct {
	batch QuotaBatch
	reqs  []Request
	items []*queued
}

func newWriter(ctx context.Context, a *Assessor, out, errs io.Writer, opt BulkOptions) *writer {
	w := &writer{ctx: ctx, a: a, out: bufio.NewWriterSize(out, 1<<20), opt: opt, sums: map[sumKey]*sumAcc{}, groups: map[groupKey]*group{}}
	if errs != nil {
		w.errs = bufio.NewWriterSize(errs, 64<<10)
		if opt.Format == "csv" {
			w.errs.WriteString("row,line,id,field,reason\n")
		}
	}
	if opt.Format == "csv" {
		w.out.Write(appendCSVHeader(nil))
	}
	return w
}

func (w *writer) batch(b *batch) error {
	start := 0
	for i := range b.res {
		r := &b.res[i]
		seg := b.out[start:r.end]
		start = r.end
		w.read++
		switch {
		case r.err != nil:
			w.rejected++
			w.writeError(r.err)
		case r.as != nil:
			w.assessed++
			if err := w.quota(r.as); err != nil {
				return err
			}
		default:
			w.assessed++
			if len(w.queue) > 0 {
				w.queue = append(w.queue, &queued{bytes: slices.Clone(seg), res: r.res, ready: true})
			} else if err := w.emit(seg, r.res); err != nil {
				return err
			}
		}
	}
	if len(w.queue) > w.opt.MaxPending {
		if err := w.settle(date.Date{}, true); err != nil {
			return err
		}
	}
	if w.opt.Progress != nil {
		w.opt.Progress(w.read)
	}
	return nil
}

// addSum adds a worker's sum.
func (w *writer) addSum(k sumKey, x *sumAcc) {
	s := w.sums[k]
	if s == nil {
		s = &sumAcc{}
		w.sums[k] = s
	}
	s.rows += x.rows
	s.total = s.total.add(x.total)
}

func (w *writer) add(k sumKey, total q) {
	s := w.sums[k]
	if s == nil {
		s = &sumAcc{}
		w.sums[k] = s
	}
	s.rows++
	s.total = s.total.add(total)
}

// quota allocates a row's quota request: at once for first come; with the
// other requests of the same day for pro rata, once the day is over.
func (w *writer) quota(as *Assessment) error {
	req := as.quota
	if as.On.After(w.lastDay) {
		if err := w.settle(as.On, false); err != nil {
			return err
		}
		w.lastDay = as.On
	}
	item := &queued{as: as}
	if !req.ProRata {
		grants, err := w.a.ledger.Allocate(w.ctx, *req.Batch(), []Request{req.Request})
		if err != nil {
			return err
		}
		w.complete(item, grants[0])
		if len(w.queue) == 0 {
			return w.emit(item.bytes, item.res)
		}
		w.queue = append(w.queue, item)
		return nil
	}
	k := groupKey{req.Quota, req.PeriodStart, req.Day}
	g := w.groups[k]
	if g == nil {
		g = &group{batch: *req.Batch()}
		w.groups[k] = g
	}
	g.reqs = append(g.reqs, req.Request)
	g.items = append(g.items, item)
	w.queue = append(w.queue, item)
	return nil
}

func (w *writer) complete(item *queued, g Grant) {
	w.a.Complete(item.as, g)
	item.bytes = appendOutput(nil, item.as, w.opt)
	if w.opt.Sink != nil {
		res := item.as.Result(true)
		item.res = &res
	}
	item.ready = true
	as := item.as
	w.add(sumKey{as.Party, as.Mineral, as.Stage, as.party.currency}, as.total)
	item.as = nil
}

// settle allocates the pro-rata groups of days before `before` (all when all),
// in order of day, then writes the rows that are ready.
func (w *writer) settle(before date.Date, all bool) error {
	var keys []groupKey
	for k := range w.groups {
		if all || k.day.Before(before) {
			keys = append(keys, k)
		}
	}
	slices.SortFunc(keys, func(x, y groupKey) int {
		if c := x.day.Compare(y.day); c != 0 {
			return c
		}
		return strings.Compare(x.quota, y.quota)
	})
	for _, k := range keys {
		g := w.groups[k]
		delete(w.groups, k)
		grants, err := w.a.ledger.Allocate(w.ctx, g.batch, g.reqs)
		if err != nil {
			return err
		}
		for i, it := range g.items {
			w.complete(it, grants[i])
		}
	}
	n := 0
	for n < len(w.queue) && w.queue[n].ready {
		if err := w.emit(w.queue[n].bytes, w.queue[n].res); err != nil {
			return err
		}
		n++
	}
	w.queue = w.queue[n:]
	if len(w.queue) == 0 {
		w.queue = nil
	}
	return nil
}

// emit writes one assessed row to the output, and gives it to the sink.
func (w *writer) emit(row []byte, res *Result) error {
	w.out.Write(row)
	if res != nil {
		return w.opt.Sink(res)
	}
	return nil
}

func (w *writer) writeError(fe *FieldError) {
	if w.errs == nil {
		return
	}
	if w.opt.Format == "csv" {
		b := strconv.AppendInt(nil, int64(fe.Row), 10)
		b = append(b, ',')
		b = strconv.AppendInt(b, int64(fe.Line), 10)
		for _, s := range []string{fe.ID, fe.Err.Field, fe.Err.Message} {
			b = append(b, ',')
			b = appendCSVField(b, s)
		}
		w.errs.Write(append(b, '\n'))
		return
	}
	j, _ := json.Marshal(fe)
	w.errs.Write(append(j, '\n'))
}

func (w *writer) close() error {
	if err := w.settle(date.Date{}, true); err != nil {
		return err
	}
	if err := w.out.Flush(); err != nil {
		return err
	}
	if w.errs != nil {
		if err := w.errs.Flush(); err != nil {
			return err
		}
	}
	if w.read != w.assessed+w.rejected {
		return errors.New("duty: rows do not reconcile")
	}
	return nil
}

func (w *writer) summary() *Summary {
	s := &Summary{Read: w.read, Assessed: w.assessed, Rejected: w.rejected}
	for k, v := range w.sums {
		places := 6
		total := v.total.appendFixed(nil, places)
		s.Duty = append(s.Duty, SummaryLine{Party: k.party, Mineral: k.mineral, Stage: k.stage, Rows: v.rows, Total: string(total), Currency: k.currency})
	}
	slices.SortFunc(s.Duty, func(x, y SummaryLine) int {
		return strings.Compare(x.Party+"/"+x.Mineral+"/"+x.Stage, y.Party+"/"+y.Mineral+"/"+y.Stage)
	})
	return s
}

package duty

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
)

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
	pending int       // how many rows queue holds
	spare   [][]byte  // the buffers of runs written out, for the next runs
	groups  map[groupKey]*group
	lastDay date.Date
}

type sumAcc struct {
	rows  int64
	total exact.Q
}

// queued is what waits behind a pro-rata request: a quota row (as, until
// its day is allocated), a row for the sink (res), or a run of rows that
// need nothing more, kept as one buffer (run).
type queued struct {
	bytes []byte
	res   *Result
	as    *Assessment
	ready bool
	run   bool // bytes are whole rows, and the rows after them may join
	rows  int  // how many rows bytes holds
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
	// The output buffer is smaller than a batch's output (batchRows rows of
	// about 200 bytes), so that a batch's run of rows, once the buffer is
	// empty, goes to out without being copied (bufio.Writer.Write).
	w := &writer{ctx: ctx, a: a, out: bufio.NewWriterSize(out, 32<<10), opt: opt, sums: map[sumKey]*sumAcc{}, groups: map[groupKey]*group{}}
	if errs != nil {
		w.errs = bufio.NewWriterSize(errs, 64<<10)
		if opt.Format == "csv" {
			w.errs.WriteString("row,line,id,field,reason\n")
		}
	}
	if opt.Format == "csv" {
		w.out.Write(appendCSVHeader(nil, opt.Duties))
	}
	return w
}

func (w *writer) batch(b *batch) error {
	// Rows that need nothing of the writer are passed on as runs of the
	// batch's output, one push per run rather than per row: [run, start) is
	// the run not yet pushed, of runRows rows. A row given to the sink, an
	// error row or a quota row ends it.
	start, run, runRows := 0, 0, 0
	flush := func() {
		if run < start {
			w.push(b.out[run:start], runRows)
		}
		run, runRows = start, 0
	}
	for i := range b.res {
		r := &b.res[i]
		w.read++
		switch {
		case r.err != nil:
			flush()
			w.rejected++
			w.writeError(r.err)
		case r.as != nil:
			flush()
			w.assessed++
			if err := w.quota(r.as); err != nil {
				return err
			}
		case r.res != nil:
			flush()
			w.assessed++
			seg := b.out[start:r.end]
			if len(w.queue) > 0 {
				w.queue = append(w.queue, &queued{bytes: slices.Clone(seg), res: r.res, ready: true, rows: 1})
				w.pending++
			} else if err := w.emit(seg, r.res); err != nil {
				return err
			}
		default:
			w.assessed++
			runRows++
			start = r.end
			continue
		}
		start = r.end
		run = start
	}
	flush()
	if w.pending > w.opt.MaxPending {
		if err := w.settle(date.Date{}, true); err != nil {
			return err
		}
	}
	if w.opt.Progress != nil {
		w.opt.Progress(w.read)
	}
	return nil
}

// addSums adds the sums of a worker's rows.
func (w *writer) addSums(wk *worker) {
	for k, s := range wk.sums {
		w.addSum(sumKey{k.cp.id, k.rs.line.Mineral, string(k.rs.line.Stage), k.cp.currency}, s)
	}
}

// addSum adds a worker's sum.
func (w *writer) addSum(k sumKey, x *sumAcc) {
	s := w.sums[k]
	if s == nil {
		s = &sumAcc{}
		w.sums[k] = s
	}
	s.rows += x.rows
	s.total = s.total.Add(x.total)
}

func (w *writer) add(k sumKey, total exact.Q) {
	s := w.sums[k]
	if s == nil {
		s = &sumAcc{}
		w.sums[k] = s
	}
	s.rows++
	s.total = s.total.Add(total)
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
	item := &queued{as: as, rows: 1}
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
		w.pending++
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
	w.pending++
	return nil
}

func (w *writer) complete(item *queued, g Grant) {
	w.a.Complete(item.as, g)
	item.bytes = appendOutput(make([]byte, 0, 512), item.as, w.opt)
	if w.opt.Sink != nil {
		res := item.as.Result(true)
		item.res = &res
	}
	item.ready = true
	as := item.as
	w.add(sumKey{as.Party, as.Mineral, as.Stage, as.party.currency}, as.total)
	item.as = nil
	assessmentPool.Put(as)
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
		q := w.queue[n]
		if err := w.emit(q.bytes, q.res); err != nil {
			return err
		}
		w.pending -= q.rows
		if q.run && len(w.spare) < 8 {
			w.spare = append(w.spare, q.bytes)
		}
		n++
	}
	w.queue = w.queue[n:]
	if len(w.queue) == 0 {
		w.queue = nil
	}
	return nil
}

// push writes rows that need nothing more to the output, or, while rows
// wait for a pro-rata day, queues them behind those, joined to the run at
// the queue's end when there is one.
func (w *writer) push(rows []byte, n int) {
	if len(w.queue) == 0 {
		w.out.Write(rows)
		return
	}
	if t := w.queue[len(w.queue)-1]; t.run {
		t.bytes = append(t.bytes, rows...)
		t.rows += n
	} else {
		// A buffer a run already wrote out, rather than a new one grown
		// again row by row: most rows of a day wait behind its first
		// pro-rata request.
		var b []byte
		if k := len(w.spare); k > 0 {
			b, w.spare = w.spare[k-1][:0], w.spare[:k-1]
		}
		w.queue = append(w.queue, &queued{bytes: append(b, rows...), ready: true, run: true, rows: n})
	}
	w.pending += n
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
		total := v.total.AppendFixed(nil, places)
		s.Duty = append(s.Duty, SummaryLine{Party: k.party, Mineral: k.mineral, Stage: k.stage, Rows: v.rows, Total: string(total), Currency: k.currency})
	}
	slices.SortFunc(s.Duty, func(x, y SummaryLine) int {
		return strings.Compare(x.Party+"/"+x.Mineral+"/"+x.Stage, y.Party+"/"+y.Mineral+"/"+y.Stage)
	})
	return s
}

package duty

import (
	"sync"

	"github.com/mineralpact/mineralpact/internal/problem"
)

type sumKey struct{ party, mineral, stage, currency string }

// sumSlot is what a worker sums the duty of a row under: the party and the
// resolved line give the party, mineral, stage and currency of a sumKey, and
// two pointers hash faster than four strings. Sums are exact, so adding them
// up by worker and then together gives the writer's figures.
type sumSlot struct {
	cp *cparty
	rs *resolved
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
		b.out = make([]byte, 0, len(b.recs)*256) // a CSV row is about 210 bytes
	}
	b.out = b.out[:0]
	bad := b.bad
	for i, rec := range b.recs {
		x := decl{row: b.row0 + i, line: b.lines[i], c: w.c}
		var pe *problem.Error
		switch {
		case len(bad) > 0 && bad[0].i == i:
			x.id = bad[0].id
			pe = fieldErr(bad[0].field, "", "%s", bad[0].reason)
			bad = bad[1:]
		case w.opt.Format == "csv":
			pe = decodeCSVRecord(w.hdr, rec, &x, &w.st)
		default:
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
			as := assessmentPool.Get().(*Assessment)
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
		s.total = s.total.Add(w.as.total)
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

// appendOutput appends an assessment as one output row in opt's format.
func appendOutput(b []byte, as *Assessment, opt BulkOptions) []byte {
	if opt.Format == "csv" {
		return as.appendCSV(b, opt.Duties)
	}
	r := as.Result(opt.Trace)
	b, _ = r.appendJSON(b) // a Step's fields are strings: nothing can fail
	return append(b, '\n')
}

// assessmentPool keeps the copies of assessments that wait for the quota
// ledger (a few kB each): the writer puts one back once its row is written.
var assessmentPool = sync.Pool{New: func() any { return new(Assessment) }}

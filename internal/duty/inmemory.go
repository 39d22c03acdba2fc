package duty

import (
	"bufio"
	"io"
	"runtime"
	"slices"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// This file is what a caller that keeps a year of declarations in memory and
// re-assesses it many times needs (internal/design, the design loop): the
// file decoded once into Declarations by the bulk path's own decoder, an
// assessment into a buffer the caller reuses, and the typed figures of an
// assessment, so that summing a million of them builds no strings.

// DecodeCSV reads a whole CSV declarations file (a header row, then one
// declaration a row) into memory, decoding the records on workers goroutines
// (0: GOMAXPROCS) with the bulk path's decoder. Rows that cannot be read are
// returned as FieldErrors in row order, the others as Declarations in row
// order (their row numbers are the file's, so quota requests keep the file's
// order). An error is returned only when the file is unusable as a whole.
func DecodeCSV(r io.Reader, workers int) ([]Declaration, []*FieldError, error) {
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	rd := &reader{br: bufio.NewReaderSize(r, 1<<20)}
	hdr, err := rd.header()
	if err != nil {
		return nil, nil, err
	}
	var bs []*batch
	for {
		b := &batch{buf: make([]byte, 0, 64<<10)}
		if !rd.fill(b) {
			break
		}
		bs = append(bs, b)
		if len(b.recs) < batchRows {
			break
		}
	}
	if rd.err != nil {
		return nil, nil, rd.err
	}
	// Each batch decodes into its own stretch of one slice (no copy of a
	// million declarations afterwards); rows that fail leave a hole, closed
	// up at the end.
	offs := make([]int, len(bs)+1)
	for i, b := range bs {
		offs[i+1] = offs[i] + len(b.recs)
	}
	out := make([]Declaration, offs[len(bs)])
	bad := make([][]*FieldError, len(bs))
	var wg sync.WaitGroup
	next := make(chan int)
	for range workers {
		wg.Go(func() {
			var st decodeState
			c := newLCache() // interns the codes that repeat, parses each date once
			for i := range next {
				b := bs[i]
				rejected := b.bad // rows the reader rejected
				for j, rec := range b.recs {
					x := &out[offs[i]+j].x
					x.row, x.line, x.c = b.row0+j, b.lines[j], c
					var pe *problem.Error
					if len(rejected) > 0 && rejected[0].i == j {
						x.id = rejected[0].id
						pe = fieldErr(rejected[0].field, "", "%s", rejected[0].reason)
						rejected = rejected[1:]
					} else {
						pe = decodeCSVRecord(hdr, rec, x, &st)
					}
					x.c = nil // the worker's cache is not the declaration's
					if pe != nil {
						bad[i] = append(bad[i], &FieldError{Row: x.row, Line: x.line, ID: x.id, Err: pe})
						*x = decl{}
					}
				}
				b.buf, b.recs = nil, nil
			}
		})
	}
	for i := range bs {
		next <- i
	}
	close(next)
	wg.Wait()
	var errs []*FieldError
	for _, e := range bad {
		errs = append(errs, e...)
	}
	if len(errs) > 0 {
		out = slices.DeleteFunc(out, func(d Declaration) bool { return d.x.row == 0 })
	}
	return out, errs, nil
}

// Scratch is one goroutine's cache in front of an Assessor's shared caches,
// as each worker of the bulk path has: without it, goroutines assessing
// together contend for the shared caches' locks. A Scratch belongs to the
// Assessor that made it and to one goroutine at a time.
type Scratch struct {
	a *Assessor
	c *lcache
}

// NewScratch returns a Scratch for a.
func (a *Assessor) NewScratch() *Scratch { return &Scratch{a: a, c: newLCache()} }

// PrepareInto is Prepare assessing into as, which it overwrites, so that a
// caller assessing many declarations reuses one buffer, through the
// goroutine's Scratch sc (nil: none). When a quota applies the returned
// request must be allocated and as completed with Complete (keep a copy of as
// until then if the buffer is reused).
func (a *Assessor) PrepareInto(d *Declaration, as *Assessment, sc *Scratch) (*QuotaRequest, error) {
	x := d.x
	if sc != nil && sc.a == a {
		x.c = sc.c
	}
	if fe := a.prepareInto(&x, as); fe != nil {
		return nil, fe
	}
	return as.quota, nil
}

// EachDuty calls f for each duty line of the assessment, in the party's
// order, with its exact amount in the party's currency: the lines Duties
// lists, as figures.
func (as *Assessment) EachDuty(f func(measure string, t agreement.InstrumentType, amount exact.Q)) {
	as.eachLine(func(ci *cinstr, x exact.Q, _ shownAs) { f(ci.in.ID, ci.typ, x) })
}

// TotalDuty is the total duty of the assessment in the party's currency, as
// the total_duty column shows it (rounded by the party's rule).
func (as *Assessment) TotalDuty() exact.Q { return as.total }

// Currency is the currency of the party whose schedule applies: the
// currency of every duty amount of the assessment.
func (as *Assessment) Currency() string {
	if as.party == nil {
		return ""
	}
	return as.party.currency
}

// Importer is the importing country as declared (canonical case).
func (d Declaration) Importer() string { return d.x.importer }

// Origin is the country of origin as declared (canonical case).
func (d Declaration) Origin() string { return d.x.origin }

// HSCode is the HS code as declared.
func (d Declaration) HSCode() string { return d.x.hs }

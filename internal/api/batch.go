package api

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// POST /v1/assessments:batch answers every declaration line it reads with
// exactly one line, in order: the assessment, or the line's error. When it
// stops before the end of the body (a limit, a timeout, a broken connection,
// a failed store), its last line says so, with "cut": true and the first line
// not answered, and the trailer Mineralpact-Batch-Status says "cut at line N"
// (it says "complete" otherwise; Mineralpact-Batch-Lines counts the lines
// answered). A problem found before any line is answered is a status of its
// own: 413 for a Content-Length over the limit, 408 for a body that does not
// come, 400 for one that breaks off. docs/api.md describes it for clients.

// BatchLimits bound one batch. serve sets them from its flags
// (SetBatchLimits); a zero field takes DefaultBatchLimits'.
type BatchLimits struct {
	// MaxLines is the most declaration lines one batch may hold.
	MaxLines int
	// MaxBytes is the most bytes one batch body may have. A larger
	// Content-Length is refused before reading (413); a body sent without
	// one is cut where it passes the limit.
	MaxBytes int64
	// Idle is the longest the server waits for the next bytes of the body,
	// and for the client to take the next answers. It replaces the server's
	// read timeout, which would cut a long batch however fast it streams.
	Idle time.Duration
	// MaxDuration bounds a batch from its first byte to its last answer.
	MaxDuration time.Duration
	// Pending bounds the bytes of answers held for a client that does not
	// read them yet (one that sends the whole body before reading); past it
	// the server stops reading until the client reads.
	Pending int
}

// DefaultBatchLimits are the limits of a batch unless serve is told others.
var DefaultBatchLimits = BatchLimits{MaxLines: 1_000_000, MaxBytes: 512 << 20, Idle: time.Minute, MaxDuration: time.Hour, Pending: 64 << 20}

// SetBatchLimits sets the limits of POST /v1/assessments:batch, before the
// server serves; zero fields keep the defaults.
func (s *Server) SetBatchLimits(l BatchLimits) {
	d := DefaultBatchLimits
	if l.MaxLines <= 0 {
		l.MaxLines = d.MaxLines
	}
	if l.MaxBytes <= 0 {
		l.MaxBytes = d.MaxBytes
	}
	if l.Idle <= 0 {
		l.Idle = d.Idle
	}
	if l.MaxDuration <= 0 {
		l.MaxDuration = d.MaxDuration
	}
	if l.Pending <= 0 {
		l.Pending = d.Pending
	}
	s.batch = l
}

func (s *Server) batchLimits() BatchLimits { return s.batch }

// Codes of a batch cut short; like unavailable they belong to HTTP.
const (
	tooLarge problem.Code = "too_large"
	timeout  problem.Code = "timeout"
)

// batchStatus is the status of a batch refused before any line is answered.
var batchStatus = map[problem.Code]int{tooLarge: http.StatusRequestEntityTooLarge, timeout: http.StatusRequestTimeout}

// batchError is a rejected line of a batch, in order among the assessments;
// Cut marks the last line of a batch that stopped there.
type batchError struct {
	Line  int         `json:"line"`
	Cut   bool        `json:"cut,omitempty"`
	Error errorDetail `json:"error"`
}

// postAssessmentBatch reads JSON Lines (one declaration a line) and streams
// JSON Lines back, one line per input line in order (blank lines are skipped
// and not counted). Each line is assessed as POST /v1/assessments would,
// groups of lines are recorded in one transaction each, and a group's
// answers are queued for the writer once it is recorded. The body is read
// while the answers are written (full duplex on HTTP/1.1: without it the
// server stops reading the body at the first answer).
func (s *Server) postAssessmentBatch(w http.ResponseWriter, r *http.Request) {
	a, rec, err := s.duty()
	if err != nil {
		writeError(w, r, err)
		return
	}
	lim := s.batchLimits()
	if r.ContentLength > lim.MaxBytes {
		writeBatchError(w, r, problem.Errorf(tooLarge, "the batch is %d bytes, more than the %d one batch may have: split it", r.ContentLength, lim.MaxBytes))
		return
	}
	ctx := r.Context()
	// The lines assessed are recorded even when the request ends (a read
	// error cancels its context): their quota is allocated already.
	sctx := context.WithoutCancel(ctx)
	rc := http.NewResponseController(w)
	rc.EnableFullDuplex() // not supported (HTTP/2, tests): reading and writing already interleave
	start := time.Now()
	body := &batchBody{r: http.MaxBytesReader(w, r.Body, lim.MaxBytes), rc: rc, idle: lim.Idle, end: start.Add(lim.MaxDuration), max: lim.MaxDuration}
	br := bufio.NewReaderSize(body, maxDeclarationBytes+2) // a longest line and its \r\n
	out := newBatchWriter(w, rc, lim.Idle, body.end, lim.Pending)

	type item struct {
		body []byte
		rec  bool
	}
	var group []item
	var recs []store.AssessmentRecord
	first := 1 // the first line of the group
	// flush records the group in one transaction and queues its answers.
	flush := func() error {
		created := make([]bool, len(recs))
		if len(recs) > 0 {
			var err error
			if created, err = rec.Put(sctx, recs); err != nil {
				return err
			}
		}
		var buf bytes.Buffer
		k := 0
		for _, it := range group {
			b := it.body
			if it.rec {
				if !created[k] { // recorded first by another request: its record is the answer
					if r, err := rec.Get(sctx, s.hash, recs[k].DeclarationID); err == nil {
						b = r.Body
					}
				}
				k++
			}
			buf.Write(b)
			buf.WriteByte('\n')
		}
		first += len(group)
		group, recs = group[:0], recs[:0]
		return out.put(buf.Bytes())
	}
	// cut ends the batch before line n with err: a status of its own when
	// nothing is answered yet, else a last line saying where it stopped.
	// A failed read cancels the request's context; anything else that
	// does means the client is gone.
	cut := func(n int, err error, read bool) {
		if !read && ctx.Err() != nil { // nobody reads the line
			out.finish("", 0)
			return
		}
		d := detailOf(err)
		if _, ok := statusOf[d.Code]; !ok && batchStatus[d.Code] == 0 || d.Code == problem.Internal {
			slog.Error("api: batch cut", "line", n, "err", err)
			d = errorDetail{Code: problem.Internal, Message: "internal error"}
		}
		d.Message = fmt.Sprintf("the batch was cut at line %d: %s; lines %d on were not assessed or recorded: send them again", n, d.Message, n)
		if !out.started {
			writeBatchError(w, r, &problem.Error{Code: d.Code, Message: d.Message})
			return
		}
		b, _ := json.Marshal(batchError{Line: n, Cut: true, Error: d})
		out.put(append(b, '\n'))
		out.finish("cut at line "+strconv.Itoa(n), n-1)
	}

	lineNo := 0
	for {
		line, size, rerr := readLine(br)
		if rerr != nil && !errors.Is(rerr, io.EOF) {
			line, size = nil, 0 // the body broke off in this line: it is not one
		}
		if len(bytes.TrimSpace(line)) > 0 || size > maxDeclarationBytes {
			lineNo++
			if lineNo > lim.MaxLines {
				if err := flush(); err != nil {
					cut(first, err, false)
					return
				}
				cut(lineNo, problem.Errorf(tooLarge, "a batch may hold at most %d lines", lim.MaxLines), false)
				return
			}
			var it item
			var err error
			if size > maxDeclarationBytes {
				err = problem.Errorf(problem.Invalid, "the line is %d bytes long, more than the %d a declaration may have; it is not read", size, maxDeclarationBytes)
			} else {
				var x assessed
				var stored bool
				x, stored, err = s.assessLine(ctx, a, rec, line)
				if err == nil {
					it.body = x.body
					if !stored {
						it.rec = true
						recs = append(recs, x.rec)
					}
				}
			}
			if err != nil {
				d := detailOf(err)
				if d.Code == problem.Internal {
					slog.Error("api: batch line", "line", lineNo, "err", err)
					d = errorDetail{Code: problem.Internal, Message: "internal error"}
				}
				it.body, _ = json.Marshal(batchError{Line: lineNo, Error: d})
			}
			group = append(group, it)
		}
		if len(group) > 0 && (len(group) >= batchGroup || br.Buffered() == 0 || rerr != nil) {
			if err := flush(); err != nil {
				if out.failed() != nil {
					out.finish("", 0)
					return // the client is gone: nobody reads an answer
				}
				cut(first, err, false)
				return
			}
		}
		if rerr != nil {
			if errors.Is(rerr, io.EOF) {
				out.finish("complete", lineNo)
				return
			}
			cut(lineNo+1, body.readError(rerr), true)
			return
		}
	}
}

// readLine returns the next line of br with its end, and its length
// without the end. A line longer than a declaration may be is read and
// dropped, never held (br's buffer is the bound): its length says so.
func readLine(br *bufio.Reader) ([]byte, int, error) {
	l, err := br.ReadSlice('\n')
	n := len(l)
	for errors.Is(err, bufio.ErrBufferFull) {
		l, err = br.ReadSlice('\n')
		n += len(l)
	}
	if bytes.HasSuffix(l, []byte("\n")) {
		n--
		if bytes.HasSuffix(l, []byte("\r\n")) {
			n--
		}
	}
	if n > maxDeclarationBytes {
		return nil, n, err
	}
	return bytes.Clone(l), n, err
}

// writeBatchError answers a batch refused before any line is answered.
func writeBatchError(w http.ResponseWriter, r *http.Request, err error) {
	d := detailOf(err)
	if st, ok := batchStatus[d.Code]; ok {
		writeJSON(w, st, errorBody{d})
		return
	}
	writeError(w, r, err)
}

// batchBody is a batch's body with its read deadline pushed back as it
// arrives: Idle from the last read, never past the batch's end.
type batchBody struct {
	r       io.Reader
	rc      *http.ResponseController
	idle    time.Duration
	end     time.Time // the batch's end: its start and MaxDuration
	max     time.Duration
	renewed time.Time
}

func (b *batchBody) Read(p []byte) (int, error) {
	if now := time.Now(); now.Sub(b.renewed) > b.idle/8 {
		b.renewed = now
		b.rc.SetReadDeadline(min64(now.Add(b.idle), b.end))
	}
	return b.r.Read(p)
}

func min64(a, b time.Time) time.Time {
	if a.Before(b) {
		return a
	}
	return b
}

// readError says why reading the body stopped, without the cause's text
// (a net.OpError names the server's socket).
func (b *batchBody) readError(err error) error {
	var tooBig *http.MaxBytesError
	switch {
	case errors.As(err, &tooBig):
		return problem.Errorf(tooLarge, "the batch passed the %d bytes one batch may have", tooBig.Limit)
	case errors.Is(err, os.ErrDeadlineExceeded) && !time.Now().Before(b.end):
		return problem.Errorf(timeout, "the batch took longer than the %s one batch may take", b.max)
	case errors.Is(err, os.ErrDeadlineExceeded):
		return problem.Errorf(timeout, "no bytes of the batch arrived for %s", b.idle)
	}
	return problem.Errorf(problem.Invalid, "the body could not be read to its end (the connection failed or the client stopped sending)")
}

// batchWriter writes a batch's answers from a goroutine of its own, so that
// the body is read on while a client that sends its whole body before
// reading takes none (up to limit bytes held). The first answer sends the
// status 200 and names the trailers; finish sets them.
type batchWriter struct {
	w       http.ResponseWriter
	rc      *http.ResponseController
	idle    time.Duration
	end     time.Time
	limit   int
	started bool // the status is sent (read and set by the handler only)
	done    chan struct{}

	mu      sync.Mutex
	cond    *sync.Cond
	queue   [][]byte
	pending int
	closed  bool
	err     error // a write to the client failed
}

func newBatchWriter(w http.ResponseWriter, rc *http.ResponseController, idle time.Duration, end time.Time, limit int) *batchWriter {
	b := &batchWriter{w: w, rc: rc, idle: idle, end: end, limit: limit, done: make(chan struct{})}
	b.cond = sync.NewCond(&b.mu)
	return b
}

// Trailers of a batch's answer.
const (
	batchStatusTrailer = "Mineralpact-Batch-Status"
	batchLinesTrailer  = "Mineralpact-Batch-Lines"
)

// put queues answer lines, waiting while more than limit bytes wait for the
// client; it returns the error of a write to the client that failed.
func (b *batchWriter) put(p []byte) error {
	if !b.started {
		b.started = true
		h := b.w.Header()
		h.Set("Content-Type", "application/jsonl")
		h.Set("Cache-Control", "no-store")
		h.Set("X-Accel-Buffering", "no") // a proxy should pass each answer on
		h.Set("Trailer", batchStatusTrailer+", "+batchLinesTrailer)
		b.w.WriteHeader(http.StatusOK)
		go b.run()
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	for b.pending > b.limit && b.err == nil {
		b.cond.Wait()
	}
	if b.err != nil {
		return b.err
	}
	b.queue = append(b.queue, bytes.Clone(p))
	b.pending += len(p)
	b.cond.Broadcast()
	return nil
}

func (b *batchWriter) run() {
	defer close(b.done)
	for {
		b.mu.Lock()
		for len(b.queue) == 0 && !b.closed {
			b.cond.Wait()
		}
		q := b.queue
		b.queue = nil
		closed := b.closed && len(q) == 0
		failed := b.err != nil
		b.mu.Unlock()
		if closed {
			return
		}
		var err error
		n := 0
		for _, p := range q {
			n += len(p)
			if failed || err != nil {
				continue // the client is gone: drop the answers
			}
			b.rc.SetWriteDeadline(min64(time.Now().Add(b.idle), b.end))
			_, err = b.w.Write(p)
		}
		if err == nil && !failed {
			err = b.rc.Flush()
			if errors.Is(err, http.ErrNotSupported) {
				err = nil
			}
		}
		b.mu.Lock()
		b.pending -= n
		if err != nil && b.err == nil {
			b.err = err
		}
		b.cond.Broadcast()
		b.mu.Unlock()
	}
}

// failed returns the error of a write to the client, if one failed.
func (b *batchWriter) failed() error {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.err
}

// finish waits for the answers queued to be written and sets the trailers:
// status ("complete" or "cut at line N") and the lines answered. An empty
// batch is answered 200 with the same fields as headers. status "" (the
// client is gone) sets nothing.
func (b *batchWriter) finish(status string, lines int) {
	if !b.started {
		if status != "" {
			h := b.w.Header()
			h.Set("Content-Type", "application/jsonl")
			h.Set(batchStatusTrailer, status)
			h.Set(batchLinesTrailer, strconv.Itoa(lines))
			b.w.WriteHeader(http.StatusOK)
		}
		return
	}
	b.mu.Lock()
	b.closed = true
	b.cond.Broadcast()
	b.mu.Unlock()
	<-b.done
	if status != "" {
		b.w.Header().Set(batchStatusTrailer, status)
		b.w.Header().Set(batchLinesTrailer, strconv.Itoa(lines))
	}
}

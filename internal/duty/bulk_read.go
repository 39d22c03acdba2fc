package duty

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"fmt"
	"io"
	"strings"
)

// reader cuts the input into batches of records, counting rows and lines.
type reader struct {
	br   *bufio.Reader
	line int   // lines read so far
	row  int   // data rows read so far
	seq  int64 // batches sent so far
	err  error // a read error other than the end of the input
}

// header reads the CSV header row.
func (rd *reader) header() (*Header, error) {
	rec, n, err := readRecord(rd.br)
	if err != nil && len(rec) == 0 {
		if err == io.EOF {
			return nil, fmt.Errorf("input is empty: want a header row (%s)", strings.Join(InputColumns, ","))
		}
		return nil, err
	}
	rd.line += n
	cols, err := csv.NewReader(bytes.NewReader(rec)).Read()
	if err != nil {
		return nil, fmt.Errorf("header row: %v", err)
	}
	h, err := ParseHeader(cols)
	if err != nil {
		return nil, fmt.Errorf("header row: %v", err)
	}
	return h, nil
}

// run sends batches to the writer (order) and to the workers (work) until the
// input ends or ctx is done, reusing the batches the writer frees.
func (rd *reader) run(ctx context.Context, work, order chan<- *batch, free <-chan *batch) {
	defer close(work)
	defer close(order)
	for {
		var b *batch
		select {
		case b = <-free:
			b.buf, b.offs, b.lines, b.recs = b.buf[:0], b.offs[:0], b.lines[:0], b.recs[:0]
		default:
			b = &batch{buf: make([]byte, 0, 64<<10)}
		}
		if !rd.fill(b) {
			return
		}
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
		if len(b.recs) < batchRows {
			return
		}
	}
}

// fill reads up to batchRows records into b; false when there were none.
func (rd *reader) fill(b *batch) bool {
	b.seq, b.row0, b.done = rd.seq, rd.row+1, make(chan struct{})
	for len(b.offs) < batchRows {
		rec, n, err := readRecord(rd.br)
		if len(bytes.TrimSpace(rec)) > 0 {
			b.offs = append(b.offs, len(b.buf))
			b.buf = append(b.buf, rec...)
			b.lines = append(b.lines, rd.line+1)
			rd.row++
		}
		rd.line += n
		if err != nil {
			if err != io.EOF {
				rd.err = err
			}
			break
		}
	}
	if len(b.offs) == 0 {
		return false
	}
	for i, o := range b.offs {
		end := len(b.buf)
		if i+1 < len(b.offs) {
			end = b.offs[i+1]
		}
		b.recs = append(b.recs, b.buf[o:end])
	}
	rd.seq++
	return true
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

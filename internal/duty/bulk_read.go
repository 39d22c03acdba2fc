package duty

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
)

// reader cuts the input into batches of records, counting rows and lines.
// It is where a file's rows are bounded and told apart (issue 12, "bulk
// files that never lose a row"): a line longer than maxRecordBytes, a quoted
// field that does not close within maxRecordLines lines, and a declaration
// id already seen in the file each become an error row at their line, and
// reading goes on at the next line, in time linear in the input.
type reader struct {
	br    *bufio.Reader
	jsonl bool        // a record is one line: a JSON string's quotes open no field
	again []againLine // lines to read before br's: those after a quote that never closed
	line  int         // lines read so far
	row   int         // data rows read so far
	seq   int64       // batches sent so far
	err   error       // a read error other than the end of the input
	idCol int         // CSV: the column of id
	ids   idSet       // the ids of the rows read so far, with their lines
}

// Bounds on one record. A declaration is about 150 bytes on one line; the
// bounds are generous and keep a stray quote or a file without line ends
// from taking the rest of the input, or the memory, with it.
const (
	maxRecordBytes = 64 << 10 // a record (its lines together)
	maxRecordLines = 32       // the lines a quoted field may span
	maxFieldBytes  = 4 << 10  // one field's value
)

type againLine struct {
	b     []byte
	total int // the line's length as read (b is cut to maxRecordBytes)
}

// badRow is a row of a batch the reader already rejected: the worker reports
// it and decodes nothing.
type badRow struct {
	i      int // index in the batch's recs
	id     string
	field  string
	reason string
}

// header reads the CSV header row.
func (rd *reader) header() (*Header, error) {
	rec, n, bad, err := rd.readRecord()
	if bad != nil {
		return nil, fmt.Errorf("header row: %s", bad.reason)
	}
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
	rd.idCol = slices.Index(h.pos, fID)
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
	b.bad = b.bad[:0]
	for len(b.offs) < batchRows {
		rec, n, bad, err := rd.readRecord()
		if bad != nil || len(bytes.TrimSpace(rec)) > 0 {
			line := rd.line + 1
			if bad == nil {
				bad = rd.duplicate(rec, line)
			}
			if bad != nil {
				bad.i = len(b.offs)
				b.bad = append(b.bad, *bad)
			}
			b.offs = append(b.offs, len(b.buf))
			b.buf = append(b.buf, rec...)
			b.lines = append(b.lines, line)
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

// duplicate is the rejection of a record whose id an earlier row of the file
// has (the first is assessed, the others are not, in the output as in a
// store), or nil.
func (rd *reader) duplicate(rec []byte, line int) *badRow {
	id := rd.idOf(rec)
	if id == nil {
		return nil
	}
	first, seen := rd.ids.add(id, line)
	if !seen {
		return nil
	}
	return &badRow{id: string(id), field: "id", reason: fmt.Sprintf("%q is the id of the declaration at line %d of this file: an id may appear once in a file (the first is assessed)", shorten(id), first)}
}

// idOf is the declaration id of rec, as readFields reads it (trimmed), or
// nil when there is none to read.
func (rd *reader) idOf(rec []byte) []byte {
	if rd.jsonl {
		var v struct {
			ID jsonValue `json:"id"`
		}
		if json.Unmarshal(rec, &v) != nil {
			return nil
		}
		return nilIfEmpty(trimSpace([]byte(v.ID.s)))
	}
	// The idCol-th field: unquoted up to its comma, or quoted ("" for ").
	for col := 0; ; col++ {
		var f []byte
		if len(rec) > 0 && rec[0] == '"' {
			end := 1
			for end < len(rec) && !(rec[end] == '"' && (end+1 == len(rec) || rec[end+1] != '"')) {
				if rec[end] == '"' {
					end++
				}
				end++
			}
			if end >= len(rec) {
				return nil
			}
			if col == rd.idCol {
				return nilIfEmpty(trimSpace(bytes.ReplaceAll(rec[1:end], []byte(`""`), []byte(`"`))))
			}
			rec = rec[end+1:]
		} else {
			j := bytes.IndexByte(rec, ',')
			if j < 0 {
				j = len(rec)
			}
			f, rec = rec[:j], rec[j:]
			if col == rd.idCol {
				return nilIfEmpty(trimSpace(f))
			}
		}
		if len(rec) == 0 || rec[0] != ',' {
			return nil
		}
		rec = rec[1:]
	}
}

func nilIfEmpty(b []byte) []byte {
	if len(b) == 0 {
		return nil
	}
	return b
}

// readLine returns the next line with its line end, and its length as read:
// a line longer than maxRecordBytes is returned cut to that length (the rest
// is read and dropped), so that no line holds more memory than that.
func (rd *reader) readLine() ([]byte, int, error) {
	if len(rd.again) > 0 {
		l := rd.again[0]
		rd.again = rd.again[1:]
		return l.b, l.total, nil
	}
	l, err := rd.br.ReadSlice('\n')
	if err != bufio.ErrBufferFull {
		return l, len(l), err
	}
	acc := append([]byte(nil), l[:min(len(l), maxRecordBytes)]...)
	total := len(l)
	for err == bufio.ErrBufferFull {
		l, err = rd.br.ReadSlice('\n')
		total += len(l)
		if len(acc) < maxRecordBytes {
			acc = append(acc, l[:min(len(l), maxRecordBytes-len(acc))]...)
		}
	}
	return acc, total, err
}

// readRecord returns the next record without its line end and how many lines
// it took, or, for a record that cannot be read, what it could read of it and
// why not. A CSV record may span lines inside quotes, up to maxRecordLines
// lines; a quote that does not close by then is reported at its line, and the
// lines after it are read again as records of their own.
func (rd *reader) readRecord() ([]byte, int, *badRow, error) {
	l, total, err := rd.readLine()
	if total == 0 {
		return nil, 0, nil, err
	}
	if total > maxRecordBytes {
		return trimEOL(l[:min(len(l), 64)]), 1, &badRow{reason: fmt.Sprintf("the line is %d bytes long, more than the %d a declaration may have; it is not read", total, maxRecordBytes)}, err
	}
	if rd.jsonl || bytes.IndexByte(l, '"') < 0 || bytes.Count(l, quote)%2 == 0 {
		return trimEOL(l), 1, nil, err
	}
	// A quoted field goes on on the next line. Only the new line's quotes
	// are counted each time, so a quote that never closes costs at most
	// maxRecordLines lines, read twice.
	first := append([]byte(nil), l...)
	acc := append([]byte(nil), first...)
	var more []againLine
	closed := false
	for !closed && err == nil && len(more) < maxRecordLines {
		l, total, err = rd.readLine()
		if total == 0 {
			break
		}
		c := againLine{append([]byte(nil), l...), total}
		more = append(more, c)
		if total > maxRecordBytes || len(acc)+total > maxRecordBytes {
			break
		}
		acc = append(acc, c.b...)
		closed = bytes.Count(c.b, quote)%2 == 1
	}
	if closed {
		return trimEOL(acc), 1 + len(more), nil, err
	}
	rd.again = append(more, rd.again...)
	if len(rd.again) > 0 {
		err = nil // the lines read again come first; the input's end after them
	}
	return trimEOL(first), 1, &badRow{reason: fmt.Sprintf("a quoted field opens on this line and does not close within %d lines or %d bytes (an unmatched quote?); the row is not read, and reading goes on at the next line", maxRecordLines, maxRecordBytes)}, err
}

var quote = []byte{'"'}

// shorten is a value as an error shows it: cut to 64 bytes, with its length
// when it was longer.
func shorten(b []byte) string {
	if len(b) <= 64 {
		return string(b)
	}
	return fmt.Sprintf("%s… (%d bytes)", b[:64], len(b))
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

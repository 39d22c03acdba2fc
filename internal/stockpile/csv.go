package stockpile

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// table reads a CSV file with a header row, recording every problem with the
// file, line and column it is at, so that a reader reports all at once.
type table struct {
	file string
	r    *csv.Reader
	cols map[string]int
	errs problem.List
	// skipOthers drops the rows of parties, minerals or stages the
	// agreement lacks instead of reporting them (the shipped data read for
	// another agreement than the example).
	skipOthers bool
}

// maxProblems stops a reader from listing more than this many problems.
const maxProblems = 100

func openTable(file string, data []byte, required, optional []string) (*table, error) {
	r := csv.NewReader(bytes.NewReader(data))
	r.FieldsPerRecord = -1
	r.Comment = '#'
	t := &table{file: file, r: r, cols: map[string]int{}}
	header, err := r.Read()
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Message: "cannot read the header row: want columns " + strings.Join(required, ",")}
	}
	known := map[string]bool{}
	for _, c := range append(append([]string{}, required...), optional...) {
		known[c] = true
	}
	for i, h := range header {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if !known[h] {
			return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Field: h,
				Message: fmt.Sprintf("unknown column %q (columns: %s)", h, strings.Join(append(append([]string{}, required...), optional...), ", "))}
		}
		if _, dup := t.cols[h]; dup {
			return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Field: h, Message: fmt.Sprintf("column %q twice", h)}
		}
		t.cols[h] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1},
			Message: fmt.Sprintf("header lacks column(s) %s", strings.Join(missing, ", "))}
	}
	return t, nil
}

// record is one row and the line it starts on.
type record struct {
	t    *table
	rec  []string
	line int
}

func (t *table) next() (record, bool) {
	for len(t.errs) < maxProblems {
		rec, err := t.r.Read()
		if err == io.EOF {
			return record{}, false
		}
		if err != nil {
			line := 0
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				line = pe.Line
			}
			t.errs.Add(problem.Pos{File: t.file, Line: line}, "", "malformed CSV: %v", err)
			continue
		}
		line, _ := t.r.FieldPos(0)
		if len(rec) != len(t.cols) {
			t.errs.Add(problem.Pos{File: t.file, Line: line}, "", "%d fields, want %d as the header", len(rec), len(t.cols))
			continue
		}
		return record{t: t, rec: rec, line: line}, true
	}
	return record{}, false
}

// get returns the column's cell, trimmed; "" if the column is absent.
func (r record) get(col string) string {
	i, ok := r.t.cols[col]
	if !ok {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// fail records a problem at the row's line and the column.
func (r record) fail(col, format string, args ...any) {
	col1 := 0
	if i, ok := r.t.cols[col]; ok {
		_, col1 = r.t.r.FieldPos(i)
	}
	e := &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: r.t.file, Line: r.line, Column: col1}, Field: col, Message: fmt.Sprintf(format, args...)}
	if i, ok := r.t.cols[col]; ok {
		e.BadValue = r.rec[i]
	}
	r.t.errs = append(r.t.errs, e)
}

// tonnes reads a column of tonnes ≥ 0 (or any sign if signed).
func (r record) tonnes(col string, signed bool) (Kg, bool) {
	k, err := ParseTonnes(r.get(col))
	if err != nil {
		r.fail(col, "%v", err)
		return 0, false
	}
	if k < 0 && !signed {
		r.fail(col, "must be ≥ 0 tonnes, got %s", r.get(col))
		return 0, false
	}
	return k, true
}

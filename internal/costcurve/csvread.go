package costcurve

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// csvTable reads a CSV file with a header row, keeping each record's line so
// that every problem names file:line and the column.
type csvTable struct {
	file string // as errors name it: "data/costcurves/cobalt-mined.csv"
	r    *csv.Reader
	cols map[string]int
	errs *problem.List
	// lineOffset is added to the reader's line numbers, for a file whose
	// leading comment lines were read before the CSV.
	lineOffset int
}

// newCSVTable reads the header from r and checks that it holds every column
// of required.
func newCSVTable(file string, r io.Reader, lineOffset int, errs *problem.List, required ...string) (*csvTable, error) {
	cr := csv.NewReader(r)
	header, err := cr.Read()
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: lineOffset + 1}, Message: "cannot read the header row: " + err.Error()}
	}
	t := &csvTable{file: file, r: cr, cols: make(map[string]int, len(header)), errs: errs, lineOffset: lineOffset}
	for i, h := range header {
		t.cols[strings.TrimPrefix(strings.TrimSpace(h), "\ufeff")] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := t.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: lineOffset + 1},
			Message: fmt.Sprintf("header lacks column(s) %s (has %s)", strings.Join(missing, ", "), strings.Join(header, ","))}
	}
	return t, nil
}

// csvRow is one record and the line it starts on.
type csvRow struct {
	t    *csvTable
	rec  []string
	line int
}

// next returns the next record, or false at the end. A record with the wrong
// number of fields is reported and skipped; any other fault ends the file.
func (t *csvTable) next() (csvRow, bool) {
	for {
		rec, err := t.r.Read()
		if err == io.EOF {
			return csvRow{}, false
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line, err = pe.StartLine, pe.Err
			}
			t.errs.Add(problem.Pos{File: t.file, Line: t.lineOffset + line}, "", "%v", err)
			if pe != nil && pe.Err == csv.ErrFieldCount {
				continue
			}
			return csvRow{}, false
		}
		line, _ := t.r.FieldPos(0)
		return csvRow{t: t, rec: rec, line: t.lineOffset + line}, true
	}
}

// str returns the cell of column col without surrounding spaces.
func (r csvRow) str(col string) string {
	i, ok := r.t.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// errorf records a problem with column col of this row.
func (r csvRow) errorf(col, format string, args ...any) {
	r.t.errs.Add(problem.Pos{File: r.t.file, Line: r.line}, col, format, args...)
}

// positive returns the cell of column col as a decimal greater than zero,
// reporting an empty, malformed or non-positive cell.
func (r csvRow) positive(col string) (dec.Decimal, bool) {
	s := r.str(col)
	d, err := dec.Parse(s)
	switch {
	case s == "":
		r.errorf(col, "is empty, want a number greater than 0")
	case err != nil:
		r.errorf(col, "%q is not a decimal number", s)
	case d.Sign() <= 0:
		r.errorf(col, "%s is not greater than 0", s)
	default:
		return d, true
	}
	return dec.Zero, false
}

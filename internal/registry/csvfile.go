package registry

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// filePrefix is how errors name a shipped file: the path inside the data
// package, as a reader of the repository finds it.
const filePrefix = "data/"

// csvFile reads one CSV file with a header row, row by row, and records every
// problem with its file, line and column name in a shared list, so that Load
// reports all the faults of the shipped data at once.
type csvFile struct {
	name string
	r    *csv.Reader
	cols map[string]int
	errs *problem.List
}

// openCSV opens path in fsys and reads its header, which must hold every
// column in required (other columns are allowed and ignored).
func openCSV(fsys fs.FS, path string, errs *problem.List, required ...string) (*csvFile, error) {
	name := filePrefix + path
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return nil, &problem.Error{Code: problem.Internal, Pos: problem.Pos{File: name}, Message: "cannot read the file", Err: err}
	}
	r := csv.NewReader(bytes.NewReader(b))
	r.ReuseRecord = false
	header, err := r.Read()
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name, Line: 1}, Message: "cannot read the header row: " + err.Error()}
	}
	f := &csvFile{name: name, r: r, cols: make(map[string]int, len(header)), errs: errs}
	for i, h := range header {
		f.cols[strings.TrimPrefix(h, "\ufeff")] = i
	}
	var missing []string
	for _, c := range required {
		if _, ok := f.cols[c]; !ok {
			missing = append(missing, c)
		}
	}
	if len(missing) > 0 {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name, Line: 1},
			Message: fmt.Sprintf("header lacks column(s) %s (has %s)", strings.Join(missing, ", "), strings.Join(header, ","))}
	}
	return f, nil
}

// row is one record of a csvFile and the line it starts on.
type row struct {
	f    *csvFile
	rec  []string
	line int
}

// next returns the next row, or false at the end of the file. A malformed
// record is reported and skipped.
func (f *csvFile) next() (row, bool) {
	for {
		rec, err := f.r.Read()
		if err == io.EOF {
			return row{}, false
		}
		if err != nil {
			var pe *csv.ParseError
			line := 0
			if errors.As(err, &pe) {
				line = pe.StartLine
				err = pe.Err
			}
			f.errs.Add(problem.Pos{File: f.name, Line: line}, "", "%v", err)
			if pe != nil && pe.Err == csv.ErrFieldCount {
				continue
			}
			// A quoting error can desynchronise the reader: stop here rather
			// than report every following line.
			return row{}, false
		}
		line, _ := f.r.FieldPos(0)
		return row{f: f, rec: rec, line: line}, true
	}
}

// str returns the cell of column col, with surrounding spaces removed.
func (r row) str(col string) string {
	i, ok := r.f.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// errorf records a problem with column col of this row.
func (r row) errorf(col, format string, args ...any) {
	r.f.errs.Add(problem.Pos{File: r.f.name, Line: r.line}, col, format, args...)
}

// dec returns the cell of column col as an exact decimal read from its text;
// an empty or malformed cell is reported and read as zero with ok false.
func (r row) dec(col string) (d dec.Decimal, ok bool) {
	s := r.str(col)
	if s == "" {
		r.errorf(col, "is empty, want a decimal number")
		return dec.Zero, false
	}
	d, err := dec.Parse(s)
	if err != nil {
		r.errorf(col, "%q is not a decimal", s)
		return dec.Zero, false
	}
	return d, true
}

// optDec is dec for a column that may be empty: empty reads as zero with set
// false, and is not a problem.
func (r row) optDec(col string) (d dec.Decimal, set bool) {
	if r.str(col) == "" {
		return dec.Zero, false
	}
	return r.dec(col)
}

// int returns the cell of column col as an integer, reporting a malformed one.
func (r row) int(col string) (int, bool) {
	s := r.str(col)
	n, err := strconv.Atoi(s)
	if err != nil {
		r.errorf(col, "%q is not an integer", s)
		return 0, false
	}
	return n, true
}

// bool returns the cell of column col, which must be "true" or "false".
func (r row) bool(col string) bool {
	switch s := r.str(col); s {
	case "true":
		return true
	case "false":
		return false
	default:
		r.errorf(col, "%q is not true or false", s)
		return false
	}
}

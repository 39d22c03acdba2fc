package scope

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// csvRows reads a CSV file with a header row from fsys and calls each with
// every record, by column name; a problem in a row is added to errs with
// the file, line and column (`data/scope/frameworks.csv:4: country: ...`), so
// that a load reports every fault at once. name is how errors name the file.
func csvRows(fsys fs.FS, path, name string, errs *problem.List, required []string, each func(r csvRow)) error {
	b, err := fs.ReadFile(fsys, path)
	if err != nil {
		return &problem.Error{Code: problem.Internal, Pos: problem.Pos{File: name}, Message: "cannot read the file", Err: err}
	}
	return readCSV(bytes.NewReader(b), name, errs, required, each)
}

func readCSV(rd io.Reader, name string, errs *problem.List, required []string, each func(r csvRow)) error {
	r := csv.NewReader(rd)
	header, err := r.Read()
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name, Line: 1}, Message: "cannot read the header row: " + err.Error()}
	}
	cols := make(map[string]int, len(header))
	for i, h := range header {
		cols[strings.TrimPrefix(h, "\ufeff")] = i
	}
	for _, c := range required {
		if _, ok := cols[c]; !ok {
			return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name, Line: 1},
				Message: fmt.Sprintf("header lacks column %s (has %s)", c, strings.Join(header, ","))}
		}
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				errs.Add(problem.Pos{File: name, Line: pe.StartLine}, "", "%v", pe.Err)
				if pe.Err == csv.ErrFieldCount {
					continue
				}
			} else {
				errs.Add(problem.Pos{File: name}, "", "%v", err)
			}
			return nil
		}
		line, _ := r.FieldPos(0)
		each(csvRow{rec: rec, cols: cols, name: name, line: line, errs: errs})
	}
}

// csvRow is one record and where it stands.
type csvRow struct {
	rec  []string
	cols map[string]int
	name string
	line int
	errs *problem.List
}

func (r csvRow) str(col string) string {
	i, ok := r.cols[col]
	if !ok || i >= len(r.rec) {
		return ""
	}
	return strings.TrimSpace(r.rec[i])
}

// errorf records a problem with column col of the row.
func (r csvRow) errorf(col, format string, args ...any) {
	r.errs.Add(problem.Pos{File: r.name, Line: r.line}, col, format, args...)
}

package monitor

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"io"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// ReadAlerts reads alerts written as JSON Lines (what a scan writes with
// --format jsonl), strictly: an unknown field, a line that is not one
// alert, or an id that is not the alert's own (ComputeID) is an error
// naming the file and line. Blank lines are skipped.
func ReadAlerts(r io.Reader, name string) ([]Alert, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), 16<<20) // an alert's evidence may hold long series
	var out []Alert
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		pos := problem.Pos{File: name, Line: line}
		d := json.NewDecoder(bytes.NewReader(b))
		d.DisallowUnknownFields()
		var a Alert
		if err := d.Decode(&a); err != nil {
			return nil, &problem.Error{Code: problem.Invalid, Pos: pos, Message: fmt.Sprintf("not an alert: %v", err)}
		}
		if d.More() {
			return nil, &problem.Error{Code: problem.Invalid, Pos: pos, Message: "more than one JSON value on the line: want one alert a line"}
		}
		switch {
		case a.Detector == "":
			return nil, &problem.Error{Code: problem.Invalid, Pos: pos, Field: "detector", Message: "missing"}
		case a.HS == "":
			return nil, &problem.Error{Code: problem.Invalid, Pos: pos, Field: "hs", Message: "missing"}
		case a.ID != a.ComputeID():
			return nil, &problem.Error{Code: problem.Invalid, Pos: pos, Field: "id", BadValue: a.ID,
				Message: fmt.Sprintf("%q is not the alert's pattern and window (want %s)", a.ID, a.ComputeID())}
		}
		out = append(out, a)
	}
	if err := sc.Err(); err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: name}, Message: err.Error()}
	}
	return out, nil
}

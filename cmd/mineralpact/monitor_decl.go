package main

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"os"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// readDeclarationsFile reads --declarations: an assessed file (the output
// of `mineralpact assess`, with a unit_price column) as it is, or a
// declarations file (accepted_on, quantity, customs_value, ...; CSV or JSON
// Lines), which is assessed here against the floors published in process,
// as `assess` does, and joined back with its exporter_id and accepted_on
// (the assessed output does not repeat them). A declaration the assessment
// rejects is an error naming its row.
func readDeclarationsFile(ctx context.Context, env *loaded, path string, asOf date.Date) ([]monitor.Declaration, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Field: "declarations", Message: err.Error()}
	}
	jsonl := len(bytes.TrimSpace(b)) > 0 && bytes.TrimSpace(b)[0] == '{'
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	if bytes.Contains(first, []byte("unit_price")) {
		ds, err := monitor.ReadDeclarations(bytes.NewReader(b), path, asOf)
		if err != nil {
			return nil, invalid(err)
		}
		return ds, nil
	}
	format := "csv"
	if jsonl {
		format = "jsonl"
	}
	// The declaration's own exporter and date, by id.
	type own struct{ accepted, exporter string }
	byID := map[string]own{}
	if jsonl {
		dec := json.NewDecoder(bytes.NewReader(b))
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				break // the assessment reports the row
			}
			id, _ := m["id"].(string)
			acc, _ := m["accepted_on"].(string)
			exp, _ := m["exporter_id"].(string)
			byID[id] = own{acc, exp}
		}
	} else {
		cr := csv.NewReader(bytes.NewReader(b))
		cr.FieldsPerRecord = -1
		recs, _ := cr.ReadAll()
		if len(recs) > 0 {
			col := map[string]int{}
			for i, h := range recs[0] {
				col[strings.TrimSpace(h)] = i
			}
			get := func(r []string, c string) string {
				if i, ok := col[c]; ok && i < len(r) {
					return strings.TrimSpace(r[i])
				}
				return ""
			}
			for _, r := range recs[1:] {
				byID[get(r, "id")] = own{get(r, "accepted_on"), get(r, "exporter_id")}
			}
		}
	}
	as, err := duty.New(env.agreement, env.reg, env.floors())
	if err != nil {
		return nil, err
	}
	var out, errs bytes.Buffer
	sum, err := as.AssessStream(ctx, bytes.NewReader(b), &out, &errs, duty.BulkOptions{Format: format})
	if err != nil {
		return nil, problem.Errorf(problem.Invalid, "%s: %v", path, err)
	}
	if sum != nil && sum.Rejected > 0 {
		return nil, problem.Errorf(problem.Invalid, "%s: %d declarations rejected by the assessment; the first: %s", path, sum.Rejected, firstRejected(errs.String(), format))
	}
	// The assessed rows with the two columns added.
	var joined bytes.Buffer
	if format == "jsonl" {
		dec := json.NewDecoder(&out)
		enc := json.NewEncoder(&joined)
		for dec.More() {
			var m map[string]any
			if err := dec.Decode(&m); err != nil {
				return nil, err
			}
			id, _ := m["id"].(string)
			m["accepted_on"], m["exporter_id"] = byID[id].accepted, byID[id].exporter
			if err := enc.Encode(m); err != nil {
				return nil, err
			}
		}
	} else {
		cr := csv.NewReader(&out)
		cr.FieldsPerRecord = -1
		recs, err := cr.ReadAll()
		if err != nil {
			return nil, err
		}
		cw := csv.NewWriter(&joined)
		for i, r := range recs {
			if i == 0 {
				cw.Write(append(r, "accepted_on", "exporter_id"))
				continue
			}
			o := byID[r[0]]
			cw.Write(append(r, o.accepted, o.exporter))
		}
		cw.Flush()
	}
	ds, err := monitor.ReadDeclarations(&joined, path+" (assessed)", asOf)
	if err != nil {
		return nil, invalid(err)
	}
	return ds, nil
}

func firstRejected(errs, format string) string {
	lines := strings.Split(strings.TrimSpace(errs), "\n")
	if format == "csv" && len(lines) > 1 {
		return lines[1]
	}
	if len(lines) > 0 {
		return lines[0]
	}
	return "(none reported)"
}

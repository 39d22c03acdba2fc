package monitor

import (
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
)

// ReadDeclarationsAssessing reads declarations in either form: an
// assessed file (the output of `mineralpact assess`, with a unit_price
// column) as ReadDeclarations does, or a declarations file as `assess`
// reads it (accepted_on, quantity, customs_value, ...; CSV or JSON Lines),
// which is assessed with as (its published floors) and joined back with
// each declaration's exporter_id and accepted_on (the assessed output does
// not repeat them). A declaration the assessment rejects is an
// *InputError naming its row.
func ReadDeclarationsAssessing(ctx context.Context, as *duty.Assessor, b []byte, path string, asOf date.Date) ([]Declaration, error) {
	jsonl := len(bytes.TrimSpace(b)) > 0 && bytes.TrimSpace(b)[0] == '{'
	first := b
	if i := bytes.IndexByte(b, '\n'); i >= 0 {
		first = b[:i]
	}
	if bytes.Contains(first, []byte("unit_price")) {
		return ReadDeclarations(bytes.NewReader(b), path, asOf)
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
	var out, errs bytes.Buffer
	sum, err := as.AssessStream(ctx, bytes.NewReader(b), &out, &errs, duty.BulkOptions{Format: format})
	if err != nil {
		return nil, inputErr(path, 0, "", "%v", err)
	}
	if sum != nil && sum.Rejected > 0 {
		return nil, inputErr(path, 0, "", "%d declarations rejected by the assessment; the first: %s", sum.Rejected, firstRejected(errs.String(), format))
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
	return ReadDeclarations(&joined, path+" (assessed)", asOf)
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

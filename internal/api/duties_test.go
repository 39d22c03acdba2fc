package api

import (
	"bufio"
	"encoding/json"
	"net/http"
	"reflect"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// dutyLines reads the duties of an answer: each line's measure, type and
// amount.
func dutyLines(t *testing.T, m map[string]any) []map[string]any {
	t.Helper()
	raw, ok := m["duties"].([]any)
	if !ok {
		t.Fatalf("answer %v has no duties list", m)
	}
	out := make([]map[string]any, len(raw))
	for i, l := range raw {
		out[i] = l.(map[string]any)
	}
	return out
}

// checkDuties checks an assessment's duty lines against its columns: the
// lines add up to total_duty, and other_duties is what the lines charge
// beyond the base duty, the variable duty and the surcharge.
func checkDuties(t *testing.T, m map[string]any) {
	t.Helper()
	sum := dec.Decimal{}
	for _, l := range dutyLines(t, m) {
		sum = sum.Add(dec.MustParse(l["amount"].(string)))
	}
	if total := dec.MustParse(m["total_duty"].(string)); sum.Cmp(total) != 0 {
		t.Errorf("%v: the duty lines add up to %s, total_duty is %s", m["id"], sum, total)
	}
	other := sum
	for _, k := range []string{"base_duty", "variable_duty", "surcharge"} {
		other = other.Sub(dec.MustParse(m[k].(string)))
	}
	if got := dec.MustParse(m["other_duties"].(string)); got.Cmp(other) != 0 {
		t.Errorf("%v: other_duties = %s, want the lines less base, variable and surcharge = %s", m["id"], got, other)
	}
}

// TestAssessmentDuties posts a US import of lithium carbonate from China
// under the example agreement (HTS 2836.91.00, MFN 3.7%, below the floor):
// the answer lists every duty line, at least the MFN line and the variable
// duty, in the party's order, and matches the OpenAPI document; the
// recorded answer and the batch answer carry the same lines.
func TestAssessmentDuties(t *testing.T) {
	s, _ := dutyServer(t)
	v := validatorFor(t)
	body := declaration("D-1", "US", "origin", "CN", "hs_code", "28369100")
	w := do(t, s, v, "POST", "/v1/assessments", body)
	if w.Code != http.StatusCreated {
		t.Fatalf("POST %s = %d %s, want 201", body, w.Code, w.Body)
	}
	first := decode(t, w)
	lines := dutyLines(t, first)
	types := map[string]string{}
	for _, l := range lines {
		types[l["type"].(string)] = l["measure"].(string)
	}
	if types["mfn"] != "us-mfn-li2co3" || types["variable_duty"] != "us-vd-li-processed" {
		t.Errorf("POST %s: duties = %v, want the MFN line us-mfn-li2co3 and the variable duty us-vd-li-processed", body, lines)
	}
	if len(lines) > 0 && lines[0]["type"] != "mfn" {
		t.Errorf("POST %s: the first duty line is %v, want the MFN line (the US order starts with mfn)", body, lines[0])
	}
	checkDuties(t, first)

	w = do(t, s, v, "POST", "/v1/assessments", body)
	if w.Code != http.StatusOK {
		t.Fatalf("POST of a recorded declaration = %d %s, want 200", w.Code, w.Body)
	}
	if again := decode(t, w); !reflect.DeepEqual(again["duties"], first["duties"]) || again["other_duties"] != first["other_duties"] {
		t.Errorf("the recorded answer has duties %v, other %v; want %v, %v", again["duties"], again["other_duties"], first["duties"], first["other_duties"])
	}

	batch := strings.Join([]string{body, declaration("D-2", "US", "origin", "CN", "hs_code", "28369100")}, "\n")
	w = do(t, s, nil, "POST", "/v1/assessments:batch", batch)
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<20)
	n := 0
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("batch answer line %q: %v", sc.Text(), err)
		}
		if !reflect.DeepEqual(m["duties"], first["duties"]) {
			t.Errorf("batch line %d: duties %v, want %v", n+1, m["duties"], first["duties"])
		}
		checkDuties(t, m)
		n++
	}
	if n != 2 {
		t.Errorf("batch of 2 answered %d lines", n)
	}
}

// TestAssessmentNewFields posts the declaration fields added with the
// customs-grade engine: a declared contained quantity, a supplementary
// quantity with its unit, a preference claimed. Each request matches the
// OpenAPI document; a misuse is a 400 naming its field.
func TestAssessmentNewFields(t *testing.T) {
	s, _ := dutyServer(t)
	v := validatorFor(t)
	w := do(t, s, v, "POST", "/v1/assessments", declaration("N-1", "US", "contained_quantity", "3.758", "preference", "AU",
		"supplementary_quantity", "20", "supplementary_unit", "m3"))
	if w.Code != http.StatusCreated {
		t.Fatalf("POST with the new fields = %d %s, want 201", w.Code, w.Body)
	}
	m := decode(t, w)
	wantEq(t, m, "contained_quantity", "3.758")
	checkDuties(t, m)

	tests := []struct {
		name, body, field, message string
	}{
		{"content and contained quantity", declaration("N-2", "US", "content", "0.1879", "contained_quantity", "3.758"), "contained_quantity", "not both"},
		{"contained above the quantity", declaration("N-3", "US", "contained_quantity", "21"), "contained_quantity", "not a contained quantity"},
		{"supplementary unit alone", declaration("N-4", "US", "supplementary_unit", "p/st"), "supplementary_quantity", "is required with supplementary_unit"},
		{"supplementary quantity alone", declaration("N-5", "US", "supplementary_quantity", "10"), "supplementary_unit", "is required with supplementary_quantity"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := do(t, s, v, "POST", "/v1/assessments", tt.body)
			if w.Code != http.StatusBadRequest {
				t.Fatalf("POST %s = %d %s, want 400", tt.body, w.Code, w.Body)
			}
			e := decode(t, w)["error"].(map[string]any)
			if e["code"] != "invalid" || e["field"] != tt.field || !strings.Contains(e["message"].(string), tt.message) {
				t.Errorf("POST %s error = %v, want invalid, field %s, message with %q", tt.body, e, tt.field, tt.message)
			}
		})
	}
}

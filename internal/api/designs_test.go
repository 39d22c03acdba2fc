package api

import (
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	validator "github.com/pb33f/libopenapi-validator"

	"github.com/mineralpact/mineralpact/examples"
)

// doBody sends a request with a body and checks the answer against
// openapi.json; it returns the status and the decoded body.
func doBody(t *testing.T, srv http.Handler, v validator.Validator, method, target, contentType, body string) (int, map[string]any) {
	t.Helper()
	newReq := func() *http.Request {
		req := httptest.NewRequest(method, target, strings.NewReader(body))
		if contentType != "" {
			req.Header.Set("Content-Type", contentType)
		}
		return req
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, newReq())
	if ok, errs := v.ValidateHttpResponse(newReq(), w.Result()); !ok {
		for _, e := range errs {
			t.Errorf("%s %s → %d does not match openapi.json: %s: %s", method, target, w.Code, e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.FieldPath, se.Reason)
			}
		}
	}
	var out map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &out); err != nil {
		t.Fatalf("%s %s → %d: body is not a JSON object: %v\n%s", method, target, w.Code, err, w.Body)
	}
	return w.Code, out
}

func TestValidateAgreement(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	example := string(examples.Pact2026)
	tests := []struct {
		name     string
		text     string
		ok       bool
		line     int    // of the first problem, when not ok
		near     bool   // the parser may place it up to two lines off
		contains string // in its message
	}{
		{name: "the example", text: example, ok: true},
		{name: "a YAML syntax error", text: strings.Replace(example, "          percentile: 75\n", "          percentile: [75\n", 1), line: lineOf(example, "          percentile: 75\n"), near: true, contains: "not valid YAML"},
		{name: "a percentile out of range", text: strings.Replace(example, "          percentile: 75\n", "          percentile: 175\n", 1), line: lineOf(example, "          percentile: 75\n"), contains: "percentile"},
		{name: "an unknown field", text: strings.Replace(example, "          percentile: 75\n", "          percentil: 75\n", 1), line: lineOf(example, "          percentile: 75\n"), contains: "percentil"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			code, body := doBody(t, srv, v, "POST", "/v1/agreements:validate", "application/yaml", tt.text)
			if code != 200 {
				t.Fatalf("POST /v1/agreements:validate = %d %v, want 200", code, body)
			}
			if body["ok"] != tt.ok {
				t.Fatalf("ok = %v, want %v; problems %v", body["ok"], tt.ok, body["problems"])
			}
			ps := body["problems"].([]any)
			if tt.ok {
				for _, p := range ps {
					if p.(map[string]any)["severity"] != "warning" {
						t.Errorf("a valid text has the error %v", p)
					}
				}
				return
			}
			if len(ps) == 0 {
				t.Fatal("not ok, and no problems")
			}
			p := ps[0].(map[string]any)
			line := int(p["line"].(float64))
			if (line != tt.line && !(tt.near && line >= tt.line-2 && line <= tt.line+2)) || p["severity"] != "error" || !strings.Contains(p["message"].(string), tt.contains) {
				t.Errorf("first problem = %v, want an error at line %d containing %q", p, tt.line, tt.contains)
			}
		})
	}
	// A processed floor below the mined one: a stage-order warning at the
	// processed stage's price rule, and the text still valid.
	cheap := strings.Replace(example, "          input_per_output: 1.12\n          conversion_cost: 9000\n", "          input_per_output: 0.1\n          conversion_cost: 9000\n", 1)
	code, body := doBody(t, srv, v, "POST", "/v1/agreements:validate", "application/yaml", cheap)
	var order []any
	for _, p := range body["problems"].([]any) {
		if p := p.(map[string]any); p["field"] == "minerals[0].stages[1].price" && p["severity"] == "warning" {
			order = append(order, p)
		}
	}
	if code != 200 || body["ok"] != true || len(order) != 1 || int(order[0].(map[string]any)["line"].(float64)) != lineOf(example, "          method: stage_chain\n") {
		t.Errorf("lithium processed below mined: %d ok=%v, stage-order warnings %v; want one at the processed price rule (line %d)", code, body["ok"], order, lineOf(example, "          method: stage_chain\n"))
	}
	code, body = doBody(t, srv, v, "POST", "/v1/agreements:validate", "application/yaml", "")
	if code != 400 || body["error"].(map[string]any)["code"] != "invalid" {
		t.Errorf("an empty body = %d %v, want 400 invalid", code, body)
	}
}

// lineOf is the 1-based line at which s starts in text.
func lineOf(text, s string) int {
	i := strings.Index(text, s)
	return strings.Count(text[:i], "\n") + 1
}

// TestCompareDesigns compares the example with its lithium percentile
// raised over a small workload: the lithium floors change and cobalt's do
// not; the comparison is saved under its id; a bad agreement is an error
// naming its line and column.
func TestCompareDesigns(t *testing.T) {
	s := New(simDeps(t))
	s.SetDesign(DesignConfig{Declarations: 2000, Paths: 20})
	v := simValidator(t)
	example := string(examples.Pact2026)
	edited := strings.Replace(example, "          percentile: 75\n", "          percentile: 80\n", 1)
	req, _ := json.Marshal(map[string]any{"agreement": edited, "workload": map[string]any{"scenarios": []string{"lithium-collapse-2023", "cobalt-drc-2025"}}})
	start := time.Now()
	code, body := doBody(t, s, v, "POST", "/v1/designs:compare", "application/json", string(req))
	if code != 200 {
		t.Fatalf("POST /v1/designs:compare = %d %v", code, body)
	}
	t.Logf("cold comparison: %v", time.Since(start))
	cmp := body["comparison"].(map[string]any)
	floors := cmp["floors"].([]any)
	var lithium, cobalt int
	for _, f := range floors {
		f := f.(map[string]any)
		if f["changed"] != true {
			continue
		}
		switch f["mineral"] {
		case "lithium":
			lithium++
		case "cobalt":
			cobalt++
		}
	}
	if lithium == 0 || cobalt != 0 {
		t.Errorf("changed floors: lithium %d, cobalt %d; want lithium's only", lithium, cobalt)
	}
	id := body["id"].(string)
	if tables := body["tables"].([]any); len(tables) < 7 {
		t.Errorf("%d tables, want the comparison's", len(tables))
	}

	// The second edit is answered by the warm Comparer.
	edited2 := strings.Replace(example, "          percentile: 75\n", "          percentile: 85\n", 1)
	req2, _ := json.Marshal(map[string]any{"agreement": edited2, "workload": map[string]any{"scenarios": []string{"lithium-collapse-2023", "cobalt-drc-2025"}}})
	start = time.Now()
	if code, body := doBody(t, s, v, "POST", "/v1/designs:compare", "application/json", string(req2)); code != 200 || body["id"] == id {
		t.Fatalf("second edit = %d, id %v (first %s)", code, body["id"], id)
	}
	t.Logf("warm comparison: %v", time.Since(start))

	code, got := doBody(t, s, v, "GET", "/v1/designs/"+id, "", "")
	if code != 200 || got["id"] != id {
		t.Errorf("GET /v1/designs/%s = %d %v", id, code, got["id"])
	}

	errorTests := []struct {
		name, target, body string
		status             int
		code, field        string
		message            string
	}{
		{"unknown design", "/v1/designs/0123456789abcdef0123456789abcdef", "", 404, "not_found", "id", "no saved design"},
		{"bad design id", "/v1/designs/xyz", "", 400, "invalid", "id", "32 lowercase hex"},
		{"no agreement", "/v1/designs:compare", `{"workload": {}}`, 400, "invalid", "agreement", "required"},
		{"unknown field", "/v1/designs:compare", `{"agreement": "x", "extra": 1}`, 400, "invalid", "", "unknown field"},
		{"bad agreement", "/v1/designs:compare", mustJSON(map[string]any{"agreement": strings.Replace(example, "          percentile: 75\n", "          percentile: 175\n", 1)}),
			400, "invalid", "agreement.minerals[0].stages[0].price.percentile", "agreement:" + itoa(lineOf(example, "          percentile: 75\n")) + ":"},
		{"unknown scenario", "/v1/designs:compare", mustJSON(map[string]any{"agreement": example, "workload": map[string]any{"scenarios": []string{"nope"}}}), 404, "not_found", "workload.scenarios[0]", "no shipped scenario"},
		{"to before from", "/v1/designs:compare", mustJSON(map[string]any{"agreement": example, "workload": map[string]any{"from": "2026-06-01", "to": "2026-01-01"}}), 400, "invalid", "workload.to", "before"},
		{"unknown base hash", "/v1/designs:compare", mustJSON(map[string]any{"agreement": example, "base": strings.Repeat("ab", 32)}), 404, "not_found", "base", "no agreement version"},
	}
	for _, tt := range errorTests {
		t.Run(tt.name, func(t *testing.T) {
			method := "GET"
			if tt.body != "" {
				method = "POST"
			}
			code, body := doBody(t, s, v, method, tt.target, "application/json", tt.body)
			e, _ := body["error"].(map[string]any)
			if code != tt.status || e["code"] != tt.code || (tt.field != "" && e["field"] != tt.field) || !strings.Contains(e["message"].(string), tt.message) {
				t.Errorf("%s %s = %d %v, want %d %s field %q message containing %q", method, tt.target, code, e, tt.status, tt.code, tt.field, tt.message)
			}
		})
	}
}

func mustJSON(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		panic(err)
	}
	return string(b)
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}

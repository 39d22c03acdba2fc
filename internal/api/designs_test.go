package api

import (
	"bufio"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"reflect"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"
	"github.com/pb33f/libopenapi-validator/schema_validation"
	"github.com/pb33f/libopenapi/datamodel/high/base"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/auth"
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
	srv, v := asRole(t, New(simDeps(t)), auth.Analyst, ""), simValidator(t)
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
	srv := New(simDeps(t))
	srv.SetDesign(DesignConfig{Declarations: 2000, Paths: 20})
	s := asRole(t, srv, auth.Analyst, "")
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

// streamDesign posts a comparison asking for NDJSON and returns the status,
// the content type and the lines, each checked against openapi.json's
// DesignStreamLine.
func streamDesign(t *testing.T, srv http.Handler, target, body string, ctx context.Context) (int, string, []map[string]any) {
	t.Helper()
	req := httptest.NewRequest("POST", target, strings.NewReader(body)).WithContext(ctx)
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("Accept", "application/x-ndjson")
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	ct := w.Header().Get("Content-Type")
	if ct != "application/x-ndjson" {
		return w.Code, ct, nil
	}
	schema := designLineSchema(t)
	sv := schema_validation.NewSchemaValidator()
	var lines []map[string]any
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 64<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("line %d is not a JSON object: %v: %.200s", len(lines)+1, err, sc.Bytes())
		}
		if ok, errs := sv.ValidateSchemaBytes(schema, sc.Bytes()); !ok {
			for _, e := range errs {
				t.Errorf("line %d (%v) does not match DesignStreamLine: %s: %s", len(lines)+1, m["part"], e.Message, e.Reason)
			}
		}
		lines = append(lines, m)
	}
	return w.Code, ct, lines
}

func designLineSchema(t *testing.T) *base.Schema {
	t.Helper()
	doc, err := libopenapi.NewDocument(OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	model, err := doc.BuildV3Model()
	if err != nil {
		t.Fatal(err)
	}
	return model.Model.Components.Schemas.GetOrZero("DesignStreamLine").Schema()
}

func partNames(lines []map[string]any) []string {
	var out []string
	for _, l := range lines {
		out = append(out, l["part"].(string))
	}
	return out
}

// byPart indexes the lines by part (a scenario by part and index).
func byPart(lines []map[string]any) map[string]map[string]any {
	m := map[string]map[string]any{}
	for _, l := range lines {
		k := l["part"].(string)
		if k == "scenario" {
			k += itoa(int(l["index"].(float64)))
		}
		m[k] = l
	}
	return m
}

// TestCompareDesignsStream: the comparison streamed as NDJSON, a line a
// part as its engine finishes, then the done line; the parts are the saved
// comparison's; the same request again streams the saved one; ?stream=1
// asks the same; an error before the stream is the plain error answer, one
// after its first line an error line.
func TestCompareDesignsStream(t *testing.T) {
	srv := New(simDeps(t))
	srv.SetDesign(DesignConfig{Declarations: 2000, Paths: 20})
	s := asRole(t, srv, auth.Analyst, "")
	example := string(examples.Pact2026)
	edited := strings.Replace(example, "          percentile: 75\n", "          percentile: 80\n", 1)
	body := mustJSON(map[string]any{"agreement": edited, "workload": map[string]any{"scenarios": []string{"lithium-collapse-2023", "cobalt-drc-2025"}}})
	code, ct, lines := streamDesign(t, s, "/v1/designs:compare", body, context.Background())
	if code != 200 || ct != "application/x-ndjson" {
		t.Fatalf("POST /v1/designs:compare (NDJSON) = %d %s", code, ct)
	}
	names := partNames(lines)
	t.Logf("parts: %v", names)
	if len(names) != 8 || names[0] != "changes" || names[len(names)-2] != "work" || names[len(names)-1] != "done" {
		t.Fatalf("parts %v, want changes first, then floors, scope, duty and 2 scenarios in any order, work, done", names)
	}
	parts := byPart(lines)
	for _, p := range []string{"floors", "scope", "duty", "scenario0", "scenario1"} {
		if parts[p] == nil {
			t.Errorf("no %s line in %v", p, names)
		}
	}
	done := parts["done"]
	id := done["id"].(string)
	if done["saved"] != false || done["link"] != "/v1/designs/"+id || done["summary"].(map[string]any)["floors_changed"].(float64) == 0 {
		t.Errorf("done line %v, want the id, its link, not saved before, floors changed", done)
	}
	// The parts are the saved comparison's.
	v := simValidator(t)
	gcode, saved := doBody(t, s, v, "GET", "/v1/designs/"+id, "", "")
	if gcode != 200 {
		t.Fatalf("GET /v1/designs/%s = %d", id, gcode)
	}
	cmp := saved["comparison"].(map[string]any)
	for _, f := range []string{"floors", "duty", "scope", "work", "changes", "touched"} {
		p := map[string]string{"changes": "changes", "touched": "changes", "work": "work"}[f]
		if p == "" {
			p = f
		}
		if !reflect.DeepEqual(parts[p][f], cmp[f]) {
			t.Errorf("the %s line's %s differs from the saved comparison's", p, f)
		}
	}
	for i, sc := range cmp["scenarios"].([]any) {
		if !reflect.DeepEqual(parts["scenario"+itoa(i)]["scenario"], sc) {
			t.Errorf("scenario line %d differs from the saved comparison's scenario %d", i, i)
		}
	}

	// The same request again: the saved comparison, streamed, the same parts.
	code, _, again := streamDesign(t, s, "/v1/designs:compare?stream=1", body, context.Background())
	if code != 200 || len(again) != len(lines) {
		t.Fatalf("the same request again = %d, %d lines (%v), want 200 and %d lines", code, len(again), partNames(again), len(lines))
	}
	ap := byPart(again)
	if ap["done"]["saved"] != true || ap["done"]["id"] != id {
		t.Errorf("done line of the saved comparison %v, want saved true and id %s", ap["done"], id)
	}
	for k, l := range parts {
		if k == "done" {
			continue
		}
		if !reflect.DeepEqual(ap[k], l) {
			t.Errorf("the saved comparison's %s line differs from the one streamed first", k)
		}
	}

	// Refused before the stream: the plain error answer (no token; a bad
	// text).
	if code, ct, _ := streamDesign(t, srv, "/v1/designs:compare", body, context.Background()); code != 401 || ct != "application/json" {
		t.Errorf("a stream asked for without a token = %d %s, want 401 application/json", code, ct)
	}
	bad := mustJSON(map[string]any{"agreement": strings.Replace(example, "          percentile: 75\n", "          percentile: 175\n", 1)})
	code, ct, _ = streamDesign(t, s, "/v1/designs:compare", bad, context.Background())
	if code != 400 || ct != "application/json" {
		t.Errorf("a bad text, streamed = %d %s, want 400 application/json", code, ct)
	}

	// Stopped after the first line: an error line, no done line. A fresh
	// workload (other scenarios) makes the comparison cold, so that the
	// deadline, which passes as soon as the first line is written (not
	// after a fixed time, which a loaded machine may spend before it),
	// falls while the old version is computed.
	ctx := &firstLineDeadline{Context: context.Background(), done: make(chan struct{})}
	cold := mustJSON(map[string]any{"agreement": edited, "workload": map[string]any{"scenarios": []string{"nickel-indonesia-surge"}}})
	code, _, lines = streamDesign(t, expireOnWrite{s, ctx}, "/v1/designs:compare", cold, ctx)
	names = partNames(lines)
	if code != 200 || len(names) < 2 || names[0] != "changes" || names[len(names)-1] != "error" || slices.Contains(names, "done") {
		t.Fatalf("a comparison past its deadline = %d, parts %v; want changes first, an error line last, no done", code, names)
	}
	if e := lines[len(lines)-1]["error"].(map[string]any); e["code"] != "unavailable" || !strings.Contains(e["message"].(string), "deadline") {
		t.Errorf("error line %v, want code unavailable naming the deadline", e)
	}
}

// TestSavedDesignsOutliveTheServer: a comparison saved by one server is
// opened by another over the same store (a restart, or a second node), its
// new version can be named by hash as a base there, and the store keeps no
// more than StoredMax.
func TestSavedDesignsOutliveTheServer(t *testing.T) {
	deps := simDeps(t)
	sa := New(deps)
	sa.SetDesign(DesignConfig{Declarations: 2000, Paths: 20, StoredMax: 2})
	a := asRole(t, sa, auth.Analyst, "")
	v := simValidator(t)
	example := string(examples.Pact2026)
	var ids, hashes []string
	for _, p := range []string{"80", "85", "90"} {
		edited := strings.Replace(example, "          percentile: 75\n", "          percentile: "+p+"\n", 1)
		code, body := doBody(t, a, v, "POST", "/v1/designs:compare", "application/json", mustJSON(map[string]any{"agreement": edited, "workload": map[string]any{"scenarios": []string{"cobalt-drc-2025"}}}))
		if code != 200 {
			t.Fatalf("POST /v1/designs:compare (percentile %s) = %d %v", p, code, body)
		}
		ids = append(ids, body["id"].(string))
		hashes = append(hashes, body["comparison"].(map[string]any)["new"].(map[string]any)["hash"].(string))
	}
	sb := New(deps) // another node, or the same after a restart: nothing in memory
	sb.SetDesign(DesignConfig{Declarations: 2000, Paths: 20, StoredMax: 2})
	b := asRole(t, sb, auth.Secretariat, "")
	for i, id := range ids {
		code, body := doBody(t, b, v, "GET", "/v1/designs/"+id, "", "")
		switch {
		case i == 0 && code != 404:
			t.Errorf("GET the first of three designs with StoredMax 2 = %d, want 404 (pruned)", code)
		case i == 0:
			if msg := body["error"].(map[string]any)["message"].(string); !strings.Contains(msg, "last 2 comparisons") {
				t.Errorf("404 message %q, want it to say what the store keeps", msg)
			}
		case code != 200 || body["id"] != id || !strings.Contains(body["agreement"].(string), "percentile: 85") && !strings.Contains(body["agreement"].(string), "percentile: 90"):
			t.Errorf("GET /v1/designs/%s on another server = %d %v, want the saved comparison with its text", id, code, body["id"])
		}
	}
	// A version compared on the first server is a base on the second, by
	// its hash (from the store), and so is a new version.
	edited := strings.Replace(example, "          percentile: 75\n", "          percentile: 95\n", 1)
	code, body := doBody(t, b, v, "POST", "/v1/designs:compare", "application/json", mustJSON(map[string]any{"agreement": edited, "base": hashes[2], "workload": map[string]any{"scenarios": []string{"cobalt-drc-2025"}}}))
	if code != 200 || body["comparison"].(map[string]any)["old"].(map[string]any)["hash"] != hashes[2] {
		t.Fatalf("compare with base %s on another server = %d %v", hashes[2], code, body)
	}
	code, body = doBody(t, b, v, "POST", "/v1/designs:compare", "application/json", mustJSON(map[string]any{"agreement": hashes[1], "base": hashes[2], "workload": map[string]any{"scenarios": []string{"cobalt-drc-2025"}}}))
	if code != 200 || !strings.Contains(body["agreement"].(string), "percentile: 85") {
		t.Errorf("compare two versions by hash = %d, agreement text %.60q", code, body["agreement"])
	}
}

// TestWarmDesign: after WarmDesign, the first comparison of the default
// workload finds the served agreement computed.
func TestWarmDesign(t *testing.T) {
	s := New(simDeps(t))
	s.SetDesign(DesignConfig{Declarations: 2000, Paths: 20})
	start := time.Now()
	if err := s.WarmDesign(context.Background()); err != nil {
		t.Fatalf("WarmDesign = %v", err)
	}
	t.Logf("warm-up: %v", time.Since(start))
	edited := strings.Replace(string(examples.Pact2026), "          percentile: 75\n", "          percentile: 80\n", 1)
	start = time.Now()
	code, body := doBody(t, asRole(t, s, auth.Analyst, ""), simValidator(t), "POST", "/v1/designs:compare", "application/json", mustJSON(map[string]any{"agreement": edited}))
	if code != 200 {
		t.Fatalf("POST /v1/designs:compare = %d %v", code, body)
	}
	t.Logf("first comparison after the warm-up: %v", time.Since(start))
	w := body["comparison"].(map[string]any)["work"].(map[string]any)
	if n := w["declarations_reassessed"].(float64); n == 0 || n >= 2000 {
		t.Errorf("the first comparison after the warm-up re-assessed %v declarations, want the lithium ones only (derived from the warm served version)", n)
	}
}

// firstLineDeadline is a request context whose deadline passes when
// expire is called: by expireOnWrite, on the answer's first write.
type firstLineDeadline struct {
	context.Context
	done chan struct{}
	once sync.Once
}

func (c *firstLineDeadline) Done() <-chan struct{} { return c.done }

func (c *firstLineDeadline) Err() error {
	select {
	case <-c.done:
		return context.DeadlineExceeded
	default:
		return nil
	}
}

func (c *firstLineDeadline) expire() { c.once.Do(func() { close(c.done) }) }

// expireOnWrite serves through h and expires ctx once h has written a line.
type expireOnWrite struct {
	h   http.Handler
	ctx *firstLineDeadline
}

func (e expireOnWrite) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.h.ServeHTTP(&expiringWriter{ResponseWriter: w, ctx: e.ctx}, r)
}

type expiringWriter struct {
	http.ResponseWriter
	ctx *firstLineDeadline
}

func (w *expiringWriter) Write(b []byte) (int, error) {
	n, err := w.ResponseWriter.Write(b)
	w.ctx.expire()
	return n, err
}

func (w *expiringWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }

func (w *expiringWriter) Flush() {
	if f, ok := w.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

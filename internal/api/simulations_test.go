package api

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// simDeps serves the example agreement over a fresh SQLite store.
func simDeps(t *testing.T) Deps {
	t.Helper()
	reg, a := exampletest.Load(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "sim.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	src := exampletest.Sources(reg)
	sims := service.NewSimulations(st, SimWorkers, SimQueue)
	t.Cleanup(sims.Close) // before the store closes: cleanups run last first
	prices := refprice.New(a, src)
	return Deps{Registry: reg, Agreement: a, AgreementFile: examples.Pact2026Name, Store: st, Prices: prices, Floors: refprice.NewInProcess(prices), Data: data.FS,
		NewPrices: func(a *agreement.Agreement) *refprice.Engine { return refprice.New(a, src) }, Simulations: sims}
}

// simValidator checks answers against openapi.json.
func simValidator(t *testing.T) validator.Validator {
	doc, err := libopenapi.NewDocument(OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	return v
}

// doSim serves one request as an analyst and checks the answer against
// openapi.json.
func doSim(t *testing.T, srv http.Handler, v validator.Validator, method, target, body string) (int, simulationBody, map[string]any) {
	t.Helper()
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	if s, ok := srv.(*Server); ok {
		req.Header.Set("Authorization", bearer(t, s, auth.Analyst, ""))
	}
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	authz := req.Header.Get("Authorization")
	req = httptest.NewRequest(method, target, strings.NewReader(body)) // the body was read
	req.Header.Set("Authorization", authz)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	if ok, errs := v.ValidateHttpResponse(req, w.Result()); !ok {
		for _, e := range errs {
			t.Errorf("%s %s → %d does not match openapi.json: %s: %s", method, target, w.Code, e.Message, e.Reason)
			for _, se := range e.SchemaValidationErrors {
				t.Errorf("  %s: %s", se.FieldPath, se.Reason)
			}
		}
	}
	var sb simulationBody
	var raw map[string]any
	json.Unmarshal(w.Body.Bytes(), &sb)
	json.Unmarshal(w.Body.Bytes(), &raw)
	return w.Code, sb, raw
}

func TestSimulationShortRun(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, sb, _ := doSim(t, srv, v, "POST", "/v1/simulations", `{"scenario": "cobalt-drc-2025", "paths": 20, "seed": 3}`)
	if code != 200 || sb.Status != "done" || sb.Progress != 1 || len(sb.Result) == 0 {
		t.Fatalf("POST short run = %d %+v, want 200 done with a result", code, sb)
	}
	var res struct {
		Scenario   struct{ Illustrative bool } `json:"scenario"`
		MonteCarlo struct {
			Paths int `json:"paths"`
			Price struct {
				P50 []float64 `json:"p50"`
			} `json:"price"`
		} `json:"monte_carlo"`
	}
	if err := json.Unmarshal(sb.Result, &res); err != nil || res.MonteCarlo.Paths != 20 || len(res.MonteCarlo.Price.P50) != 48 || !res.Scenario.Illustrative {
		t.Errorf("result = %+v (%v), want 20 paths, 48 months of P50, illustrative", res, err)
	}
	// The run answered at once is stored with its summary only (issue 12:
	// each stored 210 KB): the answer had the result.
	code, got, _ := doSim(t, srv, v, "GET", "/v1/simulations/"+sb.ID, "")
	if code != 200 || got.Status != "done" || len(got.Result) != 0 || len(got.Summary) == 0 || string(got.Summary) != string(sb.Summary) {
		t.Errorf("GET /v1/simulations/%s = %d %s, result %d bytes, summary %.100s; want the stored run with its summary and no result", sb.ID, code, got.Status, len(got.Result), got.Summary)
	}
	if len(got.Summary) > 8<<10 {
		t.Errorf("summary of a short run = %d bytes, want a few KB at most (the result is %d)", len(got.Summary), len(sb.Result))
	}
	t.Logf("short run: result %d bytes, summary stored %d bytes", len(sb.Result), len(got.Summary))
}

// TestSimulationShortRunLimit: a token with a short run under way, or a
// node with its most, is answered 429 at once, and nothing is stored.
func TestSimulationShortRunLimit(t *testing.T) {
	d := simDeps(t)
	srv, v := New(d), simValidator(t)
	authz := bearer(t, srv, auth.Analyst, "")
	secret := strings.TrimPrefix(authz, "Bearer mpt_")
	tokenID := "tok_" + secret[:strings.IndexByte(secret, '_')]
	post := func() (int, map[string]any) {
		req := httptest.NewRequest("POST", "/v1/simulations", strings.NewReader(`{"scenario": "cobalt-drc-2025", "paths": 5, "seed": 3}`))
		req.Header.Set("Authorization", authz)
		req.Header.Set("Content-Type", "application/json")
		w := httptest.NewRecorder()
		srv.ServeHTTP(w, req)
		vreq := httptest.NewRequest("POST", "/v1/simulations", strings.NewReader(`{"scenario": "cobalt-drc-2025", "paths": 5, "seed": 3}`))
		vreq.Header.Set("Content-Type", "application/json")
		if ok, errs := v.ValidateHttpResponse(vreq, w.Result()); !ok {
			for _, e := range errs {
				t.Errorf("POST → %d does not match openapi.json: %s: %s", w.Code, e.Message, e.Reason)
			}
		}
		var m map[string]any
		json.Unmarshal(w.Body.Bytes(), &m)
		return w.Code, m
	}
	d.Simulations.Configure(service.SimConfig{SyncPerToken: 1, SyncTotal: 4, SyncWait: 50 * time.Millisecond})
	release, err := d.Simulations.Acquire(context.Background(), tokenID) // this token's run under way
	if err != nil {
		t.Fatal(err)
	}
	if code, m := post(); code != http.StatusTooManyRequests || m["error"].(map[string]any)["code"] != "too_many_requests" {
		t.Errorf("a second short run of one token = %d %v, want 429 too_many_requests", code, m)
	}
	release()
	if code, _ := post(); code != 200 {
		t.Errorf("the token's short run once the first is answered = %d, want 200", code)
	}
	d.Simulations.Configure(service.SimConfig{SyncPerToken: 4, SyncTotal: 1})
	release, _ = d.Simulations.Acquire(context.Background(), "tok_another")
	defer release()
	if code, _ := post(); code != http.StatusTooManyRequests {
		t.Errorf("a short run with the node's only place taken = %d, want 429", code)
	}
}

// TestSimulationLongRun: a run above the synchronous bound is queued, runs in
// the server's pool, reports its progress and stores its result; a floor
// variant changes the result.
func TestSimulationLongRun(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, sb, _ := doSim(t, srv, v, "POST", "/v1/simulations", `{"scenario": "lithium-collapse-2023", "paths": 1000, "seed": 1, "floor_scale": 1.1}`)
	if code != 202 || sb.Status != "queued" {
		t.Fatalf("POST long run = %d %+v, want 202 queued", code, sb)
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		code, got, _ := doSim(t, srv, v, "GET", "/v1/simulations/"+sb.ID, "")
		if code != 200 {
			t.Fatalf("GET = %d", code)
		}
		if got.Status == "done" {
			if len(got.Result) == 0 || got.Progress != 1 {
				t.Errorf("done run = %+v, want its result and progress 1", got)
			}
			var res struct {
				Design struct {
					FloorScale float64 `json:"floor_scale"`
				} `json:"design"`
			}
			json.Unmarshal(got.Result, &res)
			if res.Design.FloorScale != 1.1 {
				t.Errorf("floor_scale in the result = %v, want 1.1", res.Design.FloorScale)
			}
			return
		}
		if got.Status == "failed" || time.Now().After(deadline) {
			t.Fatalf("run = %+v", got)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

func TestSimulationErrors(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	tests := []struct {
		method, target, body string
		status               int
		field, message       string
	}{
		{"POST", "/v1/simulations", `{}`, 400, "scenario", "is required"},
		{"POST", "/v1/simulations", `{"scenario": "a", "scenario_yaml": "b"}`, 400, "scenario", "not both"},
		{"POST", "/v1/simulations", `{"scenario": "no-such"}`, 404, "scenario", "no shipped scenario"},
		{"POST", "/v1/simulations", `{"scenario": "cobalt-drc-2025", "pathz": 3}`, 400, "", "unknown field"},
		{"POST", "/v1/simulations", `{"scenario": "cobalt-drc-2025", "paths": -1}`, 400, "paths", "paths must be"},
		{"POST", "/v1/simulations", `{"scenario_yaml": "version: 1\nid: x\nmonths: twelve\n"}`, 400, "months", "scenario_yaml:3:9: months: want a whole number"},
		{"POST", "/v1/simulations", `{"scenario": "cobalt-drc-2025", "agreement": "version: 2\n"}`, 400, "id", "agreement:1:1: id: missing required field"},
		{"GET", "/v1/simulations/0123456789abcdef", "", 404, "id", "no simulation"},
		{"GET", "/v1/simulations/Bad_ID", "", 400, "id", "lowercase"},
	}
	for _, tt := range tests {
		code, _, raw := doSim(t, srv, v, tt.method, tt.target, tt.body)
		e, _ := raw["error"].(map[string]any)
		msg, _ := e["message"].(string)
		field, _ := e["field"].(string)
		if code != tt.status || field != tt.field || !strings.Contains(msg, tt.message) {
			t.Errorf("%s %s %s = %d %v, want %d, field %q, message containing %q", tt.method, tt.target, tt.body, code, e, tt.status, tt.field, tt.message)
		}
	}
}

package api

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestStockpileCompliance answers the example's compliance on a date for an
// analyst, refuses a missing date and an unknown mineral, and asks for
// credentials.
func TestStockpileCompliance(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, _, raw := doSim(t, srv, v, "GET", "/v1/stockpiles/compliance?as_of=2026-07-01&mineral=cobalt", "")
	regimes, _ := raw["regimes"].([]any)
	if code != 200 || len(regimes) != 1 {
		t.Fatalf("GET /v1/stockpiles/compliance = %d %v", code, raw)
	}
	us := regimes[0].(map[string]any)["parties"].([]any)[0].(map[string]any)
	if us["party"] != "US" || us["base"] != "9500" || us["obligation"] != "2342.466" {
		t.Errorf("US = %v, want net imports 9500 t (MCS 2026) and 90 days of them, 2342.466 t", us)
	}
	for _, c := range []struct{ target, field string }{{"/v1/stockpiles/compliance", "as_of"}, {"/v1/stockpiles/compliance?as_of=2026-07-01&mineral=tin", "mineral"}} {
		code, _, raw = doSim(t, srv, v, "GET", c.target, "")
		if e, _ := raw["error"].(map[string]any); code < 400 || e == nil || e["field"] != c.field {
			t.Errorf("GET %s = %d %v, want an error at %s", c.target, code, raw, c.field)
		}
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/v1/stockpiles/compliance?as_of=2026-07-01", nil))
	if w.Code != 200 { // public, like the /stockpiles page: the IEA publishes its members' stocks
		t.Errorf("without credentials = %d, want 200", w.Code)
	}
}

// TestStockpileResponseJob queues the cobalt ban's response plan and follows
// it to its result: triggers, the plan per party and month, the paths with
// and without the response.
func TestStockpileResponseJob(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, _, raw := doSim(t, srv, v, "POST", "/v1/stockpiles/responses", `{"scenario": "cobalt-drc-2025", "initial": "obligation", "alone": true, "paths": 50}`)
	if code != 202 || raw["status"] == nil || raw["scenario"] != "cobalt-drc-2025" {
		t.Fatalf("POST /v1/stockpiles/responses = %d %v, want 202 queued", code, raw)
	}
	id := raw["id"].(string)
	deadline := time.Now().Add(60 * time.Second)
	for raw["status"] != "done" && raw["status"] != "failed" && time.Now().Before(deadline) {
		time.Sleep(100 * time.Millisecond)
		_, _, raw = doSim(t, srv, v, "GET", "/v1/stockpiles/responses/"+id, "")
	}
	res, _ := raw["result"].(map[string]any)
	if raw["status"] != "done" || res == nil {
		t.Fatalf("GET /v1/stockpiles/responses/%s = %v", id, raw)
	}
	co := res["coordinated"].(map[string]any)
	if co["plan"] == nil || co["monte_carlo"] == nil || res["without"] == nil || res["alone"] == nil || len(res["assessment"].(map[string]any)["triggers"].([]any)) == 0 {
		t.Errorf("result lacks the plan, the Monte Carlo, the comparison or the triggers: %.400v", res)
	}
	for _, c := range []struct{ body, field string }{{`{"scenario": "nope"}`, "scenario"}, {`{"scenario": "cobalt-drc-2025", "paths": -1}`, "paths"}, {`{"scenario": "cobalt-drc-2025", "initial": "all"}`, "initial"}, {`{}`, "scenario"}} {
		code, _, raw = doSim(t, srv, v, "POST", "/v1/stockpiles/responses", c.body)
		if e, _ := raw["error"].(map[string]any); code < 400 || e == nil || e["field"] != c.field {
			t.Errorf("POST %s = %d %v, want an error at %s", c.body, code, raw, c.field)
		}
	}
	_, _, raw = doSim(t, srv, v, "GET", "/v1/simulations/"+id, "")
	if e, _ := raw["error"].(map[string]any); e == nil || !strings.Contains(e["message"].(string), "GET /v1/stockpiles/responses/") {
		t.Errorf("a stockpile run read as a simulation: %.300v", raw)
	}
	_, _, raw = doSim(t, srv, v, "GET", "/v1/projects/runs/"+id, "")
	if e, _ := raw["error"].(map[string]any); e == nil || !strings.Contains(e["message"].(string), "no projects run") {
		t.Errorf("a stockpile run read as a projects run: %v", raw)
	}
}

package api

import (
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

// TestProjectsList lists the served pipelines without credentials (the
// pipeline is public data): the Busch et al. deposits, the scenarios'
// projects and the illustrative example, each labelled.
func TestProjectsList(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	req := httptest.NewRequest("GET", "/v1/projects?mineral=lithium", nil)
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, req)
	if ok, errs := v.ValidateHttpResponse(req, w.Result()); !ok {
		t.Errorf("GET /v1/projects does not match openapi.json: %v", errs[0].Reason)
	}
	if w.Code != 200 || !strings.Contains(w.Body.String(), `"id":"busch-lithium-2024"`) || !strings.Contains(w.Body.String(), `"id":"busch-1","name":"Salar de Atacama (SQM)"`) ||
		strings.Contains(w.Body.String(), `"mineral":"cobalt"`) {
		t.Fatalf("GET /v1/projects?mineral=lithium = %d %.400s", w.Code, w.Body.String())
	}
	for _, want := range []string{`"id":"scenario-projects"`, `"illustrative":true`, `"id":"projects-2026"`, `"owner":"Talison Lithium Australia Pty Ltd","owner_id":"talison"`} {
		if !strings.Contains(w.Body.String(), want) {
			t.Errorf("GET /v1/projects lacks %s", want)
		}
	}
}

// TestProjectValue values a project at once (GET, an analyst), by POST with
// an offtake, on a market scenario, and refuses a GET too long to answer at
// once; without credentials it is 401.
func TestProjectValue(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, _, raw := doSim(t, srv, v, "GET", "/v1/projects/li-brine-mx?as_of=2026-07-01&paths=500", "")
	if code != 200 || raw["pipeline"] != "projects-2026" || raw["illustrative"] != true || raw["npv_fan"] == nil || raw["cash_flows"] == nil {
		t.Fatalf("GET /v1/projects/li-brine-mx = %d %v", code, raw)
	}
	if fv := raw["floor_value"].(float64); !(fv > 0) {
		t.Errorf("floor value = %g, want > 0 (the example's lithium floor is far above its price)", fv)
	}
	offtake := `version: 1\nid: c\nproject: li-brine-mx\nvolume_per_year: 2000\ntenor_years: 8\nprice: {kind: collar, floor: 40000, ceiling: 90000}\n`
	code, _, raw = doSim(t, srv, v, "POST", "/v1/projects:value", `{"project": "li-brine-mx", "floor": 50000, "paths": 300, "offtake_yaml": "`+offtake+`"}`)
	if code != 200 || raw["offtake"] == nil || raw["floor"].(map[string]any)["source"] != "request" {
		t.Fatalf("POST /v1/projects:value with an offtake = %d %v", code, raw)
	}
	code, _, raw = doSim(t, srv, v, "GET", "/v1/projects/co-mine-cd?scenario=cobalt-drc-2025&paths=20", "")
	if m, _ := raw["market"].(map[string]any); code != 200 || m == nil || m["region"] != "CD" || m["scenario"] != "cobalt-drc-2025" {
		t.Fatalf("GET /v1/projects/co-mine-cd?scenario = %d %v", code, raw)
	}
	code, _, raw = doSim(t, srv, v, "GET", "/v1/projects/co-mine-cd?scenario=cobalt-drc-2025&paths=5000", "")
	if e, _ := raw["error"].(map[string]any); code != 400 || e == nil || !strings.Contains(e["message"].(string), "POST it to /v1/projects:value") {
		t.Errorf("GET of a long run = %d %v, want 400 pointing to POST", code, raw)
	}
	for _, c := range []struct{ target, field string }{{"/v1/projects/nope?as_of=2026-07-01", "project"}, {"/v1/projects/li-brine-mx", "as_of"}, {"/v1/projects/li-brine-mx?floor=x", "floor"}} {
		code, _, raw = doSim(t, srv, v, "GET", c.target, "")
		if e, _ := raw["error"].(map[string]any); code < 400 || e == nil || e["field"] != c.field {
			t.Errorf("GET %s = %d %v, want an error at %s", c.target, code, raw, c.field)
		}
	}
	w := httptest.NewRecorder()
	srv.ServeHTTP(w, httptest.NewRequest("GET", "/v1/projects/li-brine-mx?as_of=2026-07-01", nil))
	if w.Code != 401 {
		t.Errorf("GET /v1/projects/{id} without credentials = %d, want 401", w.Code)
	}
}

// TestProjectRankJob ranks the Busch et al. pipeline at once, then queues a
// longer ranking on a market scenario as a job of the simulation queue and
// follows it to its result, which the simulations route does not show.
func TestProjectRankJob(t *testing.T) {
	srv, v := New(simDeps(t)), simValidator(t)
	code, _, raw := doSim(t, srv, v, "POST", "/v1/projects:rank", `{"pipeline": "busch-lithium-2024", "parties": ["US", "MX"], "as_of": "2026-07-01", "paths": 200}`)
	if code != 200 || len(raw["projects"].([]any)) != 158 {
		t.Fatalf("POST /v1/projects:rank = %d %.300v", code, raw)
	}
	// Owner screening beside each project (checked against openapi.json by
	// doSim): Greenbushes's owner Talison, which Tianqi controls, is at
	// review under au-fdi; a deposit with no owner_id is not in the register.
	screened := 0
	for _, e := range raw["projects"].([]any) {
		e := e.(map[string]any)
		o := e["owner_screening"].(map[string]any)
		switch {
		case o["status"] == "screened":
			screened++
		case o["status"] != "owner not in the ownership register" || o["decision"] != "":
			t.Errorf("%s: owner screening %v", e["project"], o)
		}
		if e["project"] == "busch-13" {
			sc, _ := o["screening"].(map[string]any)
			if o["decision"] != "review" || o["owner"] != "talison" || sc == nil || sc["controller"] != "tianqi" || sc["rule"] != "au-fdi" {
				t.Errorf("Greenbushes owner screening = %v", o)
			}
		}
	}
	if screened != 6 {
		t.Errorf("%d projects screened, want the 6 with an owner_id", screened)
	}
	code, _, raw = doSim(t, srv, v, "POST", "/v1/projects:rank", `{"pipeline": "scenario-projects", "parties": ["US", "MX"], "as_of": "2026-07-01", "scenario": "cobalt-drc-2025", "paths": 600}`)
	if code != 202 || raw["status"] != "queued" || !strings.HasPrefix(raw["run"].(string), "rank scenario-projects") {
		t.Fatalf("POST /v1/projects:rank (long) = %d %v, want 202 queued", code, raw)
	}
	id := raw["id"].(string)
	deadline := time.Now().Add(2 * time.Minute)
	for raw["status"] != "done" && raw["status"] != "failed" && time.Now().Before(deadline) {
		time.Sleep(200 * time.Millisecond)
		_, _, raw = doSim(t, srv, v, "GET", "/v1/projects/runs/"+id, "")
	}
	res, _ := raw["result"].(map[string]any)
	if raw["status"] != "done" || res == nil || res["scenario"] != "cobalt-drc-2025" || len(res["projects"].([]any)) != 6 {
		t.Fatalf("GET /v1/projects/runs/%s = %v, want done with the 6 cobalt projects ranked on the scenario", id, raw)
	}
	if code, _, _ := doSim(t, srv, v, "GET", "/v1/simulations/"+id, ""); code != 404 {
		t.Errorf("GET /v1/simulations/%s (a projects run) = %d, want 404", id, code)
	}
}

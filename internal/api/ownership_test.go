package api

import (
	"encoding/json"
	"math"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
)

func ownershipServer(t *testing.T) *Server {
	t.Helper()
	s, _ := dutyServer(t) // the example agreement, with its screening rules
	return s
}

func getJSON(t *testing.T, s *Server, target, authz string, v any) int {
	t.Helper()
	req := httptest.NewRequest("GET", target, nil)
	if authz != "" {
		req.Header.Set("Authorization", authz)
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if w.Code == 200 && v != nil {
		if err := json.Unmarshal(w.Body.Bytes(), v); err != nil {
			t.Fatalf("GET %s: %v", target, err)
		}
	}
	return w.Code
}

// TestOwnershipFacility: Greenbushes on 2026-08-01 through the API, as the
// CLI and the engine's hand-worked test have it (26.01% non-party, Tianqi in
// control, review under the example's AU rule), answered in milliseconds
// once the date's screen is computed.
func TestOwnershipFacility(t *testing.T) {
	s := ownershipServer(t)
	var d facilityScreening
	cold := time.Now()
	if code := getJSON(t, s, "/v1/ownership/facilities/greenbushes?as_of=2026-08-01", "", &d); code != 200 {
		t.Fatalf("GET greenbushes = %d", code)
	}
	t.Logf("first request of the date (register read, screen computed): %v", time.Since(cold))
	if d.Decision.Decision != "review" || d.Controller != "tianqi" || math.Abs(d.NonParty.Min-0.2601) > 1e-12 || len(d.Triggers) < 2 || len(d.Triggers[0].Paths) == 0 {
		t.Errorf("greenbushes = %+v, want review, tianqi, 0.2601, triggers with paths", d.Decision)
	}
	start := time.Now()
	const n = 20
	for range n {
		getJSON(t, s, "/v1/ownership/facilities/greenbushes?as_of=2026-08-01", "", nil)
	}
	per := time.Since(start) / n
	t.Logf("one facility screened through the API in %v (the date's screen cached)", per)
	if per > 50*time.Millisecond {
		t.Errorf("one facility's screening took %v through the API, want milliseconds", per)
	}
	for _, c := range []struct {
		target string
		code   int
	}{
		{"/v1/ownership/facilities/greenbushes", 400},
		{"/v1/ownership/facilities/nowhere?as_of=2026-08-01", 404},
		{"/v1/ownership/facilities?as_of=2026-08-01&min_non_party=2", 400},
		{"/v1/ownership/facilities?as_of=2025-01-01", 404}, // before the entry into force
	} {
		if code := getJSON(t, s, c.target, "", nil); code != c.code {
			t.Errorf("GET %s = %d, want %d", c.target, code, c.code)
		}
	}
}

func TestOwnershipFacilities(t *testing.T) {
	s := ownershipServer(t)
	var l facilityList
	if code := getJSON(t, s, "/v1/ownership/facilities?as_of=2026-08-01&party=AU", "", &l); code != 200 {
		t.Fatalf("GET facilities = %d", code)
	}
	if len(l.Facilities) < 2 || l.Facilities[0].Facility != "kwinana-lioh" || l.Facilities[1].Facility != "greenbushes" {
		t.Errorf("AU facilities by non-party interest = %+v, want kwinana-lioh (51%%) then greenbushes (26.01%%)", l.Facilities)
	}
	for i := 1; i < len(l.Facilities); i++ {
		if l.Facilities[i].NonParty.Max > l.Facilities[i-1].NonParty.Max {
			t.Errorf("not sorted by non-party interest at %d", i)
		}
	}
}

func TestOwnershipTransaction(t *testing.T) {
	s := ownershipServer(t)
	post := func(authz, body string) (*httptest.ResponseRecorder, map[string]any) {
		req := httptest.NewRequest("POST", "/v1/ownership/transactions:evaluate", strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		if authz != "" {
			req.Header.Set("Authorization", authz)
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, req)
		var v map[string]any
		json.Unmarshal(w.Body.Bytes(), &v)
		return w, v
	}
	body := `{"buyer": "tianqi", "target": "windfield", "share": 30, "on": "2026-08-01"}`
	if w, _ := post("", body); w.Code != 401 {
		t.Errorf("anonymous POST = %d, want 401", w.Code)
	}
	analyst := bearer(t, s, auth.Analyst, "")
	w, v := post(analyst, body)
	if w.Code != 200 || v["decision"] != "prohibit" {
		t.Fatalf("POST tianqi +30%% windfield = %d %s, want 200 prohibit", w.Code, w.Body)
	}
	if !strings.Contains(w.Body.String(), `"offered_to":["US","JP","EU"]`) {
		t.Errorf("no right of first refusal to US, JP, EU in %s", w.Body)
	}
	for _, c := range []struct{ body, want string }{
		{`{"buyer": "tianqi", "target": "windfield", "share": 130, "on": "2026-08-01"}`, `"field":"share"`},
		{`{"buyer": "tianqi", "target": "windfield", "share": 30}`, `"field":"on"`},
		{`{"buyer": "nobody", "target": "windfield", "share": 30, "on": "2026-08-01"}`, `no holder \"nobody\"`},
		{`{"buyer": "tianqi", "target": "windfield", "share": 30, "on": "2026-08-01", "price": 1}`, `unknown field`},
	} {
		if w, _ := post(analyst, c.body); w.Code == 200 || !strings.Contains(w.Body.String(), c.want) {
			t.Errorf("POST %s = %d %s, want an error with %s", c.body, w.Code, w.Body, c.want)
		}
	}
}

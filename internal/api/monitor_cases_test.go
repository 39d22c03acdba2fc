package api

import (
	"context"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	validator "github.com/pb33f/libopenapi-validator"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

// apiCall serves requests to s as who and checks each answer (and, for a
// success, its request) against openapi.json; it returns the answer and
// its JSON body.
func apiCall(t *testing.T, s *Server, v validator.Validator) func(who, method, target, body string) (*httptest.ResponseRecorder, map[string]any) {
	return func(who, method, target, body string) (*httptest.ResponseRecorder, map[string]any) {
		t.Helper()
		mk := func() *http.Request {
			r := httptest.NewRequest(method, target, strings.NewReader(body))
			r.Header.Set("Authorization", who)
			if body != "" {
				r.Header.Set("Content-Type", "application/json")
			}
			return r
		}
		w := httptest.NewRecorder()
		s.ServeHTTP(w, mk())
		ok, errs := v.ValidateHttpResponse(mk(), w.Result())
		if w.Code < 300 {
			rok, rerrs := v.ValidateHttpRequest(mk())
			ok, errs = ok && rok, append(errs, rerrs...)
		}
		if !ok {
			for _, e := range errs {
				t.Errorf("%s %s → %d: does not match openapi.json: %s: %s", method, target, w.Code, e.Message, e.Reason)
			}
		}
		return w, decode(t, w)
	}
}

// TestCaseRoutes: an analyst reads the alerts ranked and filtered; the
// secretariat opens a case, notes it and dismisses it (analysts may not);
// the answers match openapi.json, the errors are at their fields.
func TestCaseRoutes(t *testing.T) {
	s, st := dutyServer(t)
	v := validatorFor(t)
	as := storetest.PutAlerts(t, st, "../monitor/testdata/cases-sample.jsonl")
	analyst, sec := bearer(t, s, auth.Analyst, ""), bearer(t, s, auth.Secretariat, "")
	call := apiCall(t, s, v)
	ids := func(m map[string]any) string {
		var out []string
		for _, x := range m["alerts"].([]any) {
			out = append(out, x.(map[string]any)["alert"].(map[string]any)["detector"].(string)+":"+x.(map[string]any)["status"].(string))
		}
		return strings.Join(out, " ")
	}
	for _, c := range []struct{ target, want string }{
		{"/v1/alerts", "routing:new mirror_gap:new below_floor:new"},
		{"/v1/alerts?detector=mirror_gap", "mirror_gap:new"},
		{"/v1/alerts?importer=US&exporter=CN&hs=811292", "routing:new"},
		{"/v1/alerts?limit=2", "routing:new mirror_gap:new"},
		{"/v1/alerts?status=open", ""},
	} {
		if w, m := call(analyst, "GET", c.target, ""); w.Code != 200 || ids(m) != c.want {
			t.Errorf("GET %s = %d %q, want %q", c.target, w.Code, ids(m), c.want)
		}
	}
	if w, m := call(analyst, "GET", "/v1/alerts/"+as[0].ID, ""); w.Code != 200 || m["alert"].(map[string]any)["via"] != "VN" {
		t.Errorf("GET /v1/alerts/%s = %d %v", as[0].ID, w.Code, m)
	}
	if w, _ := call(analyst, "POST", "/v1/cases", `{"alerts": ["`+as[0].ID+`"]}`); w.Code != 403 {
		t.Errorf("an analyst opens a case: %d, want 403", w.Code)
	}
	w, m := call(sec, "POST", "/v1/cases", `{"title": "Gallium through VN", "alerts": ["`+as[0].ID+`", "`+as[1].ID+`"]}`)
	if w.Code != 201 || m["status"] != "open" || w.Header().Get("Location") != "/v1/cases/1" || !strings.Contains(m["opened_by"].(string), "secretariat") {
		t.Fatalf("POST /v1/cases = %d %v", w.Code, m)
	}
	if w, m := call(sec, "POST", "/v1/cases/1/notes", `{"text": "asked VN customs for the bills of lading"}`); w.Code != 201 || len(m["events"].([]any)) != 2 {
		t.Errorf("POST /v1/cases/1/notes = %d %v", w.Code, m)
	}
	if w, m := call(sec, "POST", "/v1/cases/1:dismiss", `{"reason": "a new VN refinery explains it"}`); w.Code != 200 || m["status"] != "dismissed" {
		t.Errorf("POST /v1/cases/1:dismiss = %d %v", w.Code, m)
	}
	w, m = call(analyst, "GET", "/v1/cases/1", "")
	if rows, _ := m["alert_rows"].([]any); w.Code != 200 || len(rows) != 2 || m["status"] != "dismissed" || len(m["events"].([]any)) != 3 {
		t.Errorf("GET /v1/cases/1 = %d %v", w.Code, m)
	}
	if w, m := call(analyst, "GET", "/v1/cases?status=dismissed", ""); w.Code != 200 || len(m["cases"].([]any)) != 1 {
		t.Errorf("GET /v1/cases?status=dismissed = %d %v", w.Code, m)
	}
	if w, m := call(analyst, "GET", "/v1/alerts?status=dismissed", ""); w.Code != 200 || ids(m) != "routing:dismissed mirror_gap:dismissed" {
		t.Errorf("GET /v1/alerts?status=dismissed = %d %q", w.Code, ids(m))
	}
	for _, c := range []struct {
		who, method, target, body string
		status                    int
		code, field               string
	}{
		{sec, "POST", "/v1/cases/1:confirm", `{"reason": "after all"}`, 409, "conflict", ""},
		{sec, "POST", "/v1/cases/1:close", `{"reason": "x"}`, 404, "not_found", "id"},
		{sec, "POST", "/v1/cases/x:confirm", `{"reason": "x"}`, 400, "invalid", "id"},
		{sec, "POST", "/v1/cases/9:confirm", `{"reason": "x"}`, 404, "not_found", "id"},
		{sec, "POST", "/v1/cases/1/notes", `{"text": " "}`, 400, "invalid", "text"},
		{sec, "POST", "/v1/cases/1/notes", `{"reason": "x"}`, 400, "invalid", "reason"},
		{sec, "POST", "/v1/cases", `{"alerts": ["` + as[0].ID + `"]}`, 409, "conflict", "alerts[0]"},
		{sec, "POST", "/v1/cases", `{"alerts": ["0000000000000000"]}`, 404, "not_found", "alerts[0]"},
		{sec, "POST", "/v1/cases", `{"alerts": []}`, 400, "invalid", ""},
		{sec, "POST", "/v1/cases", `{"alerts": ["a"], "colour": 1}`, 400, "invalid", ""},
		{analyst, "GET", "/v1/alerts?status=closed", "", 400, "invalid", "status"},
		{analyst, "GET", "/v1/alerts?limit=0", "", 400, "invalid", "limit"},
		{analyst, "GET", "/v1/alerts/0000000000000000", "", 404, "not_found", "id"},
		{analyst, "GET", "/v1/cases/0", "", 400, "invalid", "id"},
	} {
		w, _ := call(c.who, c.method, c.target, c.body)
		e := errorOf(w.Body.Bytes())
		if w.Code != c.status || string(e.Code) != c.code || e.Field != c.field {
			t.Errorf("%s %s %s = %d %s", c.method, c.target, c.body, w.Code, w.Body)
		}
	}
	if audit, err := st.ListAudit(context.Background(), store.CaseSubject(1), 0); err != nil || len(audit) != 1 || !strings.Contains(audit[0].Actor, "secretariat") {
		t.Errorf("the case's audit record: %+v, %v; want its opening by the secretariat's token", audit, err)
	}
}

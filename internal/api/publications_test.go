package api

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/auth"
)

// TestPostPublication: the secretariat publishes the floors of a date (each
// created, then unchanged when published again) and the schedule through a
// date, audited as its token; a body naming both modes, neither, or a bad
// date is a 400 at its field. Each answer is checked against openapi.json.
func TestPostPublication(t *testing.T) {
	s, st := dutyServer(t)
	v := validatorFor(t)
	sec := bearer(t, s, auth.Secretariat, "")
	call := apiCall(t, s, v)
	post := func(body string) *httptest.ResponseRecorder {
		t.Helper()
		w, _ := call(sec, "POST", "/v1/publications", body)
		return w
	}
	w := post(`{"as_of": "2026-07-01"}`)
	m := decode(t, w)
	if w.Code != 200 {
		t.Fatalf("publish as of 2026-07-01 = %d %s", w.Code, w.Body)
	}
	counts := m["counts"].(map[string]any)
	floors := m["floors"].([]any)
	if len(floors) == 0 || counts["created"] != float64(len(floors)) || counts["unchanged"] != float64(0) {
		t.Fatalf("first publication: counts %v of %d floors; want every floor created", counts, len(floors))
	}
	first := floors[0].(map[string]any)
	if first["outcome"] != "created" || first["publication"].(float64) < 1 || first["price"] == "" {
		t.Errorf("a published floor = %v; want created, with its publication id and price", first)
	}
	w = post(`{"as_of": "2026-07-01"}`)
	if c := decode(t, w)["counts"].(map[string]any); w.Code != 200 || c["unchanged"] != float64(len(floors)) || c["created"] != float64(0) {
		t.Errorf("the same date again = %d, counts %v; want every floor unchanged", w.Code, c)
	}
	w = post(`{"through": "2026-12-31"}`)
	if c := decode(t, w)["counts"].(map[string]any); w.Code != 200 || c["created"].(float64) < 1 || c["corrected"] != float64(0) {
		t.Errorf("the schedule through 2026-12-31 = %d, counts %v; want new revisions created, none corrected", w.Code, c)
	}
	recs, err := st.ListAudit(t.Context(), "agreement:"+s.hash, 0)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, r := range recs {
		if r.Action == "prices.publish" && strings.HasPrefix(r.Actor, "token:tok_") && strings.Contains(r.Actor, "secretariat") {
			n++
		}
	}
	if n != 3 {
		t.Errorf("%d prices.publish audit records by the secretariat's token; want 3 (one per request)", n)
	}
	if c, err := st.VerifyAudit(t.Context(), true); err != nil || !c.Intact() {
		t.Errorf("the audit after publishing: %+v, %v; want intact", c, err)
	}
	for _, tt := range []struct{ body, field string }{
		{`{}`, "as_of"},
		{`{"as_of": "2026-07-01", "through": "2026-12-31"}`, "as_of"},
		{`{"as_of": "2026-02-30"}`, "as_of"},
		{`{"through": "soon"}`, "through"},
	} {
		w := post(tt.body)
		if e := errorOf(w.Body.Bytes()); w.Code != 400 || e.Field != tt.field {
			t.Errorf("POST %s = %d %s; want 400 at %s", tt.body, w.Code, w.Body, tt.field)
		}
	}
}

package api

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// dutyServer is the API over the example agreement with an SQLite store, its
// ledger and a recorder, as serve wires them.
func dutyServer(t *testing.T) (*Server, *sqlite.Store) {
	t.Helper()
	reg, a := exampletest.Load(t)
	ctx := context.Background()
	st, err := sqlite.Open(ctx, filepath.Join(t.TempDir(), "api.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	canon, _ := a.Canonical()
	hash, _ := a.Hash()
	if _, err := st.PutAgreement(ctx, store.AgreementVersion{Hash: hash, Name: a.ID, Canonical: canon, StoredAt: date.MustParse("2026-01-01").Time()}); err != nil {
		t.Fatal(err)
	}
	prices := refprice.New(a, exampletest.Sources(reg))
	as, err := duty.New(a, reg, prices, duty.WithLedger(st))
	if err != nil {
		t.Fatal(err)
	}
	rec := store.NewRecorder(st, 0)
	t.Cleanup(rec.Close)
	return New(Deps{Registry: reg, Agreement: a, Store: st, Prices: prices, Assessor: as, Ledger: st, Recorder: rec}), st
}

// declaration is a US import of lithium carbonate from Chile, or, for the EU,
// one that draws on the EU's pro-rata quota for Chilean lithium.
func declaration(id, importer string, extra ...string) string {
	f := map[string]any{"id": id, "accepted_on": "2026-03-02", "importer": importer, "origin": "CL", "hs_code": "283691",
		"quantity": 20, "unit": "t", "customs_value": "150000", "currency": "USD", "incoterm": "FOB"}
	if importer == "DE" {
		f["accepted_on"], f["currency"], f["incoterm"], f["quantity"] = "2026-07-02", "EUR", "CIF", "5000"
	}
	for i := 0; i+1 < len(extra); i += 2 {
		if extra[i+1] == "<absent>" {
			delete(f, extra[i])
			continue
		}
		f[extra[i]] = extra[i+1]
	}
	b, _ := json.Marshal(f)
	return string(b)
}

func validatorFor(t *testing.T) validator.Validator {
	t.Helper()
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

// do serves one request, as a customs officer of the first declaration's
// importing party (customsOf), and checks the request and the answer against
// the OpenAPI document.
func do(t *testing.T, s *Server, v validator.Validator, method, target, body string) *httptest.ResponseRecorder {
	t.Helper()
	authz := customsOf(t, s, body)
	req := httptest.NewRequest(method, target, strings.NewReader(body))
	req.Header.Set("Authorization", authz)
	if body != "" {
		req.Header.Set("Content-Type", "application/json")
	}
	w := httptest.NewRecorder()
	s.ServeHTTP(w, req)
	if v != nil {
		vreq := httptest.NewRequest(method, target, strings.NewReader(body))
		vreq.Header.Set("Authorization", authz)
		if body != "" {
			vreq.Header.Set("Content-Type", "application/json")
		}
		ok, errs := v.ValidateHttpResponse(vreq, w.Result())
		if w.Code < 300 { // a request the server refused is not meant to match
			rok, rerrs := v.ValidateHttpRequest(vreq)
			ok, errs = ok && rok, append(errs, rerrs...)
		}
		if !ok {
			for _, e := range errs {
				t.Errorf("%s %s → %d: %s: %s", method, target, w.Code, e.Message, e.Reason)
				for _, se := range e.SchemaValidationErrors {
					t.Errorf("  %s: %s", se.FieldPath, se.Reason)
				}
			}
		}
	}
	return w
}

func decode(t *testing.T, w *httptest.ResponseRecorder) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &m); err != nil {
		t.Fatalf("answer %q is not JSON: %v", w.Body.String(), err)
	}
	return m
}

func TestPostAssessment(t *testing.T) {
	s, st := dutyServer(t)
	v := validatorFor(t)
	w := do(t, s, v, "POST", "/v1/assessments", declaration("US-1", "US"))
	if w.Code != http.StatusCreated {
		t.Fatalf("POST /v1/assessments = %d %s, want 201", w.Code, w.Body)
	}
	first := decode(t, w)
	wantEq(t, first, "party", "US")
	wantEq(t, first, "mineral", "lithium")
	if tr, _ := first["trace"].([]any); len(tr) < 10 {
		t.Errorf("the assessment has %d trace steps, want the whole derivation", len(tr))
	}
	if first["total_duty"] == "0.00" || first["total_duty"] == nil {
		t.Errorf("total_duty = %v, want the variable duty of a price below the floor", first["total_duty"])
	}

	w = do(t, s, v, "POST", "/v1/assessments", declaration("US-1", "US", "quantity", "999"))
	if w.Code != http.StatusOK || w.Header().Get("Mineralpact-Recorded") != "earlier" {
		t.Fatalf("POST of a recorded declaration = %d (header %q), want 200 with Mineralpact-Recorded: earlier", w.Code, w.Header().Get("Mineralpact-Recorded"))
	}
	if again := decode(t, w); again["total_duty"] != first["total_duty"] || again["contained_quantity"] != first["contained_quantity"] {
		t.Errorf("POST of a recorded declaration answered %v/%v, want the recorded %v/%v", again["total_duty"], again["contained_quantity"], first["total_duty"], first["contained_quantity"])
	}
	hash, _ := s.deps.Agreement.Hash()
	totals, err := st.AssessmentTotals(context.Background(), hash)
	if err != nil || len(totals) != 1 || totals[0].Count != 1 {
		t.Errorf("AssessmentTotals = %+v, %v; want one assessment recorded", totals, err)
	}
}

func TestPostAssessmentErrors(t *testing.T) {
	s, _ := dutyServer(t)
	v := validatorFor(t)
	tests := []struct {
		name, body, field, message string
	}{
		{"day the calendar lacks", declaration("E-1", "US", "accepted_on", "2026-02-30"), "accepted_on", "not a date of the calendar"},
		{"five-digit HS code", declaration("E-2", "US", "hs_code", "28369"), "hs_code", "6 to 10 digits"},
		{"negative quantity", declaration("E-3", "US", "quantity", "-5"), "quantity", "not a positive quantity"},
		{"comma in a value", declaration("E-4", "US", "customs_value", "150,000"), "customs_value", "not a decimal number"},
		{"EXW", declaration("E-5", "US", "incoterm", "EXW"), "incoterm", "FOB or CIF"},
		{"unknown field", declaration("E-6", "US", "colour", "blue"), "colour", "unknown field"},
		{"missing currency", declaration("E-7", "US", "currency", "<absent>"), "currency", "required"},
		{"importer not a party", declaration("E-8", "BR"), "importer", ""},
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
	w := do(t, s, v, "POST", "/v1/assessments", "[1, 2]")
	if w.Code != http.StatusBadRequest {
		t.Errorf("POST of an array = %d, want 400", w.Code)
	}
}

func TestAssessmentBatch(t *testing.T) {
	s, _ := dutyServer(t)
	in := strings.Join([]string{
		declaration("B-1", "US"),
		"{not json",
		declaration("B-2", "US", "hs_code", "28369"),
		"",
		declaration("B-1", "US"),
		declaration("B-3", "DE"),
	}, "\n")
	// The validator reads application/jsonl as one JSON value: the lines are
	// checked one by one below instead.
	w := do(t, s, nil, "POST", "/v1/assessments:batch", in)
	if w.Code != http.StatusOK || w.Header().Get("Content-Type") != "application/jsonl" {
		t.Fatalf("POST /v1/assessments:batch = %d %q, want 200 application/jsonl", w.Code, w.Header().Get("Content-Type"))
	}
	var got []map[string]any
	sc := bufio.NewScanner(w.Body)
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		var m map[string]any
		if err := json.Unmarshal(sc.Bytes(), &m); err != nil {
			t.Fatalf("answer line %q: %v", sc.Text(), err)
		}
		got = append(got, m)
	}
	if len(got) != 5 {
		t.Fatalf("batch of 5 declarations answered %d lines, want 5", len(got))
	}
	wantEq(t, got[0], "id", "B-1")
	wantEq(t, got[1], "line", 2.0)
	wantEq(t, got[2], "line", 3.0)
	wantEq(t, got[2]["error"].(map[string]any), "field", "hs_code")
	wantEq(t, got[3], "id", "B-1")
	wantEq(t, got[3], "total_duty", got[0]["total_duty"])
	// the batch is a US officer's: the German import is the EU's to assess
	wantEq(t, got[4], "line", 5.0)
	wantEq(t, got[4]["error"].(map[string]any), "code", "forbidden")
	wantEq(t, got[4]["error"].(map[string]any), "field", "importer")
	w = httptest.NewRecorder()
	req := httptest.NewRequest("POST", "/v1/assessments:batch", strings.NewReader(declaration("B-3", "DE")+"\n"))
	req.Header.Set("Authorization", bearer(t, s, auth.Customs, "EU"))
	req.Header.Set("Content-Type", "application/jsonl")
	s.ServeHTTP(w, req)
	var eu map[string]any
	if err := json.Unmarshal(w.Body.Bytes(), &eu); err != nil {
		t.Fatalf("EU batch answer %q: %v", w.Body, err)
	}
	wantEq(t, eu, "id", "B-3")
	wantEq(t, eu, "quota", "EU/eu-trq-li-cl")
}

func TestQuotas(t *testing.T) {
	s, st := dutyServer(t)
	v := validatorFor(t)
	if w := do(t, s, v, "POST", "/v1/assessments", declaration("Q-1", "DE")); w.Code != http.StatusCreated {
		t.Fatalf("POST = %d %s", w.Code, w.Body)
	}
	// The assessment and its allocation are each an audit record, by the
	// token that asked (issue 12, part 2).
	recs, err := st.ListAudit(t.Context(), "", 0)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]string{}
	for _, r := range recs {
		if strings.HasSuffix(r.Subject, "/Q-1") {
			by[r.Action] = r.Actor
		}
	}
	if a := by[store.ActionAssessment]; !strings.HasPrefix(a, "token:tok_") || !strings.Contains(a, "customs/EU") || by[store.ActionAllocation] != a {
		t.Errorf("audit records of Q-1 by action: %v; want an assessment and an allocation by the one customs token", by)
	}
	w := do(t, s, v, "GET", "/v1/quotas?on=2026-08-01", "")
	if w.Code != 200 {
		t.Fatalf("GET /v1/quotas = %d %s", w.Code, w.Body)
	}
	qs := decode(t, w)["quotas"].([]any)
	var ids []string
	for _, q := range qs {
		ids = append(ids, q.(map[string]any)["id"].(string))
	}
	// The example's three tariff-rate quotas and the quota of the EU's
	// ferro-silicon safeguard, a line outside the scope (no mineral, no stage).
	if want := []string{"US/us-trq-w-conc", "EU/eu-trq-li-cl", "EU/eu-trq-fesi", "GB/gb-trq-co-processed"}; !slices.Equal(ids, want) {
		t.Errorf("GET /v1/quotas?on=2026-08-01 lists %v, want %v", ids, want)
	}
	tests := []struct {
		target               string
		status               int
		allocated, remaining string
		field                string
	}{
		{"/v1/quotas/EU%2Feu-trq-li-cl?on=2026-07-05", 200, "939.5", "1060.5", ""},
		{"/v1/quotas/eu-trq-li-cl?period_start=2026-07-01", 200, "939.5", "1060.5", ""},
		{"/v1/quotas/eu-trq-li-cl?on=2027-01-05", 200, "0", "2000", ""},
		{"/v1/quotas/eu-trq-li-cl", 400, "", "", "on"},
		{"/v1/quotas/eu-trq-li-cl?period_start=2026-08-01", 400, "", "", "period_start"},
		{"/v1/quotas/eu-trq-li-cl?on=2026-02-30", 400, "", "", "on"},
		{"/v1/quotas?on=2025-01-01", 400, "", "", "on"},
		{"/v1/quotas/nope?on=2026-07-05", 404, "", "", ""},
	}
	for _, tt := range tests {
		w := do(t, s, v, "GET", tt.target, "")
		if w.Code != tt.status {
			t.Errorf("GET %s = %d %s, want %d", tt.target, w.Code, w.Body, tt.status)
			continue
		}
		m := decode(t, w)
		if tt.status == 200 {
			if m["allocated"] != tt.allocated || m["remaining"] != tt.remaining || m["volume"] != "2000" {
				t.Errorf("GET %s = allocated %v remaining %v volume %v, want %s %s 2000", tt.target, m["allocated"], m["remaining"], m["volume"], tt.allocated, tt.remaining)
			}
		} else if tt.field != "" {
			wantEq(t, m["error"].(map[string]any), "field", tt.field)
		}
	}
}

// TestConcurrentAssessments posts 64 declarations on one pro-rata quota from
// 16 goroutines, each twice: the quota never gives more than its volume and
// each declaration is recorded once.
func TestConcurrentAssessments(t *testing.T) {
	s, st := dutyServer(t)
	eu := bearer(t, s, auth.Customs, "EU")
	var wg sync.WaitGroup
	for g := range 16 {
		wg.Go(func() {
			for k := range 8 {
				id := fmt.Sprintf("C-%d", (g*4+k)%64)
				w := httptest.NewRecorder()
				req := httptest.NewRequest("POST", "/v1/assessments", strings.NewReader(declaration(id, "DE", "quantity", "1000")))
				req.Header.Set("Authorization", eu)
				req.Header.Set("Content-Type", "application/json")
				s.ServeHTTP(w, req)
				if w.Code != 201 && w.Code != 200 {
					t.Errorf("POST %s = %d %s", id, w.Code, w.Body)
				}
			}
		})
	}
	wg.Wait()
	u, err := st.Usage(context.Background(), "EU/eu-trq-li-cl", date.MustParse("2026-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	if u.Used.Cmp(u.Volume) > 0 || u.Used.Cmp(dec.MustParse("2000")) != 0 {
		t.Errorf("after concurrent assessments the quota used %s of %s, want all of it and no more", u.Used, u.Volume)
	}
	hash, _ := s.deps.Agreement.Hash()
	totals, err := st.AssessmentTotals(context.Background(), hash)
	if err != nil || len(totals) != 1 || totals[0].Count != 64 {
		t.Errorf("AssessmentTotals = %+v, %v; want 64 assessments", totals, err)
	}
}

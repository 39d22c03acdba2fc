package api

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/store"
)

// fakeStore is a store whose listing succeeds or fails on demand; the API only
// calls ListAgreements (from /readyz).
type fakeStore struct {
	store.Store
	err error
}

func (f fakeStore) ListAgreements(context.Context) ([]store.AgreementVersion, error) {
	return nil, f.err
}

// testDeps returns the real registry and the test agreement mini.yaml.
func testDeps(t *testing.T) Deps {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatalf("registry.Default() = %v", err)
	}
	const file = "../agreement/testdata/mini.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load(file, data, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatalf("agreement.Load(%s) = %v", file, err)
	}
	prices := refprice.New(a, refprice.Sources{Registry: reg})
	return Deps{Registry: reg, Agreement: a, AgreementFile: file, Store: fakeStore{}, Prices: prices, Floors: refprice.NewInProcess(prices)}
}

// apiCase is one request and what its answer must be. check, when set, looks
// at the decoded JSON body of a success.
type apiCase struct {
	name    string
	method  string // default GET
	target  string
	store   store.Store // replaces the test store when set
	noStore bool        // serve without a store

	status      int
	contentType string // default application/json
	check       func(t *testing.T, body map[string]any)

	// for errors: the code and field of the one error shape
	code, field string
	message     string // a substring the message must contain
	unrouted    bool   // no route serves the request (404, 405): the answer is checked against the Error schema alone
}

var successCases = []apiCase{
	{name: "agreement at entry into force", target: "/v1/agreement?as_of=2026-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "illustrative", true)
		wantEq(t, b, "as_of", "2026-01-01")
		wantEq(t, b, "file", "mini.yaml")
		wantEq(t, b, "amendments_applied", nil)
		a := b["agreement"].(map[string]any)
		wantEq(t, a, "title", "Mini agreement for tests")
		wantLen(t, a, "parties", 1) // Japan accedes on 2026-07-01
	}},
	{name: "agreement after the amendment", target: "/v1/agreement?as_of=2027-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "amendments_applied", []any{"A1"})
		wantLen(t, b["agreement"].(map[string]any), "parties", 2)
	}},
	{name: "agreement schema", target: "/v1/agreement/schema", status: 200, contentType: "application/schema+json", check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "$schema", "https://json-schema.org/draft/2020-12/schema")
	}},
	{name: "parties before Japan's accession", target: "/v1/parties?as_of=2026-06-30", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "parties", 1)
		us := b["parties"].([]any)[0].(map[string]any)
		wantEq(t, us, "id", "US")
		wantEq(t, us, "valuation", "FOB")
		wantEq(t, us, "instruments", map[string]any{"mfn": 2.0, "variable_duty": 1.0, "non_party_surcharge": 1.0,
			"tariff_rate_quota": 1.0, "undertaking": 1.0, "phase_in": 1.0, "preference": 0.0, "additional_duty": 0.0,
			"anti_dumping": 0.0, "countervailing": 0.0, "safeguard": 0.0, "fee": 0.0})
	}},
	{name: "parties after the amendment", target: "/v1/parties?as_of=2027-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "parties", 2)
		us := b["parties"].([]any)[0].(map[string]any)
		wantEq(t, us["instruments"].(map[string]any), "undertaking", 0.0) // removed by A1
		jp := b["parties"].([]any)[1].(map[string]any)
		wantEq(t, jp, "currency", "JPY")
		wantEq(t, jp, "rounding", map[string]any{"scope": "total", "mode": "down", "places": 0.0})
	}},
	{name: "every mineral", target: "/v1/minerals", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "minerals", 60)
		wantEq(t, b, "as_of", "2026-01-01")
	}},
	{name: "minerals in scope", target: "/v1/minerals?in_scope=true", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "minerals", 2)
		li := b["minerals"].([]any)[0].(map[string]any)
		wantEq(t, li, "id", "lithium")
		st := li["stages"].([]any)[0].(map[string]any)
		wantEq(t, st, "price_method", "negotiated")
		hs := st["hs"].([]any)[0].(map[string]any)
		wantEq(t, hs, "code", "283691")
		wantEq(t, hs, "content", "0.1879")
		wantEq(t, hs, "description", "Carbonates; lithium carbonate")
	}},
	{name: "minerals not in scope", target: "/v1/minerals?in_scope=false", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "minerals", 58)
	}},
	{name: "one mineral with its MCS chapter", target: "/v1/minerals/lithium", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "in_scope", true)
		mcs := b["mcs_2026"].(map[string]any)
		wantEq(t, mcs, "chapter", "lithium")
		wp := mcs["world_production"].([]any)[0].(map[string]any)
		wantEq(t, wp["world_total_2025"].(map[string]any), "value", "290000")
		lead := wp["leading_producers"].([]any)[0].(map[string]any)
		wantEq(t, lead, "country", "Australia")
		wantEq(t, lead, "share_pct", "31.7")
	}},
	{name: "a group member, out of scope", target: "/v1/minerals/neodymium", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "in_scope", false)
		wantEq(t, b, "group", "rare_earths")
		wantEq(t, b["mcs_2026"].(map[string]any), "chapter", "rare-earths")
		wantEq(t, b["mcs_2026_coverage"].(map[string]any), "status", "group")
	}},
	{name: "a mineral without an MCS chapter", target: "/v1/minerals/uranium", status: 200, check: func(t *testing.T, b map[string]any) {
		if _, ok := b["mcs_2026"]; ok {
			t.Errorf("mcs_2026 = %v, want absent", b["mcs_2026"])
		}
		cov := b["mcs_2026_coverage"].(map[string]any)
		wantEq(t, cov, "status", "none")
		if r, _ := cov["reason"].(string); !strings.Contains(r, "nonfuel") {
			t.Errorf("mcs_2026_coverage.reason = %q, want the reason USGS publishes none", r)
		}
	}},
	{name: "hs code in scope", target: "/v1/hs/283691", status: 200, check: func(t *testing.T, b map[string]any) {
		l := b["lines"].([]any)[0].(map[string]any)
		wantEq(t, l, "mineral", "lithium")
		wantEq(t, l, "stage", "processed")
		wantEq(t, l, "content_source", "stoichiometry: Li2CO3, 2×6.94/73.89")
		wantEq(t, l, "in_scope", true)
	}},
	{name: "hs code with dots, 10 digits", target: "/v1/hs/2836.91.0010", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "code", "2836.91.0010")
		wantEq(t, b["lines"].([]any)[0].(map[string]any), "code", "283691")
	}},
	{name: "hs code out of scope", target: "/v1/hs/260300", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b["lines"].([]any)[0].(map[string]any), "in_scope", false)
	}},
	{name: "openapi document", target: "/openapi.json", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "openapi", "3.1.0")
	}},
	{name: "healthz", target: "/healthz", status: 200, contentType: "text/plain; charset=utf-8"},
	{name: "healthz without a store", target: "/healthz", noStore: true, status: 200, contentType: "text/plain; charset=utf-8"},
	{name: "readyz", target: "/readyz", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "status", "ready")
	}},
	{name: "HEAD is GET without a body", method: "HEAD", target: "/v1/minerals", status: 200},
}

var errorCases = []apiCase{
	{name: "agreement without as_of", target: "/v1/agreement", status: 400, code: "invalid", field: "as_of", message: "as-of date is required"},
	{name: "agreement with a malformed as_of", target: "/v1/agreement?as_of=2026-1-1", status: 400, code: "invalid", field: "as_of", message: "want YYYY-MM-DD"},
	{name: "agreement on a day the calendar lacks", target: "/v1/agreement?as_of=2026-02-30", status: 400, code: "invalid", field: "as_of", message: "not a date of the calendar"},
	{name: "agreement before entry into force", target: "/v1/agreement?as_of=2025-12-31", status: 404, code: "not_found", field: "as_of", message: "enters into force on 2026-01-01"},
	{name: "parties without as_of", target: "/v1/parties", status: 400, code: "invalid", field: "as_of"},
	{name: "parties before entry into force", target: "/v1/parties?as_of=2020-01-01", status: 404, code: "not_found", field: "as_of"},
	{name: "minerals with a bad in_scope", target: "/v1/minerals?in_scope=maybe", status: 400, code: "invalid", field: "in_scope", message: `"maybe" is not true or false`},
	{name: "minerals with a bad as_of", target: "/v1/minerals?as_of=tomorrow", status: 400, code: "invalid", field: "as_of"},
	{name: "unknown mineral", target: "/v1/minerals/litium", status: 404, code: "not_found", field: "mineral", message: `did you mean "lithium"?`},
	{name: "hs code too short", target: "/v1/hs/2836", status: 400, code: "invalid", field: "hs_code", message: "6 to 10 digits"},
	{name: "hs code with letters", target: "/v1/hs/28369x", status: 400, code: "invalid", field: "hs_code", message: "must be digits"},
	{name: "hs code not in the map", target: "/v1/hs/283699", status: 404, code: "not_found", field: "hs_code", message: "nearest codes in the map: 283691"},
	{name: "readyz without a store", target: "/readyz", noStore: true, status: 503, code: "unavailable", message: "no store configured"},
	{name: "readyz with a failing store", target: "/readyz", store: fakeStore{err: errors.New("connection refused")}, status: 503, code: "unavailable", message: "store not ready"},
	{name: "unknown v1 route", target: "/v1/pricez", status: 404, code: "not_found", message: "no route for GET /v1/pricez", unrouted: true},
	{name: "mineral without an id", target: "/v1/minerals/", status: 404, code: "not_found", unrouted: true},
	{name: "unknown route outside v1", target: "/nowhere", status: 404, code: "not_found", unrouted: true},
	{name: "POST to a GET route", method: "POST", target: "/v1/agreement?as_of=2026-01-01", status: 405, code: "method_not_allowed", message: "allowed: GET, HEAD", unrouted: true},
	{name: "DELETE a mineral", method: "DELETE", target: "/v1/minerals/lithium", status: 405, code: "method_not_allowed", unrouted: true},
	{name: "PUT healthz", method: "PUT", target: "/healthz", status: 405, code: "method_not_allowed", unrouted: true},
}

// serve runs c against a fresh server and returns the recorded answer.
func serve(t *testing.T, c apiCase) (*http.Request, *httptest.ResponseRecorder) {
	t.Helper()
	d := testDeps(t)
	if c.store != nil {
		d.Store = c.store
	}
	if c.noStore {
		d.Store = nil
	}
	method := c.method
	if method == "" {
		method = http.MethodGet
	}
	req := httptest.NewRequest(method, c.target, nil)
	w := httptest.NewRecorder()
	New(d).ServeHTTP(w, req)
	return req, w
}

func TestRoutes(t *testing.T) {
	for _, c := range successCases {
		t.Run(c.name, func(t *testing.T) {
			_, w := serve(t, c)
			checkStatus(t, c, w)
			if c.check == nil {
				return
			}
			var body map[string]any
			if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
				t.Fatalf("%s: body is not a JSON object: %v\n%s", c.target, err, w.Body)
			}
			c.check(t, body)
		})
	}
}

func TestErrors(t *testing.T) {
	for _, c := range errorCases {
		t.Run(c.name, func(t *testing.T) {
			_, w := serve(t, c)
			checkStatus(t, c, w)
			var body struct {
				Error map[string]string `json:"error"`
			}
			dec := json.NewDecoder(w.Body)
			dec.DisallowUnknownFields()
			if err := dec.Decode(&body); err != nil {
				t.Fatalf("%s %s: body is not the error shape: %v", c.method, c.target, err)
			}
			e := body.Error
			if e["code"] != c.code || e["field"] != c.field || !strings.Contains(e["message"], c.message) || e["message"] == "" {
				t.Errorf("%s %s: error = %v, want code %q, field %q, message containing %q", c.method, c.target, e, c.code, c.field, c.message)
			}
			if c.status == 405 && w.Header().Get("Allow") != "GET, HEAD" {
				t.Errorf("%s %s: Allow = %q, want %q", c.method, c.target, w.Header().Get("Allow"), "GET, HEAD")
			}
		})
	}
}

func checkStatus(t *testing.T, c apiCase, w *httptest.ResponseRecorder) {
	t.Helper()
	if w.Code != c.status {
		t.Fatalf("%s %s: status = %d, want %d; body:\n%s", c.method, c.target, w.Code, c.status, w.Body)
	}
	want := c.contentType
	if want == "" {
		want = "application/json"
	}
	if got := w.Header().Get("Content-Type"); got != want {
		t.Errorf("%s %s: Content-Type = %q, want %q", c.method, c.target, got, want)
	}
}

func wantEq(t *testing.T, m map[string]any, key string, want any) {
	t.Helper()
	got, _ := json.Marshal(m[key])
	w, _ := json.Marshal(want)
	if string(got) != string(w) {
		t.Errorf("%s = %s, want %s", key, got, w)
	}
}

func wantLen(t *testing.T, m map[string]any, key string, n int) {
	t.Helper()
	l, ok := m[key].([]any)
	if !ok || len(l) != n {
		t.Errorf("len(%s) = %d, want %d", key, len(l), n)
	}
}

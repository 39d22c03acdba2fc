package api

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/pb33f/libopenapi"
	validator "github.com/pb33f/libopenapi-validator"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// The price routes over mini.yaml join the tables TestRoutes, TestErrors and
// TestOpenAPI run: lithium/processed is negotiated (never revised), and
// tungsten/mined a quarterly band.
func init() {
	successCases = append(successCases, priceCases...)
	errorCases = append(errorCases, priceErrors...)
}

var priceCases = []apiCase{
	{name: "prices on the entry into force", target: "/v1/prices?as_of=2026-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "floors", 2)
		wantEq(t, b, "problems", []any{})
		wantEq(t, b, "warnings", []any{}) // lithium and tungsten: one stage each, nothing to order
		li := b["floors"].([]any)[0].(map[string]any)
		wantEq(t, li, "mineral", "lithium")
		wantEq(t, li, "price", "10000.00")
		wantEq(t, li, "illustrative", false)
		if _, ok := li["valid_to"]; ok {
			t.Errorf("a floor never revised has valid_to %v, want none", li["valid_to"])
		}
		w := b["floors"].([]any)[1].(map[string]any)
		wantEq(t, w, "band", map[string]any{"floor": "20000", "ceiling": "35000", "lower_sector_top": "25000", "upper_sector_bottom": "30000"})
		if _, ok := w["inputs"]; ok {
			t.Errorf("the price list carries inputs; want them only in .../explain")
		}
	}},
	{name: "one floor", target: "/v1/prices/tungsten/mined?as_of=2026-05-15", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "valid_from", "2026-04-01")
		wantEq(t, b, "valid_to", "2026-07-01")
		wantEq(t, b, "method", "band")
		wantEq(t, b, "basis", map[string]any{"article": "Art. 4", "title": "Reference prices"})
	}},
	{name: "explain a floor", target: "/v1/prices/lithium/processed/explain?as_of=2026-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "illustrative", false)
		if steps, _ := b["steps"].([]any); len(steps) < 2 {
			t.Errorf("explain has %d steps, want the negotiated price and the rounding", len(steps))
		}
		in := b["inputs"].([]any)[0].(map[string]any)
		wantEq(t, in, "name", "negotiated price")
		if text, _ := b["text"].(string); !strings.Contains(text, "Reference price of lithium at stage processed") || !strings.Contains(text, "inputs sha256") {
			t.Errorf("explain text = %q, want refprice.Explain's rendering", text)
		}
	}},
	{name: "history of a floor", target: "/v1/prices/tungsten/mined/history?from=2026-01-01&to=2026-12-31", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "floors", 4)
		wantEq(t, b, "problems", []any{})
		last := b["floors"].([]any)[3].(map[string]any)
		wantEq(t, last, "valid_from", "2026-10-01")
	}},
}

var priceErrors = []apiCase{
	{name: "prices without as_of", target: "/v1/prices", status: 400, code: "invalid", field: "as_of", message: "never reads its clock"},
	{name: "prices with a bad as_of", target: "/v1/prices?as_of=2026-02-30", status: 400, code: "invalid", field: "as_of", message: "not a date of the calendar"},
	{name: "prices before entry into force", target: "/v1/prices?as_of=2025-06-01", status: 404, code: "not_found", field: "as_of", message: "enters into force on 2026-01-01"},
	{name: "price of a mineral not in scope", target: "/v1/prices/cobalt/mined?as_of=2026-01-01", status: 404, code: "not_found", field: "mineral", message: `"cobalt" is not in scope`},
	{name: "price of a stage not in scope", target: "/v1/prices/lithium/mined?as_of=2026-01-01", status: 404, code: "not_found", field: "stage"},
	{name: "explain without as_of", target: "/v1/prices/lithium/processed/explain", status: 400, code: "invalid", field: "as_of"},
	{name: "history without from", target: "/v1/prices/tungsten/mined/history?to=2026-12-31", status: 400, code: "invalid", field: "from", message: "from is required"},
	{name: "history with to before from", target: "/v1/prices/tungsten/mined/history?from=2026-12-31&to=2026-01-01", status: 400, code: "invalid", field: "to", message: "before from"},
}

// TestPricesExample serves the example agreement, whose floors use every
// method, over the real Pink Sheet and a generated (illustrative) cost curve:
// a date past the end of the Pink Sheet lists the floors it cannot compute in
// problems, and illustrative floors say so. Every answer must match the
// OpenAPI document.
func TestPricesExample(t *testing.T) {
	reg, a := exampletest.Load(t)
	prices := refprice.New(a, refprice.Sources{Registry: reg, Curves: fakeCurve})
	d := Deps{Registry: reg, Agreement: a, Store: fakeStore{}, Prices: prices, Floors: refprice.NewInProcess(prices)}
	doc, err := libopenapi.NewDocument(OpenAPI())
	if err != nil {
		t.Fatal(err)
	}
	v, errs := validator.NewValidator(doc)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	get := func(target string, status int) map[string]any {
		t.Helper()
		req := httptest.NewRequest("GET", target, nil)
		w := httptest.NewRecorder()
		New(d).ServeHTTP(w, req)
		if w.Code != status {
			t.Fatalf("GET %s: status %d, want %d\n%s", target, w.Code, status, w.Body)
		}
		if ok, verrs := v.ValidateHttpResponse(req, w.Result()); !ok {
			for _, e := range verrs {
				t.Errorf("GET %s: %s: %s", target, e.Message, e.Reason)
				for _, se := range e.SchemaValidationErrors {
					t.Errorf("  %s: %s", se.FieldPath, se.Reason)
				}
			}
		}
		var body map[string]any
		json.Unmarshal(w.Body.Bytes(), &body)
		return body
	}

	jan := get("/v1/prices?as_of=2026-01-01", 200)
	wantEq(t, jan, "problems", []any{})
	methods := map[string]bool{}
	illustrative := map[string]bool{}
	for _, f := range jan["floors"].([]any) {
		f := f.(map[string]any)
		methods[f["method"].(string)] = true
		illustrative[f["mineral"].(string)+"/"+f["stage"].(string)] = f["illustrative"].(bool)
	}
	for _, m := range []string{"cost_curve", "market_average", "stage_chain", "negotiated", "band"} {
		if !methods[m] {
			t.Errorf("GET /v1/prices?as_of=2026-01-01: no %s floor, want every method", m)
		}
	}
	if !illustrative["cobalt/mined"] || !illustrative["cobalt/processed"] || illustrative["copper/processed"] {
		t.Errorf("illustrative cobalt/mined %t, cobalt/processed (a chain on it) %t, copper/processed %t; want true, true, false",
			illustrative["cobalt/mined"], illustrative["cobalt/processed"], illustrative["copper/processed"])
	}

	// The test curve's cash costs (15,000 to 40,000 USD/t for every mineral)
	// put mined nickel above processed nickel: a stage-order warning, which
	// does not fail the request.
	var nickel map[string]any
	for _, w := range jan["warnings"].([]any) {
		if w := w.(map[string]any); w["mineral"] == "nickel" {
			nickel = w
		}
	}
	if nickel == nil {
		t.Fatalf("GET /v1/prices?as_of=2026-01-01: warnings %v, want nickel mined above processed", jan["warnings"])
	}
	wantEq(t, nickel, "rule", "downstream_below_upstream")
	wantEq(t, nickel, "date", "2026-01-01")
	wantEq(t, nickel, "unit", "t")
	wantEq(t, nickel["downstream"].(map[string]any), "stage", "processed")
	wantEq(t, nickel["downstream"].(map[string]any), "price", "15489.59")
	wantEq(t, nickel["upstream"].(map[string]any), "stage", "mined")
	if msg, _ := nickel["message"].(string); !strings.HasPrefix(msg, "stage order: nickel on 2026-01-01: the processed floor 15489.59 USD/t (valid from 2026-01-01) is below the mined floor ") {
		t.Errorf("nickel warning message = %q", msg)
	}

	apr := get("/v1/prices?as_of=2026-04-01", 200)
	problems := apr["problems"].([]any)
	if len(problems) == 0 {
		t.Fatalf("GET /v1/prices?as_of=2026-04-01: no problems; want the monthly averages past the Pink Sheet's end")
	}
	p := problems[0].(map[string]any)
	if p["code"] != "invalid" || !strings.Contains(p["field"].(string), "/") || !strings.Contains(p["message"].(string), "no value for 2025-12") {
		t.Errorf("first problem = %v, want invalid, a mineral/stage field and the missing months", p)
	}

	get("/v1/prices/copper/processed/explain?as_of=2026-01-01", 200)
	get("/v1/prices/cobalt/mined/explain?as_of=2026-01-01", 200)
	h := get("/v1/prices/copper/processed/history?from=2026-01-01&to=2026-12-31", 200)
	wantLen(t, h, "floors", 1) // Q2 cannot be computed: nothing is published for it
	wantLen(t, h, "problems", 0)
	get("/v1/prices/copper/processed?as_of=2026-05-01", 400)

	d.Floors = nil
	if b := get("/v1/prices?as_of=2026-01-01", 503); !strings.Contains(b["error"].(map[string]any)["message"].(string), "no published reference prices") {
		t.Errorf("without an engine: %v, want unavailable", b)
	}
}

// fakeCurve is a generated (illustrative) cost curve of five producers, the
// same for every mineral, in t.
func fakeCurve(name, mineral, stage string) (*refprice.CostCurve, error) {
	d := dec.MustParse
	return &refprice.CostCurve{Name: name, Unit: "t", Currency: "USD", Year: 2025, Illustrative: true, Source: "test", Producers: []refprice.Producer{
		{ID: "A", Name: "A", Country: "AU", Capacity: d("100"), Cost: d("20000")},
		{ID: "B", Name: "B", Country: "CN", Capacity: d("500"), Cost: d("15000")},
		{ID: "C", Name: "C", Country: "CA", Capacity: d("200"), Cost: d("25000")},
		{ID: "D", Name: "D", Country: "CD", Capacity: d("100"), Cost: d("30000")},
		{ID: "E", Name: "E", Country: "US", Capacity: d("100"), Cost: d("40000")},
	}}, nil
}

package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
)

// pricesDeps serves the example agreement, whose floors use every method,
// over the real registry (the Pink Sheet for the market averages) and a
// generated, illustrative cost curve for every cost_curve rule.
func pricesDeps(t testing.TB) Deps {
	t.Helper()
	reg, a := exampletest.Load(t)
	src := refprice.Sources{Registry: reg, Curves: testCurve}
	prices := refprice.New(a, src)
	return Deps{Registry: reg, Agreement: a, AgreementFile: examples.Pact2026Name,
		Floors: refprice.NewInProcess(prices), Prices: prices, Backcast: refprice.New(a, src, refprice.Backcast())}
}

// testCurve is a generated cost curve of eight producers, the same for every
// mineral: two of them (CN, RU) are excluded by rules that exclude non-market
// economies.
func testCurve(name, mineral, stage string) (*refprice.CostCurve, error) {
	d := dec.MustParse
	return &refprice.CostCurve{Name: name, Unit: "t", Currency: "USD", Year: 2025, Illustrative: true, Source: "generated for the portal's tests", Producers: []refprice.Producer{
		{ID: "au-1", Name: "Greenbushes-like", Country: "AU", Capacity: d("900"), Cost: d("21000")},
		{ID: "cn-1", Name: "Jiangxi-like", Country: "CN", Capacity: d("1400"), Cost: d("17500")},
		{ID: "cl-1", Name: "Atacama-like", Country: "CL", Capacity: d("700"), Cost: d("24000")},
		{ID: "ca-1", Name: "Quebec-like", Country: "CA", Capacity: d("400"), Cost: d("31000")},
		{ID: "ar-1", Name: "Puna-like", Country: "AR", Capacity: d("500"), Cost: d("28500")},
		{ID: "ru-1", Name: "Kola-like", Country: "RU", Capacity: d("300"), Cost: d("26000")},
		{ID: "us-1", Name: "Nevada-like", Country: "US", Capacity: d("250"), Cost: d("38000")},
		{ID: "cd-1", Name: "Manono-like", Country: "CD", Capacity: d("350"), Cost: d("45000")},
	}}, nil
}

func TestPricePages(t *testing.T) {
	tests := []pageCase{
		{"/prices", 200, []string{`value="2026-01-01"`, `data-mineral="lithium" data-stage="mined"`, `data-mineral="copper" data-stage="processed" data-illustrative="false"`,
			`data-mineral="cobalt" data-stage="mined" data-illustrative="true"`, `badge-illustrative`, `href="/prices/lithium/mined?as_of=2026-01-01"`, `aria-current="page">Prices`}, []string{"Not published"}},
		{"/prices?as_of=2026-04-01", 200, []string{"Not published", `data-field="copper/processed"`, "no value for 2025-12"}, nil},
		{"/prices?as_of=2025-01-01", 404, []string{`aria-invalid="true"`, "enters into force on 2026-01-01"}, []string{`<table`}},
		{"/prices?as_of=2026-02-30", 400, []string{"not a date of the calendar"}, nil},
		{"/prices/copper/processed", 200, []string{`id="chart-over-time"`, `id="chart-data"`, `"market":[`, "Against the monthly series it is computed from", "Pink Sheet", "backcast", "Legal basis", `id="inputs-table"`}, []string{`id="chart-cost-curve"`, "Illustrative:"}},
		{"/prices/cobalt/mined?as_of=2026-05-01", 200, []string{`id="chart-cost-curve"`, `"cost_curve":{`, `id="floor-illustrative"`, "Quebec-like", "marginal", "No market series is drawn"}, nil},
		{"/prices/cobalt/smelted", 404, []string{`stage &#34;smelted&#34;`}, nil},
	}
	h := New(pricesDeps(t))
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		body, _ := io.ReadAll(w.Body)
		if w.Code != tt.status {
			t.Errorf("GET %s: status = %d, want %d", tt.target, w.Code, tt.status)
		}
		for _, s := range tt.want {
			if !strings.Contains(string(body), s) {
				t.Errorf("GET %s: body lacks %q", tt.target, s)
			}
		}
		for _, s := range tt.notWant {
			if strings.Contains(string(body), s) {
				t.Errorf("GET %s: body has %q", tt.target, s)
			}
		}
		for _, bad := range []string{"http://", "https://"} {
			if strings.Contains(string(body), bad) {
				t.Errorf("GET %s: body refers to another host (%q)", tt.target, bad)
			}
		}
	}
}

// TestPricesStageOrder: the prices page lists the published floors out of
// stage order (refprice.StageOrder) in a notice. With the tests' cost curve
// (cash costs of 21,000 to 45,000 USD/t for every mineral) mined nickel is
// above processed nickel; with the shipped curves the example is in order
// and the page has no notice.
func TestPricesStageOrder(t *testing.T) {
	body := func(deps Deps) string {
		rec := httptest.NewRecorder()
		New(deps).ServeHTTP(rec, httptest.NewRequest("GET", "/prices?as_of=2026-01-01", nil))
		if rec.Code != 200 {
			t.Fatalf("GET /prices = %d", rec.Code)
		}
		b, _ := io.ReadAll(rec.Body)
		return string(b)
	}
	got := body(pricesDeps(t))
	for _, want := range []string{`id="stage-order"`, "Floors out of stage order", `data-mineral="nickel" data-rule="downstream_below_upstream"`,
		"stage order: nickel on 2026-01-01: the processed floor 15489.59 USD/t (valid from 2026-01-01) is below the mined floor"} {
		if !strings.Contains(got, want) {
			t.Errorf("/prices with the tests' curve: no %q", want)
		}
	}
	reg, a := exampletest.Load(t)
	prices := refprice.New(a, exampletest.Sources(reg))
	shipped := Deps{Registry: reg, Agreement: a, AgreementFile: examples.Pact2026Name, Floors: refprice.NewInProcess(prices), Prices: prices}
	if got := body(shipped); strings.Contains(got, `id="stage-order"`) || !strings.Contains(got, `id="floors"`) {
		t.Errorf("/prices of the example with the shipped curves: a stage-order notice, or no floors")
	}
}

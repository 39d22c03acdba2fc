package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/duty"
)

// dutyDeps is the portal over the example agreement with a duty engine (its
// own in-memory ledger, which the calculator only reads).
func dutyDeps(t *testing.T) Deps {
	t.Helper()
	d := pricesDeps(t)
	as, err := duty.New(d.Agreement, d.Registry, d.Floors)
	if err != nil {
		t.Fatal(err)
	}
	d.Assessor, d.Ledger = as, duty.NewMemLedger()
	return d
}

// TestBrowserDuty fills the duty calculator's form in headless Chromium,
// submits it and reads the assessment: the total, each duty, the floor with
// its link, and the trace with its articles. The console stays clean.
func TestBrowserDuty(t *testing.T) {
	srv := httptest.NewServer(New(dutyDeps(t)))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)

	resp := within(t, ctx, "open /duty", chromedp.NavigateResponse(srv.URL+"/duty"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /duty status = %d, want 200", resp.Status)
	}
	within(t, ctx, "wait for the form", chromedp.WaitVisible(chromedp.ID("duty-form")))
	saveScreenshot(t, ctx, "duty-form")
	for _, f := range []struct{ id, value string }{
		{"f-id", "BR-7"}, {"f-accepted_on", "2026-03-16"}, {"f-importer", "US"}, {"f-origin", "CL"},
		{"f-hs_code", "283691"}, {"f-quantity", "25"}, {"f-customs_value", "180000"}, {"f-currency", "USD"}, {"f-incoterm", "FOB"},
	} {
		within(t, ctx, "fill "+f.id, chromedp.SetValue(chromedp.ID(f.id), f.value))
	}
	within(t, ctx, "submit", chromedp.Click(`#duty-form button[type="submit"]`))
	within(t, ctx, "wait for the result", chromedp.WaitVisible(chromedp.ID("duty-result")))
	total := within(t, ctx, "read the total", chromedp.Text(chromedp.ID("total-duty")))
	if total == "" || total == "0.00" {
		t.Errorf("total duty shown = %q, want the variable duty of a price below the floor", total)
	}
	for _, id := range []string{"duty-base", "duty-variable", "duty-surcharge", "duty-in-quota"} {
		if s := within(t, ctx, "read "+id, chromedp.Text(chromedp.ID(id))); s == "" {
			t.Errorf("#%s is empty", id)
		}
	}
	href := within(t, ctx, "read the floor link", chromedp.Evaluate[string](`document.getElementById("floor-link").getAttribute("href")`))
	if !strings.HasPrefix(href, "/prices/lithium/processed?as_of=2026-03-16") {
		t.Errorf("floor link = %q, want /prices/lithium/processed?as_of=2026-03-16", href)
	}
	rows := within(t, ctx, "count the trace rows", chromedp.Evaluate[int](`document.querySelectorAll("#trace tbody tr").length`))
	articles := within(t, ctx, "count the articles", chromedp.Evaluate[int](`document.querySelectorAll("#trace .article").length`))
	external := within(t, ctx, "count external links", chromedp.Evaluate[int](`document.querySelectorAll("#trace a").length`))
	if rows < 10 || articles < 5 || external != 0 {
		t.Errorf("trace: %d rows, %d articles, %d links; want the whole derivation, articles on most steps, no links", rows, articles, external)
	}
	if v := within(t, ctx, "read the kept value", chromedp.Evaluate[string](`document.getElementById("f-quantity").value`)); v != "25" {
		t.Errorf("after submitting, the quantity field holds %q, want the value submitted (25)", v)
	}
	saveScreenshot(t, ctx, "duty-result")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserDutyBadField submits bad values: each message is shown next to
// its field, which is marked aria-invalid, and no result is shown.
func TestBrowserDutyBadField(t *testing.T) {
	srv := httptest.NewServer(New(dutyDeps(t)))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)
	tests := []struct {
		field, value, want, shot string
	}{
		{"hs_code", "28369", "6 to 10 digits", "duty-bad-hs"},
		{"accepted_on", "2026-02-30", "not a date of the calendar", "duty-bad-date"},
	}
	for _, tt := range tests {
		within(t, ctx, "open /duty", chromedp.Navigate(srv.URL+"/duty"))
		within(t, ctx, "fill "+tt.field, chromedp.SetValue(chromedp.ID("f-"+tt.field), tt.value))
		within(t, ctx, "submit", chromedp.Click(`#duty-form button[type="submit"]`))
		within(t, ctx, "wait for the message", chromedp.WaitVisible(chromedp.ID("f-"+tt.field+"-error")))
		type fieldReport struct {
			Message     string `json:"message"`
			InField     bool   `json:"inField"`
			Invalid     string `json:"invalid"`
			DescribedBy string `json:"describedBy"`
			Value       string `json:"value"`
			Result      bool   `json:"result"`
			Others      int    `json:"others"`
		}
		got := within(t, ctx, "read the field", chromedp.Evaluate[fieldReport](`(() => {
			const input = document.getElementById("f-`+tt.field+`"), msg = document.getElementById("f-`+tt.field+`-error");
			return {message: msg.textContent, inField: msg.parentElement === input.parentElement && msg.parentElement.id === "field-`+tt.field+`",
				invalid: input.getAttribute("aria-invalid") || "", describedBy: input.getAttribute("aria-describedby") || "", value: input.value,
				result: !!document.getElementById("duty-result"), others: document.querySelectorAll('[aria-invalid="true"]').length};
		})()`))
		if !strings.Contains(got.Message, tt.want) || !got.InField || got.Invalid != "true" || got.DescribedBy != "f-"+tt.field+"-error" || got.Value != tt.value || got.Result || got.Others != 1 {
			t.Errorf("%s=%s: %+v; want the message %q beside the field, aria-invalid and aria-describedby on it, the value kept, no result, no other field invalid", tt.field, tt.value, got, tt.want)
		}
		saveScreenshot(t, ctx, tt.shot)
	}
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

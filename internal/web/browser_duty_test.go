package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/dec"
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

// shownLine is a duty line as the page shows it.
type shownLine struct {
	Measure string `json:"measure"`
	Type    string `json:"type"`
	Amount  string `json:"amount"`
	Text    string `json:"text"`
}

// readLines reads the rows of the duty-lines table.
const readLines = `[...document.querySelectorAll("#duty-lines tbody tr[data-measure]")].map(r => ({
	measure: r.dataset.measure, type: r.dataset.type, amount: r.dataset.amount, text: r.innerText}))`

// TestBrowserDutyLines submits a US import of lithium carbonate from China
// under the example agreement: the MFN line, the variable duty and whatever
// else the example stacks on the line (IEEPA, the MPF) each show as a row of
// the duty-lines table, in the engine's order and with its amount; the other
// duties are shown; the trace lists the component steps under their line.
func TestBrowserDutyLines(t *testing.T) {
	deps := dutyDeps(t)
	form := map[string]string{"id": "BR-8", "accepted_on": "2026-03-16", "importer": "US", "origin": "CN", "hs_code": "28369100",
		"quantity": "25", "unit": "t", "customs_value": "180000", "currency": "USD", "incoterm": "FOB"}
	decl, err := duty.ReadDeclaration(form)
	if err != nil {
		t.Fatal(err)
	}
	as, req, err := deps.Assessor.Prepare(decl)
	if err != nil || req != nil {
		t.Fatalf("Prepare(%v) = %v, quota %v; want an assessment without a quota", form, err, req)
	}
	want := as.Result(false)
	if len(want.Duties) < 2 {
		t.Fatalf("the example charges %d duty lines on %v, want at least the MFN and the variable duty", len(want.Duties), form)
	}

	srv := httptest.NewServer(New(deps))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)
	within(t, ctx, "open /duty", chromedp.Navigate(srv.URL+"/duty"))
	within(t, ctx, "wait for the form", chromedp.WaitVisible(chromedp.ID("duty-form")))
	for _, name := range []string{"id", "accepted_on", "importer", "origin", "hs_code", "quantity", "customs_value", "currency", "incoterm"} {
		within(t, ctx, "fill "+name, chromedp.SetValue(chromedp.ID("f-"+name), form[name]))
	}
	within(t, ctx, "submit", chromedp.Click(`#duty-form button[type="submit"]`))
	within(t, ctx, "wait for the duty lines", chromedp.WaitVisible(chromedp.ID("duty-lines")))

	got := within(t, ctx, "read the duty lines", chromedp.Evaluate[[]shownLine](readLines))
	if len(got) != len(want.Duties) {
		t.Fatalf("the page shows %d duty lines %+v, want %d %+v", len(got), got, len(want.Duties), want.Duties)
	}
	for i, l := range want.Duties {
		g := got[i]
		if g.Measure != l.Measure || g.Type != l.Type || g.Amount != l.Amount || !strings.Contains(g.Text, l.Measure) || !strings.Contains(g.Text, words(l.Type)) {
			t.Errorf("duty line %d = %+v, want %+v shown with its measure and type", i, g, l)
		}
	}
	if s := within(t, ctx, "read the other duties", chromedp.Text(chromedp.ID("duty-other"))); !strings.HasPrefix(s, grouped(dec.MustParse(want.OtherDuties))+" USD") {
		t.Errorf("other duties shown = %q, want %s USD", s, want.OtherDuties)
	}
	if s := within(t, ctx, "read the lines' total", chromedp.Text(chromedp.ID("lines-total"))); s != grouped(dec.MustParse(want.TotalDuty)) {
		t.Errorf("total under the lines = %q, want %s", s, want.TotalDuty)
	}
	// Each component step (base_duty.ad_valorem_part) follows its duty line's
	// step or another component of the same line.
	orphans := within(t, ctx, "check the components' lines", chromedp.Evaluate[[]string](`(() => {
		const out = [];
		let line = "";
		for (const r of document.querySelectorAll("#trace tbody tr")) {
			if (!r.classList.contains("component")) { line = r.dataset.step; continue; }
			if (r.dataset.line !== line) out.push(r.dataset.step + " after " + line);
		}
		return out;
	})()`))
	comps := within(t, ctx, "count the components", chromedp.Evaluate[int](`document.querySelectorAll("#trace tr.component").length`))
	if comps == 0 || len(orphans) > 0 {
		t.Errorf("trace: %d component steps, out of place: %v; want the parts of each duty under its line", comps, orphans)
	}
	saveScreenshot(t, ctx, "duty-lines")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserDutyComponents fills the new fields of the form (a supplementary
// quantity and its unit) with case W02 of the customs cases (an EU duty of
// 4.5% MIN 0.3 EUR/p/st MAX 0.8 EUR/p/st on 1,000 watches worth EUR 2,000:
// the minimum, EUR 300, decides) and reads the bound marked as deciding.
func TestBrowserDutyComponents(t *testing.T) {
	srv := httptest.NewServer(New(customsDeps(t)))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)
	within(t, ctx, "open /duty", chromedp.Navigate(srv.URL+"/duty"))
	within(t, ctx, "wait for the form", chromedp.WaitVisible(chromedp.ID("duty-form")))
	for _, f := range []struct{ name, value string }{
		{"id", "W02"}, {"accepted_on", "2026-03-10"}, {"importer", "EU"}, {"origin", "CH"}, {"hs_code", "91021100"},
		{"quantity", "12"}, {"unit", "kg"}, {"customs_value", "2000"}, {"currency", "EUR"}, {"incoterm", "CIF"},
		{"supplementary_quantity", "1000"}, {"supplementary_unit", "p/st"},
	} {
		within(t, ctx, "fill "+f.name, chromedp.SetValue(chromedp.ID("f-"+f.name), f.value))
	}
	within(t, ctx, "submit", chromedp.Click(`#duty-form button[type="submit"]`))
	within(t, ctx, "wait for the duty lines", chromedp.WaitVisible(chromedp.ID("duty-lines")))
	lines := within(t, ctx, "read the duty lines", chromedp.Evaluate[[]shownLine](readLines))
	if len(lines) != 1 || lines[0].Measure != "eu-mfn-9102.11.00" || lines[0].Amount != "300" {
		t.Errorf("duty lines = %+v, want eu-mfn-9102.11.00 300 (0.3 EUR/p/st × 1,000 p/st)", lines)
	}
	decides := within(t, ctx, "read the deciding step", chromedp.Evaluate[[]string](
		`[...document.querySelectorAll("#trace tr.decides")].map(r => r.dataset.step + ": " + r.innerText.replace(/\s+/g, " "))`))
	if len(decides) != 1 || !strings.HasPrefix(decides[0], "base_duty.minimum: ") || !strings.Contains(decides[0], "decides the duty") ||
		!strings.Contains(decides[0], "the minimum applies: 0.3 EUR/p/st") || !strings.Contains(decides[0], "max(90.00, 300.00) = 300.00") {
		t.Errorf("steps marked deciding = %q, want base_duty.minimum with its note and formula", decides)
	}
	if v := within(t, ctx, "read the kept unit", chromedp.Evaluate[string](`document.getElementById("f-supplementary_unit").value`)); v != "p/st" {
		t.Errorf("after submitting, the supplementary unit holds %q, want p/st", v)
	}
	within(t, ctx, "scroll to the trace", chromedp.ScrollIntoView(`tr.decides`))
	saveScreenshot(t, ctx, "duty-components")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

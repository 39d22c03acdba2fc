package web

import (
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/data"
)

// TestBrowserStockpiles opens the days-of-cover page and the crisis page in
// headless Chromium: the cover charts draw a bar per party, the crisis page
// runs the chosen scenario when the form is submitted and draws the price
// and shortage paths of the three responses, and the console stays clean.
func TestBrowserStockpiles(t *testing.T) {
	d := pricesDeps(t)
	d.Data = data.FS
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)

	resp := within(t, ctx, "open /stockpiles", chromedp.NavigateResponse(srv.URL+"/stockpiles"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /stockpiles status = %d, want 200", resp.Status)
	}
	within(t, ctx, "wait for the cobalt chart", chromedp.WaitVisible(chromedp.ID("chart-cover-cobalt")))
	bars := within(t, ctx, "count the bars", chromedp.Evaluate[int](`document.querySelectorAll("#chart-cover-cobalt rect.bar").length`))
	if bars < 5 {
		t.Errorf("cobalt cover chart has %d bars, want one per party with flows (at least 5)", bars)
	}
	width := within(t, ctx, "measure a bar", chromedp.Evaluate[float64](`document.querySelector('#chart-cover-cobalt rect.bar[data-party="US"]').getBoundingClientRect().width`))
	if width <= 1 {
		t.Errorf("the US bar is %g px wide, want a visible bar", width)
	}
	saveScreenshot(t, ctx, "stockpiles")

	within(t, ctx, "open /stockpiles/crisis", chromedp.Navigate(srv.URL+"/stockpiles/crisis"))
	within(t, ctx, "wait for the form", chromedp.WaitVisible(chromedp.ID("crisis-form")))
	within(t, ctx, "choose the cobalt ban", chromedp.SetValue(chromedp.ID("scenario"), "cobalt-drc-2025"))
	within(t, ctx, "ask for 60 days", chromedp.SetValue(chromedp.ID("days"), "60"))
	within(t, ctx, "run", chromedp.Submit(chromedp.ID("days")))
	within(t, ctx, "wait for the price chart", chromedp.WaitVisible(chromedp.ID("chart-crisis-price")))
	series := within(t, ctx, "read the series", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#chart-crisis-price polyline.series")).map(p => p.dataset.series + ":" + p.dataset.points)`))
	if strings.Join(series, ",") != "no response:48,coordinated:48,alone:48" {
		t.Errorf("price chart series = %v, want the three responses over 48 months", series)
	}
	triggers := within(t, ctx, "read the triggers", chromedp.Evaluate[string](`document.getElementById("trigger-list").innerText`))
	if !strings.Contains(triggers, "collective: 2025-02 to 2027-12") {
		t.Errorf("triggers = %q, want the collective trigger from February 2025", triggers)
	}
	url := within(t, ctx, "read the address", chromedp.Evaluate[string](`location.href`))
	if !strings.Contains(url, "scenario=cobalt-drc-2025") || !strings.Contains(url, "days=60") {
		t.Errorf("address = %s, want the chosen scenario and days", url)
	}
	rows := within(t, ctx, "count the plan's months", chromedp.Evaluate[int](`document.querySelectorAll("#plan-months tbody tr").length`))
	if rows == 0 {
		t.Error("the release plan per month is empty")
	}
	saveScreenshot(t, ctx, "stockpiles-crisis")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

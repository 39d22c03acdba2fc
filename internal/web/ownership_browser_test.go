package web

import (
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestBrowserOwnership opens the facilities page in headless Chromium over
// the example agreement, filters it to Australia through the form, follows
// Greenbushes to its page and reads its decision and the control chain, the
// console clean (no inline script or style refused by the CSP).
func TestBrowserOwnership(t *testing.T) {
	reg, a := exampletest.Load(t)
	srv := httptest.NewServer(New(Deps{Registry: reg, Agreement: a}))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)

	within(t, ctx, "open /ownership", chromedp.Navigate(srv.URL+"/ownership?as_of=2026-08-01"))
	within(t, ctx, "wait for the table", chromedp.WaitVisible(chromedp.ID("ownership-table")))
	within(t, ctx, "choose Australia", chromedp.SetValue(chromedp.ID("country"), "AU"))
	within(t, ctx, "submit the form", chromedp.Submit(chromedp.ID("as_of")))
	within(t, ctx, "wait for the filtered table", chromedp.WaitVisible(chromedp.CSS(`tr[data-facility="greenbushes"]`)))
	if n := within(t, ctx, "count the rows", chromedp.Evaluate[int](`document.querySelectorAll("#ownership-table tbody tr").length`)); n < 2 {
		t.Errorf("Australia lists %d facilities, want Kwinana and Greenbushes at least", n)
	}
	// The band's colour comes from the page's nonce'd style block: a
	// refused style would leave the cell transparent.
	if bg := within(t, ctx, "read the band colour", chromedp.Evaluate[string](`getComputedStyle(document.querySelector('tr[data-facility="greenbushes"] td.np')).backgroundColor`)); bg == "rgba(0, 0, 0, 0)" {
		t.Errorf("Greenbushes' non-party cell has no colour: the style block was refused")
	}
	saveScreenshot(t, ctx, "ownership")
	within(t, ctx, "follow Greenbushes", chromedp.Click(chromedp.CSS(`tr[data-facility="greenbushes"] a`)))
	within(t, ctx, "wait for the facility", chromedp.WaitVisible(chromedp.ID("facility-facts")))
	if dec := within(t, ctx, "read the decision", chromedp.Text(chromedp.ID("decision"))); !strings.Contains(dec, "au-fdi") || !strings.Contains(dec, "review") {
		t.Errorf("decision = %q, want review under au-fdi", dec)
	}
	if hops := within(t, ctx, "count the control chain's hops", chromedp.Evaluate[int](`document.querySelectorAll('section[data-kind="control"] table.path tbody tr').length`)); hops != 4 {
		t.Errorf("control chain has %d hops, want 4 (tianqi, tlea, windfield, talison)", hops)
	}
	saveScreenshot(t, ctx, "ownership-greenbushes")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

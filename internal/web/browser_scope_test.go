package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserScope reaches the scope page from the navigation in headless
// Chromium, finds a row for each of the 60 minerals with gallium's world EU
// supply risk above the threshold, changes the date of the zone through the
// form, and keeps the console clean.
func TestBrowserScope(t *testing.T) {
	srv := startPortal(t)
	ctx, cons := startBrowser(t)

	within(t, ctx, "open /", chromedp.Navigate(srv.URL+"/"))
	within(t, ctx, "follow the Scope link", chromedp.Click(chromedp.CSS(`nav a[href="/scope"]`)))
	within(t, ctx, "wait for the scope table", chromedp.WaitVisible(chromedp.ID("scope-table")))
	if rows := within(t, ctx, "count the rows", chromedp.Evaluate[int](`document.querySelectorAll("#scope-table tbody tr").length`)); rows != 60 {
		t.Errorf("/scope lists %d minerals, want the 60 of the 2025 list", rows)
	}
	if sr := within(t, ctx, "read gallium's world EU SR", chromedp.Text(chromedp.CSS(`tr[data-mineral="gallium"] td[data-basis="world"] strong`))); sr != "5.67" {
		t.Errorf("gallium's world EU SR = %q, want 5.67 in bold (above the threshold)", sr)
	}
	if zone := within(t, ctx, "read the zone", chromedp.Text(chromedp.ID("scope-zone"))); !strings.Contains(zone, "the entry into force") || !strings.Contains(zone, "1 party (US)") {
		t.Errorf("zone = %q, want the United States alone on the entry into force", zone)
	}
	if ag := within(t, ctx, "read lithium's comparison with the EU list", chromedp.Evaluate[string](`document.querySelector('#scope-compare tr[data-material="lithium"]').dataset.agreement`)); ag != "published_only" {
		t.Errorf("lithium against the EU 2023 list = %q, want published_only (critical there, below 1.0 here)", ag)
	}
	saveScreenshot(t, ctx, "scope")

	within(t, ctx, "choose the date of Japan's accession", chromedp.SetValue(chromedp.ID("as_of"), "2026-07-01"))
	within(t, ctx, "submit the form", chromedp.Submit(chromedp.ID("as_of")))
	within(t, ctx, "wait for the new zone", chromedp.WaitVisible(chromedp.Search(`//p[@id="scope-zone"][contains(., "2 parties")]`)))
	if zone := within(t, ctx, "read the new zone", chromedp.Text(chromedp.ID("scope-zone"))); !strings.Contains(zone, "2 parties (US, JP)") || strings.Contains(zone, "entry into force") {
		t.Errorf("zone after the form = %q, want US and JP on 2026-07-01", zone)
	}
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

package web

import (
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/api"
)

// startMembersPortal serves the portal and the API as `mineralpact serve`
// does, over the example agreement (16 minerals in scope), without a store:
// the membership routes are public reads.
func startMembersPortal(t *testing.T) *httptest.Server {
	t.Helper()
	d := pricesDeps(t)
	d.Data = data.FS
	mux := http.NewServeMux()
	mux.Handle("/v1/", api.New(d))
	mux.Handle("/", New(d))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv
}

// TestBrowserMembers reaches the membership page from the navigation in
// headless Chromium, types China into the what-if's add field and sees the
// table recomputed through the API without a reload (graphite's club
// criticality falls below the EU threshold, its zone share rises), types an
// unknown country and sees the error at the field, changes the date and
// sees the ranking recomputed for that date's zone, and keeps the console
// clean.
func TestBrowserMembers(t *testing.T) {
	srv := startMembersPortal(t)
	ctx, cons := startBrowser(t)

	within(t, ctx, "open /", chromedp.Navigate(srv.URL+"/"))
	within(t, ctx, "follow the Membership link", chromedp.Click(chromedp.CSS(`nav a[href="/members"]`)))
	within(t, ctx, "wait for the what-if table", chromedp.WaitVisible(chromedp.ID("whatif-table")))
	if rows := within(t, ctx, "count the minerals", chromedp.Evaluate[int](`document.querySelectorAll("#whatif-table tbody tr").length`)); rows != 16 {
		t.Errorf("what-if lists %d minerals, want the example's 16 in scope", rows)
	}
	if n := within(t, ctx, "count the candidates", chromedp.Evaluate[int](`document.querySelectorAll("#candidates-table tbody tr").length`)); n != 15 {
		t.Errorf("%d candidates shown, want 15", n)
	}
	if n := within(t, ctx, "count the served criteria cells", chromedp.Evaluate[int](`document.querySelectorAll('#candidates-table td[data-col="criteria"] .criterion').length`)); n != 15*6 {
		t.Errorf("%d criteria served, want 6 for each of 15 candidates", n)
	}
	before := within(t, ctx, "read graphite's club criticality", chromedp.Text(chromedp.CSS(`tr[data-mineral="graphite"] td[data-col="sr-after"]`)))
	if v, err := strconv.ParseFloat(before, 64); err != nil || v < 1 {
		t.Fatalf("graphite's zone EU SR before any change = %q, want at or above 1", before)
	}
	// The page was served once: a marker on window survives only if the
	// recomputation does not reload it.
	within(t, ctx, "mark the page", chromedp.Evaluate[bool](`window.__served = true`))
	within(t, ctx, "type CN into add", chromedp.SendKeys(chromedp.ID("add"), "CN"))
	within(t, ctx, "wait for the recomputed table", chromedp.WaitVisible(chromedp.CSS(`#whatif-table[data-state="ready"]`)))
	after := within(t, ctx, "read graphite's club criticality after", chromedp.Text(chromedp.CSS(`tr[data-mineral="graphite"] td[data-col="sr-after"]`)))
	if v, err := strconv.ParseFloat(after, 64); err != nil || v >= 1 {
		t.Errorf("graphite's zone EU SR with China = %q, want below 1", after)
	}
	if got := within(t, ctx, "read the before column", chromedp.Text(chromedp.CSS(`tr[data-mineral="graphite"] td[data-col="sr-before"]`))); got != before {
		t.Errorf("graphite before = %q after the change, want it kept at %q", got, before)
	}
	if cls := within(t, ctx, "graphite row marked changed", chromedp.Evaluate[bool](`document.querySelector('tr[data-mineral="graphite"]').classList.contains("changed")`)); !cls {
		t.Errorf("graphite's row is not marked changed")
	}
	if kept := within(t, ctx, "no reload", chromedp.Evaluate[bool](`window.__served === true`)); !kept {
		t.Errorf("the page reloaded: the what-if should recompute through the API")
	}
	saveScreenshot(t, ctx, "members")

	// A new date recomputes the ranking too: Peru, a candidate on the entry
	// into force, is a party by 2027-07-01 and leaves the list.
	if pe := within(t, ctx, "Peru among the candidates", chromedp.Evaluate[int](`document.querySelectorAll('#candidates-table tr[data-country="PE"]').length`)); pe != 1 {
		t.Fatalf("Peru is not among the candidates on the entry into force")
	}
	within(t, ctx, "choose the date of the full zone", chromedp.SetValue(chromedp.ID("as_of"), "2027-07-01"))
	within(t, ctx, "signal the change", chromedp.Evaluate[bool](`document.getElementById("as_of").dispatchEvent(new Event("input")), true`))
	within(t, ctx, "wait for the new ranking", chromedp.WaitVisible(chromedp.Search(`//p[@id="whatif-zone"]/time[.="2027-07-01"]`)))
	within(t, ctx, "wait for the candidates", chromedp.WaitVisible(chromedp.CSS(`#candidates-table[data-state="ready"]`)))
	if pe := within(t, ctx, "Peru gone", chromedp.Evaluate[int](`document.querySelectorAll('#candidates-table tr[data-country="PE"]').length`)); pe != 0 {
		t.Errorf("Peru still a candidate on 2027-07-01, when it is a party")
	}
	if n := within(t, ctx, "count the new candidates", chromedp.Evaluate[int](`document.querySelectorAll("#candidates-table tbody tr").length`)); n != 15 {
		t.Errorf("%d candidates after the date change, want 15", n)
	}
	// The rewritten rows carry the example's six accession criteria each,
	// as the served page does: China does not apply EITI (IEA list, 2022).
	if n := within(t, ctx, "count the criteria cells", chromedp.Evaluate[int](`document.querySelectorAll('#candidates-table td[data-col="criteria"] .criterion').length`)); n != 15*6 {
		t.Errorf("%d criteria shown after the date change, want 6 for each of 15 candidates", n)
	}
	if st := within(t, ctx, "China's EITI criterion", chromedp.Evaluate[string](`(document.querySelector('#candidates-table tr[data-country="CN"] [data-criterion="eiti"]') || {}).textContent || ""`)); st != "eiti: not met" {
		t.Errorf("China's eiti cell = %q, want \"eiti: not met\"", st)
	}
	if kept := within(t, ctx, "still no reload", chromedp.Evaluate[bool](`window.__served === true`)); !kept {
		t.Errorf("the page reloaded on the date change")
	}

	within(t, ctx, "type a bad country", chromedp.SendKeys(chromedp.ID("add"), ",XX"))
	within(t, ctx, "wait for the error", chromedp.WaitVisible(chromedp.ID("whatif-error")))
	msg := within(t, ctx, "read the error", chromedp.Text(chromedp.ID("whatif-error")))
	if !strings.Contains(msg, `unknown country "XX"`) {
		t.Errorf("error = %q, want the unknown country named", msg)
	}
	if inv := within(t, ctx, "add field invalid", chromedp.Evaluate[string](`document.getElementById("add").getAttribute("aria-invalid") || ""`)); inv != "true" {
		t.Errorf("add field aria-invalid = %q, want true", inv)
	}
	var errs []string
	for _, e := range cons.Errors() {
		if !strings.Contains(e, "400") { // the bad country's answer, which the page shows
			errs = append(errs, e)
		}
	}
	if len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

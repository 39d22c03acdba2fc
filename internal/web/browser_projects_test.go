package web

import (
	"context"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/auth"
)

// TestBrowserProjects walks the projects pages in headless Chromium as an
// analyst: the pipeline page ranks the example's lithium projects through
// the API and charts secure supply against public cost; a project's page
// draws its NPV fan and cash flows without and with the floor, says what
// the floor is worth, and values an offtake from its form; the console
// stays clean.
func TestBrowserProjects(t *testing.T) {
	srv, st := startScenarioPortal(t)
	ctx, cons := startBrowser(t)
	signIn(t, ctx, srv.URL, issue(t, st, auth.Analyst, ""))
	within(t, ctx, "follow the Projects link", chromedp.Click(chromedp.CSS(`nav a[href="/projects"]`)))
	within(t, ctx, "wait for the pipeline table", chromedp.WaitVisible(chromedp.ID("projects-table")))
	resp := within(t, ctx, "open the example's lithium", chromedp.NavigateResponse(srv.URL+"/projects?pipeline=projects-2026&mineral=lithium"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /projects = %d", resp.Status)
	}
	wait := func(what, sel string) {
		t.Helper()
		wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
		defer cancel()
		if _, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.CSS(sel))); err != nil {
			t.Fatalf("waiting for %s: %v", what, err)
		}
	}
	wait("the ranking", `#rank-status[data-state="done"], #rank-status[data-state="error"]`)
	if s := within(t, ctx, "read the ranking status", chromedp.Text(chromedp.ID("rank-status"))); !strings.Contains(s, "projects add secure supply") || !strings.Contains(s, "illustrative") {
		t.Fatalf("ranking status = %q", s)
	}
	if n := within(t, ctx, "count the ranked rows", chromedp.Evaluate[int](`document.querySelectorAll("#rank-table tbody tr").length`)); n != 5 {
		t.Errorf("the ranking lists %d lithium projects, want the example's 5", n)
	}
	// Beside each ranked project its owner screening (the API's flag): the
	// example names no owner in the ownership register, and each row says
	// so rather than "clean".
	if n := within(t, ctx, "count the owner flags", chromedp.Evaluate[int](`Array.from(document.querySelectorAll("#rank-table tbody tr td:last-child")).filter(td => td.dataset.ownerStatus === "owner not in the ownership register" && td.textContent === "owner not in the ownership register").length`)); n != 5 {
		t.Errorf("%d of the 5 ranked rows say their owner is not in the ownership register", n)
	}
	if s := within(t, ctx, "read the ranking status", chromedp.Text(chromedp.ID("rank-status"))); !strings.Contains(s, "Owners screened: 0, of which flagged: 0") {
		t.Errorf("ranking status = %q, want the owners screened counted", s)
	}
	points := func(id string) int {
		t.Helper()
		v := within(t, ctx, "read "+id, chromedp.Evaluate[string](`document.getElementById("`+id+`").getAttribute("data-points") || "0"`))
		n, _ := strconv.Atoi(v)
		return n
	}
	if n := points("chart-projects-supply"); n < 2 {
		t.Errorf("the supply chart drew %d values", n)
	}
	if rows := within(t, ctx, "count the pipeline rows", chromedp.Evaluate[int](`document.querySelectorAll("#projects-table tbody tr").length`)); rows != 9 {
		t.Errorf("the pipeline table lists %d projects, want the example's 9", rows)
	}
	saveScreenshot(t, ctx, "projects")

	within(t, ctx, "open li-brine-mx", chromedp.Click(chromedp.CSS(`#projects-table tr[data-project="li-brine-mx"] a`)))
	wait("the valuation", `#value-status[data-state="done"], #value-status[data-state="error"]`)
	if s := within(t, ctx, "read the valuation status", chromedp.Text(chromedp.ID("value-status"))); !strings.Contains(s, "Valued over 2000 price paths") {
		t.Fatalf("valuation status = %q", s)
	}
	if fv := within(t, ctx, "read the floor's value", chromedp.Text(chromedp.ID("floor-value"))); !strings.Contains(fv, "is worth") || !strings.Contains(fv, "(illustrative)") {
		t.Errorf("floor value = %q", fv)
	}
	for _, id := range []string{"chart-projects-fan", "chart-projects-cashflows"} {
		if n := points(id); n < 20 {
			t.Errorf("%s drew %d values", id, n)
		}
	}
	saveScreenshot(t, ctx, "projects-project")
	within(t, ctx, "value the collar", chromedp.Click(chromedp.ID("offtake-run")))
	wait("the offtake", `#offtake-status[data-state="done"], #offtake-status[data-state="error"]`)
	if s := within(t, ctx, "read the offtake", chromedp.Text(chromedp.ID("offtake-status"))); !strings.Contains(s, "value to the producer") || !strings.Contains(s, "collar") {
		t.Errorf("offtake status = %q", s)
	}
	// A floor-linked price reads a premium over the agreement's floor.
	within(t, ctx, "choose a floor-linked price", chromedp.Evaluate[bool](`(function () { var s = document.getElementById("offtake-kind"); s.value = "floor_linked"; s.dispatchEvent(new Event("change")); return true; })()`))
	if prem := within(t, ctx, "read the premium", chromedp.Evaluate[string](`document.getElementById("offtake-high").value`)); prem != "0.1" {
		t.Errorf("premium after choosing floor-linked = %q, want 0.1", prem)
	}
	within(t, ctx, "value the floor-linked contract", chromedp.Click(chromedp.ID("offtake-run")))
	wctx, cancel := context.WithTimeout(ctx, 60*time.Second)
	_, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.Search(`//p[@id="offtake-status"][contains(., "floor_linked") or contains(., "could not")]`)))
	cancel()
	if err != nil {
		t.Fatalf("waiting for the floor-linked offtake: %v", err)
	}
	if s := within(t, ctx, "read the floor-linked offtake", chromedp.Text(chromedp.ID("offtake-status"))); !strings.Contains(s, "(floor_linked)") {
		t.Errorf("floor-linked offtake status = %q", s)
	}
	// A screened owner: Greenbushes's page shows its owner Talison, which
	// Tianqi controls, at review under au-fdi.
	within(t, ctx, "open Greenbushes", chromedp.Navigate(srv.URL+"/projects/busch-13?pipeline=busch-lithium-2024&as_of=2026-07-01"))
	wait("the owner screening", "#owner-screening")
	if dec := within(t, ctx, "read the decision", chromedp.Evaluate[string](`document.getElementById("owner-screening").dataset.decision`)); dec != "review" {
		t.Errorf("Greenbushes owner decision = %q, want review", dec)
	}
	if s := within(t, ctx, "read the owner screening", chromedp.Text(chromedp.ID("owner-screening"))); !strings.Contains(s, "review (au-fdi); owner talison (party), non-party interest 26.01%, controlled by tianqi (non_party)") {
		t.Errorf("Greenbushes owner screening = %q", s)
	}
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

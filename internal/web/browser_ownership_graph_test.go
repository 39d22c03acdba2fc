package web

import (
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/cdproto/emulation"
	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestBrowserOwnershipGraph opens Greenbushes' page in headless Chromium over
// the example agreement and reads the ownership graph back through
// Cytoscape.js: a node for each entity that holds the mine on the date (the
// five of the triggering path, Tianqi → TLEA → Windfield → Talison →
// Greenbushes, and IGO and Albemarle beside it), the four hops of that path
// highlighted and no other edge, the decision with its article beside the
// graph, the navigation marking the page, and a clean console (the vendored
// library injects no <style> the CSP would refuse).
func TestBrowserOwnershipGraph(t *testing.T) {
	reg, a := exampletest.Load(t)
	srv := httptest.NewServer(New(Deps{Registry: reg, Agreement: a}))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)

	start := time.Now()
	within(t, ctx, "open Greenbushes' page", chromedp.Navigate(srv.URL+"/ownership/greenbushes?as_of=2026-08-01"))
	within(t, ctx, "wait for the drawn graph", chromedp.WaitVisible(chromedp.CSS(`#ownership-graph-view[data-nodes] canvas`)))
	t.Logf("page loaded and graph drawn in %v", time.Since(start).Round(time.Millisecond))
	t.Logf("graph drawn %s ms after navigation start (the page's own clock)", within(t, ctx, "read data-ms", chromedp.Evaluate[string](`document.getElementById("ownership-graph-view").dataset.ms`)))

	// The entities of the paths the decision lists, read from the page's
	// own tables (what a reader without JavaScript sees).
	pathEntities := within(t, ctx, "read the paths' entities", chromedp.Evaluate[[]string](`(() => {
		const s = new Set();
		document.querySelectorAll("table.path tbody tr").forEach(tr => { s.add(tr.cells[0].textContent.trim()); s.add(tr.cells[2].textContent.trim()); });
		return [...s].sort();
	})()`))
	if want := []string{"greenbushes", "talison", "tianqi", "tlea", "windfield"}; !slices.Equal(pathEntities, want) {
		t.Errorf("entities of the paths = %v, want %v", pathEntities, want)
	}
	nodes := within(t, ctx, "read the graph's nodes", chromedp.Evaluate[[]string](`window.mpOwnership.cy.nodes().map(n => n.id()).sort()`))
	// Every entity of the paths is drawn, plus the holders beside them.
	if want := []string{"albemarle", "greenbushes", "igo", "talison", "tianqi", "tlea", "windfield"}; !slices.Equal(nodes, want) {
		t.Errorf("graph nodes = %v, want %v (the paths' entities and the other holders of TLEA and Windfield)", nodes, want)
	}
	if n := within(t, ctx, "read data-nodes", chromedp.Evaluate[string](`document.getElementById("ownership-graph-view").dataset.nodes`)); n != "7" {
		t.Errorf("data-nodes = %q, want 7", n)
	}
	// The triggering path's hops, and only them, are highlighted.
	hl := within(t, ctx, "read the highlighted edges", chromedp.Evaluate[[]string](`window.mpOwnership.cy.edges(".trigger").map(e => e.source().id() + ">" + e.target().id()).sort()`))
	if want := []string{"talison>greenbushes", "tianqi>tlea", "tlea>windfield", "windfield>talison"}; !slices.Equal(hl, want) {
		t.Errorf("highlighted edges = %v, want the control chain %v", hl, want)
	}
	others := within(t, ctx, "read the other edges", chromedp.Evaluate[[]string](`window.mpOwnership.cy.edges().not(".trigger").map(e => e.source().id() + ">" + e.target().id() + " " + e.data("label")).sort()`))
	if want := []string{"albemarle>windfield 49%", "igo>tlea 49%"}; !slices.Equal(others, want) {
		t.Errorf("other edges = %v, want %v", others, want)
	}
	geo := within(t, ctx, "read the zoom", chromedp.Evaluate[[]float64](`[window.mpOwnership.cy.zoom(), window.mpOwnership.cy.width(), window.mpOwnership.cy.height(), window.mpOwnership.cy.nodes().renderedBoundingBox().w]`))
	t.Logf("zoom %.2f, box %gx%g, graph %g px wide", geo[0], geo[1], geo[2], geo[3])
	if geo[0] < 0.9 {
		t.Errorf("the graph is drawn at zoom %.2f: its labels shrink below legibility", geo[0])
	}
	// The highlight is drawn, not only a class: Cytoscape's computed style.
	if w := within(t, ctx, "read a highlighted edge's width", chromedp.Evaluate[string](`window.mpOwnership.cy.edges(".trigger").first().style("width")`)); w != "4px" {
		t.Errorf("highlighted edge width = %q, want 4px", w)
	}
	if lbl := within(t, ctx, "read tlea>windfield's label", chromedp.Evaluate[string](`window.mpOwnership.cy.edges('[source = "tlea"][target = "windfield"]').data("label")`)); lbl != "51%" {
		t.Errorf("TLEA's share of Windfield on the graph = %q, want 51%%", lbl)
	}

	// The decision and its article beside the graph.
	if dec := within(t, ctx, "read the decision", chromedp.Text(chromedp.ID("decision"))); !strings.Contains(dec, "au-fdi") || !strings.Contains(dec, "review") {
		t.Errorf("decision = %q, want review under au-fdi", dec)
	}
	if art := within(t, ctx, "read the article", chromedp.Text(chromedp.ID("article"))); !strings.Contains(art, "screens investments by non-parties") {
		t.Errorf("article = %q, want Art. 15's text", art)
	}
	if side := within(t, ctx, "compare the columns", chromedp.Evaluate[bool](`(() => {
		const g = document.getElementById("graph-figure").getBoundingClientRect(), d = document.getElementById("facility-facts").getBoundingClientRect();
		return d.left >= g.right && d.top < g.bottom;
	})()`)); !side {
		t.Errorf("the decision is not beside the graph at 1280 px")
	}
	if cur := within(t, ctx, "read the nav", chromedp.Evaluate[string](`document.querySelector('nav a[aria-current="page"]').getAttribute("href")`)); cur != "/ownership" {
		t.Errorf("nav marks %q, want /ownership", cur)
	}

	// A tap on a highlighted edge writes its share and source.
	within(t, ctx, "tap tlea>windfield", chromedp.Evaluate[bool](`(window.mpOwnership.cy.edges('[source = "tlea"][target = "windfield"]').emit("tap"), true)`))
	if d := within(t, ctx, "read the detail", chromedp.Text(chromedp.ID("graph-detail"))); !strings.Contains(d, "holds 51% of Windfield") || !strings.Contains(d, "owners.csv:4") {
		t.Errorf("detail after a tap = %q, want TLEA's 51%% of Windfield and its statement", d)
	}
	saveScreenshot(t, ctx, "ownership-graph-greenbushes")
	// Once more, the library in the browser's cache: the time a reader sees.
	within(t, ctx, "reload", chromedp.Navigate(srv.URL+"/ownership/greenbushes?as_of=2026-08-01"))
	within(t, ctx, "wait for the graph again", chromedp.WaitVisible(chromedp.CSS(`#ownership-graph-view[data-ms] canvas`)))
	t.Logf("graph drawn %s ms after navigation start on a second visit", within(t, ctx, "read data-ms again", chromedp.Evaluate[string](`document.getElementById("ownership-graph-view").dataset.ms`)))

	// Without JavaScript: the graph gives way to its note, the paths'
	// tables are there.
	if _, err := chromedp.Call(ctx, emulation.SetScriptExecutionDisabled, emulation.SetScriptExecutionDisabledParams{Value: true}); err != nil {
		t.Fatalf("disabling scripts: %v", err)
	}
	within(t, ctx, "open the page without scripts", chromedp.Navigate(srv.URL+"/ownership/greenbushes?as_of=2026-08-01"))
	within(t, ctx, "wait for the tables", chromedp.WaitVisible(chromedp.CSS(`section[data-kind="control"] table.path`)))
	if shown := within(t, ctx, "read the graph box's display", chromedp.Evaluate[string](`getComputedStyle(document.getElementById("ownership-graph-view")).display + " " + getComputedStyle(document.querySelector(".own-legend")).display`)); shown != "none none" {
		t.Errorf("without scripts the graph box and legend display %q, want none none", shown)
	}
	saveScreenshot(t, ctx, "ownership-graph-greenbushes-nojs")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

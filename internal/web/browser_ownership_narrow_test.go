package web

import (
	"net/http/httptest"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestBrowserOwnershipGraphNarrow opens Kamoa-Kakula's page (seven holders
// on four ranks) in a 420 px wide window: the graph is drawn whole inside
// its box, zoomed out as it must be.
func TestBrowserOwnershipGraphNarrow(t *testing.T) {
	reg, a := exampletest.Load(t)
	srv := httptest.NewServer(New(Deps{Registry: reg, Agreement: a}))
	t.Cleanup(srv.Close)
	ctx, _ := startBrowser(t)

	within(t, ctx, "narrow the window", chromedp.EmulateViewport(420, 900))
	within(t, ctx, "open Kamoa-Kakula's page", chromedp.Navigate(srv.URL+"/ownership/kamoa-kakula?as_of=2026-08-01"))
	within(t, ctx, "wait for the drawn graph", chromedp.WaitVisible(chromedp.CSS(`#ownership-graph-view[data-nodes] canvas`)))
	geo := within(t, ctx, "read the geometry", chromedp.Evaluate[[]float64](`(() => { const cy = window.mpOwnership.cy, b = cy.elements().renderedBoundingBox(); return [cy.width(), cy.height(), b.x1, b.x2, b.y1, b.y2, cy.zoom()]; })()`))
	t.Logf("box %gx%g, graph x %.0f..%.0f y %.0f..%.0f, zoom %.2f", geo[0], geo[1], geo[2], geo[3], geo[4], geo[5], geo[6])
	if geo[2] < 0 || geo[3] > geo[0] || geo[4] < 0 || geo[5] > geo[1] {
		t.Errorf("the graph overflows its %gx%g box: x %.0f..%.0f, y %.0f..%.0f", geo[0], geo[1], geo[2], geo[3], geo[4], geo[5])
	}
	saveScreenshot(t, ctx, "ownership-graph-narrow")
}

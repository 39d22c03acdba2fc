package web

import (
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserNarrowPages opens the portal's pages in a 420 px wide window (a
// phone held upright): none is wider than the window, so no page scrolls
// sideways. The header's links wrap onto more lines instead.
func TestBrowserNarrowPages(t *testing.T) {
	srv := startPortal(t)
	ctx, _ := startBrowser(t)
	within(t, ctx, "narrow the window", chromedp.EmulateViewport(420, 900))
	for _, path := range []string{"/", "/parties", "/minerals", "/scope", "/members", "/projects", "/ownership"} {
		within(t, ctx, "open "+path, chromedp.Navigate(srv.URL+path))
		w := within(t, ctx, "measure "+path, chromedp.Evaluate[[]float64](`[document.querySelector("header.site").scrollWidth, window.innerWidth]`))
		if w[0] > w[1] {
			t.Errorf("%s: the header is %.0f px wide in a %.0f px window", path, w[0], w[1])
		}
	}
	saveScreenshot(t, ctx, "narrow-home")
}

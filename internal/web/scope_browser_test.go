package web

import (
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// TestBrowserScopeWarningsAndGroups opens the scope page over the example
// agreement in headless Chromium, finds gallium's by-product warning and the
// shared rare-earth lines, opens the aluminum family and reads its reason,
// and keeps the console clean.
func TestBrowserScopeWarningsAndGroups(t *testing.T) {
	srv := startMembersPortal(t)
	ctx, cons := startBrowser(t)

	within(t, ctx, "open /scope", chromedp.Navigate(srv.URL+"/scope?as_of=2027-07-01"))
	within(t, ctx, "wait for the warnings", chromedp.WaitVisible(chromedp.ID("scope-warnings")))
	if n := within(t, ctx, "count gallium's warnings", chromedp.Evaluate[int](`document.querySelectorAll('#scope-warnings tr[data-kind="byproduct_host_out_of_scope"][data-mineral="gallium"]').length`)); n != 1 {
		t.Errorf("%d by-product warnings for gallium, want 1", n)
	}
	if n := within(t, ctx, "count shared lines", chromedp.Evaluate[int](`document.querySelectorAll('#scope-warnings tr[data-kind="shared_hs_line"]').length`)); n < 5 {
		t.Errorf("%d shared-line warnings, want the rare earths' (at least 5)", n)
	}
	within(t, ctx, "open the aluminum family", chromedp.Click(chromedp.CSS(`details[data-group="host-aluminum"] summary`)))
	text := within(t, ctx, "read its reasons", chromedp.Text(chromedp.CSS(`details[data-group="host-aluminum"] ul`)))
	if !strings.Contains(text, "gallium is a by-product of aluminum") {
		t.Errorf("aluminum family reasons = %q, want gallium's host link", text)
	}
	saveScreenshot(t, ctx, "scope-warnings")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

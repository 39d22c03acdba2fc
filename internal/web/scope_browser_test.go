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

// TestBrowserScopeHeatmapAndScatter opens the scope page in headless
// Chromium and checks what a reader sees: the heatmap's shades applied by
// the stylesheet (gallium's world supply risk darker than lithium's), the
// scatter drawn with both EU thresholds and a point per plotted mineral,
// gallium's point right of the SR line and above the EI line, and a clean
// console (nothing loaded from another host: the CSP would report it).
func TestBrowserScopeHeatmapAndScatter(t *testing.T) {
	srv := startMembersPortal(t)
	ctx, cons := startBrowser(t)

	within(t, ctx, "open /scope", chromedp.Navigate(srv.URL+"/scope?as_of=2027-07-01"))
	within(t, ctx, "wait for the heatmap", chromedp.WaitVisible(chromedp.ID("scope-heatmap")))
	bg := func(m string) string {
		return within(t, ctx, "read "+m+"'s shade", chromedp.Evaluate[string](
			`getComputedStyle(document.querySelector('#scope-heatmap tr[data-mineral="`+m+`"] td[data-key="eu_sr_world"]')).backgroundColor`))
	}
	if g, l := bg("gallium"), bg("lithium"); g == l || g == "rgba(0, 0, 0, 0)" {
		t.Errorf("gallium's shade %q, lithium's %q: want two different shades", g, l)
	}
	within(t, ctx, "scroll to the scatter", chromedp.ScrollIntoView(chromedp.ID("scope-scatter")))
	if n := within(t, ctx, "count the thresholds", chromedp.Evaluate[int](`document.querySelectorAll('#scope-scatter line.threshold').length`)); n != 2 {
		t.Errorf("%d threshold lines, want 2", n)
	}
	pts := within(t, ctx, "count the points", chromedp.Evaluate[int](`document.querySelectorAll('#scope-scatter g.point circle').length`))
	rows := within(t, ctx, "count the table's points", chromedp.Evaluate[int](`document.querySelectorAll('#scope-scatter-table tbody tr').length`))
	if pts < 5 || pts != rows {
		t.Errorf("%d points drawn, %d in the table: want the same, at least 5", pts, rows)
	}
	// in screen coordinates: gallium right of the SR line, above the EI line
	where := within(t, ctx, "place gallium", chromedp.Evaluate[[]float64](`(function () {
		var c = document.querySelector('#scope-scatter g.point[data-mineral="gallium"] circle').getBoundingClientRect();
		var sr = document.querySelector('#scope-scatter line[data-threshold="sr"]').getBoundingClientRect();
		var ei = document.querySelector('#scope-scatter line[data-threshold="ei"]').getBoundingClientRect();
		return [c.left + c.width / 2, sr.left, c.top + c.height / 2, ei.top, c.width];
	})()`))
	if len(where) != 5 || where[4] <= 0 || where[0] <= where[1] || where[2] >= where[3] {
		t.Errorf("gallium at x %v (SR line %v), y %v (EI line %v), width %v: want it drawn right of and above both", where[0], where[1], where[2], where[3], where[4])
	}
	saveScreenshot(t, ctx, "scope-scatter")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

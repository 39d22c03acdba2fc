package web

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"
)

// chartReport is what the page says of one chart: the points uPlot holds and
// whether its canvas has pixels of more than one colour.
type chartReport struct {
	ID     string `json:"id"`
	Points int    `json:"points"`
	Series int    `json:"series"`
	Inked  bool   `json:"inked"`
	Width  int    `json:"width"`
}

// chartsJS asks each uPlot instance of the page for its data and samples its
// canvas: a chart that drew has non-null points and a canvas that is not one
// flat colour.
const chartsJS = `(() => {
  const out = [];
  for (const [id, u] of Object.entries(window.mineralpactCharts || {})) {
    let points = 0, series = 0;
    for (let i = 1; i < u.data.length; i++) {
      const n = u.data[i].filter(v => v != null).length;
      points += n;
      if (n > 0) series++;
    }
    const c = u.ctx.canvas, px = u.ctx.getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < px.length && seen.size < 3; i += 4 * 97) seen.add(px[i] + "," + px[i+1] + "," + px[i+2] + "," + px[i+3]);
    out.push({id, points, series, inked: seen.size > 2, width: c.width});
  }
  return out;
})()`

// TestBrowserPrices opens the prices page and one floor of each kind of chart
// in headless Chromium: the list has every floor, every chart drew data, the
// console stays clean, and each page leaves a screenshot.
func TestBrowserPrices(t *testing.T) {
	d := pricesDeps(t)
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	floors, err := d.Prices.Compute(d.Agreement.EntryIntoForce)
	if err != nil {
		t.Fatalf("Compute(entry into force) error: %v", err)
	}
	ctx, cons := startBrowser(t)

	resp := within(t, ctx, "open /prices", chromedp.NavigateResponse(srv.URL+"/prices"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /prices status = %d, want 200", resp.Status)
	}
	within(t, ctx, "wait for the floors table", chromedp.WaitVisible(chromedp.ID("floors")))
	rows := within(t, ctx, "count the rows", chromedp.Evaluate[int](`document.querySelectorAll("#floors tbody tr").length`))
	if rows != len(floors) {
		t.Errorf("/prices lists %d floors, want every one of the %d in force", rows, len(floors))
	}
	badges := within(t, ctx, "count the badges", chromedp.Evaluate[int](`document.querySelectorAll('#floors tr[data-illustrative="true"] .badge-illustrative').length`))
	illustrative := 0
	for _, f := range floors {
		if f.Illustrative {
			illustrative++
		}
	}
	if badges != illustrative || illustrative == 0 {
		t.Errorf("/prices shows %d Illustrative badges, want one per illustrative floor (%d)", badges, illustrative)
	}
	saveScreenshot(t, ctx, "prices")

	pages := []struct {
		name, path string
		charts     []string
	}{
		{"price-market-average", "/prices/copper/processed?as_of=2026-01-01", []string{"chart-over-time"}},
		{"price-cost-curve", "/prices/cobalt/mined?as_of=2026-01-01", []string{"chart-over-time", "chart-cost-curve"}},
	}
	for _, pg := range pages {
		within(t, ctx, "open "+pg.path, chromedp.Navigate(srv.URL+pg.path))
		for _, id := range pg.charts {
			within(t, ctx, "wait for "+id, chromedp.WaitVisible(fmt.Sprintf(`#%s[data-points] canvas`, id)))
		}
		got := within(t, ctx, "read the charts of "+pg.path, chromedp.Evaluate[[]chartReport](chartsJS))
		seen := map[string]chartReport{}
		for _, c := range got {
			seen[c.ID] = c
		}
		for _, id := range pg.charts {
			c, ok := seen[id]
			switch {
			case !ok:
				t.Errorf("%s: chart %s was not drawn", pg.path, id)
			case c.Points < 2 || c.Series < 2 || !c.Inked || c.Width < 600:
				t.Errorf("%s: chart %s = %+v, want at least two series with points on a wide, inked canvas", pg.path, id, c)
			}
		}
		saveScreenshot(t, ctx, pg.name)
	}
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

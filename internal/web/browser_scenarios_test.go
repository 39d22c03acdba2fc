package web

import (
	"context"
	"net/http"
	"net/http/httptest"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/api"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// startScenarioPortal serves the portal and the API over one SQLite store,
// as `mineralpact serve` does: the scenarios page runs simulations through
// /v1/simulations, which needs an analyst's session (issue, signIn).
func startScenarioPortal(t *testing.T) (*httptest.Server, *sqlite.Store) {
	t.Helper()
	d := pricesDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d.Store, d.Data = st, data.FS
	d.Simulations = service.NewSimulations(st, api.SimWorkers, api.SimQueue)
	t.Cleanup(d.Simulations.Close) // before the store closes: cleanups run last first
	mux := http.NewServeMux()
	mux.Handle("/v1/", api.New(d))
	mux.Handle("/", New(d))
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	return srv, st
}

// TestBrowserScenarios runs scenarios from the page in headless Chromium: a
// short run of two designs (answered at once), a long run (queued, polled
// until done) and a replay; each time the three charts must draw data, and
// the console must stay clean.
func TestBrowserScenarios(t *testing.T) {
	srv, st := startScenarioPortal(t)
	ctx, cons := startBrowser(t)
	signIn(t, ctx, srv.URL, issue(t, st, auth.Analyst, ""))
	resp := within(t, ctx, "open /scenarios", chromedp.NavigateResponse(srv.URL+"/scenarios"))
	if resp.Status != http.StatusOK {
		t.Fatalf("GET /scenarios status = %d, want 200", resp.Status)
	}
	runs := []struct {
		name, scenario, paths string
		compare               bool
		charts                []string
	}{
		{"compare", "cobalt-drc-2025", "200", true, []string{"chart-sim-price", "chart-sim-revenue", "chart-sim-buffer"}},
		{"long-run", "lithium-collapse-2023", "1000", false, []string{"chart-sim-price", "chart-sim-revenue", "chart-sim-buffer"}},
		{"replay", "ita-replay", "0", false, []string{"chart-sim-price", "chart-sim-revenue", "chart-sim-buffer"}},
	}
	for _, run := range runs {
		within(t, ctx, "choose "+run.scenario, chromedp.SetValue(chromedp.ID("scenario"), run.scenario))
		within(t, ctx, "set paths", chromedp.SetValue(chromedp.ID("paths"), run.paths))
		checked := within(t, ctx, "read compare", chromedp.Evaluate[bool](`document.getElementById("compare").checked`))
		if checked != run.compare {
			within(t, ctx, "toggle compare", chromedp.Click(chromedp.ID("compare")))
		}
		within(t, ctx, "run", chromedp.Click(chromedp.ID("run")))
		wctx, cancel := context.WithTimeout(ctx, 90*time.Second)
		_, err := chromedp.Run(wctx, chromedp.WaitVisible(chromedp.CSS(`#sim-status[data-state="done"], #sim-status[data-state="error"]`)))
		cancel()
		if err != nil {
			t.Fatalf("%s: waiting for the run: %v", run.name, err)
		}
		state := within(t, ctx, "read the state", chromedp.Evaluate[string](`document.getElementById("sim-status").dataset.state`))
		text := within(t, ctx, "read the status", chromedp.Text(chromedp.ID("sim-status")))
		if state != "done" {
			t.Fatalf("%s: run state %q: %s", run.name, state, text)
		}
		if !strings.Contains(text, "illustrative") {
			t.Errorf("%s: status %q does not say the scenario is illustrative", run.name, text)
		}
		reports := within(t, ctx, "read the charts", chromedp.Evaluate[[]chartReport](chartsJS))
		drew := map[string]chartReport{}
		for _, r := range reports {
			drew[r.ID] = r
		}
		for _, id := range run.charts {
			r, ok := drew[id]
			if !ok || r.Points == 0 || !r.Inked || r.Width < 300 {
				t.Errorf("%s: chart %s = %+v, want data drawn", run.name, id, r)
			}
		}
		if run.compare {
			cols := within(t, ctx, "count the columns", chromedp.Evaluate[int](`document.querySelectorAll("#sim-summary thead th").length`))
			if cols != 3 {
				t.Errorf("%s: summary has %d columns, want the metric, A and B", run.name, cols)
			}
			if r := drew["chart-sim-price"]; r.Series < 8 {
				t.Errorf("%s: price chart drew %d series, want both designs' bands, the central paths and the floor", run.name, r.Series)
			}
		}
		saveScreenshot(t, ctx, "scenarios-"+run.name)
	}
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

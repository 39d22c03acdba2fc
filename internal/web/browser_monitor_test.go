package web

import (
	"context"
	"io/fs"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
)

// TestBrowserMonitor walks the monitor's pages in headless Chromium as the
// secretariat: the alerts ranked by score, an alert's series drawn with the
// measure's date, the mirror values as bars, the prices against the floor;
// a case opened, noted and dismissed through the page's forms, its history
// then on the page; the console stays clean.
func TestBrowserMonitor(t *testing.T) {
	srv, st, as := monitorPortal(t)
	ctx, cons := startBrowser(t)
	signIn(t, ctx, srv.URL, issue(t, st, auth.Secretariat, ""))
	within(t, ctx, "follow the Monitor link", chromedp.Click(chromedp.CSS(`nav a[href="/monitor"]`)))
	within(t, ctx, "wait for the alerts", chromedp.WaitVisible(chromedp.ID("alerts-table")))
	order := within(t, ctx, "read the ranking", chromedp.Evaluate[[]string](`Array.from(document.querySelectorAll("#alerts-table tbody tr")).map(r => r.dataset.alert)`))
	if len(order) != 3 || order[0] != as[0].ID || order[1] != as[1].ID || order[2] != as[2].ID {
		t.Errorf("alerts on /monitor = %v, want the sample's three by score", order)
	}
	saveScreenshot(t, ctx, "monitor")

	charts := func(page string, want ...string) {
		t.Helper()
		got := within(t, ctx, "read the charts of "+page, chromedp.Evaluate[[]chartReport](chartsJS))
		drawn := map[string]chartReport{}
		for _, c := range got {
			drawn[c.ID] = c
		}
		for _, id := range want {
			if c := drawn[id]; c.Points == 0 || !c.Inked {
				t.Errorf("%s: chart %s = %+v, want points drawn", page, id, c)
			}
		}
	}
	// The routing alert: two series, 12 months each, the measure marked.
	within(t, ctx, "open the routing alert", chromedp.Click(chromedp.CSS(`#alerts-table a[href="/monitor/alerts/`+as[0].ID+`"]`)))
	within(t, ctx, "wait for its chart", chromedp.WaitVisible(chromedp.CSS(`#chart-series[data-points]`)))
	charts("the routing alert", "chart-series")
	if n := within(t, ctx, "count the points", chromedp.Evaluate[int](`window.mineralpactCharts["chart-series"].data.slice(1).flat().filter(v => v != null).length`)); n != 24 {
		t.Errorf("the routing chart holds %d points, want 2 series × 12 months", n)
	}
	if s := within(t, ctx, "read the caption", chromedp.Text(chromedp.CSS(`#chart-series + figcaption`))); !strings.Contains(s, "in effect from 2023-08-01") {
		t.Errorf("caption = %q, want the measure's date", s)
	}
	saveScreenshot(t, ctx, "monitor-alert-routing")

	// Open a case from it, note it, dismiss it, through the forms.
	within(t, ctx, "title the case", chromedp.SetValue(chromedp.ID("open-title"), "Gallium through VN"))
	within(t, ctx, "open the case", chromedp.Click(chromedp.ID("open-case")))
	within(t, ctx, "wait for the case", chromedp.WaitVisible(chromedp.ID("case-history")))
	within(t, ctx, "write a note", chromedp.SetValue(chromedp.ID("note-text"), "asked VN customs for the bills of lading"))
	within(t, ctx, "add it", chromedp.Click(chromedp.ID("add-note")))
	within(t, ctx, "wait for the note", chromedp.WaitVisible(chromedp.CSS(`#case-history tr[data-kind="note"]`)))
	within(t, ctx, "say why", chromedp.SetValue(chromedp.ID("decide-text"), "a new VN refinery explains it"))
	within(t, ctx, "dismiss", chromedp.Click(chromedp.ID("dismiss-case")))
	within(t, ctx, "wait for the dismissal", chromedp.WaitVisible(chromedp.CSS(`#case-history tr[data-kind="dismiss"]`)))
	if s := within(t, ctx, "read the status", chromedp.Text(chromedp.ID("case-status"))); s != "dismissed" {
		t.Errorf("case status after dismissing = %q", s)
	}
	hist := within(t, ctx, "read the history", chromedp.Text(chromedp.ID("case-history")))
	for _, w := range []string{"open", "note", "dismiss", "asked VN customs", "a new VN refinery explains it", "secretariat"} {
		if !strings.Contains(hist, w) {
			t.Errorf("the history lacks %q:\n%s", w, hist)
		}
	}
	saveScreenshot(t, ctx, "monitor-alert-case")

	// The mirror gap: bars side by side; the prices: dots against the floor.
	within(t, ctx, "open the mirror alert", chromedp.Navigate(srv.URL+"/monitor/alerts/"+as[1].ID))
	within(t, ctx, "wait for its chart", chromedp.WaitVisible(chromedp.CSS(`#chart-series[data-points]`)))
	charts("the mirror alert", "chart-series")
	within(t, ctx, "open the price alert", chromedp.Navigate(srv.URL+"/monitor/alerts/"+as[2].ID))
	within(t, ctx, "wait for its chart", chromedp.WaitVisible(chromedp.CSS(`#chart-distribution[data-points]`)))
	charts("the price alert", "chart-distribution")
	saveScreenshot(t, ctx, "monitor-alert-prices")

	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

// TestBrowserMonitorChina scans the shipped China export data (data/monitor)
// into the store as `POST /v1/monitor/scans` does, and opens the monitor's
// pages on it: every alert listed by score; the alert on India's graphite
// imports after China's export control of 2023-12-01 charts its 96 months
// with the control's date marked.
func TestBrowserMonitorChina(t *testing.T) {
	d, st := storeDeps(t)
	flows, err := fs.ReadFile(data.FS, "monitor/china-exports-comtrade.csv")
	if err != nil {
		t.Fatal(err)
	}
	measures, err := fs.ReadFile(data.FS, "monitor/measures.csv")
	if err != nil {
		t.Fatal(err)
	}
	asOf := date.MustParse("2024-12-31")
	sc, err := d.RunScan(context.Background(), service.Scan{
		Files:    []service.ScanFile{{Name: "china-exports-comtrade.csv", Format: "comtrade", Text: string(flows)}},
		Measures: []string{string(measures)}, Names: []string{"measures.csv"}, AsOf: asOf, Margin: monitor.DefaultMargin, Source: "china-exports",
	}, store.Acting{Actor: "test scan", At: time.Date(2026, 12, 6, 9, 0, 0, 0, time.UTC)}, nil)
	if err != nil || sc.Stored == 0 {
		t.Fatalf("scanning the China data: %+v, %v", sc, err)
	}
	as, err := st.ListAlerts(context.Background(), store.AlertFilter{Importer: "IN", HS: "250410"})
	if err != nil || len(as) != 1 || as[0].Alert.Measure == nil || as[0].Alert.Measure.Effective.String() != "2023-12-01" {
		t.Fatalf("the alert on India's graphite: %+v, %v; want one tied to the control of 2023-12-01", as, err)
	}
	in := as[0].Alert
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	ctx, cons := startBrowser(t)
	signIn(t, ctx, srv.URL, issue(t, st, auth.Analyst, ""))
	within(t, ctx, "open /monitor", chromedp.Navigate(srv.URL+"/monitor"))
	within(t, ctx, "wait for the alerts", chromedp.WaitVisible(chromedp.ID("alerts-table")))
	if n := within(t, ctx, "count the alerts", chromedp.Evaluate[int](`document.querySelectorAll("#alerts-table tbody tr").length`)); n != sc.Stored {
		t.Errorf("/monitor lists %d alerts, the scan stored %d", n, sc.Stored)
	}
	saveScreenshot(t, ctx, "monitor-china")
	within(t, ctx, "open India's graphite", chromedp.Navigate(srv.URL+"/monitor/alerts/"+in.ID))
	within(t, ctx, "wait for its chart", chromedp.WaitVisible(chromedp.CSS(`#chart-series[data-points]`)))
	got := within(t, ctx, "read the chart", chromedp.Evaluate[[]chartReport](chartsJS))
	if len(got) != 1 || got[0].Points != len(in.Evidence.Series[0].Points) || !got[0].Inked {
		t.Errorf("India's graphite chart = %+v, want the %d months drawn", got, len(in.Evidence.Series[0].Points))
	}
	if s := within(t, ctx, "read the caption", chromedp.Text(chromedp.CSS(`#chart-series + figcaption`))); !strings.Contains(s, "in effect from 2023-12-01") {
		t.Errorf("caption = %q, want China's graphite control of 2023-12-01", s)
	}
	saveScreenshot(t, ctx, "monitor-china-alert")
	if errs := cons.Errors(); len(errs) > 0 {
		t.Errorf("console errors:\n%s", strings.Join(errs, "\n"))
	}
}

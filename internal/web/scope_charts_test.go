package web

import (
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestScopeHeatmapAndScatter renders the scope page and checks the grid
// (every mineral a row, every indicator a column, gallium's world EU supply
// risk the darkest of its column, a mineral not scored marked as such)
// and the scatter (the thresholds drawn at SR 1 and EI 2.8, gallium plotted
// above both, a mineral without end-use shares not plotted).
func TestScopeHeatmapAndScatter(t *testing.T) {
	h := New(testDeps(t))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/scope", nil))
	if w.Code != 200 {
		t.Fatalf("GET /scope = %d", w.Code)
	}
	body := w.Body.String()
	for _, want := range []string{
		`id="scope-heatmap"`, `data-key="eu_sr_zone"`, `data-key="usgs_sr_us"`, `data-key="economic_importance"`,
		`<td class="n heat-5" data-key="eu_sr_world">5.67</td>`, // gallium, the column's highest
		`id="scope-scatter"`, `data-threshold="sr"`, `data-threshold="ei"`, `SR = 1`, `EI = 2.8`,
		`<g class="point" data-mineral="gallium" data-sr="5.67" data-ei="6.84">`,
		`<tr data-mineral="gallium"><th scope="row">Gallium</th><td class="n">5.67</td><td class="n">6.84</td><td>yes</td><td data-eu="critical">critical</td></tr>`,
		`<tr data-mineral="copper"><th scope="row">Copper</th><td class="n">1.44</td><td class="n">4.79</td><td>yes</td><td data-eu="not critical">not critical</td></tr>`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("GET /scope lacks %s", want)
		}
	}
	if strings.Contains(body, `class="point" data-mineral="graphite"`) {
		t.Error("GET /scope plots graphite, which has no end-use shares shipped")
	}
	rows := regexp.MustCompile(`(?s)<table class="data compact heatmap" id="scope-heatmap">.*?</table>`).FindString(body)
	if n := strings.Count(rows, "<tr data-mineral="); n != 60 {
		t.Errorf("heatmap has %d minerals, want 60", n)
	}
	// gallium's row: eleven cells, the world basis's trade exposure not among them
	gal := regexp.MustCompile(`<tr data-mineral="gallium"><th scope="row">Gallium</th>(.*?)</tr>`).FindStringSubmatch(rows)
	if gal == nil || strings.Count(gal[1], "<td") != 11 {
		t.Fatalf("gallium's heatmap row = %v, want 11 cells", gal)
	}
	// the sourcing variant: 3.09 of the column's highest, niobium's 3.75 → level 4
	if !strings.Contains(gal[1], `<td class="n heat-4" data-key="eu_sr_sourcing_us">3.09</td>`) {
		t.Errorf("gallium's U.S. sourcing cell: %s", gal[1])
	}
	if !strings.Contains(rows, `<td class="n heat-none" data-key="eu_sr_world"><span class="muted">—</span></td>`) {
		t.Error("heatmap has no cell marked not computed (cesium has no production table)")
	}
}

// BenchmarkScopePage renders /scope (every indicator scored, the heatmap,
// the scatter, the warnings, the groups, the comparison) for the example's
// test agreement: the page's server time, the grouping data and end uses
// read once before.
func BenchmarkScopePage(b *testing.B) {
	h := New(testDeps(b))
	h.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/scope", nil)) // reads the cached data
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/scope", nil))
		if w.Code != 200 {
			b.Fatal(w.Code)
		}
		b.SetBytes(int64(w.Body.Len()))
	}
}

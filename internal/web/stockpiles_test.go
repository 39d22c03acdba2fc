package web

import (
	"testing"

	"github.com/mineralpact/mineralpact/data"
)

// TestStockpilePages renders the days-of-cover page on the latest shipped
// declaration's date and on a date asked for, the crisis page of the cobalt
// ban, and refuses a bad date and a bad number of days.
func TestStockpilePages(t *testing.T) {
	d := pricesDeps(t)
	d.Data = data.FS
	h := New(d)
	checkPages(t, h, []pageCase{
		{target: "/stockpiles", status: 200, want: []string{`value="2026-07-01"`, `id="chart-cover-cobalt"`, `class="bar" data-party="US"`, "2342.466", "exempt (net exporter)", "Illustrative."}},
		{target: "/stockpiles?as_of=2027-07-01", status: 200, want: []string{`value="2027-07-01"`, `id="cover-antimony"`}},
		{target: "/stockpiles?as_of=2027-13-01", status: 400, want: []string{`role="alert"`, "want a date"}},
		{target: "/stockpiles/crisis?scenario=cobalt-drc-2025&days=90", status: 200, want: []string{`id="chart-crisis-price"`, `data-series="coordinated" data-points="48"`, `id="chart-crisis-shortage"`,
			"collective: 2025-02 to 2027-12", `id="plan-months"`, "<th scope=\"row\">2025-03</th>"}},
		{target: "/stockpiles/crisis?scenario=cobalt-drc-2025&days=x", status: 400, want: []string{"want a whole number of days"}},
		{target: "/stockpiles/crisis?scenario=nope", status: 404, want: []string{`no shipped scenario`}},
	})
}

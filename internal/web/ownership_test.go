package web

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestOwnershipPages renders /ownership and /ownership/greenbushes over the
// example agreement (its illustrative AU rule) and the shipped ownership
// data: Greenbushes is 26.01% non-party (band 3, 25-50%), controlled by
// Tianqi, under review, with the control chain hop by hop.
func TestOwnershipPages(t *testing.T) {
	reg, a := exampletest.Load(t)
	h := New(Deps{Registry: reg, Agreement: a})
	tests := []pageCase{
		{"/ownership?as_of=2026-08-01", 200, []string{`id="ownership-table"`, `<tr class="np-3" data-facility="greenbushes">`,
			`<a href="/ownership/greenbushes?as_of=2026-08-01">Greenbushes lithium mine</a>`, `<td class="n np">26.01%</td>`,
			`<tr class="np-4" data-facility="kwinana-lioh">`, "<strong>prohibit</strong>", `<style nonce="`, "Illustrative."}, nil},
		{"/ownership?as_of=2026-08-01&country=CD", 200, []string{`data-facility="ICMM07541"`}, []string{`data-facility="greenbushes"`}},
		{"/ownership/greenbushes?as_of=2026-08-01", 200, []string{`<dd id="non-party">26.01%</dd>`, "tianqi (non_party)",
			"rule au-fdi (Art. 15): <strong>review</strong>", `data-kind="control"`, `data-kind="aggregate"`,
			"<td>tlea</td><td class=\"n\">51%</td><td>windfield</td>", "<code>data/ownership/owners.csv:4</code>",
			`<script type="application/json" id="ownership-graph-data">{"facility":"greenbushes"`, `"source":"tlea","target":"windfield","share":"51%"`, `"trigger":"trigger","kinds":["aggregate","control"]`,
			`<h3>Art. 15: Investment screening and right of first refusal</h3>`, `<a href="/ownership" aria-current="page">Ownership</a>`}, []string{" style="}},
		{"/ownership/nowhere?as_of=2026-08-01", 404, []string{`role="alert"`, `no facility &#34;nowhere&#34;`}, nil},
		{"/ownership?as_of=2026-02-30", 400, []string{`aria-invalid="true"`}, []string{"<table"}},
	}
	checkPages(t, h, tests)
}

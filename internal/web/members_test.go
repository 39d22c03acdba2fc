package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"
)

func TestMembersPage(t *testing.T) {
	tests := []pageCase{
		{"/members", 200, []string{`<a href="/members" aria-current="page">Membership</a>`, `id="whatif-table"`, `id="candidates-table"`,
			`<tr data-mineral="lithium">`, `<tr data-mineral="tungsten">`, "the entry into force", `<span id="whatif-before">1</span> countries before, <span id="whatif-after">1</span> after`,
			"Illustrative.", `<script defer src="/static/members.js"></script>`,
			`<td class="n" data-col="held">2/8</td>`, // Australia: Greenbushes and Kwinana, both controlled by Tianqi (CN)
			// mini.yaml's accession criteria: the legend, and Australia's
			// cells (WGI RL 2022 above 0; about half of world lithium).
			`id="criteria-legend"`, `<b>rule-of-law</b> WGI RL ≥ 0 (Art. 1)`,
			`<span class="criterion" data-criterion="rule-of-law" data-status="met"`, `>lithium: met</span>`, `data-status="not_recorded"`,
		}, []string{`class="changed"`}},
		{"/members?as_of=2026-07-01&add=AU,+CL", 200, []string{`<span id="whatif-before">2</span> countries before, <span id="whatif-after">4</span> after`,
			`<tr data-mineral="lithium" class="changed">`}, []string{"the entry into force"}},
		{"/members?add=XX", 400, []string{`id="add" name="add" value="XX"`, `aria-invalid="true"`, `unknown country &#34;XX&#34;`}, []string{`id="whatif-table"`}},
		{"/members?remove=CN", 400, []string{`id="remove" name="remove" value="CN"`, "CN is not in the zone"}, nil},
		{"/members?as_of=2025-06-01", 404, []string{`role="alert"`, "enters into force on 2026-01-01"}, []string{`id="whatif-table"`}},
	}
	h := New(testDeps(t))
	checkPages(t, h, tests)
}

func TestScopePageWarningsAndGroups(t *testing.T) {
	h := New(testDeps(t))
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/scope", nil))
	body, _ := io.ReadAll(w.Body)
	for _, s := range []string{`<h2 id="warnings">Scope warnings</h2>`, `id="scope-warnings-none"`, `<div id="scope-groups">`,
		`<details class="group" data-group="host-aluminum">`, "gallium is a by-product of aluminum", `<mark data-in-scope="lithium">lithium</mark>`} {
		if !strings.Contains(string(body), s) {
			t.Errorf("GET /scope: body lacks %q", s)
		}
	}
}

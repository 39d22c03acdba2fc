package web

import (
	"testing"
)

// TestScopePage renders /scope over mini.yaml (the United States from
// 2026-01-01, Japan from 2026-07-01) and the shipped data: gallium's world EU
// supply risk is the engine's 5.666842, above the EU threshold.
func TestScopePage(t *testing.T) {
	tests := []pageCase{
		{"/scope", 200, []string{
			`<a href="/scope" aria-current="page">Scope</a>`, `id="scope-table"`, "the entry into force", "1 party (US), 1 country",
			`<tr data-mineral="gallium">`, `<td class="n" data-basis="world"><strong>5.67</strong></td>`, "Illustrative.",
			`<tr data-mineral="cesium">`, "not scored:", `<code>group other</code>`, "49 minerals scored",
			`<table class="data compact" id="scope-compare">`, `<tr data-material="lithium" data-agreement="published_only">`, "lithium chemicals not in the shipped tables",
			"Critical and flagged: 22; critical, not flagged: 1; flagged, not critical: 6", "0.507 over 35 materials", "0.381 over 49",
		}, nil},
		{"/scope?as_of=2026-07-01", 200, []string{"2 parties (US, JP), 2 countries"}, []string{"the entry into force"}},
		{"/scope?as_of=2025-06-01", 404, []string{`role="alert"`, "enters into force on 2026-01-01"}, []string{"<table"}},
		{"/scope?as_of=2026-02-30", 400, []string{`aria-invalid="true"`, "not a date of the calendar"}, []string{"<table"}},
	}
	h := New(testDeps(t))
	checkPages(t, h, tests)
}

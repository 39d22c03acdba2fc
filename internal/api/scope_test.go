package api

import "testing"

// The scope routes over mini.yaml (the United States from 2026-01-01, Japan
// from 2026-07-01) join the tables TestRoutes, TestErrors and TestOpenAPI run.
// Gallium's world EU supply risk, 5.666842, is the engine's from the shipped
// MCS 2026 table and WGI 2022 (docs/scope.md).
func init() {
	successCases = append(successCases, scopeCases...)
	errorCases = append(errorCases, scopeErrors...)
}

var scopeCases = []apiCase{
	{name: "scope on the entry into force", target: "/v1/scope", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "as_of", "2026-01-01")
		wantEq(t, b, "as_of_is_entry_into_force", true)
		wantEq(t, b, "parties", []any{"US"})
		wantEq(t, b, "zone", []any{"US"})
		wantLen(t, b, "minerals", 60)
	}},
	{name: "scope of one mineral on one basis", target: "/v1/scope?basis=world&mineral=gallium&as_of=2026-01-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "basis", "world")
		if _, ok := b["as_of_is_entry_into_force"]; ok {
			t.Errorf("as_of given, yet as_of_is_entry_into_force = %v", b["as_of_is_entry_into_force"])
		}
		wantLen(t, b, "minerals", 1)
		g := b["minerals"].([]any)[0].(map[string]any)
		wantEq(t, g, "mineral", "gallium")
		st := g["stages"].([]any)[0].(map[string]any)
		wantEq(t, st, "stage", "processed")
		wantLen(t, st, "bases", 1)
		w := st["bases"].([]any)[0].(map[string]any)
		wantEq(t, w, "basis", "world")
		wantEq(t, w, "eu_supply_risk", 5.666842)
		wantEq(t, w, "usgs_trade_exposure", nil)
		if steps, _ := w["steps"].([]any); len(steps) < 3 {
			t.Errorf("gallium world: %d steps, want hhi_wgi, eu_supply_risk and usgs_disruption_potential", len(steps))
		}
		if in, _ := st["inputs"].([]any); len(in) == 0 {
			t.Errorf("gallium: no inputs")
		}
		if m, _ := st["missing"].([]any); len(m) == 0 {
			t.Errorf("gallium: no missing inputs reported")
		}
	}},
	{name: "scope of the zone after Japan's accession", target: "/v1/scope?basis=zone&as_of=2026-07-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "parties", []any{"US", "JP"})
		wantEq(t, b, "zone", []any{"JP", "US"})
		wantEq(t, b, "countries", 2.0)
	}},
}

var scopeErrors = []apiCase{
	{name: "scope on a bad basis", target: "/v1/scope?basis=eu", status: 400, code: "invalid", field: "basis", message: `basis "eu": want world, us or zone`},
	{name: "scope before entry into force", target: "/v1/scope?as_of=2025-06-01", status: 404, code: "not_found", field: "as_of", message: "enters into force on 2026-01-01"},
	{name: "scope on a bad date", target: "/v1/scope?as_of=2026-02-30", status: 400, code: "invalid", field: "as_of"},
	{name: "scope of an unknown mineral", target: "/v1/scope?mineral=unobtainium", status: 404, code: "not_found", field: "mineral"},
}

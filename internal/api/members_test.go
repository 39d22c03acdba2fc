package api

import "testing"

// The grouping, warning and membership routes over mini.yaml (lithium and
// tungsten in scope; the United States from 2026-01-01, Japan from 2026-07-01) join the
// tables TestRoutes, TestErrors and TestOpenAPI run.
func init() {
	successCases = append(successCases, membersCases...)
	errorCases = append(errorCases, membersErrors...)
}

var membersCases = []apiCase{
	{name: "scope groups", target: "/v1/scope/groups", status: 200, check: func(t *testing.T, b map[string]any) {
		gs, _ := b["groups"].([]any)
		n := 0
		for _, g := range gs {
			n += len(g.(map[string]any)["minerals"].([]any))
		}
		if len(gs) < 10 || n != 60 {
			t.Errorf("%d groups holding %d minerals, want at least 10 groups holding the 60 minerals", len(gs), n)
		}
	}},
	{name: "scope warnings", target: "/v1/scope/warnings?as_of=2026-07-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "as_of", "2026-07-01")
		if _, ok := b["warnings"].([]any); !ok {
			t.Errorf("warnings = %v, want an array", b["warnings"])
		}
	}},
	{name: "members what-if", target: "/v1/members/evaluate?as_of=2026-07-01&add=AU&add=CL", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "countries_before", []any{"JP", "US"})
		wantEq(t, b, "countries_after", []any{"AU", "CL", "JP", "US"})
		wantEq(t, b, "added", []any{"AU", "CL"})
		ms := b["minerals"].([]any)
		if len(ms) != 2 {
			t.Fatalf("%d minerals, want mini.yaml's lithium and tungsten", len(ms))
		}
		m := ms[0].(map[string]any)
		wantEq(t, m, "mineral", "lithium")
		before := m["before"].(map[string]any)["zone_production_share"].(float64)
		after := m["after"].(map[string]any)["zone_production_share"].(float64)
		if after <= before+0.3 {
			t.Errorf("lithium zone share %v → %v, want Australia and Chile to add over 30%% of world production", before, after)
		}
		// mini.yaml's accession criteria: rule of law ≥ 0 and 10% of world
		// lithium production; Australia meets both (WGI RL 2022 about 1.5,
		// about half of world lithium production).
		js := b["joining"].([]any)
		if len(js) != 2 {
			t.Fatalf("joining = %v, want AU and CL", js)
		}
		au := js[0].(map[string]any)
		wantEq(t, au, "country", "AU")
		cs := au["criteria"].([]any)
		if len(cs) != 2 {
			t.Fatalf("AU criteria = %v, want mini.yaml's two", cs)
		}
		for _, c := range cs {
			c := c.(map[string]any)
			wantEq(t, c, "status", "met")
			wantEq(t, c, "basis", "Art. 1")
		}
	}},
	{name: "members what-if, comma-separated", target: "/v1/members/evaluate?add=AU,CL&remove=US", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "countries_after", []any{"AU", "CL"})
	}},
	// mini.yaml's parties record no standards: no pair is compared, and the
	// notes say why rather than showing zeros.
	{name: "members heterogeneity", target: "/v1/members/heterogeneity?as_of=2026-07-01", status: 200, check: func(t *testing.T, b map[string]any) {
		wantEq(t, b, "as_of", "2026-07-01")
		if ps, _ := b["pairs"].([]any); ps == nil || len(ps) != 0 {
			t.Errorf("pairs = %v, want an empty array", b["pairs"])
		}
		if ns, _ := b["notes"].([]any); len(ns) != 2 {
			t.Errorf("notes = %v, want one per party without standards (US, JP)", b["notes"])
		}
	}},
	{name: "members candidates", target: "/v1/members/candidates?as_of=2026-07-01&top=3", status: 200, check: func(t *testing.T, b map[string]any) {
		wantLen(t, b, "candidates", 3)
		wantEq(t, b, "minerals", []any{"lithium", "tungsten"})
		wantEq(t, b, "criteria", []any{"rule-of-law", "lithium"})
		for _, c := range b["candidates"].([]any) {
			if n := len(c.(map[string]any)["criteria"].([]any)); n != 2 {
				t.Errorf("%v: %d criteria, want 2", c.(map[string]any)["country"], n)
			}
		}
	}},
}

var membersErrors = []apiCase{
	{name: "heterogeneity top not a number", target: "/v1/members/heterogeneity?top=x", status: 400, code: "invalid", field: "top", message: "want a whole number"},
	{name: "what-if adding an unknown country", target: "/v1/members/evaluate?add=AU,XX", status: 400, code: "invalid", field: "add[1]", message: `unknown country "XX"`},
	{name: "what-if removing a non-member", target: "/v1/members/evaluate?remove=CN", status: 400, code: "invalid", field: "remove[0]", message: "CN is not in the zone"},
	{name: "what-if before entry into force", target: "/v1/members/evaluate?as_of=2025-01-01", status: 404, code: "not_found", field: "as_of"},
	{name: "candidates, bad top", target: "/v1/members/candidates?top=-1", status: 400, code: "invalid", field: "top"},
	{name: "warnings before entry into force", target: "/v1/scope/warnings?as_of=2025-01-01", status: 404, code: "not_found", field: "as_of"},
}

package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestMembersHeterogeneitySection renders the heterogeneity section of
// /members: over mini.yaml (no party records standards) only the notes, no
// table of zeros; over the example agreement the pairs and the arbitrage
// cells, the US–AR pair differing on EITI (the US withdrew, AR implements).
func TestMembersHeterogeneitySection(t *testing.T) {
	tests := []struct {
		name    string
		deps    Deps
		target  string
		want    []string
		notWant []string
	}{
		{"mini", testDeps(t), "/members?as_of=2026-07-01", []string{`<h2 id="heterogeneity">Regulatory heterogeneity</h2>`, "party US records no standard", "party JP records no standard"},
			[]string{`id="heterogeneity-table"`, `id="arbitrage-table"`}},
	}
	reg, a := exampletest.Load(t)
	tests = append(tests, struct {
		name    string
		deps    Deps
		target  string
		want    []string
		notWant []string
	}{"example", Deps{Registry: reg, Agreement: a}, "/members?as_of=2027-07-01", []string{`id="heterogeneity-table"`, `id="arbitrage-table"`,
		`<tr data-pair="US-AR" data-mineral="lithium">`, "Nordås (2016)", "party UZ records no standard"}, nil})
	for _, tt := range tests {
		w := httptest.NewRecorder()
		New(tt.deps).ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		body, _ := io.ReadAll(w.Body)
		if w.Code != 200 {
			t.Fatalf("%s: GET %s: status %d", tt.name, tt.target, w.Code)
		}
		for _, s := range tt.want {
			if !strings.Contains(string(body), s) {
				t.Errorf("%s: GET %s: body lacks %q", tt.name, tt.target, s)
			}
		}
		for _, s := range tt.notWant {
			if strings.Contains(string(body), s) {
				t.Errorf("%s: GET %s: body has %q", tt.name, tt.target, s)
			}
		}
	}
}

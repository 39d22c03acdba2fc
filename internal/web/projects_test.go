package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/exampletest"
)

// TestProjectsOwnerScreening: each project's owner screening,
// server-rendered on the pipeline page and the project's page under the
// example agreement (mini.yaml has no screening rules).
func TestProjectsOwnerScreening(t *testing.T) {
	d := testDeps(t)
	d.Registry, d.Agreement = exampletest.Load(t)
	d.Data = data.FS
	h := New(d)
	for _, tt := range []struct {
		target string
		status int
		want   []string
	}{
		// Owner screening beside each project, server-rendered: Greenbushes's
		// owner Talison, which Tianqi controls (26.01%), is at review under
		// au-fdi; a deposit without owner_id is not in the register.
		{"/projects?pipeline=busch-lithium-2024&as_of=2026-07-01", 200, []string{`<th scope="col">Owner screening (2026-07-01)</th>`,
			`data-owner-status="screened" data-decision="review"><strong>review (au-fdi); owner talison (party), non-party interest 26.01%, controlled by tianqi (non_party)</strong>`,
			`data-owner-status="owner not in the ownership register" data-decision="">owner not in the ownership register</td>`}},
		{"/projects/busch-13?pipeline=busch-lithium-2024&as_of=2026-07-01", 200, []string{`<tr id="owner-screening" data-status="screened" data-decision="review">`,
			"ownership register: talison", "control, tianqi: review on non-party control (au-fdi)"}},
		{"/projects/busch-9?as_of=2026-07-01", 200, []string{`data-status="owner not in the ownership register" data-decision=""`}},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		if w.Code != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.target, w.Code, tt.status)
		}
		for _, want := range tt.want {
			if !strings.Contains(w.Body.String(), want) {
				t.Errorf("GET %s lacks %q", tt.target, want)
			}
		}
	}
}

// TestProjectsPages serves the projects pages without a session: the
// pipeline's table and its notice are public, the valuations ask to sign
// in, and an unknown project or pipeline is a 404.
func TestProjectsPages(t *testing.T) {
	d := testDeps(t)
	d.Data = data.FS
	h := New(d)
	for _, tt := range []struct {
		target string
		status int
		want   []string
	}{
		{"/projects", 200, []string{`<option value="busch-lithium-2024" selected>`, `<tr data-project="busch-1">`, "Salar de Atacama (SQM)", "derived from Busch et al. (2024)", "Sign in</a> as an analyst to rank", `href="/projects" aria-current="page"`}},
		{"/projects?pipeline=projects-2026&mineral=cobalt", 200, []string{"<strong>Illustrative.</strong>", `<tr data-project="co-mine-cd">`, `data-mineral="cobalt"`}},
		{"/projects/busch-1", 200, []string{"Salar de Atacama (SQM)", "284,549 t a year", "Deposit.csv line 2", "as an analyst to value the project"}},
		{"/projects/nope", 404, []string{"no project"}},
		{"/projects?pipeline=nope", 404, []string{"no pipeline"}},
	} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		body, _ := io.ReadAll(w.Body)
		if w.Code != tt.status {
			t.Errorf("GET %s = %d, want %d", tt.target, w.Code, tt.status)
		}
		for _, s := range tt.want {
			if !strings.Contains(string(body), s) {
				t.Errorf("GET %s lacks %q", tt.target, s)
			}
		}
	}
}

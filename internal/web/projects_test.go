package web

import (
	"io"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
)

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

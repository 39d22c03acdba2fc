package web

import (
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"
)

// TestDesignPage checks the studio's server-rendered half: the served text
// in the page, a fresh CSP nonce per request that the page hands to the
// editor, no 'unsafe-inline', and a malformed ?id= refused.
func TestDesignPage(t *testing.T) {
	h := New(testDeps(t))
	nonces := map[string]bool{}
	for range 2 {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/design", nil))
		if w.Code != http.StatusOK {
			t.Fatalf("GET /design = %d, want 200", w.Code)
		}
		csp := w.Header().Get("Content-Security-Policy")
		m := regexp.MustCompile(`style-src 'self' 'nonce-([0-9a-f]{36})';`).FindStringSubmatch(csp)
		if m == nil || strings.Contains(csp, "unsafe-inline") || !strings.Contains(csp, "default-src 'self'") {
			t.Fatalf("CSP = %q, want default-src 'self' and style-src 'self' with a nonce, no unsafe-inline", csp)
		}
		nonces[m[1]] = true
		body := w.Body.String()
		for _, want := range []string{`data-nonce="` + m[1] + `"`, "Mini agreement for tests", `id="agreement-source"`, `href="/design" aria-current="page">Design`, "/static/vendor/mp-editor-cm6.0.2.min.js", "/static/design.js"} {
			if !strings.Contains(body, want) {
				t.Errorf("GET /design: body lacks %q", want)
			}
		}
	}
	if len(nonces) != 2 {
		t.Errorf("two requests had the nonces %v, want two different ones", nonces)
	}
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/design?id=nothex", nil))
	if w.Code != http.StatusBadRequest {
		t.Errorf("GET /design?id=nothex = %d, want 400", w.Code)
	}
	// Other pages keep the strict policy without a nonce.
	w = httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest("GET", "/", nil))
	if csp := w.Header().Get("Content-Security-Policy"); strings.Contains(csp, "nonce") {
		t.Errorf("GET / CSP = %q, want no nonce", csp)
	}
}

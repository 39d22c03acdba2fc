package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// testDeps returns the real registry and the test agreement mini.yaml.
func testDeps(t testing.TB) Deps {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatalf("registry.Default() = %v", err)
	}
	const file = "../agreement/testdata/mini.yaml"
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load(file, data, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatalf("agreement.Load(%s) = %v", file, err)
	}
	return Deps{Registry: reg, Agreement: a, AgreementFile: file}
}

func TestPages(t *testing.T) {
	tests := []struct {
		target      string
		status      int
		contentType string
		want        []string // substrings of the body
		notWant     []string
	}{
		{"/", 200, "text/html; charset=utf-8", []string{
			`<html lang="en">`, "Mini agreement for tests", `id="illustrative-badge">Illustrative</span>`,
			"1 January 2026", `id="party-count">2</span>`, "1 in force on entry into force", `id="mineral-count">2</span>`,
			"of the 60 USGS critical minerals", `href="/parties"`, `href="/minerals"`, `aria-current="page">Home`, "Data sources",
		}, nil},
		{"/parties", 200, "text/html; charset=utf-8", []string{
			`<label for="as_of">`, `value="2026-01-01"`, `data-party="US"`, "each duty, half up, 2 places", `<abbr title="tariff-rate quota">TRQ</abbr>`,
			"1 party in force on",
		}, []string{`data-party="JP"`}},
		{"/parties?as_of=2027-01-01", 200, "text/html; charset=utf-8", []string{
			`data-party="US"`, `data-party="JP"`, "total, down, 0 places", "amendments applied: A1", "CIF",
		}, nil},
		{"/parties?as_of=2026-13-01", 400, "text/html; charset=utf-8", []string{`aria-invalid="true"`, `role="alert"`, "not a date of the calendar"}, []string{"<table"}},
		{"/parties?as_of=2025-01-01", 404, "text/html; charset=utf-8", []string{"enters into force on 2026-01-01"}, []string{"<table"}},
		{"/minerals", 200, "text/html; charset=utf-8", []string{
			`data-mineral="lithium" data-stage="processed"`, `<code class="hs-code">283691</code> Carbonates; lithium carbonate`, "18.79 %",
			`data-mineral="tungsten" data-stage="mined"`, "negotiated", "band",
			`<tr data-mineral="aluminum">`, "not in scope", "The other 58 of the 60 minerals",
			"USGS figures absent or partial", `<tr data-mcs-gap="uranium">`, "MCS covers nonfuel mineral commodities only",
			`<tr data-mcs-gap="germanium">`, "15 rare earths have figures for the group only",
		}, nil},
		{"/static/style.css", 200, "text/css; charset=utf-8", []string{"font-family"}, nil},
		{"/static/favicon.svg", 200, "image/svg+xml", []string{"<svg"}, nil},
		{"/nowhere", 404, "text/html; charset=utf-8", []string{"there is no page at /nowhere"}, nil},
		{"/static/missing.css", 404, "text/plain; charset=utf-8", nil, nil},
	}
	h := New(testDeps(t))
	for _, tt := range tests {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		body, _ := io.ReadAll(w.Body)
		if w.Code != tt.status {
			t.Errorf("GET %s: status = %d, want %d", tt.target, w.Code, tt.status)
		}
		if ct := w.Header().Get("Content-Type"); ct != tt.contentType {
			t.Errorf("GET %s: Content-Type = %q, want %q", tt.target, ct, tt.contentType)
		}
		for _, s := range tt.want {
			if !strings.Contains(string(body), s) {
				t.Errorf("GET %s: body lacks %q", tt.target, s)
			}
		}
		for _, s := range tt.notWant {
			if strings.Contains(string(body), s) {
				t.Errorf("GET %s: body has %q", tt.target, s)
			}
		}
	}
}

// pageCase is a page asked for and what its answer must hold.
type pageCase struct {
	target        string
	status        int
	want, notWant []string // in the body, and not
}

// checkPages asks h for each case's target and checks the status and body.
func checkPages(t *testing.T, h http.Handler, cases []pageCase) {
	t.Helper()
	for _, tt := range cases {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", tt.target, nil))
		body := w.Body.String()
		if w.Code != tt.status {
			t.Errorf("GET %s: status = %d, want %d", tt.target, w.Code, tt.status)
		}
		for _, s := range tt.want {
			if !strings.Contains(body, s) {
				t.Errorf("GET %s: body lacks %q", tt.target, s)
			}
		}
		for _, s := range tt.notWant {
			if strings.Contains(body, s) {
				t.Errorf("GET %s: body has %q", tt.target, s)
			}
		}
	}
}

// TestNoExternalReferences checks that no template or asset loads anything
// from another host.
func TestNoExternalReferences(t *testing.T) {
	h := New(testDeps(t))
	for _, target := range []string{"/", "/parties", "/minerals", "/static/style.css"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest(http.MethodGet, target, nil))
		for _, bad := range []string{"http://", "https://", "//fonts.", "@import", "url("} {
			if strings.Contains(w.Body.String(), bad) {
				t.Errorf("GET %s: body contains %q", target, bad)
			}
		}
	}
}

// TestInstrumentColumns checks that the parties table has a column for every
// instrument type, in the agreement's order.
func TestInstrumentColumns(t *testing.T) {
	var ids []agreement.InstrumentType
	for _, it := range instrumentTypes {
		ids = append(ids, it.ID)
	}
	if !slices.Equal(ids, agreement.InstrumentTypes) {
		t.Errorf("instrument columns = %v, want %v", ids, agreement.InstrumentTypes)
	}
}

// Package web is mineralpact's portal: server-rendered pages (html/template)
// over the same agreement and registry the API serves. Templates and assets are
// embedded; pages load nothing from another host.
package web

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"log/slog"
	"net/http"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
)

// Deps is what the portal renders from: the services it shares with the
// API. Registry and Agreement are required. The price pages show the
// published Floors and draw their charts with the live Prices engine
// (Backcast, optional, starts the floor-over-time chart a few years before
// the entry into force, marked backcast); the duty calculator (/duty)
// assesses with Assessor and shows the quota balances of Ledger (it
// allocates nothing).
type Deps = service.Services

//go:embed templates/*.html
var templateFS embed.FS

//go:embed static
var staticFS embed.FS

// portal serves the pages; each page is the layout plus its own template.
type portal struct {
	deps  Deps
	pages map[string]*template.Template
	auth  *auth.Authenticator // sessions (signin.go)
}

// Option changes how New builds the portal.
type Option func(*portal)

// WithAuthenticator makes the portal open and check sessions with a, which
// the API shares, so that a sign-out takes effect at once on both. Without
// it New builds one over the Store's tokens.
func WithAuthenticator(a *auth.Authenticator) Option {
	return func(p *portal) { p.auth = a }
}

// pageNames are the templates under templates/ that render a whole page.
var pageNames = []string{"home", "parties", "minerals", "prices", "price", "duty", "scenarios", "scope", "members", "design", "projects", "projects-project", "ownership", "ownership-facility", "signin", "error", "monitor", "monitor-alert"}

// New returns the portal's handler for d. It panics when d lacks the registry
// or the agreement, or when a template does not parse: wiring mistakes found at
// start-up. Its pages are public; signing in (a token, /signin) opens a
// session that the pages' scripts use for the API's analyst routes.
func New(d Deps, opts ...Option) http.Handler {
	if d.Registry == nil || d.Agreement == nil {
		panic("web: New needs a Registry and an Agreement")
	}
	p := &portal{deps: d, pages: map[string]*template.Template{}}
	for _, o := range opts {
		o(p)
	}
	if p.auth == nil {
		p.auth = auth.New(d.Store, time.Now) // the adapter's clock; a nil Store is a nil TokenStore
	}
	for _, name := range pageNames {
		p.pages[name] = template.Must(template.New("layout.html").Funcs(funcs).
			ParseFS(templateFS, "templates/layout.html", "templates/"+name+".html"))
	}
	p.addPages(stockpilePageNames...)
	static, err := fs.Sub(staticFS, "static")
	if err != nil {
		panic(err)
	}
	mux := http.NewServeMux()
	mux.HandleFunc("GET /{$}", p.home)
	mux.HandleFunc("GET /parties", p.parties)
	mux.HandleFunc("GET /minerals", p.minerals)
	mux.HandleFunc("GET /prices", p.prices)
	mux.HandleFunc("GET /prices/{mineral}/{stage}", p.price)
	mux.HandleFunc("GET /duty", p.dutyCalc)
	mux.HandleFunc("GET /scenarios", p.scenarios)
	mux.HandleFunc("GET /scope", p.criticality)
	mux.HandleFunc("GET /members", p.members)
	mux.HandleFunc("GET /design", p.designStudio)
	mux.HandleFunc("GET /projects", p.projectsList)
	mux.HandleFunc("GET /projects/{id}", p.projectOne)
	mux.HandleFunc("GET /ownership", p.ownershipList)
	mux.HandleFunc("GET /ownership/{id}", p.ownershipFacility)
	mux.HandleFunc("GET /monitor", p.monitorPage)
	mux.HandleFunc("GET /monitor/alerts/{id}", p.alertPage)
	mux.HandleFunc("POST /monitor/cases", p.openCaseForm)
	mux.HandleFunc("POST /monitor/cases/{id}/events", p.caseEventForm)
	mux.HandleFunc("GET /stockpiles", p.stockpiles)
	mux.HandleFunc("GET /stockpiles/crisis", p.crisis)
	mux.HandleFunc("GET /signin", p.signinForm)
	mux.HandleFunc("POST /signin", p.signin)
	mux.HandleFunc("POST /signout", p.signout)
	mux.Handle("GET /static/", http.StripPrefix("/static/", staticFiles(static)))
	mux.HandleFunc("/", p.notFound)
	return headers(http.NewCrossOriginProtection().Handler(mux))
}

// policy is the Content-Security-Policy of every answer of the portal:
// scripts and styles from this site only (no inline script anywhere: the
// pages' data travel in data- attributes and application/json blocks), no
// plugins, no <base>, forms posting here only, and no framing by any site.
// A page may add a nonce for inline styles (the design studio's editor).
// policy is the page's Content-Security-Policy, with its style nonce if any.
func policy(nonce string) string {
	styles := "'self'"
	if nonce != "" {
		styles += " 'nonce-" + nonce + "'"
	}
	return "default-src 'self'; img-src 'self' data:; style-src " + styles + "; object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"
}

// headers sets the portal's security headers on every answer, static files
// and errors included; render replaces the policy when a page has a nonce.
func headers(h http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		hd := w.Header()
		hd.Set("Content-Security-Policy", policy(""))
		hd.Set("X-Content-Type-Options", "nosniff")
		hd.Set("X-Frame-Options", "DENY")
		hd.Set("Referrer-Policy", "same-origin")
		hd.Set("Cross-Origin-Opener-Policy", "same-origin")
		h.ServeHTTP(w, r)
	})
}

// staticFiles serves the embedded assets; they change only with the binary,
// so clients may keep them for a day.
func staticFiles(fsys fs.FS) http.Handler {
	files := http.FileServerFS(fsys)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Cache-Control", "public, max-age=86400")
		files.ServeHTTP(w, r)
	})
}

// page is what every page's template receives: the layout's fields and the
// page's own data.
type page struct {
	Title     string // the page's <title> and heading
	Nav       string // the nav entry to mark current
	Agreement *agreement.Agreement
	Data      any
	// Nonce, when set, is the page's CSP nonce for inline <style> elements
	// (the design studio's editor injects them); no other page has one.
	Nonce string
	// Viewer is who the page is for: the signed-in user and the CSRF token
	// of the page's forms and scripts (<meta name="csrf-token">); set by
	// render.
	Viewer viewer
}

// render executes the named page into a buffer first, so that a failing
// template never leaves half a page.
func (p *portal) render(w http.ResponseWriter, r *http.Request, status int, name string, pg page) {
	pg.Agreement = p.deps.Agreement
	pg.Viewer = p.viewerOf(r)
	var buf bytes.Buffer
	if err := p.pages[name].Execute(&buf, pg); err != nil {
		slog.Error("web: rendering a page", "page", name, "path", r.URL.Path, "err", err)
		http.Error(w, "internal error", http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Content-Security-Policy", policy(pg.Nonce))
	if pg.Viewer.User != nil {
		w.Header().Set("Cache-Control", "private, no-store") // a page with the user's name and CSRF token
	}
	w.WriteHeader(status)
	w.Write(buf.Bytes())
}

// errorPage is the data of the error template.
type errorPage struct {
	Status  int
	Message string
}

// statusOf maps an error's code to the status of the page that reports it.
func statusOf(err error) int {
	switch problem.CodeOf(err) {
	case problem.Invalid:
		return http.StatusBadRequest
	case problem.Unauthorized:
		return http.StatusUnauthorized
	case problem.Forbidden:
		return http.StatusForbidden
	case problem.NotFound:
		return http.StatusNotFound
	case problem.Conflict:
		return http.StatusConflict
	}
	return http.StatusInternalServerError
}

// fail renders the error page for err; an internal error is logged and shown
// as "internal error".
func (p *portal) fail(w http.ResponseWriter, r *http.Request, err error) {
	status := statusOf(err)
	msg := messageOf(err)
	if status == http.StatusInternalServerError {
		slog.Error("web: internal error", "path", r.URL.Path, "err", err)
		msg = "internal error"
	}
	p.render(w, r, status, "error", page{Title: http.StatusText(status), Data: errorPage{Status: status, Message: msg}})
}

func (p *portal) notFound(w http.ResponseWriter, r *http.Request) {
	p.fail(w, r, problem.Errorf(problem.NotFound, "there is no page at %s", r.URL.Path))
}

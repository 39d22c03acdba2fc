package web

import (
	"context"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// storeDeps are testDeps over a fresh SQLite store, whose tokens the portal
// checks.
func storeDeps(t testing.TB) (Deps, *sqlite.Store) {
	t.Helper()
	d := testDeps(t)
	st, err := sqlite.Open(context.Background(), filepath.Join(t.TempDir(), "portal.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	d.Store = st
	return d, st
}

// issue returns the secret of a fresh token of role (and party) in st. It is
// the portal tests' one way to get a credential: paste it in /signin (in a
// browser, signIn does so).
func issue(t testing.TB, st auth.TokenStore, role auth.Role, party string) string {
	t.Helper()
	secret, _, err := auth.New(st, time.Now).Issue(context.Background(), "Test "+string(role), role, party, time.Hour, "test")
	if err != nil {
		t.Fatalf("issuing a %s token: %v", role, err)
	}
	return secret
}

// signIn signs the browser in to the portal at base with a token secret
// (issue makes one), as a person does: the sign-in form, then the home page.
// Pages opened afterwards carry the session and their CSRF token, so their
// scripts may call the API's analyst routes.
func signIn(t *testing.T, ctx context.Context, base, secret string) {
	t.Helper()
	within(t, ctx, "open /signin", chromedp.Navigate(base+"/signin"))
	within(t, ctx, "paste the token", chromedp.SetValue(chromedp.ID("token"), secret))
	within(t, ctx, "submit", chromedp.Submit(chromedp.ID("token")))
	within(t, ctx, "signed in", chromedp.WaitVisible(chromedp.CSS(`.who form[action="/signout"]`)))
}

var csrfInput = regexp.MustCompile(`name="csrf" value="([^"]+)"`)

// client is a cookie-keeping client that does not follow redirects.
func client(t *testing.T) *http.Client {
	t.Helper()
	return &http.Client{Jar: newJar(t), CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
}

func newJar(t *testing.T) http.CookieJar {
	j, err := cookiejar.New(nil)
	if err != nil {
		t.Fatal(err)
	}
	return j
}

func body(t *testing.T, resp *http.Response) string {
	t.Helper()
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// TestSignInOut: the form's CSRF token, a bad token, a good one (a session
// cookie HttpOnly and SameSite, not Secure over plain HTTP), the page then
// naming the user with a CSRF meta for the scripts, sign-out refused
// without the CSRF token and done with it.
func TestSignInOut(t *testing.T) {
	d, st := storeDeps(t)
	srv := httptest.NewServer(New(d))
	t.Cleanup(srv.Close)
	c := client(t)
	form := func() string {
		resp, err := c.Get(srv.URL + "/signin")
		if err != nil {
			t.Fatal(err)
		}
		m := csrfInput.FindStringSubmatch(body(t, resp))
		if m == nil {
			t.Fatal("the sign-in form has no CSRF field")
		}
		return m[1]
	}
	post := func(path string, v url.Values) (*http.Response, string) {
		resp, err := c.PostForm(srv.URL+path, v)
		if err != nil {
			t.Fatal(err)
		}
		return resp, body(t, resp)
	}
	secret := issue(t, st, auth.Customs, "US")

	form()
	if resp, _ := post("/signin", url.Values{"csrf": {"forged"}, "token": {secret}}); resp.StatusCode != 403 {
		t.Errorf("sign-in with a forged CSRF token = %d, want 403", resp.StatusCode)
	}
	csrf := form()
	if resp, b := post("/signin", url.Values{"csrf": {csrf}, "token": {"mpt_nonsense"}}); resp.StatusCode != 401 || !strings.Contains(b, "not a mineralpact token") {
		t.Errorf("sign-in with a bad token = %d, want 401 saying so", resp.StatusCode)
	}
	csrf = form()
	resp, _ := post("/signin", url.Values{"csrf": {csrf}, "token": {secret}, "next": {"//evil.example/x"}})
	if resp.StatusCode != 303 || resp.Header.Get("Location") != "/" {
		t.Fatalf("sign-in = %d to %q, want 303 to / (never to another host)", resp.StatusCode, resp.Header.Get("Location"))
	}
	var session *http.Cookie
	for _, k := range resp.Cookies() {
		if k.Name == auth.SessionCookie && k.Value != "" {
			session = k
		}
	}
	if session == nil || !session.HttpOnly || session.SameSite != http.SameSiteLaxMode || session.Secure || session.Path != "/" {
		t.Fatalf("session cookie = %+v, want HttpOnly, SameSite=Lax, Path=/, not Secure over plain HTTP", session)
	}
	resp, err := c.Get(srv.URL + "/")
	if err != nil {
		t.Fatal(err)
	}
	home := body(t, resp)
	want := `<meta name="csrf-token" content="` + auth.CSRF(session.Value) + `">`
	if !strings.Contains(home, "Test customs · customs of US") || !strings.Contains(home, want) || resp.Header.Get("Cache-Control") != "private, no-store" {
		t.Errorf("home page signed in lacks the user, the CSRF meta %s or Cache-Control private", want)
	}
	if resp, _ := post("/signout", url.Values{"csrf": {"forged"}}); resp.StatusCode != 403 {
		t.Errorf("sign-out with a forged CSRF token = %d, want 403", resp.StatusCode)
	}
	if resp, _ := post("/signout", url.Values{"csrf": {auth.CSRF(session.Value)}}); resp.StatusCode != 303 {
		t.Errorf("sign-out = %d, want 303", resp.StatusCode)
	}
	if _, err := auth.New(st, time.Now).Session(context.Background(), session.Value); err == nil {
		t.Errorf("the session still opens after sign-out")
	}
	resp, _ = c.Get(srv.URL + "/")
	if b := body(t, resp); !strings.Contains(b, `href="/signin"`) || strings.Contains(b, "csrf-token") {
		t.Errorf("home page after sign-out still shows a session")
	}
}

// TestSessionCookieSecureOverTLS: over TLS the session cookie is Secure.
func TestSessionCookieSecureOverTLS(t *testing.T) {
	d, st := storeDeps(t)
	srv := httptest.NewTLSServer(New(d))
	t.Cleanup(srv.Close)
	c := srv.Client()
	c.Jar = newJar(t)
	c.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	resp, err := c.Get(srv.URL + "/signin")
	if err != nil {
		t.Fatal(err)
	}
	csrf := csrfInput.FindStringSubmatch(body(t, resp))[1]
	resp, err = c.PostForm(srv.URL+"/signin", url.Values{"csrf": {csrf}, "token": {issue(t, st, auth.Analyst, "")}})
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	for _, k := range resp.Cookies() {
		if k.Name == auth.SessionCookie && (!k.Secure || !k.HttpOnly) {
			t.Errorf("session cookie over TLS = %+v, want Secure and HttpOnly", k)
		}
	}
}

// TestSessionCookieSecureBehindProxy: behind a TLS-terminating proxy
// (serve --behind-proxy) the cookie is Secure when the proxy says the client
// came over https; without the flag that header is anyone's and ignored.
func TestSessionCookieSecureBehindProxy(t *testing.T) {
	for _, behind := range []bool{false, true} {
		d, st := storeDeps(t)
		a := auth.New(st, time.Now)
		a.SetBehindProxy(behind)
		srv := httptest.NewServer(New(d, WithAuthenticator(a)))
		t.Cleanup(srv.Close)
		c := client(t)
		do := func(method, target string, form url.Values) *http.Response {
			var rd io.Reader
			if form != nil {
				rd = strings.NewReader(form.Encode())
			}
			req, _ := http.NewRequest(method, srv.URL+target, rd)
			if form != nil {
				req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
			}
			req.Header.Set("X-Forwarded-Proto", "https")
			req.Header.Set("X-Forwarded-For", "203.0.113.7")
			resp, err := c.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			return resp
		}
		csrf := csrfInput.FindStringSubmatch(body(t, do("GET", "/signin", nil)))[1]
		resp := do("POST", "/signin", url.Values{"csrf": {csrf}, "token": {issue(t, st, auth.Analyst, "")}})
		resp.Body.Close()
		found := false
		for _, k := range resp.Cookies() {
			if k.Name == auth.SessionCookie {
				found = true
				if k.Secure != behind {
					t.Errorf("behind a proxy %v: session cookie Secure = %v; want %v", behind, k.Secure, behind)
				}
			}
		}
		if !found {
			t.Errorf("behind a proxy %v: no session cookie (%d)", behind, resp.StatusCode)
		}
	}
}

// TestCrossSiteForm: a form posted from another site is refused before it
// is read (Go's CrossOriginProtection, besides the CSRF tokens).
func TestCrossSiteForm(t *testing.T) {
	d, _ := storeDeps(t)
	h := New(d)
	req := httptest.NewRequest("POST", "/signout", strings.NewReader("csrf=x"))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Sec-Fetch-Site", "cross-site")
	req.Header.Set("Origin", "https://evil.example")
	w := httptest.NewRecorder()
	h.ServeHTTP(w, req)
	if w.Code != http.StatusForbidden {
		t.Errorf("cross-site POST /signout = %d, want 403", w.Code)
	}
}

// TestSecurityHeaders: every answer of the portal, pages, assets and
// errors, forbids framing and sniffing, and its policy allows no inline
// script.
func TestSecurityHeaders(t *testing.T) {
	h := New(testDeps(t))
	for _, target := range []string{"/", "/prices", "/signin", "/static/style.css", "/static/scenarios.js", "/no-such-page"} {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", target, nil))
		csp := w.Header().Get("Content-Security-Policy")
		for _, want := range []string{"default-src 'self'", "frame-ancestors 'none'", "object-src 'none'", "base-uri 'none'"} {
			if !strings.Contains(csp, want) {
				t.Errorf("GET %s: CSP %q lacks %s", target, csp, want)
			}
		}
		if strings.Contains(csp, "unsafe-inline") || strings.Contains(csp, "unsafe-eval") || strings.Contains(csp, "script-src") {
			t.Errorf("GET %s: CSP %q allows more script than default-src 'self'", target, csp)
		}
		if w.Header().Get("X-Content-Type-Options") != "nosniff" || w.Header().Get("X-Frame-Options") != "DENY" {
			t.Errorf("GET %s: X-Content-Type-Options %q, X-Frame-Options %q; want nosniff, DENY", target, w.Header().Get("X-Content-Type-Options"), w.Header().Get("X-Frame-Options"))
		}
	}
}

// TestNoInlineScript: no template has an inline script (only data blocks
// of type application/json and scripts with a src) or an event-handler
// attribute, which the policy would block.
func TestNoInlineScript(t *testing.T) {
	entries, err := templateFS.ReadDir("templates")
	if err != nil {
		t.Fatal(err)
	}
	script := regexp.MustCompile(`<script\b[^>]*>`)
	handler := regexp.MustCompile(`\son[a-z]+\s*=`)
	for _, e := range entries {
		b, _ := templateFS.ReadFile("templates/" + e.Name())
		for _, tag := range script.FindAllString(string(b), -1) {
			if !strings.Contains(tag, " src=") && !strings.Contains(tag, `type="application/json"`) {
				t.Errorf("%s: inline script %s", e.Name(), tag)
			}
		}
		if m := handler.FindString(string(b)); m != "" {
			t.Errorf("%s: event-handler attribute %q", e.Name(), m)
		}
	}
}

package web

import (
	"crypto/rand"
	"crypto/subtle"
	"encoding/base64"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Sign-in is by token: a user is a named token holder, and pasting the
// token opens a server-side session. The session lives in the store as the
// SHA-256 of the cookie's random value, not in a signed cookie: every node
// over one PostgreSQL sees it without sharing a signing key, signing out or
// revoking the token ends it for real (a signed cookie stays valid until
// it expires), and a copy of the database opens no session.
const (
	// preSessionCookie carries the sign-in form's CSRF token (double
	// submit) before there is a session to derive one from.
	preSessionCookie = "mp_csrf"
	// csrfField is the CSRF token's name in every form.
	csrfField = "csrf"
)

// viewer is who a page is rendered for: the principal, and the CSRF token
// its forms carry (empty for the public).
type viewer struct {
	User *auth.Principal
	CSRF string
}

// viewerOf reads the session cookie of r; a missing or ended session is the
// public.
func (p *portal) viewerOf(r *http.Request) viewer {
	c, err := r.Cookie(auth.SessionCookie)
	if err != nil || c.Value == "" {
		return viewer{}
	}
	pr, err := p.auth.Session(r.Context(), c.Value)
	if err != nil {
		return viewer{}
	}
	return viewer{User: &pr, CSRF: auth.CSRF(c.Value)}
}

// signinData is the sign-in page.
type signinData struct {
	CSRF    string
	Next    string
	Message string
}

// cookie returns a cookie of the portal: HttpOnly, SameSite=Lax (a link
// from another site still arrives signed in; every change also needs the
// CSRF token), Secure when the request came over TLS (to this server, or to
// the proxy in front of it: serve --behind-proxy), for the whole site.
func (p *portal) cookie(r *http.Request, name, value string, expires time.Time) *http.Cookie {
	c := &http.Cookie{Name: name, Value: value, Path: "/", HttpOnly: true, SameSite: http.SameSiteLaxMode, Secure: p.auth.OverTLS(r)}
	if expires.IsZero() {
		c.MaxAge = -1
	} else {
		c.Expires = expires
	}
	return c
}

// signinForm shows the sign-in form, with a fresh pre-session CSRF cookie.
func (p *portal) signinForm(w http.ResponseWriter, r *http.Request) {
	p.renderSignin(w, r, http.StatusOK, "", localPath(r.URL.Query().Get("next")))
}

func (p *portal) renderSignin(w http.ResponseWriter, r *http.Request, status int, msg, next string) {
	var b [24]byte
	rand.Read(b[:])
	token := base64.RawURLEncoding.EncodeToString(b[:])
	http.SetCookie(w, p.cookie(r, preSessionCookie, token, time.Now().Add(time.Hour)))
	w.Header().Set("Cache-Control", "no-store")
	p.render(w, r, status, "signin", page{Title: "Sign in", Nav: "signin", Data: signinData{CSRF: token, Next: next, Message: msg}})
}

// signin opens a session for the token pasted in the form.
func (p *portal) signin(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	if err := r.ParseForm(); err != nil {
		p.renderSignin(w, r, http.StatusBadRequest, "the form could not be read", "")
		return
	}
	next := localPath(r.PostForm.Get("next"))
	pre, err := r.Cookie(preSessionCookie)
	if err != nil || !sameToken(pre.Value, r.PostForm.Get(csrfField)) {
		p.renderSignin(w, r, http.StatusForbidden, "the form expired or came from another site; sign in again", next)
		return
	}
	secret := strings.TrimSpace(r.PostForm.Get("token"))
	value, _, expires, err := p.auth.SignInFrom(r.Context(), p.auth.ClientOf(r), secret)
	if err != nil {
		var status int
		switch problem.CodeOf(err) {
		case problem.Unauthorized:
			status = http.StatusUnauthorized
		case problem.TooMany:
			status = http.StatusTooManyRequests
		default:
			p.fail(w, r, err)
			return
		}
		p.renderSignin(w, r, status, messageOf(err), next)
		return
	}
	http.SetCookie(w, p.cookie(r, preSessionCookie, "", time.Time{}))
	http.SetCookie(w, p.cookie(r, auth.SessionCookie, value, expires))
	http.Redirect(w, r, next, http.StatusSeeOther)
}

// signout ends the session; the form must carry the session's CSRF token.
func (p *portal) signout(w http.ResponseWriter, r *http.Request) {
	r.Body = http.MaxBytesReader(w, r.Body, 8<<10)
	c, err := r.Cookie(auth.SessionCookie)
	if err != nil || c.Value == "" {
		http.Redirect(w, r, "/", http.StatusSeeOther)
		return
	}
	if err := r.ParseForm(); err != nil || !auth.CheckCSRF(c.Value, r.PostForm.Get(csrfField)) {
		p.fail(w, r, problem.Errorf(problem.Forbidden, "the sign-out form expired or came from another site; use the Sign out button of a page of this portal"))
		return
	}
	if err := p.auth.SignOut(r.Context(), c.Value); err != nil {
		p.fail(w, r, err)
		return
	}
	http.SetCookie(w, p.cookie(r, auth.SessionCookie, "", time.Time{}))
	http.Redirect(w, r, "/", http.StatusSeeOther)
}

// localPath keeps a redirect on this site: a path, never a URL to another
// host ("//evil.example" included); anything else is the home page.
func localPath(s string) string {
	u, err := url.Parse(s)
	if s == "" || err != nil || u.IsAbs() || u.Host != "" || !strings.HasPrefix(s, "/") || strings.HasPrefix(s, "//") || strings.HasPrefix(s, "/\\") {
		return "/"
	}
	return s
}

func sameToken(a, b string) bool {
	return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1
}

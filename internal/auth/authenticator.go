package auth

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Clock is the time an authenticator checks expiry against; the adapter
// passes time.Now, tests a fixed or stepped clock.
type Clock func() time.Time

// CacheTTL is how long a verified token or session is trusted without asking
// the store again. It bounds revocation: a token revoked on one node (or
// with `mineralpact token revoke` against the store) is refused by every
// node within CacheTTL; the node that revokes it through its Authenticator
// forgets it at once.
const CacheTTL = 5 * time.Second

// The portal's credentials: a session cookie and, on each change made with
// it, the session's CSRF token in a header (the portal's scripts read it from
// the page's <meta name="csrf-token">) or a form field.
const (
	// SessionCookie is the session cookie package web sets and package api
	// reads.
	SessionCookie = "mp_session"
	// CSRFHeader carries the CSRF token on a change made from a script.
	CSRFHeader = "X-CSRF-Token"
)

// SessionTTL is how long a portal session lasts at most; it never outlives
// its token.
const SessionTTL = 12 * time.Hour

// Authenticator turns credentials into principals: API tokens (Bearer) and
// portal sessions (a cookie). It keeps verified tokens and sessions for
// CacheTTL, so that the hot path does no store round trip. It is safe for
// concurrent use.
type Authenticator struct {
	store TokenStore // nil: no credential is recognised
	now   Clock
	ttl   time.Duration

	mu       sync.RWMutex
	tokens   map[string]cachedToken   // by token id
	sessions map[[32]byte]cachedToken // by the hash of the session cookie

	throttle    throttle // failed credentials per client (throttle.go)
	behindProxy bool     // requests come through a reverse proxy (client.go)
}

// cachedToken is a verified credential: the hash it must match, the
// principal, when it stops being valid and when the store was last asked.
type cachedToken struct {
	hash      []byte // the token's hash; unused for sessions (the key is the hash)
	p         Principal
	expiresAt time.Time
	checked   time.Time
}

// New returns an authenticator over st (nil: every credential is refused)
// reading now for expiry.
func New(st TokenStore, now Clock) *Authenticator {
	if now == nil {
		panic("auth: New needs a clock")
	}
	return &Authenticator{store: st, now: now, ttl: CacheTTL, tokens: map[string]cachedToken{}, sessions: map[[32]byte]cachedToken{}}
}

// Store is the token store, or nil.
func (a *Authenticator) Store() TokenStore { return a.store }

// Now is the authenticator's clock.
func (a *Authenticator) Now() time.Time { return a.now() }

// unauthorized is the one refusal of a credential; the message says what to
// do, never whether a token id exists.
func unauthorized(format string, args ...any) error {
	return problem.Errorf(problem.Unauthorized, format, args...)
}

var errNoStore = unauthorized("this server has no token store: no credential can be checked")

// Token returns the principal of a bearer token's secret.
func (a *Authenticator) Token(ctx context.Context, secret string) (Principal, error) {
	id, ok := ParseSecret(secret)
	if !ok {
		return Principal{}, unauthorized("the bearer token is not a mineralpact token (mpt_…)")
	}
	if a.store == nil {
		return Principal{}, errNoStore
	}
	h := Hash(secret)
	now := a.now()
	a.mu.RLock()
	c, hit := a.tokens[id]
	a.mu.RUnlock()
	if !hit || now.Sub(c.checked) >= a.ttl || now.Before(c.checked) {
		t, err := a.store.GetToken(ctx, id)
		if problem.CodeOf(err) == problem.NotFound {
			return Principal{}, unauthorized("the bearer token is not recognised")
		}
		if err != nil {
			return Principal{}, err
		}
		if !sameHash(t.Hash, h) {
			return Principal{}, unauthorized("the bearer token is not recognised")
		}
		if err := usable(t, now); err != nil {
			a.forget(id)
			return Principal{}, err
		}
		c = cachedToken{hash: t.Hash, p: t.Principal(), expiresAt: t.ExpiresAt, checked: now}
		a.mu.Lock()
		a.tokens[id] = c
		a.mu.Unlock()
	}
	if !sameHash(c.hash, h) {
		return Principal{}, unauthorized("the bearer token is not recognised")
	}
	if !now.Before(c.expiresAt) {
		return Principal{}, unauthorized("the token %s expired at %s; ask an administrator for a new one", id, c.expiresAt.UTC().Format(time.RFC3339))
	}
	return c.p, nil
}

// usable refuses a revoked or expired token.
func usable(t Token, now time.Time) error {
	if t.Revoked() {
		return unauthorized("the token %s was revoked at %s", t.ID, t.RevokedAt.UTC().Format(time.RFC3339))
	}
	if !now.Before(t.ExpiresAt) {
		return unauthorized("the token %s expired at %s; ask an administrator for a new one", t.ID, t.ExpiresAt.UTC().Format(time.RFC3339))
	}
	return nil
}

// Issue creates a token for name with role (and party, for a customs
// officer) valid for ttl, stores its hash and returns the secret: the only
// time it is ever shown.
func (a *Authenticator) Issue(ctx context.Context, name string, role Role, party string, ttl time.Duration, by string) (secret string, t Token, err error) {
	if a.store == nil {
		return "", Token{}, errNoStore
	}
	if err := CheckGrant(name, role, party, ttl); err != nil {
		return "", Token{}, err
	}
	secret, id, err := NewSecret()
	if err != nil {
		return "", Token{}, err
	}
	now := a.now()
	t = Token{ID: id, Hash: Hash(secret), Name: name, Role: role, Party: party, CreatedAt: now, ExpiresAt: now.Add(ttl), CreatedBy: by}
	if err := a.store.PutToken(ctx, t); err != nil {
		return "", Token{}, err
	}
	return secret, t, nil
}

// MaxTTL is the longest a token may live: a year, so that a forgotten token
// dies on its own.
const MaxTTL = 366 * 24 * time.Hour

// CheckGrant checks what a token is to carry: a name, a role, a party exactly
// for a customs officer, a lifetime from a minute to MaxTTL.
func CheckGrant(name string, role Role, party string, ttl time.Duration) error {
	switch {
	case strings.TrimSpace(name) == "" || len(name) > 200:
		return &problem.Error{Code: problem.Invalid, Field: "name", Message: "a token needs the name of its holder (at most 200 bytes)"}
	case !ValidRole(role):
		return &problem.Error{Code: problem.Invalid, Field: "role", BadValue: string(role), Message: fmt.Sprintf("role %q: want one of analyst, customs, secretariat, administrator", role)}
	case role.NeedsParty() && party == "":
		return &problem.Error{Code: problem.Invalid, Field: "party", Message: "a customs officer's token names the party it acts for (--party US)"}
	case !role.NeedsParty() && party != "":
		return &problem.Error{Code: problem.Invalid, Field: "party", Message: fmt.Sprintf("only a customs officer's token names a party, not a %s's", role)}
	case ttl < time.Minute || ttl > MaxTTL:
		return &problem.Error{Code: problem.Invalid, Field: "expires_in", Message: fmt.Sprintf("a token lives from a minute to %d days, not %v", int(MaxTTL.Hours()/24), ttl)}
	}
	return nil
}

// ValidRole reports whether r is a role a token may carry.
func ValidRole(r Role) bool {
	_, err := ParseRole(string(r))
	return err == nil && Role(strings.ToLower(string(r))) == r
}

// Revoke revokes the token with id, by by (who, in the audit trail), and
// forgets it (and, with the store, its sessions) at once on this node; other
// nodes refuse it within CacheTTL.
func (a *Authenticator) Revoke(ctx context.Context, id, by string) (Token, error) {
	if a.store == nil {
		return Token{}, errNoStore
	}
	t, err := a.store.RevokeToken(ctx, id, a.now(), by)
	if err != nil {
		return Token{}, err
	}
	a.forget(id)
	return t, nil
}

func (a *Authenticator) forget(id string) {
	a.mu.Lock()
	delete(a.tokens, id)
	for k, c := range a.sessions {
		if c.p.TokenID == id {
			delete(a.sessions, k)
		}
	}
	a.mu.Unlock()
}

// sessionBytes is the randomness of a session cookie (256 bits).
const sessionBytes = 32

// SignIn opens a portal session for the holder of a token secret and
// returns the cookie's value. The store keeps only its hash, so a copy of
// the database opens no session.
func (a *Authenticator) SignIn(ctx context.Context, secret string) (cookie string, p Principal, expires time.Time, err error) {
	p, err = a.Token(ctx, secret)
	if err != nil {
		return "", Principal{}, time.Time{}, err
	}
	t, err := a.store.GetToken(ctx, p.TokenID)
	if err != nil {
		return "", Principal{}, time.Time{}, err
	}
	var b [sessionBytes]byte
	if _, err := randRead(b[:]); err != nil {
		return "", Principal{}, time.Time{}, err
	}
	cookie = base64.RawURLEncoding.EncodeToString(b[:])
	now := a.now()
	expires = earlier(now.Add(SessionTTL), t.ExpiresAt)
	h := sha256.Sum256([]byte(cookie))
	if err := a.store.PutSession(ctx, Session{Hash: h[:], TokenID: t.ID, CreatedAt: now, ExpiresAt: expires}); err != nil {
		return "", Principal{}, time.Time{}, err
	}
	p.Session = true
	return cookie, p, expires, nil
}

// errNoSession is a session cookie that opens nothing.
var errNoSession = unauthorized("the session has ended; sign in again at /signin")

// Session returns the principal of a portal session cookie's value.
func (a *Authenticator) Session(ctx context.Context, cookie string) (Principal, error) {
	if a.store == nil {
		return Principal{}, errNoStore
	}
	if len(cookie) != base64.RawURLEncoding.EncodedLen(sessionBytes) {
		return Principal{}, errNoSession
	}
	key := sha256.Sum256([]byte(cookie))
	now := a.now()
	a.mu.RLock()
	c, hit := a.sessions[key]
	a.mu.RUnlock()
	if !hit || now.Sub(c.checked) >= a.ttl || now.Before(c.checked) {
		s, err := a.store.GetSession(ctx, key[:])
		if problem.CodeOf(err) == problem.NotFound {
			return Principal{}, errNoSession
		}
		if err != nil {
			return Principal{}, err
		}
		t, err := a.store.GetToken(ctx, s.TokenID)
		if problem.CodeOf(err) == problem.NotFound {
			return Principal{}, errNoSession
		}
		if err != nil {
			return Principal{}, err
		}
		if err := usable(t, now); err != nil {
			return Principal{}, err
		}
		p := t.Principal()
		p.Session = true
		c = cachedToken{p: p, expiresAt: earlier(s.ExpiresAt, t.ExpiresAt), checked: now}
		a.mu.Lock()
		a.sessions[key] = c
		a.mu.Unlock()
	}
	if !now.Before(c.expiresAt) {
		return Principal{}, errNoSession
	}
	return c.p, nil
}

// SignOut ends the session of a cookie's value, on this node at once and in
// the store; ending an unknown session is no error.
func (a *Authenticator) SignOut(ctx context.Context, cookie string) error {
	if a.store == nil {
		return nil
	}
	key := sha256.Sum256([]byte(cookie))
	a.mu.Lock()
	delete(a.sessions, key)
	a.mu.Unlock()
	err := a.store.DeleteSession(ctx, key[:])
	if problem.CodeOf(err) == problem.NotFound {
		return nil
	}
	return err
}

// CSRF is the anti-forgery token of a session: derived from the session
// cookie's secret value (SHA-256 with a label), so it needs no storage, and
// a page from another site, which cannot read the cookie, cannot compute it.
// Every form of the portal carries it, and every state-changing request made
// with a session (not a bearer token) must send it back.
func CSRF(cookie string) string {
	h := sha256.Sum256([]byte("mineralpact csrf\x00" + cookie))
	return base64.RawURLEncoding.EncodeToString(h[:])
}

// CheckCSRF reports, in constant time, whether given is the CSRF token of
// the session cookie's value.
func CheckCSRF(cookie, given string) bool {
	if cookie == "" || given == "" {
		return false
	}
	return sameHash([]byte(CSRF(cookie)), []byte(given))
}

func earlier(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

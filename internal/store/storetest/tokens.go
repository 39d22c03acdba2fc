package storetest

import (
	"bytes"
	"crypto/sha256"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var tokenTests = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"token roundtrip and list", testTokenRoundtrip},
	{"token revoke ends sessions", testTokenRevoke},
	{"token conflict, not found, invalid", testTokenErrors},
	{"session lifecycle", testSessionLifecycle},
	{"authenticator over the store", testAuthenticator},
}

func token(id string, role auth.Role, party string, at time.Time) auth.Token {
	h := sha256.Sum256([]byte("secret of " + id))
	return auth.Token{ID: id, Hash: h[:], Name: "holder of " + id, Role: role, Party: party,
		CreatedAt: at, ExpiresAt: at.Add(90 * 24 * time.Hour), CreatedBy: "storetest"}
}

func sameToken(a, b auth.Token) bool {
	return a.ID == b.ID && bytes.Equal(a.Hash, b.Hash) && a.Name == b.Name && a.Role == b.Role && a.Party == b.Party &&
		a.CreatedAt.Equal(store.Time(b.CreatedAt)) && a.ExpiresAt.Equal(store.Time(b.ExpiresAt)) &&
		a.RevokedAt.Equal(store.Time(b.RevokedAt)) && a.CreatedBy == b.CreatedBy
}

// testTokenRoundtrip: a token reads back as put (times to the store's
// precision), and the list is ordered by creation then id.
func testTokenRoundtrip(t *testing.T, s store.Store) {
	a := token("tok_00000000000000b2", auth.Customs, "US", base)
	b := token("tok_00000000000000a1", auth.Analyst, "", base)
	c := token("tok_0000000000000000", auth.Administrator, "", base.Add(-time.Hour))
	for _, x := range []auth.Token{a, b, c} {
		if err := s.PutToken(ctx(t), x); err != nil {
			t.Fatalf("PutToken(%s) error: %v", x.ID, err)
		}
	}
	got, err := s.GetToken(ctx(t), a.ID)
	if err != nil || !sameToken(got, a) {
		t.Errorf("GetToken(%s) = %+v, %v; want %+v", a.ID, got, err, a)
	}
	list, err := s.ListTokens(ctx(t))
	if err != nil {
		t.Fatalf("ListTokens error: %v", err)
	}
	var ids []string
	for _, x := range list {
		ids = append(ids, x.ID)
	}
	if want := []string{c.ID, b.ID, a.ID}; len(ids) != 3 || ids[0] != want[0] || ids[1] != want[1] || ids[2] != want[2] {
		t.Errorf("ListTokens ids = %v, want %v (by creation, then id)", ids, want)
	}
}

// testTokenRevoke: revoking sets the time once, deletes the token's
// sessions and keeps the token (the audit trail names it).
func testTokenRevoke(t *testing.T, s store.Store) {
	a := token("tok_0000000000000001", auth.Secretariat, "", base)
	if err := s.PutToken(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	h := sha256.Sum256([]byte("cookie"))
	if err := s.PutSession(ctx(t), auth.Session{Hash: h[:], TokenID: a.ID, CreatedAt: base, ExpiresAt: base.Add(time.Hour)}); err != nil {
		t.Fatalf("PutSession error: %v", err)
	}
	got, err := s.RevokeToken(ctx(t), a.ID, base.Add(time.Minute), "storetest")
	if err != nil || !got.RevokedAt.Equal(store.Time(base.Add(time.Minute))) {
		t.Fatalf("RevokeToken = %+v, %v; want revoked at %v", got, err, base.Add(time.Minute))
	}
	again, err := s.RevokeToken(ctx(t), a.ID, base.Add(time.Hour), "storetest")
	if err != nil || !again.RevokedAt.Equal(got.RevokedAt) {
		t.Errorf("RevokeToken again = %+v, %v; want the first revocation time kept", again, err)
	}
	if _, err := s.GetSession(ctx(t), h[:]); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("GetSession after revocation error = %v, want not_found", err)
	}
	if got, err := s.GetToken(ctx(t), a.ID); err != nil || !got.Revoked() {
		t.Errorf("GetToken after revocation = %+v, %v; want the token kept, revoked", got, err)
	}
}

func testTokenErrors(t *testing.T, s store.Store) {
	a := token("tok_0000000000000002", auth.Analyst, "", base)
	if err := s.PutToken(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	if err := s.PutToken(ctx(t), a); problem.CodeOf(err) != problem.Conflict {
		t.Errorf("PutToken twice error = %v, want conflict", err)
	}
	if _, err := s.GetToken(ctx(t), "tok_ffffffffffffffff"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("GetToken(unknown) error = %v, want not_found", err)
	}
	if _, err := s.RevokeToken(ctx(t), "tok_ffffffffffffffff", base, "storetest"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("RevokeToken(unknown) error = %v, want not_found", err)
	}
	bad := []auth.Token{
		token("tok_short", auth.Analyst, "", base),
		token("tok_0000000000000003", auth.Customs, "", base),   // customs without a party
		token("tok_0000000000000004", auth.Analyst, "US", base), // a party on another role
		token("tok_0000000000000005", auth.Public, "", base),    // public is not a token's role
		func() auth.Token {
			x := token("tok_0000000000000006", auth.Analyst, "", base)
			x.Hash = x.Hash[:16]
			return x
		}(),
		func() auth.Token {
			x := token("tok_0000000000000007", auth.Analyst, "", base)
			x.ExpiresAt = base
			return x
		}(),
	}
	for _, x := range bad {
		if err := s.PutToken(ctx(t), x); problem.CodeOf(err) != problem.Invalid {
			t.Errorf("PutToken(%+v) error = %v, want invalid", x, err)
		}
	}
	h := sha256.Sum256([]byte("orphan"))
	if err := s.PutSession(ctx(t), auth.Session{Hash: h[:], TokenID: "tok_ffffffffffffffff", CreatedAt: base, ExpiresAt: base.Add(time.Hour)}); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("PutSession(unknown token) error = %v, want not_found", err)
	}
}

// testSessionLifecycle: a session reads back, is deleted on sign-out, and
// expired sessions are dropped when a new one is stored.
func testSessionLifecycle(t *testing.T, s store.Store) {
	a := token("tok_0000000000000008", auth.Analyst, "", base)
	if err := s.PutToken(ctx(t), a); err != nil {
		t.Fatal(err)
	}
	old := sha256.Sum256([]byte("old"))
	cur := sha256.Sum256([]byte("current"))
	if err := s.PutSession(ctx(t), auth.Session{Hash: old[:], TokenID: a.ID, CreatedAt: base, ExpiresAt: base.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	later := base.Add(2 * time.Hour)
	if err := s.PutSession(ctx(t), auth.Session{Hash: cur[:], TokenID: a.ID, CreatedAt: later, ExpiresAt: later.Add(time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if _, err := s.GetSession(ctx(t), old[:]); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("GetSession(expired) error = %v, want not_found (dropped when a session was stored after its expiry)", err)
	}
	got, err := s.GetSession(ctx(t), cur[:])
	if err != nil || got.TokenID != a.ID || !bytes.Equal(got.Hash, cur[:]) || !got.ExpiresAt.Equal(store.Time(later.Add(time.Hour))) {
		t.Errorf("GetSession = %+v, %v; want the session as put", got, err)
	}
	if err := s.DeleteSession(ctx(t), cur[:]); err != nil {
		t.Fatalf("DeleteSession error: %v", err)
	}
	if err := s.DeleteSession(ctx(t), cur[:]); err != nil {
		t.Errorf("DeleteSession twice error = %v, want none", err)
	}
	if _, err := s.GetSession(ctx(t), cur[:]); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("GetSession(deleted) error = %v, want not_found", err)
	}
}

// testAuthenticator: package auth over the store: a token issued is
// recognised, its secret is not stored, a revoked one is refused at once on
// the node that revoked it, an expired one when its time is up, and a
// session follows its token.
func testAuthenticator(t *testing.T, s store.Store) {
	now := base
	a := auth.New(s, func() time.Time { return now })
	secret, tok, err := a.Issue(ctx(t), "Customs officer", auth.Customs, "US", time.Hour, "storetest")
	if err != nil {
		t.Fatalf("Issue error: %v", err)
	}
	stored, _ := s.GetToken(ctx(t), tok.ID)
	if bytes.Contains(stored.Hash, []byte(secret)) || !bytes.Equal(stored.Hash, auth.Hash(secret)) {
		t.Errorf("stored hash = %x, want SHA-256 of the secret", stored.Hash)
	}
	p, err := a.Token(ctx(t), secret)
	if err != nil || p.Role != auth.Customs || p.Party != "US" || p.TokenID != tok.ID {
		t.Fatalf("Token = %+v, %v; want the customs officer of US", p, err)
	}
	cookie, _, _, err := a.SignIn(ctx(t), secret)
	if err != nil {
		t.Fatalf("SignIn error: %v", err)
	}
	if p, err := a.Session(ctx(t), cookie); err != nil || p.TokenID != tok.ID || !p.Session {
		t.Errorf("Session = %+v, %v; want the token's principal", p, err)
	}
	// another node (its own cache) sees the revocation within auth.CacheTTL
	other := auth.New(s, func() time.Time { return now })
	if _, err := other.Token(ctx(t), secret); err != nil {
		t.Fatal(err)
	}
	if _, err := a.Revoke(ctx(t), tok.ID, "storetest"); err != nil {
		t.Fatalf("Revoke error: %v", err)
	}
	if _, err := a.Token(ctx(t), secret); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Token after revocation error = %v, want unauthorized at once", err)
	}
	if _, err := a.Session(ctx(t), cookie); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Session after revocation error = %v, want unauthorized", err)
	}
	now = now.Add(auth.CacheTTL)
	if _, err := other.Token(ctx(t), secret); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("another node's Token %v after revocation error = %v, want unauthorized", auth.CacheTTL, err)
	}
	// expiry
	secret2, _, err := a.Issue(ctx(t), "Analyst", auth.Analyst, "", time.Hour, "storetest")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := a.Token(ctx(t), secret2); err != nil {
		t.Fatal(err)
	}
	now = now.Add(time.Hour)
	if _, err := a.Token(ctx(t), secret2); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Token after expiry error = %v, want unauthorized", err)
	}
	// a wrong secret with a real id
	wrong := secret2[:len(secret2)-4] + "AAAA"
	if _, err := a.Token(ctx(t), wrong); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Token(wrong secret) error = %v, want unauthorized", err)
	}
}

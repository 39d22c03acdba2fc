package auth

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestSecret(t *testing.T) {
	secret, id, err := NewSecret()
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(secret, "mpt_") || len(secret) != secretLen {
		t.Errorf("NewSecret() = %q, want mpt_ and %d characters", secret, secretLen)
	}
	if got, ok := ParseSecret(secret); !ok || got != id || !ValidID(id) {
		t.Errorf("ParseSecret(%q) = %q, %v; want %q", secret, got, ok, id)
	}
	other, _, _ := NewSecret()
	if other == secret {
		t.Errorf("two secrets are equal: %q", secret)
	}
	for _, bad := range []string{"", "Bearer x", secret[:len(secret)-1], strings.Replace(secret, "mpt_", "mpx_", 1), "mpt_ZZZZZZZZZZZZZZZZ" + secret[20:]} {
		if _, ok := ParseSecret(bad); ok {
			t.Errorf("ParseSecret(%q) ok, want refused", bad)
		}
	}
}

func TestCSRF(t *testing.T) {
	c := "a-session-cookie-value"
	if !CheckCSRF(c, CSRF(c)) {
		t.Errorf("CheckCSRF(c, CSRF(c)) = false")
	}
	for _, given := range []string{"", CSRF("another"), CSRF(c)[1:]} {
		if CheckCSRF(c, given) {
			t.Errorf("CheckCSRF(c, %q) = true, want false", given)
		}
	}
	if CheckCSRF("", CSRF("")) {
		t.Errorf("CheckCSRF without a session = true, want false")
	}
}

func TestCheckGrant(t *testing.T) {
	tests := []struct {
		name, holder string
		role         Role
		party        string
		ttl          time.Duration
		field        string // "" when valid
	}{
		{"analyst", "Ana", Analyst, "", time.Hour, ""},
		{"customs of US", "Cus", Customs, "US", 24 * time.Hour, ""},
		{"customs without party", "Cus", Customs, "", time.Hour, "party"},
		{"party on secretariat", "Sec", Secretariat, "US", time.Hour, "party"},
		{"public", "P", Public, "", time.Hour, "role"},
		{"no name", " ", Analyst, "", time.Hour, "name"},
		{"too long", "A", Analyst, "", 400 * 24 * time.Hour, "expires_in"},
		{"too short", "A", Analyst, "", time.Second, "expires_in"},
	}
	for _, tt := range tests {
		err := CheckGrant(tt.holder, tt.role, tt.party, tt.ttl)
		var pe *problem.Error
		switch {
		case tt.field == "" && err != nil:
			t.Errorf("%s: CheckGrant error = %v, want none", tt.name, err)
		case tt.field != "" && (err == nil || !asProblem(err, &pe) || pe.Field != tt.field):
			t.Errorf("%s: CheckGrant error = %v, want one on field %s", tt.name, err, tt.field)
		}
	}
}

func asProblem(err error, pe **problem.Error) bool {
	p, ok := err.(*problem.Error)
	*pe = p
	return ok
}

func TestActor(t *testing.T) {
	p := Principal{TokenID: "tok_0123456789abcdef", Name: "Jo", Role: Customs, Party: "US"}
	if got, want := p.Actor(), "token:tok_0123456789abcdef customs/US (Jo)"; got != want {
		t.Errorf("Actor() = %q, want %q", got, want)
	}
	if got := Anonymous.Actor(); got != "public" {
		t.Errorf("Anonymous.Actor() = %q, want public", got)
	}
}

// TestNoStore: without a token store every credential is refused, never
// accepted.
func TestNoStore(t *testing.T) {
	a := New(nil, time.Now)
	secret, _, _ := NewSecret()
	if _, err := a.Token(context.Background(), secret); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Token without a store error = %v, want unauthorized", err)
	}
	if _, err := a.Session(context.Background(), strings.Repeat("A", 43)); problem.CodeOf(err) != problem.Unauthorized {
		t.Errorf("Session without a store error = %v, want unauthorized", err)
	}
}

type oneToken struct {
	TokenStore
	t Token
}

func (o oneToken) GetToken(context.Context, string) (Token, error) { return o.t, nil }

// BenchmarkToken is the hot path of every authenticated request: a cached
// token verified (SHA-256 and a constant-time compare), no store round trip.
func BenchmarkToken(b *testing.B) {
	secret, id, _ := NewSecret()
	now := time.Now()
	a := New(oneToken{t: Token{ID: id, Hash: Hash(secret), Name: "b", Role: Customs, Party: "US", CreatedAt: now, ExpiresAt: now.Add(time.Hour)}}, func() time.Time { return now })
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if _, err := a.Token(ctx, secret); err != nil {
			b.Fatal(err)
		}
	}
}

package auth

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// Token is an API token as the store keeps it: never the secret, only its
// SHA-256. A token's secret carries 256 random bits, so a fast hash is the
// right one: there is nothing to brute-force that a slow hash would protect
// (slow hashes are for low-entropy passwords).
type Token struct {
	// ID is the token's public id, "tok_" and 16 hex digits; it is part of
	// the secret too, so a request is looked up by id and then its hash
	// compared in constant time.
	ID string
	// Hash is the SHA-256 of the whole secret ("mpt_…").
	Hash []byte
	// Name is who holds the token (a user is a named token holder).
	Name  string
	Role  Role
	Party string // the party of a customs officer; empty for other roles
	// CreatedAt, ExpiresAt and RevokedAt (zero when the token is not
	// revoked) are set by the caller's clock; kept to the store's precision.
	CreatedAt, ExpiresAt, RevokedAt time.Time
	// CreatedBy is the actor who issued the token.
	CreatedBy string
}

// Revoked reports whether the token was revoked.
func (t Token) Revoked() bool { return !t.RevokedAt.IsZero() }

// Status is "active", "expired" or "revoked" at now.
func (t Token) Status(now time.Time) string {
	switch {
	case t.Revoked():
		return "revoked"
	case !now.Before(t.ExpiresAt):
		return "expired"
	}
	return "active"
}

// Principal is who the token's holder acts as.
func (t Token) Principal() Principal {
	return Principal{TokenID: t.ID, Name: t.Name, Role: t.Role, Party: t.Party}
}

const (
	secretPrefix = "mpt_" // a secret token, so that secret scanners can find leaked ones
	idPrefix     = "tok_" // a token's public id
	idHex        = 16     // hex digits of an id (64 random bits)
	secretBytes  = 32     // random bytes of a secret (256 bits)
)

// secretLen is the length of a secret: prefix, id, "_", base64url of the bytes.
var secretLen = len(secretPrefix) + idHex + 1 + base64.RawURLEncoding.EncodedLen(secretBytes)

// randRead is crypto/rand's Read; every secret and session value comes from it.
var randRead = rand.Read

// NewSecret returns a fresh token secret and its public id, from crypto/rand.
func NewSecret() (secret, id string, err error) {
	var b [idHex/2 + secretBytes]byte
	if _, err := randRead(b[:]); err != nil {
		return "", "", fmt.Errorf("auth: reading random bytes: %w", err)
	}
	h := hex.EncodeToString(b[:idHex/2])
	return secretPrefix + h + "_" + base64.RawURLEncoding.EncodeToString(b[idHex/2:]), idPrefix + h, nil
}

// ParseSecret returns the public id of a token secret, or false when s does
// not have a secret's form.
func ParseSecret(s string) (id string, ok bool) {
	if len(s) != secretLen || !strings.HasPrefix(s, secretPrefix) || s[len(secretPrefix)+idHex] != '_' {
		return "", false
	}
	h := s[len(secretPrefix) : len(secretPrefix)+idHex]
	if !isLowerHex(h) {
		return "", false
	}
	return idPrefix + h, true
}

// ValidID reports whether s has the form of a token's public id.
func ValidID(s string) bool {
	h, ok := strings.CutPrefix(s, idPrefix)
	return ok && len(h) == idHex && isLowerHex(h)
}

func isLowerHex(s string) bool {
	for i := 0; i < len(s); i++ {
		if c := s[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return false
		}
	}
	return true
}

// Hash is the SHA-256 of a secret, as the store keeps it.
func Hash(secret string) []byte {
	h := sha256.Sum256([]byte(secret))
	return h[:]
}

// sameHash compares two hashes in constant time.
func sameHash(a, b []byte) bool { return subtle.ConstantTimeCompare(a, b) == 1 }

// TokenStore is what package auth needs of a store: tokens by id and
// sessions by the hash of their cookie. Packages store/sqlite and
// store/postgres implement it (store.Tokens).
type TokenStore interface {
	// PutToken stores a new token; an id already stored is a problem.Conflict.
	PutToken(ctx context.Context, t Token) error
	// GetToken returns the token with the id, or a problem.NotFound error.
	GetToken(ctx context.Context, id string) (Token, error)
	// ListTokens returns every token, revoked and expired ones included,
	// ordered by CreatedAt then ID.
	ListTokens(ctx context.Context) ([]Token, error)
	// RevokeToken marks the token revoked at at by by (who, in the audit
	// trail; a token revoked already keeps its first time) and deletes its
	// sessions; it returns the token as stored, or a problem.NotFound error.
	RevokeToken(ctx context.Context, id string, at time.Time, by string) (Token, error)
	// PutSession stores a new portal session.
	PutSession(ctx context.Context, s Session) error
	// GetSession returns the session whose cookie hashes to hash, or a
	// problem.NotFound error.
	GetSession(ctx context.Context, hash []byte) (Session, error)
	// DeleteSession removes a session (signing out); removing none is no
	// error.
	DeleteSession(ctx context.Context, hash []byte) error
}

// Session is a portal sign-in: the hash of the session cookie's random
// value and the token it was opened with.
type Session struct {
	Hash      []byte
	TokenID   string
	CreatedAt time.Time
	ExpiresAt time.Time
}

package store

import (
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Tokens keeps API tokens (only their SHA-256, never the secret) and portal
// sessions (only the hash of the cookie), in the tokens and sessions tables.
// Package auth declares what it needs; both stores implement it.
type Tokens interface {
	auth.TokenStore
}

// CheckToken reports what is wrong with a token before a store keeps it.
func CheckToken(t auth.Token) error {
	switch {
	case !auth.ValidID(t.ID):
		return problem.Errorf(problem.Invalid, "store: token id %q: want tok_ and 16 hex digits", t.ID)
	case len(t.Hash) != 32:
		return problem.Errorf(problem.Invalid, "store: token %s: want a 32-byte SHA-256 hash, got %d bytes", t.ID, len(t.Hash))
	case t.CreatedAt.IsZero() || !t.ExpiresAt.After(t.CreatedAt):
		return problem.Errorf(problem.Invalid, "store: token %s: want a creation time and an expiry after it", t.ID)
	}
	return auth.CheckGrant(t.Name, t.Role, t.Party, t.ExpiresAt.Sub(t.CreatedAt))
}

// CheckSession reports what is wrong with a session before a store keeps it.
func CheckSession(s auth.Session) error {
	switch {
	case len(s.Hash) != 32:
		return problem.Errorf(problem.Invalid, "store: session: want a 32-byte SHA-256 hash, got %d bytes", len(s.Hash))
	case !auth.ValidID(s.TokenID):
		return problem.Errorf(problem.Invalid, "store: session: token id %q: want tok_ and 16 hex digits", s.TokenID)
	case s.CreatedAt.IsZero() || !s.ExpiresAt.After(s.CreatedAt):
		return problem.Errorf(problem.Invalid, "store: session of %s: want a creation time and an expiry after it", s.TokenID)
	}
	return nil
}

// TokenNotFound is the error of a lookup of a token id that is not stored.
func TokenNotFound(id string) error {
	return problem.Errorf(problem.NotFound, "store: no token %s", id)
}

// SessionNotFound is the error of a lookup of a session that is not stored
// (it never names the hash).
func SessionNotFound() error { return problem.Errorf(problem.NotFound, "store: no such session") }

package store

import (
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Precision is the resolution to which stores keep times: PostgreSQL's
// timestamptz holds microseconds, so every store truncates to them and a time
// reads back the same from either.
const Precision = time.Microsecond

// Time returns t as a store keeps it: in UTC, truncated to Precision.
func Time(t time.Time) time.Time { return t.UTC().Truncate(Precision) }

// CheckHash reports whether hash has the form of a SHA-256 digest in lowercase
// hex, the form every store uses as an agreement's key.
func CheckHash(hash string) error {
	if len(hash) != 64 {
		return problem.Errorf(problem.Invalid, "store: agreement hash %q: want 64 lowercase hex digits (sha256), got %d characters", hash, len(hash))
	}
	for i := 0; i < len(hash); i++ {
		c := hash[i]
		if !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return problem.Errorf(problem.Invalid, "store: agreement hash %q: want lowercase hex digits, got %q at offset %d", hash, c, i)
		}
	}
	return nil
}

// CheckAgreement reports what is wrong with v before a store writes it. The
// store does not recompute the digest: the canonical form and its hash belong to
// package agreement, and the store's promise is only that a hash, once stored,
// keeps its bytes.
func CheckAgreement(v AgreementVersion) error {
	if err := CheckHash(v.Hash); err != nil {
		return err
	}
	if len(v.Canonical) == 0 {
		return problem.Errorf(problem.Invalid, "store: agreement %s: canonical form is empty", v.Hash)
	}
	if !json.Valid(v.Canonical) {
		return problem.Errorf(problem.Invalid, "store: agreement %s: canonical form is not valid JSON", v.Hash)
	}
	if v.StoredAt.IsZero() {
		return problem.Errorf(problem.Invalid, "store: agreement %s: stored-at time is not set", v.Hash)
	}
	return nil
}

// CheckAudit reports what is wrong with r before a store appends it.
func CheckAudit(r AuditRecord) error {
	var l problem.List
	if r.At.IsZero() {
		l.Add(problem.Pos{}, "at", "store: audit record: time is not set")
	}
	if r.Actor == "" {
		l.Add(problem.Pos{}, "actor", "store: audit record: actor is empty")
	}
	if r.Action == "" {
		l.Add(problem.Pos{}, "action", "store: audit record: action is empty")
	}
	if r.Subject == "" {
		l.Add(problem.Pos{}, "subject", "store: audit record: subject is empty")
	}
	if r.Detail != nil && !json.Valid(r.Detail) {
		l.Add(problem.Pos{}, "detail", "store: audit record: detail is not valid JSON")
	}
	return l.Err()
}

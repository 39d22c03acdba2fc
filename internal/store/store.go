// Package store declares what mineralpact keeps between runs: content-addressed
// agreement versions, an append-only audit trail, the published reference
// prices and market simulation runs. It holds the types and the
// interfaces only; package store/sqlite (the default, one file) and package
// store/postgres (production, many API nodes) implement them, and package
// store/storetest holds the one conformance suite both must pass.
//
// Nothing here knows SQL, so the engines and the HTTP layer can depend on it
// without pulling in a database driver.
package store

import (
	"context"
	"time"

	"github.com/mineralpact/mineralpact/internal/duty"
)

// AgreementVersion is one version of an agreement file, addressed by the hash of
// its canonical form. Two submissions that differ only in YAML layout share a
// hash and are stored once.
type AgreementVersion struct {
	// Hash is the lowercase hex SHA-256 of Canonical, computed by the caller.
	Hash string
	// Name is the agreement's name, for listings.
	Name string
	// Canonical is the canonical JSON of the agreement.
	Canonical []byte
	// Source is the YAML as submitted; it may be nil.
	Source []byte
	// StoredAt is set by the caller; a store never reads the wall clock. It is
	// kept to Precision, in UTC.
	StoredAt time.Time
}

// AuditRecord is one entry of the audit trail.
type AuditRecord struct {
	// ID is assigned by the store on append, increasing in append order.
	ID int64
	// At is when the action happened, set by the caller; kept to Precision, in UTC.
	At time.Time
	// Actor, Action and Subject say who did what to which thing
	// ("agreement:<hash>", "publication:42").
	Actor, Action, Subject string
	// Detail is a JSON document, or nil.
	Detail []byte
}

// Agreements keeps agreement versions.
type Agreements interface {
	// PutAgreement stores v. Putting a hash that is already stored is a no-op
	// that returns created=false (the first name and source are kept); the same
	// hash with different canonical bytes is a problem.Conflict error.
	PutAgreement(ctx context.Context, v AgreementVersion) (created bool, err error)
	// GetAgreement returns the version with the given hash, or a
	// problem.NotFound error naming the hash.
	GetAgreement(ctx context.Context, hash string) (AgreementVersion, error)
	// ListAgreements returns every version without its bytes (Canonical and
	// Source are nil), ordered by StoredAt then Hash.
	ListAgreements(ctx context.Context) ([]AgreementVersion, error)
}

// Audit keeps the append-only audit trail.
type Audit interface {
	// AppendAudit appends r (its ID is ignored) and returns the ID assigned.
	AppendAudit(ctx context.Context, r AuditRecord) (id int64, err error)
	// ListAudit returns the records about subject, newest (highest ID) first, at
	// most limit of them. An empty subject means every subject; a limit of zero
	// or less means no limit.
	ListAudit(ctx context.Context, subject string, limit int) ([]AuditRecord, error)
}

// Store is everything mineralpact persists, behind one handle.
type Store interface {
	Agreements
	Audit
	Publications
	Simulations
	Assessments
	Tokens
	Designs
	Monitor
	// The tariff-rate quota ledger, in the quota_balances and
	// quota_allocations tables.
	duty.QuotaLedger
	// Migrate brings the schema up to date; applying it again is a no-op.
	Migrate(ctx context.Context) error
	// Close releases the store's connections.
	Close() error
}

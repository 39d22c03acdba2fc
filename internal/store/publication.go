package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Publication is one published reference price: an immutable record of a
// floor, its validity, every input it was computed from (in Body) and the
// digest of those inputs. A publication is never changed; a correction is a
// new publication that names the one it supersedes.
type Publication struct {
	// ID is assigned by the store, increasing in publication order.
	ID int64
	// AgreementHash is the content address of the agreement version the floor
	// was computed under; that version must be stored first.
	AgreementHash string
	// Mineral and Stage name the floor.
	Mineral, Stage string
	// ValidFrom is the revision date; ValidTo the next revision (exclusive),
	// zero when the price holds until further notice.
	ValidFrom, ValidTo date.Date
	// Price is the published floor, exact, in Currency per Unit of contained
	// mineral; it is kept as text and reads back digit for digit.
	Price          dec.Decimal
	Currency, Unit string
	// Method is the price method of the rule (cost_curve, market_average ...).
	Method string
	// InputsHash is the lowercase hex SHA-256 of the floor's canonical inputs
	// (refprice computes it): the same inputs give the same hash.
	InputsHash string
	// Illustrative is true when the floor depends on generated data.
	Illustrative bool
	// Body is the whole floor as JSON: inputs with their source, date and
	// value, the steps, and the legal basis. It reads back byte for byte.
	Body []byte
	// Supersedes is the ID of the publication this one corrects, 0 if none.
	Supersedes int64
	// SupersededBy is the ID of the publication that corrects this one, 0 if
	// none; the store fills it on reading, it is ignored on writing.
	SupersededBy int64
	// PublishedAt is set by the caller; kept to Precision, in UTC.
	PublishedAt time.Time
}

// Current reports whether no publication supersedes p.
func (p Publication) Current() bool { return p.SupersededBy == 0 }

// Publications keeps published reference prices. Every query is scoped to one
// agreement version: floors belong to the agreement they were computed under.
type Publications interface {
	// PutPublication stores p (its ID, Supersedes and SupersededBy are
	// ignored) and returns the publication as stored.
	//
	// It is idempotent on (AgreementHash, Mineral, Stage, ValidFrom,
	// InputsHash): publishing the same inputs again stores nothing and returns
	// the existing publication with created=false. Different inputs for a
	// (AgreementHash, Mineral, Stage, ValidFrom) already published are a
	// correction: a new publication whose Supersedes names the one that was
	// current. An AgreementHash not stored is a problem.NotFound error.
	PutPublication(ctx context.Context, p Publication) (stored Publication, created bool, err error)
	// GetPublication returns the publication with the given ID, or a
	// problem.NotFound error naming it.
	GetPublication(ctx context.Context, id int64) (Publication, error)
	// CurrentPublication returns the publication in force on d: the one not
	// superseded whose validity [ValidFrom, ValidTo) covers d, the latest
	// revision if several do. None is a problem.NotFound error.
	CurrentPublication(ctx context.Context, agreementHash, mineral, stage string, d date.Date) (Publication, error)
	// PublicationHistory returns every publication of mineral at stage whose
	// validity overlaps [from, to], superseded ones included, ordered by
	// ValidFrom then ID.
	PublicationHistory(ctx context.Context, agreementHash, mineral, stage string, from, to date.Date) ([]Publication, error)
	// ListPublications returns the current publications in force on d, one
	// per mineral and stage, ordered by ID (the order they were published in).
	ListPublications(ctx context.Context, agreementHash string, d date.Date) ([]Publication, error)
}

// CheckPublication reports what is wrong with p before a store writes it.
func CheckPublication(p Publication) error {
	var l problem.List
	if err := CheckHash(p.AgreementHash); err != nil {
		l.Add(problem.Pos{}, "agreement_hash", "%s", messageOf(err))
	}
	if p.Mineral == "" {
		l.Add(problem.Pos{}, "mineral", "store: publication: mineral is empty")
	}
	if p.Stage == "" {
		l.Add(problem.Pos{}, "stage", "store: publication: stage is empty")
	}
	if p.ValidFrom.IsZero() {
		l.Add(problem.Pos{}, "valid_from", "store: publication: valid-from date is not set")
	}
	if !p.ValidTo.IsZero() && !p.ValidTo.After(p.ValidFrom) {
		l.Add(problem.Pos{}, "valid_to", "store: publication: valid-to %s is not after valid-from %s", p.ValidTo, p.ValidFrom)
	}
	if p.Currency == "" || p.Unit == "" || p.Method == "" {
		l.Add(problem.Pos{}, "currency", "store: publication: currency, unit and method are required")
	}
	if err := CheckHash(p.InputsHash); err != nil {
		l.Add(problem.Pos{}, "inputs_hash", "store: publication: inputs hash %q: want 64 lowercase hex digits (sha256)", p.InputsHash)
	}
	if len(p.Body) == 0 || !json.Valid(p.Body) {
		l.Add(problem.Pos{}, "body", "store: publication: body is not valid JSON")
	}
	if p.PublishedAt.IsZero() {
		l.Add(problem.Pos{}, "published_at", "store: publication: published-at time is not set")
	}
	return l.Err()
}

func messageOf(err error) string {
	if pe, ok := err.(*problem.Error); ok {
		return pe.Message
	}
	return err.Error()
}

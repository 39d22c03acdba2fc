package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Design is one saved comparison of two agreement versions over a workload
// (the design loop, issue 18): the answer POST /v1/designs:compare gave, kept
// under its id so that a link to it opens on any API node and after a
// restart. The two versions are stored as agreement versions (Agreements)
// before the design that names them.
type Design struct {
	// ID is 32 lowercase hex digits, chosen by the caller (the API: the first
	// 128 bits of the sha256 of both versions' hashes and the workload).
	ID string
	// OldHash and NewHash are the agreement versions compared; both must be
	// stored already.
	OldHash, NewHash string
	// Workload says what the versions were compared over, as the caller
	// writes it (for listings and debugging; the id already covers it).
	Workload string
	// Body is the answer as JSON, kept byte for byte.
	Body []byte
	// CreatedAt is set by the caller; kept to Precision, in UTC.
	CreatedAt time.Time
}

// Designs keeps saved comparisons. What is kept is bounded by the caller
// through PruneDesigns: the stores keep whatever they are given until then.
type Designs interface {
	// PutDesign stores d. An id already stored is a no-op that returns
	// created=false and keeps the first body (an id names one comparison: the
	// same versions over the same workload). A hash that names no stored
	// agreement version is a problem.Invalid error.
	PutDesign(ctx context.Context, d Design) (created bool, err error)
	// GetDesign returns the design with the given id, or a problem.NotFound
	// error naming it.
	GetDesign(ctx context.Context, id string) (Design, error)
	// PruneDesigns deletes the designs created before before (unless it is
	// zero) and, when keep > 0, every design but the keep most recently
	// created (ties by id); it returns how many it deleted. The agreement
	// versions they name stay: versions are content-addressed and shared
	// with publications and assessments.
	PruneDesigns(ctx context.Context, keep int, before time.Time) (deleted int64, err error)
}

// CheckDesign reports what is wrong with d before a store writes it.
func CheckDesign(d Design) error {
	var l problem.List
	if err := CheckDesignID(d.ID); err != nil {
		l.Add(problem.Pos{}, "id", "%s", messageOf(err))
	}
	if err := CheckHash(d.OldHash); err != nil {
		l.Add(problem.Pos{}, "old_hash", "%s", messageOf(err))
	}
	if err := CheckHash(d.NewHash); err != nil {
		l.Add(problem.Pos{}, "new_hash", "%s", messageOf(err))
	}
	if len(d.Body) == 0 || !json.Valid(d.Body) {
		l.Add(problem.Pos{}, "body", "store: design %s: body is not valid JSON", d.ID)
	}
	if d.CreatedAt.IsZero() {
		l.Add(problem.Pos{}, "created_at", "store: design %s: created-at time is not set", d.ID)
	}
	return l.Err()
}

// CheckDesignID reports whether id is a valid design id: 32 lowercase hex
// digits.
func CheckDesignID(id string) error {
	if len(id) != 32 {
		return problem.Errorf(problem.Invalid, "store: design id %q: want 32 lowercase hex digits, got %d characters", id, len(id))
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('0' <= c && c <= '9' || 'a' <= c && c <= 'f') {
			return problem.Errorf(problem.Invalid, "store: design id %q: want lowercase hex digits, got %q at offset %d", id, c, i)
		}
	}
	return nil
}

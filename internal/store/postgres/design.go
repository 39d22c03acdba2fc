package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Designs = (*Store)(nil)

// PutDesign stores a saved comparison unless its id is stored; see
// store.Designs. Two nodes saving the same id at once store it once.
func (s *Store) PutDesign(ctx context.Context, d store.Design) (bool, error) {
	if err := store.CheckDesign(d); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO designs (id, old_hash, new_hash, workload, body, created_at)
		VALUES ($1, $2, $3, $4, $5::json, $6) ON CONFLICT (id) DO NOTHING`,
		d.ID, d.OldHash, d.NewHash, d.Workload, string(d.Body), store.Time(d.CreatedAt))
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23503" { // foreign_key_violation
			return false, &problem.Error{Code: problem.Invalid, Field: "old_hash", Message: fmt.Sprintf("store: design %s: agreement version %s or %s is not stored; store both versions first", d.ID, d.OldHash, d.NewHash)}
		}
		return false, fail("put design "+d.ID, err)
	}
	return tag.RowsAffected() == 1, nil
}

// GetDesign returns one saved comparison; see store.Designs.
func (s *Store) GetDesign(ctx context.Context, id string) (store.Design, error) {
	d := store.Design{ID: id}
	var body string
	err := s.pool.QueryRow(ctx, `SELECT old_hash, new_hash, workload, body::text, created_at FROM designs WHERE id = $1`, id).
		Scan(&d.OldHash, &d.NewHash, &d.Workload, &body, &d.CreatedAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Design{}, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no saved design %s", id)}
	}
	if err != nil {
		return store.Design{}, fail("get design "+id, err)
	}
	d.Body = []byte(body)
	d.CreatedAt = d.CreatedAt.UTC()
	return d, nil
}

// PruneDesigns deletes the designs older than before and beyond the keep
// newest; see store.Designs.
func (s *Store) PruneDesigns(ctx context.Context, keep int, before time.Time) (int64, error) {
	var n int64
	if !before.IsZero() {
		tag, err := s.pool.Exec(ctx, `DELETE FROM designs WHERE created_at < $1`, store.Time(before))
		if err != nil {
			return n, fail("prune designs", err)
		}
		n += tag.RowsAffected()
	}
	if keep > 0 {
		tag, err := s.pool.Exec(ctx, `DELETE FROM designs WHERE id IN
			(SELECT id FROM designs ORDER BY created_at DESC, id COLLATE "C" DESC OFFSET $1)`, keep)
		if err != nil {
			return n, fail("prune designs", err)
		}
		n += tag.RowsAffected()
	}
	return n, nil
}

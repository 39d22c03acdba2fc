package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Designs = (*Store)(nil)

// PutDesign stores a saved comparison unless its id is stored; see
// store.Designs.
func (s *Store) PutDesign(ctx context.Context, d store.Design) (bool, error) {
	if err := store.CheckDesign(d); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO designs (id, old_hash, new_hash, workload, body, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
		d.ID, d.OldHash, d.NewHash, d.Workload, string(d.Body), formatTime(d.CreatedAt))
	if err != nil {
		if strings.Contains(err.Error(), "FOREIGN KEY") {
			return false, &problem.Error{Code: problem.Invalid, Field: "old_hash", Message: fmt.Sprintf("store: design %s: agreement version %s or %s is not stored; store both versions first", d.ID, d.OldHash, d.NewHash)}
		}
		return false, s.fail("put design "+d.ID, err)
	}
	n, err := res.RowsAffected()
	if err != nil {
		return false, s.fail("put design "+d.ID, err)
	}
	return n == 1, nil
}

// GetDesign returns one saved comparison; see store.Designs.
func (s *Store) GetDesign(ctx context.Context, id string) (store.Design, error) {
	d := store.Design{ID: id}
	var body, created string
	err := s.db.QueryRowContext(ctx, `SELECT old_hash, new_hash, workload, body, created_at FROM designs WHERE id = ?`, id).
		Scan(&d.OldHash, &d.NewHash, &d.Workload, &body, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return store.Design{}, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no saved design %s", id)}
	}
	if err != nil {
		return store.Design{}, s.fail("get design "+id, err)
	}
	d.Body = []byte(body)
	if d.CreatedAt, err = parseTime(created); err != nil {
		return store.Design{}, s.fail("get design "+id, err)
	}
	return d, nil
}

// PruneDesigns deletes the designs older than before and beyond the keep
// newest; see store.Designs.
func (s *Store) PruneDesigns(ctx context.Context, keep int, before time.Time) (int64, error) {
	var n int64
	if !before.IsZero() {
		res, err := s.db.ExecContext(ctx, `DELETE FROM designs WHERE created_at < ?`, formatTime(before))
		if err != nil {
			return n, s.fail("prune designs", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	if keep > 0 {
		res, err := s.db.ExecContext(ctx, `DELETE FROM designs WHERE id IN
			(SELECT id FROM designs ORDER BY created_at DESC, id DESC LIMIT -1 OFFSET ?)`, keep)
		if err != nil {
			return n, s.fail("prune designs", err)
		}
		k, _ := res.RowsAffected()
		n += k
	}
	return n, nil
}

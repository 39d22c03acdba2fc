package postgres

import (
	"context"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/store"
)

// AppendAudit appends r to the audit trail and returns its ID.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) (int64, error) {
	if err := store.CheckAudit(r); err != nil {
		return 0, err
	}
	var detail *string
	if r.Detail != nil {
		d := string(r.Detail)
		detail = &d
	}
	var id int64
	err := s.pool.QueryRow(ctx, `INSERT INTO audit (at, actor, action, subject, detail)
		VALUES ($1, $2, $3, $4, $5::json) RETURNING id`,
		store.Time(r.At), r.Actor, r.Action, r.Subject, detail).Scan(&id)
	if err != nil {
		return 0, fail("append audit", err)
	}
	return id, nil
}

// ListAudit returns the records about subject, newest first; see store.Audit.
func (s *Store) ListAudit(ctx context.Context, subject string, limit int) ([]store.AuditRecord, error) {
	var lim *int64 // NULL: no limit
	if limit > 0 {
		l := int64(limit)
		lim = &l
	}
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, subject, detail::text FROM audit
		WHERE $1::text = '' OR subject = $1 ORDER BY id DESC LIMIT $2`, subject, lim)
	if err != nil {
		return nil, fail("list audit", err)
	}
	rs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AuditRecord, error) {
		var r store.AuditRecord
		var detail *string
		err := row.Scan(&r.ID, &r.At, &r.Actor, &r.Action, &r.Subject, &detail)
		r.At = r.At.UTC()
		if detail != nil {
			r.Detail = []byte(*detail)
		}
		return r, err
	})
	if err != nil {
		return nil, fail("list audit", err)
	}
	if len(rs) == 0 {
		return nil, nil
	}
	return rs, nil
}

package postgres

import (
	"context"
	"errors"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/store"
)

// AppendAudit appends r to the audit trail and returns its ID. The record's
// hash covers the previous record's (store.AuditHash); a transaction-scoped
// advisory lock orders the appends of every node, so the previous record is
// the last one.
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
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('mineralpact.audit'))`); err != nil {
			return err
		}
		var prev *string
		if err := tx.QueryRow(ctx, `SELECT hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		p := ""
		if prev != nil {
			p = *prev
		}
		return tx.QueryRow(ctx, `INSERT INTO audit (at, actor, action, subject, detail, hash)
			VALUES ($1, $2, $3, $4, $5::json, $6) RETURNING id`,
			store.Time(r.At), r.Actor, r.Action, r.Subject, detail, store.AuditHash(p, r)).Scan(&id)
	})
	if err != nil {
		return 0, fail("append audit", err)
	}
	return id, nil
}

// VerifyAudit implements store.AuditChecker.
func (s *Store) VerifyAudit(ctx context.Context) (store.AuditChain, error) {
	var c store.AuditChain
	rows, err := s.pool.Query(ctx, `SELECT id, at, actor, action, subject, detail::text, hash FROM audit ORDER BY id`)
	if err != nil {
		return c, fail("verify audit", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.AuditRecord
		var detail, hash *string
		if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.Action, &r.Subject, &detail, &hash); err != nil {
			return c, fail("verify audit", err)
		}
		if detail != nil {
			r.Detail = []byte(*detail)
		}
		h := ""
		if hash != nil {
			h = *hash
		}
		c.Record(r, h)
	}
	if err := rows.Err(); err != nil {
		return c, fail("verify audit", err)
	}
	return c, nil
}

var _ store.AuditChecker = (*Store)(nil)

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

package sqlite

import (
	"context"
	"database/sql"
	"errors"

	"github.com/mineralpact/mineralpact/internal/store"
)

// AppendAudit appends r to the audit trail and returns its ID. The record's
// hash covers the previous record's (store.AuditHash); the transaction takes
// SQLite's write lock at its start (_txlock=immediate), so the previous
// record is the last one.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) (int64, error) {
	if err := store.CheckAudit(r); err != nil {
		return 0, err
	}
	var detail any
	if r.Detail != nil {
		detail = string(r.Detail)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.fail("append audit", err)
	}
	defer tx.Rollback()
	var prev sql.NullString
	if err := tx.QueryRowContext(ctx, `SELECT hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return 0, s.fail("append audit", err)
	}
	var id int64
	err = tx.QueryRowContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail, hash)
		VALUES (?, ?, ?, ?, ?, ?) RETURNING id`,
		formatTime(r.At), r.Actor, r.Action, r.Subject, detail, store.AuditHash(prev.String, r)).Scan(&id)
	if err != nil {
		return 0, s.fail("append audit", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.fail("append audit", err)
	}
	return id, nil
}

// VerifyAudit implements store.AuditChecker.
func (s *Store) VerifyAudit(ctx context.Context) (store.AuditChain, error) {
	var c store.AuditChain
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, hash FROM audit ORDER BY id`)
	if err != nil {
		return c, s.fail("verify audit", err)
	}
	defer rows.Close()
	for rows.Next() {
		var r store.AuditRecord
		var at string
		var detail, hash sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.Action, &r.Subject, &detail, &hash); err != nil {
			return c, s.fail("verify audit", err)
		}
		if r.At, err = parseTime(at); err != nil {
			return c, s.fail("verify audit", err)
		}
		if detail.Valid {
			r.Detail = []byte(detail.String)
		}
		c.Record(r, hash.String)
	}
	if err := rows.Err(); err != nil {
		return c, s.fail("verify audit", err)
	}
	return c, nil
}

var _ store.AuditChecker = (*Store)(nil)

// ListAudit returns the records about subject, newest first; see store.Audit.
func (s *Store) ListAudit(ctx context.Context, subject string, limit int) ([]store.AuditRecord, error) {
	if limit <= 0 {
		limit = -1 // SQLite: no limit
	}
	rows, err := s.db.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail FROM audit
		WHERE ? = '' OR subject = ? ORDER BY id DESC LIMIT ?`, subject, subject, limit)
	if err != nil {
		return nil, s.fail("list audit", err)
	}
	defer rows.Close()
	var rs []store.AuditRecord
	for rows.Next() {
		var r store.AuditRecord
		var at string
		var detail sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.Action, &r.Subject, &detail); err != nil {
			return nil, s.fail("list audit", err)
		}
		if r.At, err = parseTime(at); err != nil {
			return nil, s.fail("list audit", err)
		}
		if detail.Valid {
			r.Detail = []byte(detail.String)
		}
		rs = append(rs, r)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list audit", err)
	}
	return rs, nil
}

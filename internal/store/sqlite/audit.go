package sqlite

import (
	"context"
	"database/sql"

	"github.com/mineralpact/mineralpact/internal/store"
)

// AppendAudit appends r to the audit trail and returns its ID.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) (int64, error) {
	if err := store.CheckAudit(r); err != nil {
		return 0, err
	}
	var detail any
	if r.Detail != nil {
		detail = string(r.Detail)
	}
	var id int64
	err := s.db.QueryRowContext(ctx, `INSERT INTO audit (at, actor, action, subject, detail)
		VALUES (?, ?, ?, ?, ?) RETURNING id`,
		formatTime(r.At), r.Actor, r.Action, r.Subject, detail).Scan(&id)
	if err != nil {
		return 0, s.fail("append audit", err)
	}
	return id, nil
}

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

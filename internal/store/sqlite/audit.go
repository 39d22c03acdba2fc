package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"

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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return 0, s.fail("append audit", err)
	}
	defer tx.Rollback()
	ids, err := s.appendAudit(ctx, tx, []store.AuditRecord{r})
	if err != nil {
		return 0, s.fail("append audit", err)
	}
	if err := tx.Commit(); err != nil {
		return 0, s.fail("append audit", err)
	}
	return ids[0], nil
}

// appendAudit appends rs, in order, in tx, which holds the write lock: each
// record's hash covers the one before it. The rows' writers call it in their
// own transaction, so a row and its record commit together or not at all.
func (s *Store) appendAudit(ctx context.Context, tx *sql.Tx, rs []store.AuditRecord) ([]int64, error) {
	last, err := s.txStmt(ctx, tx, `SELECT hash FROM audit ORDER BY id DESC LIMIT 1`)
	if err != nil {
		return nil, err
	}
	var prev sql.NullString
	if err := last.QueryRowContext(ctx).Scan(&prev); err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, err
	}
	ins, err := s.txStmt(ctx, tx, `INSERT INTO audit (at, actor, action, subject, detail, hash) VALUES (?, ?, ?, ?, ?, ?) RETURNING id`)
	if err != nil {
		return nil, err
	}
	ids := make([]int64, len(rs))
	h := prev.String
	for i, r := range rs {
		var detail any
		if r.Detail != nil {
			detail = string(r.Detail)
		}
		h = store.AuditHash(h, r)
		if err := ins.QueryRowContext(ctx, formatTime(r.At), r.Actor, r.Action, r.Subject, detail, h).Scan(&ids[i]); err != nil {
			return nil, err
		}
	}
	return ids, nil
}

// VerifyAudit implements store.AuditChecker: the chain, then every row
// against its record, in one snapshot: a read transaction on one connection
// (WAL: writers go on), so that a row and its record written while the
// walk runs are either both seen or both not, never a row without its
// record. The transaction is begun by hand, deferred: the pool's own
// transactions take the write lock at their start (_txlock=immediate), which
// would stop every writer for the seconds a large store takes.
func (s *Store) VerifyAudit(ctx context.Context, rows bool) (store.AuditChain, error) {
	var c store.AuditChain
	conn, err := s.db.Conn(ctx)
	if err != nil {
		return c, s.fail("verify audit", err)
	}
	defer conn.Close()
	if _, err := conn.ExecContext(ctx, `BEGIN DEFERRED`); err != nil {
		return c, s.fail("verify audit", err)
	}
	defer conn.ExecContext(context.WithoutCancel(ctx), `ROLLBACK`)
	if err := verifyChain(ctx, conn, &c); err != nil {
		return c, s.fail("verify audit", err)
	}
	if !rows {
		return c, nil
	}
	if err := verifyRows(ctx, conn, &c); err != nil {
		return c, s.fail("verify audit rows", err)
	}
	return c, nil
}

// querier is a connection or a pool.
type querier interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
	QueryRowContext(ctx context.Context, query string, args ...any) *sql.Row
}

func verifyChain(ctx context.Context, q querier, c *store.AuditChain) error {
	rows, err := q.QueryContext(ctx, `SELECT id, at, actor, action, subject, detail, hash FROM audit ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r store.AuditRecord
		var at string
		var detail, hash sql.NullString
		if err := rows.Scan(&r.ID, &at, &r.Actor, &r.Action, &r.Subject, &detail, &hash); err != nil {
			return err
		}
		if r.At, err = parseTime(at); err != nil {
			return err
		}
		if detail.Valid {
			r.Detail = []byte(detail.String)
		}
		c.Record(r, hash.String)
	}
	return rows.Err()
}

func verifyRows(ctx context.Context, q querier, c *store.AuditChain) error {
	before := store.RowsBefore{Tokens: map[string]bool{}}
	if err := q.QueryRowContext(ctx, `SELECT assessments_before, allocations_before, publications_before FROM audit_rows_start`).Scan(&before.Assessments, &before.Allocations, &before.Publications); err != nil {
		return fmt.Errorf("audit_rows_start: %w", err)
	}
	trows, err := q.QueryContext(ctx, `SELECT id FROM audit_tokens_before`)
	if err != nil {
		return err
	}
	for trows.Next() {
		var id string
		if err := trows.Scan(&id); err != nil {
			trows.Close()
			return err
		}
		before.Tokens[id] = true
	}
	trows.Close()
	if err := trows.Err(); err != nil {
		return err
	}
	rows, err := q.QueryContext(ctx, `SELECT id, agreement_hash, declaration_id, body, total_duty, currency, created_at FROM assessments ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id int64
		var r store.AssessmentRecord
		var body, total, at string
		if err := rows.Scan(&id, &r.AgreementHash, &r.DeclarationID, &body, &total, &r.Currency, &at); err != nil {
			return err
		}
		r.Body = []byte(body)
		var err1, err2 error
		r.TotalDuty, err1 = dec.Parse(total)
		r.CreatedAt, err2 = parseTime(at)
		if err := errors.Join(err1, err2); err != nil {
			c.Unreadable("assessment", id, store.AssessmentSubject(r.AgreementHash, r.DeclarationID), err)
			continue
		}
		c.Assessment(id, r, before)
	}
	if err := rows.Err(); err != nil {
		return err
	}
	arows, err := q.QueryContext(ctx, `SELECT id, quota_id, period_start, declaration_id, quantity, status, balance, coalesce(day, '') FROM quota_allocations ORDER BY id`)
	if err != nil {
		return err
	}
	defer arows.Close()
	for arows.Next() {
		var id int64
		var a store.AllocationRow
		if err := arows.Scan(&id, &a.Quota, &a.PeriodStart, &a.DeclarationID, &a.Quantity, &a.Status, &a.Balance, &a.Day); err != nil {
			return err
		}
		c.Allocation(id, a, before)
	}
	if err := arows.Err(); err != nil {
		return err
	}
	prows, err := q.QueryContext(ctx, `SELECT `+publicationColumns+` ORDER BY p.id`)
	if err != nil {
		return err
	}
	defer prows.Close()
	for prows.Next() {
		p, err := scanPublication(prows)
		if err != nil {
			c.Unreadable("publication", p.ID, store.PublicationSubject(p.ID), err)
			continue
		}
		c.Publication(p, before)
	}
	if err := prows.Err(); err != nil {
		return err
	}
	krows, err := q.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY id`)
	if err != nil {
		return err
	}
	defer krows.Close()
	for krows.Next() {
		t, err := scanToken(krows)
		if err != nil {
			return err
		}
		c.Token(t, before)
	}
	if err := krows.Err(); err != nil {
		return err
	}
	if err := verifyMonitor(ctx, q, c); err != nil {
		return err
	}
	c.FinishRows()
	return nil
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

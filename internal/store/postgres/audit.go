package postgres

import (
	"context"
	"errors"
	"fmt"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/store"
)

// AppendAudit appends r to the audit trail and returns its ID; see
// appendAudit.
func (s *Store) AppendAudit(ctx context.Context, r store.AuditRecord) (int64, error) {
	if err := store.CheckAudit(r); err != nil {
		return 0, err
	}
	var ids []int64
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) (err error) {
		ids, err = appendAudit(ctx, tx, []store.AuditRecord{r})
		return err
	})
	if err != nil {
		return 0, fail("append audit", err)
	}
	return ids[0], nil
}

// appendAudit appends rs, in order, in tx: each record's hash covers the one
// before it (store.AuditHash). A transaction-scoped advisory lock orders the
// appends of every node, so the previous record is the last one. The rows'
// writers call it last in their own transaction, after their row locks, so
// that the lock is held only for the appends and the commit, and a row and
// its record commit together or not at all.
func appendAudit(ctx context.Context, tx pgx.Tx, rs []store.AuditRecord) ([]int64, error) {
	if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('mineralpact.audit'))`); err != nil {
		return nil, err
	}
	var prev *string
	if err := tx.QueryRow(ctx, `SELECT hash FROM audit ORDER BY id DESC LIMIT 1`).Scan(&prev); err != nil && !errors.Is(err, pgx.ErrNoRows) {
		return nil, err
	}
	h := ""
	if prev != nil {
		h = *prev
	}
	ids := make([]int64, len(rs))
	batch := &pgx.Batch{}
	for i, r := range rs {
		var detail *string
		if r.Detail != nil {
			d := string(r.Detail)
			detail = &d
		}
		h = store.AuditHash(h, r)
		batch.Queue(`INSERT INTO audit (at, actor, action, subject, detail, hash)
			VALUES ($1, $2, $3, $4, $5::json, $6) RETURNING id`,
			store.Time(r.At), r.Actor, r.Action, r.Subject, detail, h).QueryRow(func(row pgx.Row) error { return row.Scan(&ids[i]) })
	}
	if err := tx.SendBatch(ctx, batch).Close(); err != nil {
		return nil, err
	}
	return ids, nil
}

// VerifyAudit implements store.AuditChecker: the chain, then every
// assessment and allocation row against its record, in one snapshot
// (repeatable read), so that writes going on meanwhile are not half seen.
func (s *Store) VerifyAudit(ctx context.Context, rows bool) (store.AuditChain, error) {
	var c store.AuditChain
	err := pgx.BeginTxFunc(ctx, s.pool, pgx.TxOptions{IsoLevel: pgx.RepeatableRead, AccessMode: pgx.ReadOnly}, func(tx pgx.Tx) error {
		if err := verifyChain(ctx, tx, &c); err != nil || !rows {
			return err
		}
		return verifyRows(ctx, tx, &c)
	})
	if err != nil {
		return c, fail("verify audit", err)
	}
	return c, nil
}

func verifyChain(ctx context.Context, tx pgx.Tx, c *store.AuditChain) error {
	rows, err := tx.Query(ctx, `SELECT id, at, actor, action, subject, detail::text, hash FROM audit ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var r store.AuditRecord
		var detail, hash *string
		if err := rows.Scan(&r.ID, &r.At, &r.Actor, &r.Action, &r.Subject, &detail, &hash); err != nil {
			return err
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
	return rows.Err()
}

func verifyRows(ctx context.Context, tx pgx.Tx, c *store.AuditChain) error {
	before := store.RowsBefore{Tokens: map[string]bool{}}
	if err := tx.QueryRow(ctx, `SELECT assessments_before, allocations_before, publications_before FROM audit_rows_start`).Scan(&before.Assessments, &before.Allocations, &before.Publications); err != nil {
		return fmt.Errorf("audit_rows_start: %w", err)
	}
	ids, err := tx.Query(ctx, `SELECT id FROM audit_tokens_before`)
	if err != nil {
		return err
	}
	tokensBefore, err := pgx.CollectRows(ids, pgx.RowTo[string])
	if err != nil {
		return err
	}
	for _, id := range tokensBefore {
		before.Tokens[id] = true
	}
	rows, err := tx.Query(ctx, `SELECT id, agreement_hash, declaration_id, body::text, total_duty, currency, created_at FROM assessments ORDER BY id`)
	if err != nil {
		return err
	}
	for rows.Next() {
		var id int64
		var r store.AssessmentRecord
		var body, total string
		if err := rows.Scan(&id, &r.AgreementHash, &r.DeclarationID, &body, &total, &r.Currency, &r.CreatedAt); err != nil {
			rows.Close()
			return err
		}
		r.Body = []byte(body)
		if r.TotalDuty, err = dec.Parse(total); err != nil {
			c.Unreadable("assessment", id, store.AssessmentSubject(r.AgreementHash, r.DeclarationID), err)
			continue
		}
		c.Assessment(id, r, before)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	arows, err := tx.Query(ctx, `SELECT id, quota_id, period_start, declaration_id, quantity, status, balance, coalesce(day, '') FROM quota_allocations ORDER BY id`)
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
	arows.Close()
	prows, err := tx.Query(ctx, `SELECT `+publicationColumns+` ORDER BY p.id`)
	if err != nil {
		return err
	}
	for prows.Next() {
		p, err := scanPublication(prows)
		if err != nil {
			c.Unreadable("publication", p.ID, store.PublicationSubject(p.ID), err)
			continue
		}
		c.Publication(p, before)
	}
	prows.Close()
	if err := prows.Err(); err != nil {
		return err
	}
	krows, err := tx.Query(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY id`)
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
	krows.Close()
	if err := verifyMonitor(ctx, tx, c); err != nil {
		return err
	}
	c.FinishRows()
	return nil
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

package postgres

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Assessments = (*Store)(nil)

// PutAssessments records rs in one transaction, sent as one batch; see
// store.Assessments.
func (s *Store) PutAssessments(ctx context.Context, rs []store.AssessmentRecord) ([]bool, error) {
	for _, r := range rs {
		if err := store.CheckAssessment(r); err != nil {
			return nil, err
		}
	}
	created := make([]bool, len(rs))
	if len(rs) == 0 {
		return created, nil
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		known := map[string]bool{}
		for _, r := range rs {
			if known[r.AgreementHash] {
				continue
			}
			var stored bool
			if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM agreements WHERE hash = $1)`, r.AgreementHash).Scan(&stored); err != nil {
				return err
			}
			if !stored {
				return &problem.Error{Code: problem.NotFound, Field: "agreement_hash",
					Message: fmt.Sprintf("store: assessment %s: agreement %s is not stored; store the agreement version first", r.DeclarationID, r.AgreementHash)}
			}
			known[r.AgreementHash] = true
		}
		batch := &pgx.Batch{}
		for i, r := range rs {
			batch.Queue(`INSERT INTO assessments (declaration_id, agreement_hash, body, total_duty, currency, created_at)
				VALUES ($1, $2, $3::json, $4, $5, $6) ON CONFLICT (agreement_hash, declaration_id) DO NOTHING`,
				r.DeclarationID, r.AgreementHash, string(r.Body), r.TotalDuty.String(), r.Currency, store.Time(r.CreatedAt)).Exec(
				func(ct pgconn.CommandTag) error {
					created[i] = ct.RowsAffected() == 1
					return nil
				})
		}
		if err := tx.SendBatch(ctx, batch).Close(); err != nil {
			return err
		}
		var audits []store.AuditRecord
		for i, r := range rs {
			if created[i] {
				audits = append(audits, store.AssessmentAudit(r))
			}
		}
		if len(audits) == 0 {
			return nil
		}
		_, err := appendAudit(ctx, tx, audits)
		return err
	})
	if err != nil {
		if _, ok := err.(*problem.Error); ok {
			return nil, err
		}
		return nil, fail(fmt.Sprintf("put %d assessments", len(rs)), err)
	}
	return created, nil
}

// GetAssessment returns one recorded assessment; see store.Assessments.
func (s *Store) GetAssessment(ctx context.Context, agreementHash, declarationID string) (store.AssessmentRecord, error) {
	r := store.AssessmentRecord{AgreementHash: agreementHash, DeclarationID: declarationID}
	var body, total string
	var at time.Time
	err := s.pool.QueryRow(ctx, `SELECT id, body::text, total_duty, currency, created_at FROM assessments
		WHERE agreement_hash = $1 AND declaration_id = $2`, agreementHash, declarationID).Scan(&r.ID, &body, &total, &r.Currency, &at)
	if errors.Is(err, pgx.ErrNoRows) {
		return r, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("store: no assessment of declaration %q under agreement %s", declarationID, agreementHash)}
	}
	if err != nil {
		return r, fail("get assessment "+declarationID, err)
	}
	r.Body = []byte(body)
	r.CreatedAt = at.UTC()
	if r.TotalDuty, err = dec.Parse(total); err != nil {
		return r, fail("get assessment "+declarationID, err)
	}
	return r, nil
}

// AssessmentTotals sums the recorded duty per currency, exactly (as numeric).
func (s *Store) AssessmentTotals(ctx context.Context, agreementHash string) ([]store.AssessmentTotal, error) {
	rows, err := s.pool.Query(ctx, `SELECT currency, count(*), sum(total_duty::numeric)::text FROM assessments
		WHERE agreement_hash = $1 GROUP BY currency`, agreementHash)
	if err != nil {
		return nil, fail("assessment totals", err)
	}
	defer rows.Close()
	var out []store.AssessmentTotal
	for rows.Next() {
		var t store.AssessmentTotal
		var total string
		if err := rows.Scan(&t.Currency, &t.Count, &total); err != nil {
			return nil, fail("assessment totals", err)
		}
		if t.Total, err = dec.Parse(total); err != nil {
			return nil, fail("assessment totals", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fail("assessment totals", err)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}

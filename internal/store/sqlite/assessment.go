package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"sort"
	"sync"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Assessments = (*Store)(nil)

// stmtCache holds statements prepared once for the whole pool; database/sql
// prepares each on a connection the first time it runs there.
type stmtCache struct {
	mu            sync.Mutex
	getAssessment *sql.Stmt
	byQuery       map[string]*sql.Stmt // txStmt's
}

// txStmt returns query prepared for tx. The statement is prepared once for
// the pool and, through Tx.StmtContext, once on each connection: the hot
// writes (an assessment group, its audit records, an allocation) otherwise
// parse their SQL in every transaction, which cost the API about a tenth of
// its CPU under load. It is closed with tx.
func (s *Store) txStmt(ctx context.Context, tx *sql.Tx, query string) (*sql.Stmt, error) {
	s.stmts.mu.Lock()
	st := s.stmts.byQuery[query]
	if st == nil {
		var err error
		if st, err = s.db.PrepareContext(ctx, query); err != nil {
			s.stmts.mu.Unlock()
			return nil, err
		}
		if s.stmts.byQuery == nil {
			s.stmts.byQuery = map[string]*sql.Stmt{}
		}
		s.stmts.byQuery[query] = st
	}
	s.stmts.mu.Unlock()
	return tx.StmtContext(ctx, st), nil
}

const getAssessmentSQL = `SELECT id, body, total_duty, currency, created_at FROM assessments
	WHERE agreement_hash = ? AND declaration_id = ?`

func (s *Store) getAssessmentStmt(ctx context.Context) (*sql.Stmt, error) {
	s.stmts.mu.Lock()
	defer s.stmts.mu.Unlock()
	if s.stmts.getAssessment == nil {
		st, err := s.db.PrepareContext(ctx, getAssessmentSQL)
		if err != nil {
			return nil, err
		}
		s.stmts.getAssessment = st
	}
	return s.stmts.getAssessment, nil
}

// PutAssessments records rs in one transaction; see store.Assessments.
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
	op := fmt.Sprintf("put %d assessments", len(rs))
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return nil, s.fail(op, err)
	}
	defer tx.Rollback()
	known := map[string]bool{}
	for _, r := range rs {
		if known[r.AgreementHash] {
			continue
		}
		var n int
		stored, err := s.txStmt(ctx, tx, `SELECT count(*) FROM agreements WHERE hash = ?`)
		if err != nil {
			return nil, s.fail(op, err)
		}
		if err := stored.QueryRowContext(ctx, r.AgreementHash).Scan(&n); err != nil {
			return nil, s.fail(op, err)
		}
		if n == 0 {
			return nil, &problem.Error{Code: problem.NotFound, Field: "agreement_hash",
				Message: fmt.Sprintf("store: assessment %s: agreement %s is not stored; store the agreement version first", r.DeclarationID, r.AgreementHash)}
		}
		known[r.AgreementHash] = true
	}
	ins, err := s.txStmt(ctx, tx, `INSERT INTO assessments (declaration_id, agreement_hash, body, total_duty, currency, created_at)
		VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (agreement_hash, declaration_id) DO NOTHING`)
	if err != nil {
		return nil, s.fail(op, err)
	}
	audits := make([]store.AuditRecord, 0, len(rs))
	for i, r := range rs {
		res, err := ins.ExecContext(ctx, r.DeclarationID, r.AgreementHash, string(r.Body), r.TotalDuty.String(), r.Currency, formatTime(r.CreatedAt))
		if err != nil {
			return nil, s.fail(op, err)
		}
		n, err := res.RowsAffected()
		if err != nil {
			return nil, s.fail(op, err)
		}
		if created[i] = n == 1; created[i] {
			audits = append(audits, store.AssessmentAudit(r))
		}
	}
	if len(audits) > 0 {
		if _, err := s.appendAudit(ctx, tx, audits); err != nil {
			return nil, s.fail(op, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return nil, s.fail(op, err)
	}
	return created, nil
}

// GetAssessment returns one recorded assessment; see store.Assessments.
func (s *Store) GetAssessment(ctx context.Context, agreementHash, declarationID string) (store.AssessmentRecord, error) {
	r := store.AssessmentRecord{AgreementHash: agreementHash, DeclarationID: declarationID}
	var body, total, at string
	stmt, err := s.getAssessmentStmt(ctx)
	if err != nil {
		return r, s.fail("get assessment "+declarationID, err)
	}
	err = stmt.QueryRowContext(ctx, agreementHash, declarationID).Scan(&r.ID, &body, &total, &r.Currency, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return r, &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("store: no assessment of declaration %q under agreement %s", declarationID, agreementHash)}
	}
	if err != nil {
		return r, s.fail("get assessment "+declarationID, err)
	}
	r.Body = []byte(body)
	if r.TotalDuty, err = dec.Parse(total); err != nil {
		return r, s.fail("get assessment "+declarationID, err)
	}
	if r.CreatedAt, err = parseTime(at); err != nil {
		return r, s.fail("get assessment "+declarationID, err)
	}
	return r, nil
}

// AssessmentTotals sums the recorded duty per currency, exactly (the column is
// text: SQLite's sum would go through floats).
func (s *Store) AssessmentTotals(ctx context.Context, agreementHash string) ([]store.AssessmentTotal, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT currency, total_duty FROM assessments WHERE agreement_hash = ?`, agreementHash)
	if err != nil {
		return nil, s.fail("assessment totals", err)
	}
	defer rows.Close()
	by := map[string]*store.AssessmentTotal{}
	for rows.Next() {
		var cur, total string
		if err := rows.Scan(&cur, &total); err != nil {
			return nil, s.fail("assessment totals", err)
		}
		d, err := dec.Parse(total)
		if err != nil {
			return nil, s.fail("assessment totals", err)
		}
		t := by[cur]
		if t == nil {
			t = &store.AssessmentTotal{Currency: cur}
			by[cur] = t
		}
		t.Count++
		t.Total = t.Total.Add(d)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("assessment totals", err)
	}
	out := make([]store.AssessmentTotal, 0, len(by))
	for _, t := range by {
		out = append(out, *t)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Currency < out[j].Currency })
	return out, nil
}

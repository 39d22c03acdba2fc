package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Publications = (*Store)(nil)

// publicationColumns are read by scanPublication, in its order; superseded_by
// is the one publication, if any, that names the row as the one it corrects.
const publicationColumns = `p.id, p.agreement_hash, p.mineral, p.stage, p.valid_from, p.valid_to, p.price, p.currency,
	p.unit, p.method, p.inputs_hash, p.illustrative, p.body, p.supersedes, p.published_at,
	(SELECT s.id FROM publications s WHERE s.supersedes = p.id) AS superseded_by
	FROM publications p`

// notSuperseded keeps the rows no publication corrects.
const notSuperseded = `NOT EXISTS (SELECT 1 FROM publications s WHERE s.supersedes = p.id)`

type scanner interface{ Scan(dest ...any) error }

func scanPublication(row scanner) (store.Publication, error) {
	var p store.Publication
	var from, price, body, at string
	var to sql.NullString
	var supersedes, supersededBy sql.NullInt64
	if err := row.Scan(&p.ID, &p.AgreementHash, &p.Mineral, &p.Stage, &from, &to, &price, &p.Currency,
		&p.Unit, &p.Method, &p.InputsHash, &p.Illustrative, &body, &supersedes, &at, &supersededBy); err != nil {
		return p, err
	}
	var err error
	if p.ValidFrom, err = date.Parse(from); err != nil {
		return p, fmt.Errorf("publication %d: valid_from: %w", p.ID, err)
	}
	if to.Valid {
		if p.ValidTo, err = date.Parse(to.String); err != nil {
			return p, fmt.Errorf("publication %d: valid_to: %w", p.ID, err)
		}
	}
	if p.Price, err = dec.Parse(price); err != nil {
		return p, fmt.Errorf("publication %d: price: %w", p.ID, err)
	}
	if p.PublishedAt, err = parseTime(at); err != nil {
		return p, fmt.Errorf("publication %d: %w", p.ID, err)
	}
	p.Body = []byte(body)
	p.Supersedes = supersedes.Int64
	p.SupersededBy = supersededBy.Int64
	return p, nil
}

// PutPublication stores p unless its inputs are already published; see
// store.Publications. The transaction takes SQLite's write lock at BEGIN, so
// two publishers of one revision are serialized.
func (s *Store) PutPublication(ctx context.Context, p store.Publication) (store.Publication, bool, error) {
	if err := store.CheckPublication(p); err != nil {
		return store.Publication{}, false, err
	}
	who, err := store.ActingFrom(ctx)
	if err != nil {
		return store.Publication{}, false, err
	}
	op := fmt.Sprintf("put publication %s/%s %s", p.Mineral, p.Stage, p.ValidFrom)
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return store.Publication{}, false, s.fail(op, err)
	}
	defer tx.Rollback()
	same, err := scanPublication(tx.QueryRowContext(ctx, `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = ? AND p.mineral = ? AND p.stage = ? AND p.valid_from = ? AND p.inputs_hash = ?`,
		p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String(), p.InputsHash))
	if err == nil {
		return same, false, nil
	}
	if !errors.Is(err, sql.ErrNoRows) {
		return store.Publication{}, false, s.fail(op, err)
	}
	var agreements int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM agreements WHERE hash = ?`, p.AgreementHash).Scan(&agreements); err != nil {
		return store.Publication{}, false, s.fail(op, err)
	}
	if agreements == 0 {
		return store.Publication{}, false, &problem.Error{Code: problem.NotFound, Field: "agreement_hash",
			Message: fmt.Sprintf("store: publication %s/%s %s: agreement %s is not stored; store the agreement version first", p.Mineral, p.Stage, p.ValidFrom, p.AgreementHash)}
	}
	var prev sql.NullInt64
	err = tx.QueryRowContext(ctx, `SELECT p.id FROM publications p
		WHERE p.agreement_hash = ? AND p.mineral = ? AND p.stage = ? AND p.valid_from = ? AND `+notSuperseded,
		p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String()).Scan(&prev)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return store.Publication{}, false, s.fail(op, err)
	}
	var validTo any
	if !p.ValidTo.IsZero() {
		validTo = p.ValidTo.String()
	}
	var supersedes any
	if prev.Valid {
		supersedes = prev.Int64
	}
	if err := tx.QueryRowContext(ctx, `INSERT INTO publications (agreement_hash, mineral, stage, valid_from, valid_to, price,
		currency, unit, method, inputs_hash, illustrative, body, supersedes, published_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String(), validTo, p.Price.String(),
		p.Currency, p.Unit, p.Method, p.InputsHash, p.Illustrative, string(p.Body), supersedes, formatTime(p.PublishedAt)).Scan(&p.ID); err != nil {
		return store.Publication{}, false, s.fail(op, err)
	}
	p.Supersedes = prev.Int64
	p.SupersededBy = 0
	p.PublishedAt = store.Time(p.PublishedAt)
	if _, err := s.appendAudit(ctx, tx, []store.AuditRecord{store.PublicationAudit(p, who)}); err != nil {
		return store.Publication{}, false, s.fail(op, err)
	}
	if err := tx.Commit(); err != nil {
		return store.Publication{}, false, s.fail(op, err)
	}
	return p, true, nil
}

// GetPublication returns the publication with the given ID.
func (s *Store) GetPublication(ctx context.Context, id int64) (store.Publication, error) {
	p, err := scanPublication(s.db.QueryRowContext(ctx, `SELECT `+publicationColumns+` WHERE p.id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Publication{}, problem.Errorf(problem.NotFound, "publication %d not found", id)
	}
	if err != nil {
		return store.Publication{}, s.fail(fmt.Sprintf("get publication %d", id), err)
	}
	return p, nil
}

// CurrentPublication returns the publication of mineral at stage in force on d.
func (s *Store) CurrentPublication(ctx context.Context, agreementHash, mineral, stage string, d date.Date) (store.Publication, error) {
	p, err := scanPublication(s.db.QueryRowContext(ctx, `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = ? AND p.mineral = ? AND p.stage = ? AND p.valid_from <= ?
		AND (p.valid_to IS NULL OR p.valid_to > ?) AND `+notSuperseded+`
		ORDER BY p.valid_from DESC, p.id DESC LIMIT 1`, agreementHash, mineral, stage, d.String(), d.String()))
	if errors.Is(err, sql.ErrNoRows) {
		return store.Publication{}, problem.Errorf(problem.NotFound, "no publication of %s/%s in force on %s under agreement %.12s", mineral, stage, d, agreementHash)
	}
	if err != nil {
		return store.Publication{}, s.fail(fmt.Sprintf("current publication %s/%s %s", mineral, stage, d), err)
	}
	return p, nil
}

// PublicationHistory returns the publications of mineral at stage overlapping [from, to].
func (s *Store) PublicationHistory(ctx context.Context, agreementHash, mineral, stage string, from, to date.Date) ([]store.Publication, error) {
	if to.Before(from) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "to", Message: fmt.Sprintf("to %s is before from %s", to, from)}
	}
	return s.queryPublications(ctx, fmt.Sprintf("publication history %s/%s", mineral, stage), `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = ? AND p.mineral = ? AND p.stage = ? AND p.valid_from <= ?
		AND (p.valid_to IS NULL OR p.valid_to > ?) ORDER BY p.valid_from, p.id`,
		agreementHash, mineral, stage, to.String(), from.String())
}

// ListPublications returns the current publications in force on d.
func (s *Store) ListPublications(ctx context.Context, agreementHash string, d date.Date) ([]store.Publication, error) {
	return s.queryPublications(ctx, "list publications "+d.String(), `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = ? AND p.valid_from <= ? AND (p.valid_to IS NULL OR p.valid_to > ?) AND `+notSuperseded+`
		AND NOT EXISTS (SELECT 1 FROM publications n WHERE n.agreement_hash = p.agreement_hash AND n.mineral = p.mineral
			AND n.stage = p.stage AND n.valid_from > p.valid_from AND n.valid_from <= ?)
		ORDER BY p.id`, agreementHash, d.String(), d.String(), d.String())
}

func (s *Store) queryPublications(ctx context.Context, op, query string, args ...any) ([]store.Publication, error) {
	rows, err := s.db.QueryContext(ctx, query, args...)
	if err != nil {
		return nil, s.fail(op, err)
	}
	defer rows.Close()
	var out []store.Publication
	for rows.Next() {
		p, err := scanPublication(rows)
		if err != nil {
			return nil, s.fail(op, err)
		}
		out = append(out, p)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail(op, err)
	}
	return out, nil
}

package postgres

import (
	"context"
	"errors"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Publications = (*Store)(nil)

// publicationColumns are read by scanPublication, in its order; superseded_by
// is the one publication, if any, that names the row as the one it corrects.
const publicationColumns = `p.id, p.agreement_hash, p.mineral, p.stage, p.valid_from, p.valid_to, p.price, p.currency,
	p.unit, p.method, p.inputs_hash, p.illustrative, p.body::text, p.supersedes, p.published_at,
	(SELECT s.id FROM publications s WHERE s.supersedes = p.id) AS superseded_by
	FROM publications p`

// notSuperseded keeps the rows no publication corrects.
const notSuperseded = `NOT EXISTS (SELECT 1 FROM publications s WHERE s.supersedes = p.id)`

func scanPublication(row pgx.Row) (store.Publication, error) {
	var p store.Publication
	var from, price, body string
	var to *string
	var supersedes, supersededBy *int64
	var at time.Time
	if err := row.Scan(&p.ID, &p.AgreementHash, &p.Mineral, &p.Stage, &from, &to, &price, &p.Currency,
		&p.Unit, &p.Method, &p.InputsHash, &p.Illustrative, &body, &supersedes, &at, &supersededBy); err != nil {
		return p, err
	}
	var err error
	if p.ValidFrom, err = date.Parse(from); err != nil {
		return p, fmt.Errorf("publication %d: valid_from: %w", p.ID, err)
	}
	if to != nil {
		if p.ValidTo, err = date.Parse(*to); err != nil {
			return p, fmt.Errorf("publication %d: valid_to: %w", p.ID, err)
		}
	}
	if p.Price, err = dec.Parse(price); err != nil {
		return p, fmt.Errorf("publication %d: price: %w", p.ID, err)
	}
	p.Body = []byte(body)
	p.PublishedAt = at.UTC()
	if supersedes != nil {
		p.Supersedes = *supersedes
	}
	if supersededBy != nil {
		p.SupersededBy = *supersededBy
	}
	return p, nil
}

// PutPublication stores p unless its inputs are already published; see
// store.Publications. A transaction-scoped advisory lock on the revision
// serializes publishers of one revision across API nodes, so a correction
// always supersedes the publication that was current.
func (s *Store) PutPublication(ctx context.Context, p store.Publication) (store.Publication, bool, error) {
	if err := store.CheckPublication(p); err != nil {
		return store.Publication{}, false, err
	}
	who, err := store.ActingFrom(ctx)
	if err != nil {
		return store.Publication{}, false, err
	}
	op := fmt.Sprintf("put publication %s/%s %s", p.Mineral, p.Stage, p.ValidFrom)
	var out store.Publication
	created := false
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('mineralpact publication ' || $1::text || ' ' || $2::text || ' ' || $3::text || ' ' || $4::text))`,
			p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String()); err != nil {
			return err
		}
		same, err := scanPublication(tx.QueryRow(ctx, `SELECT `+publicationColumns+`
			WHERE p.agreement_hash = $1 AND p.mineral = $2 AND p.stage = $3 AND p.valid_from = $4 AND p.inputs_hash = $5`,
			p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String(), p.InputsHash))
		if err == nil {
			out = same
			return nil
		}
		if !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var stored bool
		if err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM agreements WHERE hash = $1)`, p.AgreementHash).Scan(&stored); err != nil {
			return err
		}
		if !stored {
			return &problem.Error{Code: problem.NotFound, Field: "agreement_hash",
				Message: fmt.Sprintf("store: publication %s/%s %s: agreement %s is not stored; store the agreement version first", p.Mineral, p.Stage, p.ValidFrom, p.AgreementHash)}
		}
		var prev *int64
		err = tx.QueryRow(ctx, `SELECT p.id FROM publications p
			WHERE p.agreement_hash = $1 AND p.mineral = $2 AND p.stage = $3 AND p.valid_from = $4 AND `+notSuperseded,
			p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String()).Scan(&prev)
		if err != nil && !errors.Is(err, pgx.ErrNoRows) {
			return err
		}
		var validTo *string
		if !p.ValidTo.IsZero() {
			v := p.ValidTo.String()
			validTo = &v
		}
		if err := tx.QueryRow(ctx, `INSERT INTO publications (agreement_hash, mineral, stage, valid_from, valid_to, price,
			currency, unit, method, inputs_hash, illustrative, body, supersedes, published_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12::json, $13, $14) RETURNING id`,
			p.AgreementHash, p.Mineral, p.Stage, p.ValidFrom.String(), validTo, p.Price.String(),
			p.Currency, p.Unit, p.Method, p.InputsHash, p.Illustrative, string(p.Body), prev, store.Time(p.PublishedAt)).Scan(&p.ID); err != nil {
			return err
		}
		out = p
		out.Supersedes, out.SupersededBy = 0, 0
		if prev != nil {
			out.Supersedes = *prev
		}
		out.PublishedAt = store.Time(p.PublishedAt)
		created = true
		_, err = appendAudit(ctx, tx, []store.AuditRecord{store.PublicationAudit(out, who)})
		return err
	})
	if err != nil {
		if _, ok := err.(*problem.Error); ok {
			return store.Publication{}, false, err
		}
		return store.Publication{}, false, fail(op, err)
	}
	return out, created, nil
}

// GetPublication returns the publication with the given ID.
func (s *Store) GetPublication(ctx context.Context, id int64) (store.Publication, error) {
	p, err := scanPublication(s.pool.QueryRow(ctx, `SELECT `+publicationColumns+` WHERE p.id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Publication{}, problem.Errorf(problem.NotFound, "publication %d not found", id)
	}
	if err != nil {
		return store.Publication{}, fail(fmt.Sprintf("get publication %d", id), err)
	}
	return p, nil
}

// CurrentPublication returns the publication of mineral at stage in force on d.
func (s *Store) CurrentPublication(ctx context.Context, agreementHash, mineral, stage string, d date.Date) (store.Publication, error) {
	p, err := scanPublication(s.pool.QueryRow(ctx, `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = $1 AND p.mineral = $2 AND p.stage = $3 AND p.valid_from <= $4
		AND (p.valid_to IS NULL OR p.valid_to > $4) AND `+notSuperseded+`
		ORDER BY p.valid_from DESC, p.id DESC LIMIT 1`, agreementHash, mineral, stage, d.String()))
	if errors.Is(err, pgx.ErrNoRows) {
		return store.Publication{}, problem.Errorf(problem.NotFound, "no publication of %s/%s in force on %s under agreement %.12s", mineral, stage, d, agreementHash)
	}
	if err != nil {
		return store.Publication{}, fail(fmt.Sprintf("current publication %s/%s %s", mineral, stage, d), err)
	}
	return p, nil
}

// PublicationHistory returns the publications of mineral at stage overlapping [from, to].
func (s *Store) PublicationHistory(ctx context.Context, agreementHash, mineral, stage string, from, to date.Date) ([]store.Publication, error) {
	if to.Before(from) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "to", Message: fmt.Sprintf("to %s is before from %s", to, from)}
	}
	return s.queryPublications(ctx, fmt.Sprintf("publication history %s/%s", mineral, stage), `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = $1 AND p.mineral = $2 AND p.stage = $3 AND p.valid_from <= $4
		AND (p.valid_to IS NULL OR p.valid_to > $5) ORDER BY p.valid_from, p.id`,
		agreementHash, mineral, stage, to.String(), from.String())
}

// ListPublications returns the current publications in force on d.
func (s *Store) ListPublications(ctx context.Context, agreementHash string, d date.Date) ([]store.Publication, error) {
	return s.queryPublications(ctx, "list publications "+d.String(), `SELECT `+publicationColumns+`
		WHERE p.agreement_hash = $1 AND p.valid_from <= $2 AND (p.valid_to IS NULL OR p.valid_to > $2) AND `+notSuperseded+`
		AND NOT EXISTS (SELECT 1 FROM publications n WHERE n.agreement_hash = p.agreement_hash AND n.mineral = p.mineral
			AND n.stage = p.stage AND n.valid_from > p.valid_from AND n.valid_from <= $2)
		ORDER BY p.id`, agreementHash, d.String())
}

func (s *Store) queryPublications(ctx context.Context, op, query string, args ...any) ([]store.Publication, error) {
	rows, err := s.pool.Query(ctx, query, args...)
	if err != nil {
		return nil, fail(op, err)
	}
	ps, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.Publication, error) { return scanPublication(row) })
	if err != nil {
		return nil, fail(op, err)
	}
	if len(ps) == 0 {
		return nil, nil
	}
	return ps, nil
}

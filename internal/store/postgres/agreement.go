package postgres

import (
	"bytes"
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// PutAgreement stores v unless its hash is already stored; see store.Agreements.
func (s *Store) PutAgreement(ctx context.Context, v store.AgreementVersion) (bool, error) {
	if err := store.CheckAgreement(v); err != nil {
		return false, err
	}
	tag, err := s.pool.Exec(ctx, `INSERT INTO agreements (hash, name, canonical, source, stored_at)
		VALUES ($1, $2, $3, $4, $5) ON CONFLICT (hash) DO NOTHING`,
		v.Hash, v.Name, v.Canonical, v.Source, store.Time(v.StoredAt))
	if err != nil {
		return false, fail("put agreement "+v.Hash, err)
	}
	if tag.RowsAffected() == 1 {
		return true, nil
	}
	var stored []byte
	if err := s.pool.QueryRow(ctx, `SELECT canonical FROM agreements WHERE hash = $1`, v.Hash).Scan(&stored); err != nil {
		return false, fail("put agreement "+v.Hash, err)
	}
	if !bytes.Equal(stored, v.Canonical) {
		return false, problem.Errorf(problem.Conflict, "agreement %s is already stored with a different canonical form", v.Hash)
	}
	return false, nil
}

// GetAgreement returns the version with the given hash.
func (s *Store) GetAgreement(ctx context.Context, hash string) (store.AgreementVersion, error) {
	v := store.AgreementVersion{Hash: hash}
	err := s.pool.QueryRow(ctx, `SELECT name, canonical, source, stored_at FROM agreements WHERE hash = $1`, hash).
		Scan(&v.Name, &v.Canonical, &v.Source, &v.StoredAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return store.AgreementVersion{}, problem.Errorf(problem.NotFound, "agreement %s not found", hash)
	}
	if err != nil {
		return store.AgreementVersion{}, fail("get agreement "+hash, err)
	}
	v.StoredAt = v.StoredAt.UTC()
	return v, nil
}

// ListAgreements returns every version without its bytes, oldest first.
func (s *Store) ListAgreements(ctx context.Context) ([]store.AgreementVersion, error) {
	rows, err := s.pool.Query(ctx, `SELECT hash, name, stored_at FROM agreements ORDER BY stored_at, hash COLLATE "C"`)
	if err != nil {
		return nil, fail("list agreements", err)
	}
	vs, err := pgx.CollectRows(rows, func(row pgx.CollectableRow) (store.AgreementVersion, error) {
		var v store.AgreementVersion
		var at time.Time
		err := row.Scan(&v.Hash, &v.Name, &at)
		v.StoredAt = at.UTC()
		return v, err
	})
	if err != nil {
		return nil, fail("list agreements", err)
	}
	if len(vs) == 0 {
		return nil, nil
	}
	return vs, nil
}

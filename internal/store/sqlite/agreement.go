package sqlite

import (
	"bytes"
	"context"
	"database/sql"
	"errors"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// PutAgreement stores v unless its hash is already stored; see store.Agreements.
func (s *Store) PutAgreement(ctx context.Context, v store.AgreementVersion) (bool, error) {
	if err := store.CheckAgreement(v); err != nil {
		return false, err
	}
	res, err := s.db.ExecContext(ctx, `INSERT INTO agreements (hash, name, canonical, source, stored_at)
		VALUES (?, ?, ?, ?, ?) ON CONFLICT (hash) DO NOTHING`,
		v.Hash, v.Name, v.Canonical, nullBytes(v.Source), formatTime(v.StoredAt))
	if err != nil {
		return false, s.fail("put agreement "+v.Hash, err)
	}
	if n, err := res.RowsAffected(); err != nil {
		return false, s.fail("put agreement "+v.Hash, err)
	} else if n == 1 {
		return true, nil
	}
	var stored []byte
	if err := s.db.QueryRowContext(ctx, `SELECT canonical FROM agreements WHERE hash = ?`, v.Hash).Scan(&stored); err != nil {
		return false, s.fail("put agreement "+v.Hash, err)
	}
	if !bytes.Equal(stored, v.Canonical) {
		return false, problem.Errorf(problem.Conflict, "agreement %s is already stored with a different canonical form", v.Hash)
	}
	return false, nil
}

// GetAgreement returns the version with the given hash.
func (s *Store) GetAgreement(ctx context.Context, hash string) (store.AgreementVersion, error) {
	v := store.AgreementVersion{Hash: hash}
	var at string
	err := s.db.QueryRowContext(ctx, `SELECT name, canonical, source, stored_at FROM agreements WHERE hash = ?`, hash).
		Scan(&v.Name, &v.Canonical, &v.Source, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return store.AgreementVersion{}, problem.Errorf(problem.NotFound, "agreement %s not found", hash)
	}
	if err != nil {
		return store.AgreementVersion{}, s.fail("get agreement "+hash, err)
	}
	if v.StoredAt, err = parseTime(at); err != nil {
		return store.AgreementVersion{}, s.fail("get agreement "+hash, err)
	}
	return v, nil
}

// ListAgreements returns every version without its bytes, oldest first.
func (s *Store) ListAgreements(ctx context.Context) ([]store.AgreementVersion, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT hash, name, stored_at FROM agreements ORDER BY stored_at, hash`)
	if err != nil {
		return nil, s.fail("list agreements", err)
	}
	defer rows.Close()
	var vs []store.AgreementVersion
	for rows.Next() {
		var v store.AgreementVersion
		var at string
		if err := rows.Scan(&v.Hash, &v.Name, &at); err != nil {
			return nil, s.fail("list agreements", err)
		}
		if v.StoredAt, err = parseTime(at); err != nil {
			return nil, s.fail("list agreements", err)
		}
		vs = append(vs, v)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list agreements", err)
	}
	return vs, nil
}

// nullBytes keeps the difference between no bytes (NULL) and empty bytes.
func nullBytes(b []byte) any {
	if b == nil {
		return nil
	}
	return b
}

package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"

	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var _ store.Tokens = (*Store)(nil)

const tokenColumns = `id, hash, name, role, party, created_at, expires_at, revoked_at, created_by`

// PutToken stores a new token; see auth.TokenStore.
func (s *Store) PutToken(ctx context.Context, t auth.Token) error {
	if err := store.CheckToken(t); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tokens (`+tokenColumns+`) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			t.ID, t.Hash, t.Name, string(t.Role), t.Party, store.Time(t.CreatedAt), store.Time(t.ExpiresAt), timeOrNil(t.RevokedAt), t.CreatedBy); err != nil {
			return err
		}
		// The token's audit record, in its transaction: by its issuer, when issued.
		_, err := appendAudit(ctx, tx, []store.AuditRecord{store.TokenAudit(store.ActionTokenCreate, t, t.CreatedBy, t.CreatedAt)})
		return err
	})
	if err != nil {
		var pe *pgconn.PgError
		if errors.As(err, &pe) && pe.Code == "23505" {
			return problem.Errorf(problem.Conflict, "store: token %s already exists", t.ID)
		}
		return fail("put token "+t.ID, err)
	}
	return nil
}

// GetToken returns one token; see auth.TokenStore.
func (s *Store) GetToken(ctx context.Context, id string) (auth.Token, error) {
	t, err := scanToken(s.pool.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = $1`, id))
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.Token{}, store.TokenNotFound(id)
	}
	if err != nil {
		return auth.Token{}, fail("get token "+id, err)
	}
	return t, nil
}

// ListTokens returns every token; see auth.TokenStore.
func (s *Store) ListTokens(ctx context.Context) ([]auth.Token, error) {
	rows, err := s.pool.Query(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, fail("list tokens", err)
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, fail("list tokens", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, fail("list tokens", err)
	}
	return out, nil
}

// RevokeToken revokes a token and deletes its sessions; see auth.TokenStore.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time, by string) (auth.Token, error) {
	if by == "" {
		return auth.Token{}, problem.Errorf(problem.Invalid, "store: revoking token %s: who revokes it is not said", id)
	}
	var t auth.Token
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		ct, err := tx.Exec(ctx, `UPDATE tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL`, store.Time(at), id)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE token_id = $1`, id); err != nil {
			return err
		}
		if t, err = scanToken(tx.QueryRow(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = $1`, id)); err != nil {
			return err
		}
		if ct.RowsAffected() != 1 { // a revocation of a revoked token changes nothing and records nothing
			return nil
		}
		_, err = appendAudit(ctx, tx, []store.AuditRecord{store.TokenAudit(store.ActionTokenRevoke, t, by, at)})
		return err
	})
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.Token{}, store.TokenNotFound(id)
	}
	if err != nil {
		return auth.Token{}, fail("revoke token "+id, err)
	}
	return t, nil
}

// PutSession stores a new session, and drops the sessions expired by its
// creation time so that the table does not grow; see auth.TokenStore.
func (s *Store) PutSession(ctx context.Context, ss auth.Session) error {
	if err := store.CheckSession(ss); err != nil {
		return err
	}
	err := pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `DELETE FROM sessions WHERE expires_at <= $1`, store.Time(ss.CreatedAt)); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `INSERT INTO sessions (hash, token_id, created_at, expires_at) VALUES ($1, $2, $3, $4)`,
			ss.Hash, ss.TokenID, store.Time(ss.CreatedAt), store.Time(ss.ExpiresAt))
		return err
	})
	if err != nil {
		var pe *pgconn.PgError
		switch {
		case errors.As(err, &pe) && pe.Code == "23503":
			return store.TokenNotFound(ss.TokenID)
		case errors.As(err, &pe) && pe.Code == "23505":
			return problem.Errorf(problem.Conflict, "store: the session exists already")
		}
		return fail("put session", err)
	}
	return nil
}

// GetSession returns one session; see auth.TokenStore.
func (s *Store) GetSession(ctx context.Context, hash []byte) (auth.Session, error) {
	var ss auth.Session
	err := s.pool.QueryRow(ctx, `SELECT hash, token_id, created_at, expires_at FROM sessions WHERE hash = $1`, hash).
		Scan(&ss.Hash, &ss.TokenID, &ss.CreatedAt, &ss.ExpiresAt)
	if errors.Is(err, pgx.ErrNoRows) {
		return auth.Session{}, store.SessionNotFound()
	}
	if err != nil {
		return auth.Session{}, fail("get session", err)
	}
	ss.CreatedAt, ss.ExpiresAt = ss.CreatedAt.UTC(), ss.ExpiresAt.UTC()
	return ss, nil
}

// DeleteSession removes a session; see auth.TokenStore.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.pool.Exec(ctx, `DELETE FROM sessions WHERE hash = $1`, hash); err != nil {
		return fail("delete session", err)
	}
	return nil
}

func scanToken(row pgx.Row) (auth.Token, error) {
	var t auth.Token
	var role string
	var revoked *time.Time
	if err := row.Scan(&t.ID, &t.Hash, &t.Name, &role, &t.Party, &t.CreatedAt, &t.ExpiresAt, &revoked, &t.CreatedBy); err != nil {
		return auth.Token{}, err
	}
	t.Role = auth.Role(role)
	t.CreatedAt, t.ExpiresAt = t.CreatedAt.UTC(), t.ExpiresAt.UTC()
	if revoked != nil {
		t.RevokedAt = revoked.UTC()
	}
	return t, nil
}

func timeOrNil(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return store.Time(t)
}

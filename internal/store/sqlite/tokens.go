package sqlite

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"time"

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
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("put token "+t.ID, err)
	}
	defer tx.Rollback()
	_, err = tx.ExecContext(ctx, `INSERT INTO tokens (`+tokenColumns+`) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, t.Hash, t.Name, string(t.Role), t.Party, formatTime(t.CreatedAt), formatTime(t.ExpiresAt), nullTime(t.RevokedAt), t.CreatedBy)
	if err != nil {
		if strings.Contains(err.Error(), "UNIQUE") || strings.Contains(err.Error(), "PRIMARY KEY") {
			return problem.Errorf(problem.Conflict, "store: token %s already exists", t.ID)
		}
		return s.fail("put token "+t.ID, err)
	}
	// The token's audit record, in its transaction: by its issuer, when issued.
	if _, err := s.appendAudit(ctx, tx, []store.AuditRecord{store.TokenAudit(store.ActionTokenCreate, t, t.CreatedBy, t.CreatedAt)}); err != nil {
		return s.fail("put token "+t.ID, err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("put token "+t.ID, err)
	}
	return nil
}

// GetToken returns one token; see auth.TokenStore.
func (s *Store) GetToken(ctx context.Context, id string) (auth.Token, error) {
	t, err := scanToken(s.db.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Token{}, store.TokenNotFound(id)
	}
	if err != nil {
		return auth.Token{}, s.fail("get token "+id, err)
	}
	return t, nil
}

// ListTokens returns every token; see auth.TokenStore.
func (s *Store) ListTokens(ctx context.Context) ([]auth.Token, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT `+tokenColumns+` FROM tokens ORDER BY created_at, id`)
	if err != nil {
		return nil, s.fail("list tokens", err)
	}
	defer rows.Close()
	var out []auth.Token
	for rows.Next() {
		t, err := scanToken(rows)
		if err != nil {
			return nil, s.fail("list tokens", err)
		}
		out = append(out, t)
	}
	if err := rows.Err(); err != nil {
		return nil, s.fail("list tokens", err)
	}
	return out, nil
}

// RevokeToken revokes a token and deletes its sessions; see auth.TokenStore.
func (s *Store) RevokeToken(ctx context.Context, id string, at time.Time, by string) (auth.Token, error) {
	if by == "" {
		return auth.Token{}, problem.Errorf(problem.Invalid, "store: revoking token %s: who revokes it is not said", id)
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	defer tx.Rollback()
	res, err := tx.ExecContext(ctx, `UPDATE tokens SET revoked_at = ? WHERE id = ? AND revoked_at IS NULL`, formatTime(at), id)
	if err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	changed, err := res.RowsAffected()
	if err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE token_id = ?`, id); err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	t, err := scanToken(tx.QueryRowContext(ctx, `SELECT `+tokenColumns+` FROM tokens WHERE id = ?`, id))
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Token{}, store.TokenNotFound(id)
	}
	if err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	if changed == 1 { // a revocation of a revoked token changes nothing and records nothing
		if _, err := s.appendAudit(ctx, tx, []store.AuditRecord{store.TokenAudit(store.ActionTokenRevoke, t, by, at)}); err != nil {
			return auth.Token{}, s.fail("revoke token "+id, err)
		}
	}
	if err := tx.Commit(); err != nil {
		return auth.Token{}, s.fail("revoke token "+id, err)
	}
	return t, nil
}

// PutSession stores a new session, and drops the sessions expired by its
// creation time so that the table does not grow; see auth.TokenStore.
func (s *Store) PutSession(ctx context.Context, ss auth.Session) error {
	if err := store.CheckSession(ss); err != nil {
		return err
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("put session", err)
	}
	defer tx.Rollback()
	if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE expires_at <= ?`, formatTime(ss.CreatedAt)); err != nil {
		return s.fail("put session", err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (hash, token_id, created_at, expires_at) VALUES (?, ?, ?, ?)`,
		ss.Hash, ss.TokenID, formatTime(ss.CreatedAt), formatTime(ss.ExpiresAt)); err != nil {
		switch msg := err.Error(); {
		case strings.Contains(msg, "FOREIGN KEY"):
			return store.TokenNotFound(ss.TokenID)
		case strings.Contains(msg, "UNIQUE") || strings.Contains(msg, "PRIMARY KEY"):
			return problem.Errorf(problem.Conflict, "store: the session exists already")
		}
		return s.fail("put session", err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("put session", err)
	}
	return nil
}

// GetSession returns one session; see auth.TokenStore.
func (s *Store) GetSession(ctx context.Context, hash []byte) (auth.Session, error) {
	var ss auth.Session
	var created, expires string
	err := s.db.QueryRowContext(ctx, `SELECT hash, token_id, created_at, expires_at FROM sessions WHERE hash = ?`, hash).
		Scan(&ss.Hash, &ss.TokenID, &created, &expires)
	if errors.Is(err, sql.ErrNoRows) {
		return auth.Session{}, store.SessionNotFound()
	}
	if err == nil {
		ss.CreatedAt, err = parseTime(created)
	}
	if err == nil {
		ss.ExpiresAt, err = parseTime(expires)
	}
	if err != nil {
		return auth.Session{}, s.fail("get session", err)
	}
	return ss, nil
}

// DeleteSession removes a session; see auth.TokenStore.
func (s *Store) DeleteSession(ctx context.Context, hash []byte) error {
	if _, err := s.db.ExecContext(ctx, `DELETE FROM sessions WHERE hash = ?`, hash); err != nil {
		return s.fail("delete session", err)
	}
	return nil
}

func scanToken(row scanner) (auth.Token, error) {
	var t auth.Token
	var role, created, expires string
	var revoked sql.NullString
	if err := row.Scan(&t.ID, &t.Hash, &t.Name, &role, &t.Party, &created, &expires, &revoked, &t.CreatedBy); err != nil {
		return auth.Token{}, err
	}
	t.Role = auth.Role(role)
	var err error
	if t.CreatedAt, err = parseTime(created); err != nil {
		return auth.Token{}, err
	}
	if t.ExpiresAt, err = parseTime(expires); err != nil {
		return auth.Token{}, err
	}
	if revoked.Valid {
		if t.RevokedAt, err = parseTime(revoked.String); err != nil {
			return auth.Token{}, err
		}
	}
	return t, nil
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return formatTime(t)
}

// Package postgres is mineralpact's production store: PostgreSQL through pgx's
// connection pool. API nodes keep no state, so many `mineralpact serve`
// processes share one database; migrations take an advisory lock so that nodes
// starting together apply them once.
package postgres

import (
	"context"
	"embed"
	"fmt"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Store is a PostgreSQL-backed store.Store.
type Store struct {
	pool *pgxpool.Pool
}

var _ store.Store = (*Store)(nil)

// Open connects to the database named by dsn (a postgres:// URL or a
// keyword/value string, as libpq reads them) and migrates it. Tables live in the
// first schema of the connection's search_path; a search_path parameter in the
// DSN chooses it.
func Open(ctx context.Context, dsn string) (*Store, error) {
	cfg, err := pgxpool.ParseConfig(dsn)
	if err != nil {
		// pgx's message may quote the DSN and its password: do not repeat it.
		return nil, problem.Errorf(problem.Invalid, "postgres: cannot parse the connection string; want postgres://user:password@host:port/database?sslmode=disable")
	}
	pool, err := pgxpool.NewWithConfig(ctx, cfg)
	if err != nil {
		return nil, fail("open", err)
	}
	if err := pool.Ping(ctx); err != nil {
		pool.Close()
		return nil, fail(fmt.Sprintf("connect to %s:%d/%s as %s", cfg.ConnConfig.Host, cfg.ConnConfig.Port, cfg.ConnConfig.Database, cfg.ConnConfig.User), err)
	}
	s := &Store{pool: pool}
	if err := s.Migrate(ctx); err != nil {
		pool.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the pool.
func (s *Store) Close() error {
	s.pool.Close()
	return nil
}

// Migrate applies, in order and in one transaction, each embedded migration not
// yet recorded in schema_migrations. A transaction-scoped advisory lock, keyed
// by the schema, makes concurrent callers wait for each other.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := store.Migrations(migrationFiles, "migrations")
	if err != nil {
		return &problem.Error{Code: problem.Internal, Message: "postgres: " + err.Error(), Err: err}
	}
	err = pgx.BeginFunc(ctx, s.pool, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `SELECT pg_advisory_xact_lock(hashtext('mineralpact migrate ' || current_schema()))`); err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
			version    INTEGER PRIMARY KEY,
			name       TEXT NOT NULL,
			applied_at TIMESTAMPTZ NOT NULL DEFAULT now()
		)`); err != nil {
			return err
		}
		var newest int
		if err := tx.QueryRow(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
			return err
		}
		if newest > len(ms) {
			return problem.Errorf(problem.Internal, "postgres: schema is at version %d, newer than this program's %d; upgrade mineralpact", newest, len(ms))
		}
		for _, m := range ms[newest:] {
			if _, err := tx.Exec(ctx, m.SQL); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
			if _, err := tx.Exec(ctx, `INSERT INTO schema_migrations (version, name) VALUES ($1, $2)`, m.Version, m.Name); err != nil {
				return fmt.Errorf("%s: %w", m.Name, err)
			}
		}
		return nil
	})
	if err != nil {
		if _, ok := err.(*problem.Error); ok {
			return err
		}
		return fail("migrate", err)
	}
	return nil
}

// fail wraps a database error as an internal problem naming the operation.
func fail(op string, err error) error {
	return &problem.Error{Code: problem.Internal, Message: fmt.Sprintf("postgres: %s: %v", op, err), Err: err}
}

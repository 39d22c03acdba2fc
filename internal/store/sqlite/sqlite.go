// Package sqlite is mineralpact's default store: one SQLite file, embedded and
// pure Go (modernc.org/sqlite, no cgo), so `mineralpact serve` needs nothing
// installed. The file is opened in WAL mode, so readers do not block the
// writer, with a busy timeout, so writers wait for each other instead of
// failing, and with foreign keys enforced.
package sqlite

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"net/url"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// busyTimeout is how long a writer waits for another before SQLite gives up.
const busyTimeout = 10 * time.Second

// maxIdleConns is how many pooled connections stay open between requests.
const maxIdleConns = 32

// timeFormat is how times are kept: fixed width and UTC, so that the text order
// of a column is its time order.
const timeFormat = "2006-01-02T15:04:05.000000Z"

// Store is an SQLite-backed store.Store.
type Store struct {
	db    *sql.DB
	path  string
	stmts stmtCache // statements of the hot paths, prepared once
}

var _ store.Store = (*Store)(nil)

// Open opens the SQLite database at path, creating the file if it does not
// exist, and migrates it.
func Open(ctx context.Context, path string) (*Store, error) {
	if path == "" {
		return nil, problem.Errorf(problem.Invalid, "sqlite: database path is empty")
	}
	// Pragmas go in the DSN so that every pooled connection gets them;
	// _txlock=immediate makes each transaction take the write lock at BEGIN, so
	// two writers queue on busy_timeout rather than deadlocking on an upgrade.
	q := url.Values{}
	q.Add("_pragma", fmt.Sprintf("busy_timeout(%d)", busyTimeout.Milliseconds()))
	q.Add("_pragma", "journal_mode(WAL)")
	q.Add("_pragma", "foreign_keys(1)")
	q.Add("_pragma", "synchronous(NORMAL)")
	q.Set("_txlock", "immediate")
	dsn := "file:" + (&url.URL{Path: path}).EscapedPath() + "?" + q.Encode()
	db, err := sql.Open("sqlite", dsn)
	if err != nil {
		return nil, &problem.Error{Code: problem.Internal, Message: fmt.Sprintf("sqlite: open %s: %v", path, err), Err: err}
	}
	// Keep connections open: each new one runs the pragmas, and the API's
	// readers run many at once (database/sql keeps only 2 idle by default).
	db.SetMaxIdleConns(maxIdleConns)
	s := &Store{db: db, path: path}
	if err := db.PingContext(ctx); err != nil {
		db.Close()
		return nil, s.fail("open", err)
	}
	if err := s.Migrate(ctx); err != nil {
		db.Close()
		return nil, err
	}
	return s, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

// Migrate applies, in order, each embedded migration not yet recorded in
// schema_migrations, each in its own transaction.
func (s *Store) Migrate(ctx context.Context) error {
	ms, err := store.Migrations(migrationFiles, "migrations")
	if err != nil {
		return &problem.Error{Code: problem.Internal, Message: "sqlite: " + err.Error(), Err: err}
	}
	if _, err := s.db.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP
	)`); err != nil {
		return s.fail("migrate", err)
	}
	var newest int
	if err := s.db.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&newest); err != nil {
		return s.fail("migrate", err)
	}
	if newest > len(ms) {
		return problem.Errorf(problem.Internal, "sqlite: %s: schema is at version %d, newer than this program's %d; upgrade mineralpact", s.path, newest, len(ms))
	}
	for _, m := range ms {
		if err := s.apply(ctx, m); err != nil {
			return err
		}
	}
	return nil
}

func (s *Store) apply(ctx context.Context, m store.Migration) error {
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return s.fail("migrate", err)
	}
	defer tx.Rollback()
	var n int
	if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM schema_migrations WHERE version = ?`, m.Version).Scan(&n); err != nil {
		return s.fail("migrate "+m.Name, err)
	}
	if n > 0 {
		return nil
	}
	if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
		return s.fail("migrate "+m.Name, err)
	}
	if _, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name) VALUES (?, ?)`, m.Version, m.Name); err != nil {
		return s.fail("migrate "+m.Name, err)
	}
	if err := tx.Commit(); err != nil {
		return s.fail("migrate "+m.Name, err)
	}
	return nil
}

// fail wraps a database error as an internal problem naming the operation.
func (s *Store) fail(op string, err error) error {
	return &problem.Error{Code: problem.Internal, Message: fmt.Sprintf("sqlite: %s: %s: %v", s.path, op, err), Err: err}
}

func formatTime(t time.Time) string { return store.Time(t).Format(timeFormat) }

func parseTime(s string) (time.Time, error) {
	t, err := time.Parse(timeFormat, s)
	if err != nil {
		return time.Time{}, fmt.Errorf("stored time %q: %w", s, err)
	}
	return t, nil
}

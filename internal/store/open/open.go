// Package open chooses a store from a DSN. It is the one place that imports both
// adapters, so that neither package store nor the adapters depend on each other.
package open

import (
	"context"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/postgres"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// Forms lists the DSNs Open accepts, for help texts and error messages.
const Forms = "sqlite:PATH, a PATH ending in .db, postgres://user:password@host:port/database or postgresql://..."

// Open opens and migrates the store named by dsn:
//
//	sqlite:PATH                 SQLite file at PATH, created if missing
//	PATH.db                     the same, for a bare path ending in .db
//	postgres://... or postgresql://...  PostgreSQL
func Open(ctx context.Context, dsn string) (store.Store, error) {
	switch {
	case strings.HasPrefix(dsn, "sqlite:"):
		path := strings.TrimPrefix(dsn, "sqlite:")
		if path == "" {
			return nil, problem.Errorf(problem.Invalid, "store: %q names no file; want sqlite:PATH", dsn)
		}
		return sqlite.Open(ctx, path)
	case strings.HasPrefix(dsn, "postgres://"), strings.HasPrefix(dsn, "postgresql://"):
		return postgres.Open(ctx, dsn)
	case strings.HasSuffix(dsn, ".db") && !strings.Contains(dsn, "://"):
		return sqlite.Open(ctx, dsn)
	}
	return nil, problem.Errorf(problem.Invalid, "store: unknown DSN %q; want one of %s", redact(dsn), Forms)
}

// redact hides what follows a colon in a URL's user information, so that an
// error never repeats a password.
func redact(dsn string) string {
	scheme, rest, ok := strings.Cut(dsn, "://")
	if !ok {
		return dsn
	}
	at := strings.LastIndex(rest, "@")
	if slash := strings.Index(rest, "/"); at < 0 || (slash >= 0 && slash < at) {
		return dsn
	}
	user, _, hasPass := strings.Cut(rest[:at], ":")
	if !hasPass {
		return dsn
	}
	return scheme + "://" + user + ":xxxxx" + rest[at:]
}

package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"

	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/open"
)

// openStore opens the store a --db flag names. For SQLite it first creates
// the file's directory, so that `--db sqlite:var/pact.db` works on a fresh
// checkout (the adapter itself requires the directory to exist).
func openStore(ctx context.Context, dsn string) (store.Store, error) {
	if p, ok := strings.CutPrefix(dsn, "sqlite:"); ok && filepath.Dir(p) != "." {
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			return nil, err
		}
	}
	return open.Open(ctx, dsn)
}

// openStore opens the store dsn names and records in it the loaded
// agreement version, which what is stored next refers to; actor names the
// command in the audit trail.
func (l *loaded) openStore(ctx context.Context, dsn, actor string) (store.Store, error) {
	st, err := openStore(ctx, dsn)
	if err != nil {
		return nil, err
	}
	if err := recordAgreement(ctx, st, l.agreement, l.source, actor); err != nil {
		st.Close()
		return nil, err
	}
	return st, nil
}

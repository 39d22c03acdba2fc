package sqlite

import (
	"context"
	"path/filepath"
	"testing"

	"github.com/mineralpact/mineralpact/internal/store"
)

// TestPragmas checks the settings every pooled connection must carry.
func TestPragmas(t *testing.T) {
	ctx := context.Background()
	s, err := Open(ctx, filepath.Join(t.TempDir(), "p.db"))
	if err != nil {
		t.Fatalf("Open error: %v", err)
	}
	defer s.Close()
	s.db.SetMaxIdleConns(0) // each query on a new connection
	tests := []struct {
		pragma, want string
	}{
		{"journal_mode", "wal"},
		{"foreign_keys", "1"},
		{"busy_timeout", "10000"},
	}
	for _, tt := range tests {
		var got string
		if err := s.db.QueryRowContext(ctx, "PRAGMA "+tt.pragma).Scan(&got); err != nil {
			t.Fatalf("PRAGMA %s error: %v", tt.pragma, err)
		}
		if got != tt.want {
			t.Errorf("PRAGMA %s = %s, want %s", tt.pragma, got, tt.want)
		}
	}
	ms, err := store.Migrations(migrationFiles, "migrations")
	if err != nil {
		t.Fatal(err)
	}
	var versions int
	if err := s.db.QueryRowContext(ctx, "SELECT count(*) FROM schema_migrations").Scan(&versions); err != nil || versions != len(ms) {
		t.Errorf("schema_migrations holds %d versions (%v), want %d", versions, err, len(ms))
	}
	_, err = s.db.ExecContext(ctx, `INSERT INTO quota_allocations (quota_id, period_start, declaration_id, quantity) VALUES ('q', '2026-01-01', 'd', '1')`)
	if err == nil {
		t.Errorf("allocation against a missing quota balance was accepted; foreign keys are off")
	}
}

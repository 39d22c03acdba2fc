package sqlite_test

import (
	"context"
	"database/sql"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

func open(t *testing.T, path string) *sqlite.Store {
	t.Helper()
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s) error: %v", path, err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, filepath.Join(t.TempDir(), "mineralpact.db"))
	})
}

// TestOpenCreatesAndKeeps checks that the first start creates the file and a
// second start finds the data again.
func TestOpenCreatesAndKeeps(t *testing.T) {
	path := filepath.Join(t.TempDir(), "dir with space", "pact #1.db")
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	s, err := sqlite.Open(context.Background(), path)
	if err != nil {
		t.Fatalf("Open(%s) error: %v", path, err)
	}
	if _, err := os.Stat(path); err != nil {
		t.Fatalf("after Open, the database file is missing: %v", err)
	}
	if _, err := s.AppendAudit(context.Background(), store.AuditRecord{At: time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC), Actor: "a", Action: "b", Subject: "c"}); err != nil {
		t.Fatalf("AppendAudit error: %v", err)
	}
	if err := s.Close(); err != nil {
		t.Fatalf("Close error: %v", err)
	}
	s2 := open(t, path)
	got, err := s2.ListAudit(context.Background(), "c", 0)
	if err != nil || len(got) != 1 {
		t.Fatalf("after reopening, ListAudit = %d records, %v; want 1, nil", len(got), err)
	}
}

func TestOpenMissingDirectory(t *testing.T) {
	path := filepath.Join(t.TempDir(), "missing", "x.db")
	if _, err := sqlite.Open(context.Background(), path); err == nil {
		t.Fatalf("Open(%s) in a missing directory error = nil, want one", path)
	}
}

// TestLedgerCheck and TestAuditChain tamper with the file behind the
// store's back: openTampered gives the store and a way to do it.
func TestLedgerCheck(t *testing.T) { storetest.RunLedgerCheck(t, openTampered) }

func TestAuditChain(t *testing.T) { storetest.RunAuditChain(t, openTampered) }

func TestRowAudit(t *testing.T) { storetest.RunRowAudit(t, openTampered) }

func TestMonitorAudit(t *testing.T) { storetest.RunMonitorAudit(t, openTampered) }

func openTampered(t *testing.T) (store.Store, func(string) error) {
	path := filepath.Join(t.TempDir(), "mineralpact.db")
	return open(t, path), func(stmt string) error {
		db, err := sql.Open("sqlite", path)
		if err != nil {
			return err
		}
		defer db.Close()
		_, err = db.Exec(stmt)
		return err
	}
}

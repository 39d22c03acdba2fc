package postgres_test

import (
	"context"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/jackc/pgx/v5"

	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/postgres"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
	"github.com/mineralpact/mineralpact/internal/store/storetest"
)

func open(t *testing.T, dsn string) *postgres.Store {
	t.Helper()
	s, err := postgres.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open error: %v", err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func TestConformance(t *testing.T) {
	storetest.Run(t, func(t *testing.T) store.Store {
		return open(t, pgtest.DSN(t))
	})
}

// TestConcurrentOpen is several API nodes starting at once on an empty
// database: each must find the schema migrated exactly once.
func TestConcurrentOpen(t *testing.T) {
	dsn := pgtest.DSN(t)
	const n = 4
	var wg sync.WaitGroup
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			s, err := postgres.Open(context.Background(), dsn)
			if err == nil {
				s.Close()
			}
			errs[i] = err
		})
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Open #%d error: %v", i, err)
		}
	}
	conn, err := pgx.Connect(context.Background(), dsn)
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close(context.Background())
	files, err := filepath.Glob("migrations/*.sql")
	if err != nil || len(files) == 0 {
		t.Fatalf("migrations/*.sql: %d files, %v", len(files), err)
	}
	var versions int
	if err := conn.QueryRow(context.Background(), "SELECT count(*) FROM schema_migrations").Scan(&versions); err != nil || versions != len(files) {
		t.Errorf("schema_migrations holds %d versions (%v), want %d, one per migration file", versions, err, len(files))
	}
}

func TestOpenBadDSN(t *testing.T) {
	_, err := postgres.Open(context.Background(), "postgres://u:secret@[bad")
	if err == nil {
		t.Fatal("Open(bad DSN) error = nil, want one")
	}
	if strings.Contains(err.Error(), "secret") {
		t.Errorf("Open(bad DSN) error = %q, leaks the password", err)
	}
}

// TestLedgerCheck and TestAuditChain tamper with the schema behind the
// store's back: openTampered gives the store and a way to do it.
func TestLedgerCheck(t *testing.T) { storetest.RunLedgerCheck(t, openTampered) }

func TestAuditChain(t *testing.T) { storetest.RunAuditChain(t, openTampered) }

func TestRowAudit(t *testing.T) { storetest.RunRowAudit(t, openTampered) }

func TestMonitorAudit(t *testing.T) { storetest.RunMonitorAudit(t, openTampered) }

func openTampered(t *testing.T) (store.Store, func(string) error) {
	dsn := pgtest.DSN(t)
	return open(t, dsn), func(stmt string) error {
		conn, err := pgx.Connect(context.Background(), dsn)
		if err != nil {
			return err
		}
		defer conn.Close(context.Background())
		_, err = conn.Exec(context.Background(), stmt)
		return err
	}
}

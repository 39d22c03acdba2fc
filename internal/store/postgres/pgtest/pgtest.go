// Package pgtest gives each PostgreSQL test a database of its own: a fresh
// schema in the database named by MINERALPACT_TEST_POSTGRES, dropped when the
// test ends, so that runs and packages testing at once do not interfere.
package pgtest

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/jackc/pgx/v5"
)

// EnvDSN names the variable holding the test database's DSN.
const EnvDSN = "MINERALPACT_TEST_POSTGRES"

// DSN creates an empty schema for the test, drops it at cleanup, and returns a
// DSN whose search_path points at it. It skips the test when EnvDSN is unset.
func DSN(t testing.TB) string {
	t.Helper()
	dsn := os.Getenv(EnvDSN)
	if dsn == "" {
		t.Skipf("PostgreSQL tests are off: set %s to a database DSN, e.g. %s=postgres://user:pass@localhost:5432/db?sslmode=disable", EnvDSN, EnvDSN)
	}
	var b [6]byte
	rand.Read(b[:])
	schema := "mineralpact_test_" + hex.EncodeToString(b[:])
	exec(t, dsn, "CREATE SCHEMA "+schema)
	t.Cleanup(func() { exec(t, dsn, "DROP SCHEMA "+schema+" CASCADE") })
	return withSearchPath(t, dsn, schema)
}

func exec(t testing.TB, dsn, sql string) {
	t.Helper()
	ctx := context.Background()
	conn, err := pgx.Connect(ctx, dsn)
	if err != nil {
		t.Fatalf("connect to $%s: %v", EnvDSN, err)
	}
	defer conn.Close(ctx)
	if _, err := conn.Exec(ctx, sql); err != nil {
		t.Fatalf("%s: %v", sql, err)
	}
}

func withSearchPath(t testing.TB, dsn, schema string) string {
	t.Helper()
	if !strings.HasPrefix(dsn, "postgres://") && !strings.HasPrefix(dsn, "postgresql://") {
		return dsn + " search_path=" + schema // keyword/value form
	}
	u, err := url.Parse(dsn)
	if err != nil {
		t.Fatalf("$%s is not a URL: %v", EnvDSN, err)
	}
	q := u.Query()
	q.Set("search_path", schema)
	u.RawQuery = q.Encode()
	return u.String()
}

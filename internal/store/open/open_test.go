package open_test

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store/open"
	"github.com/mineralpact/mineralpact/internal/store/postgres"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

func TestOpenSQLite(t *testing.T) {
	dir := t.TempDir()
	tests := []struct {
		dsn, file string
	}{
		{"sqlite:" + filepath.Join(dir, "a.sqlite"), "a.sqlite"},
		{filepath.Join(dir, "b.db"), "b.db"},
	}
	for _, tt := range tests {
		s, err := open.Open(context.Background(), tt.dsn)
		if err != nil {
			t.Fatalf("Open(%q) error: %v", tt.dsn, err)
		}
		if _, ok := s.(*sqlite.Store); !ok {
			t.Errorf("Open(%q) = %T, want *sqlite.Store", tt.dsn, s)
		}
		s.Close()
		if _, err := os.Stat(filepath.Join(dir, tt.file)); err != nil {
			t.Errorf("Open(%q) did not create %s: %v", tt.dsn, tt.file, err)
		}
	}
}

func TestOpenPostgres(t *testing.T) {
	dsn := pgtest.DSN(t)
	s, err := open.Open(context.Background(), dsn)
	if err != nil {
		t.Fatalf("Open($%s in a fresh schema) error: %v", pgtest.EnvDSN, err)
	}
	defer s.Close()
	if _, ok := s.(*postgres.Store); !ok {
		t.Errorf("Open($MINERALPACT_TEST_POSTGRES) = %T, want *postgres.Store", s)
	}
}

func TestOpenInvalid(t *testing.T) {
	tests := []struct {
		dsn  string
		want string // in the message, besides the accepted forms
	}{
		{"", `""`},
		{"sqlite:", "sqlite:PATH"},
		{"mysql://root:hunter2@db/x", "mysql://root:xxxxx@db/x"},
		{"pact.sqlite", "pact.sqlite"},
		{"http://host/x.db", "http://host/x.db"},
	}
	for _, tt := range tests {
		_, err := open.Open(context.Background(), tt.dsn)
		if problem.CodeOf(err) != problem.Invalid {
			t.Errorf("Open(%q) error = %v, want code %s", tt.dsn, err, problem.Invalid)
			continue
		}
		msg := err.Error()
		if !strings.Contains(msg, tt.want) {
			t.Errorf("Open(%q) error = %q, want it to mention %q", tt.dsn, msg, tt.want)
		}
		if strings.Contains(msg, "hunter2") {
			t.Errorf("Open(%q) error = %q, leaks the password", tt.dsn, msg)
		}
		if tt.dsn != "sqlite:" && !strings.Contains(msg, "postgres://") {
			t.Errorf("Open(%q) error = %q, want it to list the accepted forms", tt.dsn, msg)
		}
	}
}

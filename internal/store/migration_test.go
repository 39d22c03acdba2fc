package store_test

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mineralpact/mineralpact/internal/store"
)

func TestMigrations(t *testing.T) {
	fsys := fstest.MapFS{
		"m/0002_more.sql": {Data: []byte("B")},
		"m/0001_init.sql": {Data: []byte("A")},
		"m/README":        {Data: []byte("not a migration")},
	}
	got, err := store.Migrations(fsys, "m")
	if err != nil {
		t.Fatalf("Migrations error: %v", err)
	}
	if len(got) != 2 || got[0].Version != 1 || got[0].Name != "0001_init.sql" || got[0].SQL != "A" || got[1].Version != 2 {
		t.Errorf("Migrations = %+v, want 0001_init.sql then 0002_more.sql", got)
	}
}

func TestMigrationsBad(t *testing.T) {
	tests := []struct {
		name  string
		files []string
		want  string
	}{
		{"gap", []string{"0001_a.sql", "0003_c.sql"}, "want version 0002"},
		{"repeat", []string{"0001_a.sql", "0001_b.sql"}, "want version 0002"},
		{"no number", []string{"init.sql"}, "NNNN_description.sql"},
		{"zero", []string{"0000_a.sql"}, "NNNN_description.sql"},
		{"none", nil, "no migrations"},
	}
	for _, tt := range tests {
		fsys := fstest.MapFS{}
		for _, f := range tt.files {
			fsys["m/"+f] = &fstest.MapFile{Data: []byte("SELECT 1")}
		}
		_, err := store.Migrations(fsys, "m")
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("Migrations(%s) error = %v, want one mentioning %q", tt.name, err, tt.want)
		}
	}
}

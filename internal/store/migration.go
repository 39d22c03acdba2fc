package store

import (
	"fmt"
	"io/fs"
	"path"
	"sort"
	"strconv"
	"strings"
)

// Migration is one step of a dialect's schema, read from a file named
// NNNN_description.sql. Each store embeds its own ordered list and records the
// versions it applied in a schema_migrations table.
type Migration struct {
	Version int    // NNNN, from 1, without gaps
	Name    string // the file name
	SQL     string
}

// Migrations reads the *.sql files in directory dir of fsys, ordered by version. It
// rejects a file that does not start with a version, a repeated version and a
// gap, so that a misnamed file fails every test rather than being skipped.
func Migrations(fsys fs.FS, dir string) ([]Migration, error) {
	names, err := fs.Glob(fsys, path.Join(dir, "*.sql"))
	if err != nil {
		return nil, fmt.Errorf("store: migrations: %w", err)
	}
	var ms []Migration
	for _, name := range names {
		prefix, _, ok := strings.Cut(path.Base(name), "_")
		v, err := strconv.Atoi(prefix)
		if !ok || err != nil || v < 1 {
			return nil, fmt.Errorf("store: migration %s: want a name of the form NNNN_description.sql", name)
		}
		b, err := fs.ReadFile(fsys, name)
		if err != nil {
			return nil, fmt.Errorf("store: migration %s: %w", name, err)
		}
		ms = append(ms, Migration{Version: v, Name: path.Base(name), SQL: string(b)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	for i, m := range ms {
		if m.Version != i+1 {
			return nil, fmt.Errorf("store: migration %s: want version %04d (versions start at 1 without gaps or repeats)", m.Name, i+1)
		}
	}
	if len(ms) == 0 {
		return nil, fmt.Errorf("store: no migrations in %s", dir)
	}
	return ms, nil
}

package data

import (
	"io/fs"
	"os"
	"regexp"
	"slices"
	"strings"
	"testing"
)

// indexRowRE matches a row of the "Every shipped file" table of SOURCES.md:
// a first cell holding one path in backquotes.
var indexRowRE = regexp.MustCompile("^\\|\\s*`([^`]+)`\\s*\\|")

// sourcesIndex returns the rows of the "Every shipped file" table of
// SOURCES.md, by the file each names, with their line numbers; it reports a
// row that does not give a file, an origin, a licence and a conversion.
func sourcesIndex(t *testing.T) map[string][]int {
	t.Helper()
	b, err := os.ReadFile("SOURCES.md")
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(string(b), "\n")
	start := slices.Index(lines, "## Every shipped file")
	if start < 0 {
		t.Fatal(`SOURCES.md has no "## Every shipped file" section`)
	}
	listed := map[string][]int{}
	for i := start + 1; i < len(lines) && !strings.HasPrefix(lines[i], "## "); i++ {
		m := indexRowRE.FindStringSubmatch(lines[i])
		if m == nil {
			continue
		}
		listed[m[1]] = append(listed[m[1]], i+1)
		cells := strings.Split(strings.Trim(lines[i], "| "), "|")
		if len(cells) != 4 {
			t.Errorf("SOURCES.md:%d: %d cells, want 4 (file, origin, licence, conversion)", i+1, len(cells))
			continue
		}
		for j, c := range cells {
			if strings.TrimSpace(c) == "" {
				t.Errorf("SOURCES.md:%d: the %s cell is empty", i+1, []string{"file", "origin", "licence", "conversion"}[j])
			}
		}
	}
	if len(listed) == 0 {
		t.Fatal(`SOURCES.md: the "Every shipped file" table has no rows`)
	}
	return listed
}

// shippedFiles returns every file under data/ (the directory, which holds the
// code and tests as well) and every embedded file, by path under data/.
func shippedFiles(t *testing.T) []string {
	t.Helper()
	var files []string
	for _, fsys := range []fs.FS{os.DirFS("."), FS} {
		err := fs.WalkDir(fsys, ".", func(path string, d fs.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if !d.IsDir() && !slices.Contains(files, path) {
				files = append(files, path)
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	slices.Sort(files)
	return files
}

// TestSourcesListsEveryFile: every file under data/ has its row in
// SOURCES.md's "Every shipped file" table (origin, licence, conversion), once,
// and the table names no file that is not there. The walk covers the
// directory (code and tests included) and the embedded files.
func TestSourcesListsEveryFile(t *testing.T) {
	listed := sourcesIndex(t)
	files := shippedFiles(t)
	for _, f := range files {
		switch n := len(listed[f]); {
		case n == 0:
			t.Errorf("data/%s is not listed in data/SOURCES.md: add a row to its \"Every shipped file\" table with its origin, licence and conversion", f)
		case n > 1:
			t.Errorf("data/%s is listed %d times in data/SOURCES.md (lines %v)", f, n, listed[f])
		}
	}
	for f := range listed {
		if !slices.Contains(files, f) {
			t.Errorf("data/SOURCES.md lists %s, which is not a file under data/", f)
		}
	}
}

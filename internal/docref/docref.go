// Package docref keeps a generated section of a document equal to what the
// code says: a field reference written between two marker lines of a
// Markdown file, checked by a test and rewritten with that test's -update
// flag. The agreement, scenario and project references all use it.
package docref

import (
	"os"
	"strings"
	"testing"
)

// Check compares the text between the markers begin and end of the file at
// path with body. With update it rewrites that text instead; otherwise a
// difference fails t, naming how to update (the command the markers give).
func Check(t testing.TB, path, begin, end, body string, update bool) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	doc := string(b)
	i, j := strings.Index(doc, begin), strings.Index(doc, end)
	if i < 0 || j < i+len(begin) {
		t.Fatalf("%s lacks the markers %q and %q", path, begin, end)
	}
	want := doc[:i+len(begin)] + body + doc[j:]
	if want == doc {
		return
	}
	if update {
		if err := os.WriteFile(path, []byte(want), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	t.Errorf("%s: the generated section after %q is out of date: rerun the test with -update and review the diff", path, begin)
}

package design

import (
	"bytes"
	"testing"
)

// replaceLine returns text with its first line equal to old replaced by new.
func replaceLine(tb testing.TB, text []byte, old, new string) []byte {
	tb.Helper()
	lines := bytes.Split(text, []byte("\n"))
	for i, l := range lines {
		if string(l) == old {
			out := bytes.Clone(text)
			lines2 := bytes.Split(out, []byte("\n"))
			lines2[i] = []byte(new)
			return bytes.Join(lines2, []byte("\n"))
		}
	}
	tb.Fatalf("no line %q in the example", old)
	return nil
}

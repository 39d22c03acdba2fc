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

// replaceAfter replaces the first line equal to old that follows the line
// equal to after.
func replaceAfter(tb testing.TB, text []byte, after, old, new string) []byte {
	tb.Helper()
	lines := bytes.Split(bytes.Clone(text), []byte("\n"))
	seen := false
	for i, l := range lines {
		if string(l) == after {
			seen = true
		}
		if seen && string(l) == old {
			lines[i] = []byte(new)
			return bytes.Join(lines, []byte("\n"))
		}
	}
	tb.Fatalf("no line %q after %q in the example", old, after)
	return nil
}

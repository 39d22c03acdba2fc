package duty

import (
	"bytes"
	"testing"
)

// TestAppendCSV checks that the bulk path's CSV writer and cells, which the
// JSON output and Result use, render every column alike.
func TestAppendCSV(t *testing.T) {
	a := exampleAssessor(t)
	var buf bytes.Buffer
	if err := a.Generate(&buf, GenOptions{N: 3000, Seed: 9}); err != nil {
		t.Fatal(err)
	}
	h, recs := splitLines(t, buf.Bytes())
	var st decodeState
	n := 0
	for i, r := range recs {
		x := decl{row: i + 1}
		if fe := decodeCSVRecord(h, r, &x, &st); fe != nil {
			t.Fatalf("row %d: %v", i+1, fe)
		}
		as, req, err := a.prepare(x)
		if err != nil {
			continue
		}
		if req != nil {
			a.Complete(as, Grant{Granted: req.Quantity, Status: QuotaOpen})
		}
		want, _ := as.cells(nil, nil, true)
		want = append(want, '\n')
		if got := as.appendCSV(nil); !bytes.Equal(got, want) {
			t.Errorf("row %d: appendCSV = %q, want %q", i+1, got, want)
		}
		n++
	}
	if n < 2000 {
		t.Errorf("only %d of %d rows assessed", n, len(recs))
	}
}

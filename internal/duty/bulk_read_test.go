package duty

import (
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/declgen"
)

// Issue 12, "bulk files that never lose a row": a stray quote, an endless
// line, an over-long field and a repeated id each cost their own row only,
// reported at its line; every other row is assessed; the time stays linear.

// cleanRows is n generated declarations without spoiled rows: the header
// and the rows, one a line.
func cleanRows(t *testing.T, a *Assessor, n int) (string, []string) {
	t.Helper()
	text := string(generate(t, a, declgen.Options{N: n, Seed: 11}))
	lines := strings.Split(strings.TrimSuffix(text, "\n"), "\n")
	return lines[0], lines[1:]
}

// bulkRun assesses in (CSV) with a fresh ledger and returns the output
// records, the error records (row, line, id, field, reason) and the ids the
// sink saw, in order.
func bulkRun(t *testing.T, a *Assessor, in string, opt BulkOptions) (out, errs [][]string, sunk []string, sum *Summary) {
	t.Helper()
	a.ledger = NewMemLedger()
	var ob, eb bytes.Buffer
	opt.Sink = func(r *Result) error { sunk = append(sunk, r.ID); return nil }
	sum, err := a.AssessStream(context.Background(), strings.NewReader(in), &ob, &eb, opt)
	if err != nil {
		t.Fatal(err)
	}
	read := func(b []byte) [][]string {
		if opt.Format == "jsonl" {
			var recs [][]string
			for _, l := range strings.Split(strings.TrimSpace(string(b)), "\n") {
				if l != "" {
					recs = append(recs, []string{l})
				}
			}
			return recs
		}
		r := csv.NewReader(bytes.NewReader(b))
		r.FieldsPerRecord = -1
		recs, err := r.ReadAll()
		if err != nil {
			t.Fatalf("reading the output back: %v", err)
		}
		return recs[1:] // the header
	}
	return read(ob.Bytes()), read(eb.Bytes()), sunk, sum
}

func TestBulkUnmatchedQuote(t *testing.T) {
	a := exampleAssessor(t)
	hdr, rows := cleanRows(t, a, 20000)
	// Row 10 gets a quote that never closes, inside its id.
	bad := slices.Clone(rows)
	bad[9] = `"` + bad[9]
	start := time.Now()
	out, errs, sunk, sum := bulkRun(t, a, hdr+"\n"+strings.Join(bad, "\n")+"\n", BulkOptions{})
	took := time.Since(start)
	if sum.Read != 20000 || sum.Rejected != 1 || len(out) != 19999 || len(sunk) != 19999 {
		t.Fatalf("read %d, rejected %d, output %d rows, sink %d; want 20000 read, the stray quote's row alone rejected", sum.Read, sum.Rejected, len(out), len(sunk))
	}
	if e := errs[0]; e[1] != "11" || !strings.Contains(e[4], "does not close within") {
		t.Errorf("error row %q; want line 11 (row 10 after the header) and the unmatched quote named", e)
	}
	// Linear time: the same file without the quote, back to back. The
	// quadratic reader took 60 times as long on 200,000 rows.
	start = time.Now()
	bulkRun(t, a, hdr+"\n"+strings.Join(rows, "\n")+"\n", BulkOptions{})
	if clean := time.Since(start); took > 5*clean+time.Second {
		t.Errorf("with one stray quote %v, without %v: not linear", took, clean)
	}
}

func TestBulkLongLine(t *testing.T) {
	a := exampleAssessor(t)
	hdr, rows := cleanRows(t, a, 300)
	long := strings.Repeat("9", 3<<20) // a 3 MB line, longer than the reader's buffer
	in := hdr + "\n" + strings.Join(rows[:100], "\n") + "\n" + long + "\n" + strings.Join(rows[100:], "\n") + "\n"
	out, errs, _, sum := bulkRun(t, a, in, BulkOptions{})
	if sum.Read != 301 || sum.Rejected != 1 || len(out) != 300 {
		t.Fatalf("read %d, rejected %d, output %d; want the long line alone rejected", sum.Read, sum.Rejected, len(out))
	}
	e := errs[0]
	if e[1] != "102" || !strings.Contains(e[4], fmt.Sprintf("%d bytes long", len(long)+1)) || len(strings.Join(e, ",")) > 1000 {
		t.Errorf("error row (%d bytes) %.300q; want line 102, its length, and not the line echoed", len(strings.Join(e, ",")), e)
	}
	// An over-long field in an ordinary line: the field named, its value cut.
	cols := strings.Split(rows[0], ",")
	cols[3] = strings.Repeat("X", maxFieldBytes+1) // origin
	_, errs, _, sum = bulkRun(t, a, hdr+"\n"+strings.Join(cols, ",")+"\n"+rows[1]+"\n", BulkOptions{})
	if sum.Rejected != 1 || errs[0][3] != "origin" || !strings.Contains(errs[0][4], "more than the 4096") || len(errs[0][4]) > 300 {
		t.Errorf("error row %.300q; want origin too long, its value cut", errs[0])
	}
}

func TestBulkDuplicateIDs(t *testing.T) {
	a := exampleAssessor(t)
	hdr, rows := cleanRows(t, a, 50)
	// Rows 5 and 9 repeat row 2's id (line 3).
	id := strings.SplitN(rows[1], ",", 2)[0]
	dup := slices.Clone(rows)
	for _, i := range []int{4, 8} {
		dup[i] = id + "," + strings.SplitN(dup[i], ",", 2)[1]
	}
	for _, format := range []string{"csv", "jsonl"} {
		in := hdr + "\n" + strings.Join(dup, "\n") + "\n"
		if format == "jsonl" {
			in = csvToJSONLines(t, in)
		}
		out, errs, sunk, sum := bulkRun(t, a, in, BulkOptions{Format: format})
		if sum.Rejected != 2 || len(out) != 48 || len(sunk) != 48 {
			t.Fatalf("%s: rejected %d, output %d, sink %d; want the two repeats rejected, 48 in the output and the store", format, sum.Rejected, len(out), len(sunk))
		}
		for k, e := range errs {
			line := fmt.Sprint([]int{6, 10}[k])
			if format == "jsonl" { // no header: a line less
				line = fmt.Sprint([]int{5, 9}[k])
				if !strings.Contains(e[0], `"line":`+line+",") || !strings.Contains(e[0], "at line 2 of this file") {
					t.Errorf("%s: error %s; want line %s naming line 2", format, e[0], line)
				}
			} else if e[1] != line || e[2] != id || e[3] != "id" || !strings.Contains(e[4], "at line 3 of this file") {
				t.Errorf("%s: error %q; want line %s, id %s, naming line 3", format, e, line, id)
			}
		}
		n := 0
		for _, s := range sunk {
			if s == id {
				n++
			}
		}
		if n != 1 {
			t.Errorf("%s: the store got id %s %d times, want once", format, id, n)
		}
	}
	// DecodeCSV (the design loop's reader) rejects the same rows.
	ds, bad, err := DecodeCSV(strings.NewReader(hdr+"\n"+strings.Join(dup, "\n")+"\n"), 2)
	if err != nil || len(ds) != 48 || len(bad) != 2 || bad[0].Line != 6 || bad[1].Line != 10 {
		t.Errorf("DecodeCSV: %d declarations, rejects %v, %v; want 48 and lines 6 and 10", len(ds), bad, err)
	}
}

// TestBulkJSONLEscapedQuote: in JSON Lines a record is a line; an escaped
// quote in a string used to open a "field" that swallowed the next line.
func TestBulkJSONLEscapedQuote(t *testing.T) {
	a := exampleAssessor(t)
	hdr, rows := cleanRows(t, a, 3)
	in := csvToJSONLines(t, hdr+"\n"+strings.Join(rows, "\n")+"\n")
	in = strings.Replace(in, `"id":"`, `"id":"A\"`, 1)
	out, errs, _, sum := bulkRun(t, a, in, BulkOptions{Format: "jsonl"})
	if sum.Read != 3 || len(out) != 3 {
		t.Errorf("read %d, %d assessed, errors %q; want 3 and 3", sum.Read, len(out), errs)
	}
}

func csvToJSONLines(t *testing.T, in string) string {
	t.Helper()
	recs, err := csv.NewReader(strings.NewReader(in)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var b strings.Builder
	for _, r := range recs[1:] {
		b.WriteString("{")
		for i, c := range recs[0] {
			if i > 0 {
				b.WriteString(",")
			}
			fmt.Fprintf(&b, "%q:%q", c, r[i])
		}
		b.WriteString("}\n")
	}
	return b.String()
}

// TestIDSet: every id added once is new, every id added again names its
// first line: in order, out of order from the start, and in order then out
// of it (the switch to the hash table), across the table's growth.
func TestIDSet(t *testing.T) {
	const n = 100000
	id := func(i int) []byte { return []byte(fmt.Sprintf("D%08d", i)) }
	orders := map[string]func(i int) int{
		"in order":           func(i int) int { return i },
		"out of order":       func(i int) int { return (i * 7919) % n }, // 7919 is prime: a permutation
		"in order, then not": func(i int) int { return map[bool]int{true: i, false: n + n/2 - 1 - i}[i < n/2] },
	}
	for name, at := range orders {
		var s idSet
		for i := range n {
			if _, seen := s.add(id(at(i)), i+2); seen {
				t.Fatalf("%s: id %d: seen before it was added", name, at(i))
			}
		}
		for i := 0; i < n; i += 7 {
			first, seen := s.add(id(at(i)), 999999)
			if !seen || first != i+2 {
				t.Fatalf("%s: id %d again: %d, %v; want line %d", name, at(i), first, seen, i+2)
			}
		}
		if _, seen := s.add([]byte("D0000000"), 1); seen { // a prefix of an id is another id
			t.Errorf("%s: a prefix of an id was taken for it", name)
		}
	}
}

// TestTextPolicy: an id, exporter or undertaking that is not UTF-8 or holds
// a control character is refused at the edge, naming the field and the byte,
// by every path (ReadDeclaration is the API's); printable UTF-8 passes.
func TestTextPolicy(t *testing.T) {
	base := map[string]string{"id": "T1", "accepted_on": "2026-03-10", "importer": "US", "origin": "CL", "hs_code": "283691",
		"quantity": "10", "unit": "t", "customs_value": "30000", "currency": "USD", "incoterm": "FOB"}
	cases := []struct {
		field, value, want string
	}{
		{"id", "T\x001", "control character U+0000 at byte 1"},
		{"id", "T\xff1", "is not UTF-8 (byte 1)"},
		{"id", "T\u00851", "control character U+0085 at byte 1"}, // NEL, a C1 control
		{"exporter_id", "EXP\n", ""},                             // trimmed: a line end at the edge goes
		{"exporter_id", "EX\nP", "control character U+000A at byte 2"},
		{"undertaking_id", "U\x1b[31m", "control character U+001B at byte 1"},
		{"id", "Ünïcödé-№1", ""},
	}
	for _, c := range cases {
		f := maps.Clone(base)
		f[c.field] = c.value
		_, err := ReadDeclaration(f)
		var fe *FieldError
		switch {
		case c.want == "" && err != nil:
			t.Errorf("%s = %q: %v; want it read", c.field, c.value, err)
		case c.want != "" && (!errors.As(err, &fe) || fe.Err.Field != c.field || !strings.Contains(fe.Err.Message, c.want)):
			t.Errorf("%s = %q: %v; want %s refused: %s", c.field, c.value, err, c.field, c.want)
		}
	}
}

// TestJSONLDuplicateKey: a declaration whose JSON object gives a key twice
// is refused naming the key, in bulk as by the API, not read with its last
// value.
func TestJSONLDuplicateKey(t *testing.T) {
	a := exampleAssessor(t)
	hdr, rows := cleanRows(t, a, 2)
	in := csvToJSONLines(t, hdr+"\n"+strings.Join(rows, "\n")+"\n")
	in = strings.Replace(in, `"origin":`, `"origin":"XX","origin":`, 1)
	out, errs, _, sum := bulkRun(t, a, in, BulkOptions{Format: "jsonl"})
	if sum.Rejected != 1 || len(out) != 1 || !strings.Contains(errs[0][0], `duplicate key \"origin\"`) {
		t.Errorf("rejected %d, output %d, errors %q; want the first row refused on its duplicate origin", sum.Rejected, len(out), errs)
	}
}

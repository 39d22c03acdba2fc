package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/parquet-go/parquet-go"
)

// TestAssessParquet checks that --out-format parquet writes the rows of the
// CSV output, cell by cell (testdata/assess-small.csv.golden), whether the
// declarations come as CSV or as JSON Lines, to a file or to a pipe, and
// that its schema is the one in testdata/assess-small.parquet-schema.golden.
func TestAssessParquet(t *testing.T) {
	want := readCSVFile(t, "testdata/assess-small.csv.golden")
	dir := t.TempDir()
	jsonl := filepath.Join(dir, "small.jsonl")
	os.WriteFile(jsonl, csvToJSONL(t, "testdata/assess-small.csv"), 0o644)
	cases := []struct {
		name string
		args []string
		file string // the Parquet file, or "" for standard output
	}{
		{"csv to file", []string{"--in", "testdata/assess-small.csv", "--out", filepath.Join(dir, "a.parquet")}, filepath.Join(dir, "a.parquet")},
		{"csv to pipe", []string{"--in", "testdata/assess-small.csv"}, ""},
		{"jsonl with trace", []string{"--in", jsonl, "--trace", "--out", filepath.Join(dir, "b.parquet")}, filepath.Join(dir, "b.parquet")},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			args := append([]string{"assess", "--agreement", dutyTestAgreement, "--out-format", "parquet", "--errors", filepath.Join(dir, "e")}, tc.args...)
			out, stderr, code := runCLI(t, args...)
			if code != exitOK {
				t.Fatalf("assess %v = exit %d: %s", tc.args, code, stderr)
			}
			if !strings.Contains(stderr, "rows read 7, assessed 5, rejected 2") {
				t.Errorf("summary: %q", stderr)
			}
			b := []byte(out)
			if tc.file != "" {
				var err error
				if b, err = os.ReadFile(tc.file); err != nil {
					t.Fatal(err)
				}
			}
			schema, got := readParquetRows(t, b)
			if tc.name == "csv to file" {
				golden(t, "assess-small.parquet-schema.golden", schema)
			}
			if len(got) != len(want) {
				t.Fatalf("parquet has %d rows with the header, CSV %d", len(got), len(want))
			}
			for r := range want {
				for c := range want[r] {
					if got[r][c] != want[r][c] {
						t.Errorf("row %d %s = %q, want %q (CSV)", r, want[0][c], got[r][c], want[r][c])
					}
				}
			}
		})
	}
}

func TestAssessParquetUsage(t *testing.T) {
	_, stderr, code := runCLI(t, "assess", "--in", "testdata/assess-small.csv", "--out-format", "jsonl")
	if code != exitUsage || !strings.Contains(stderr, "--out-format") {
		t.Errorf("assess --out-format jsonl of CSV = exit %d, %q; want a usage error", code, stderr)
	}
	_, stderr, code = runAs(t, true, "assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--out-format", "parquet")
	if code != exitUsage || !strings.Contains(stderr, "terminal") {
		t.Errorf("assess --out-format parquet to a terminal = exit %d, %q; want a usage error", code, stderr)
	}
	// A failed write is mineralpact's failure, not the input's: exit 3.
	if _, err := os.Stat("/dev/full"); err == nil {
		_, stderr, code = runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--out-format", "parquet", "--out", "/dev/full", "--errors", os.DevNull)
		if code != exitInternal || !strings.Contains(stderr, "cannot write /dev/full") {
			t.Errorf("assess --out-format parquet --out /dev/full = exit %d, %q; want exit 3, cannot write", code, stderr)
		}
	}
}

// TestAssessKinds fails when a column named in assessKinds is no longer one
// of duty's, so that a renamed figure does not fall back to text unnoticed.
func TestAssessKinds(t *testing.T) {
	for name := range assessKinds {
		if !slices.Contains(duty.Columns, name) {
			t.Errorf("assessKinds names %q, not one of duty.Columns %v", name, duty.Columns)
		}
	}
}

// readParquetRows reads a Parquet file back as a header and rows of text,
// and renders its schema.
func readParquetRows(t *testing.T, b []byte) (string, [][]string) {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	var hdr []string
	for _, fl := range f.Schema().Fields() {
		hdr = append(hdr, fl.Name())
	}
	rows := [][]string{hdr}
	r := parquet.NewReader(f)
	buf := make([]parquet.Row, 8)
	for {
		n, err := r.ReadRows(buf)
		for _, row := range buf[:n] {
			cells := make([]string, len(hdr))
			for _, v := range row {
				switch {
				case v.IsNull():
				case v.Kind() == parquet.Boolean:
					cells[v.Column()] = strconv.FormatBool(v.Boolean())
				default:
					cells[v.Column()] = string(v.ByteArray())
				}
			}
			rows = append(rows, cells)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("ReadRows: %v", err)
		}
	}
	kinds, _ := f.Lookup("mineralpact.kinds")
	return f.Schema().String() + "\nmineralpact.kinds: " + kinds + "\n", rows
}

func readCSVFile(t *testing.T, path string) [][]string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	return recs
}

// csvToJSONL writes a declarations CSV as JSON Lines, empty cells left out.
func csvToJSONL(t *testing.T, path string) []byte {
	t.Helper()
	recs := readCSVFile(t, path)
	var b bytes.Buffer
	for _, rec := range recs[1:] {
		obj := map[string]string{}
		for i, c := range rec {
			if c != "" {
				obj[recs[0][i]] = c
			}
		}
		j, _ := json.Marshal(obj)
		b.Write(append(j, '\n'))
	}
	return b.Bytes()
}

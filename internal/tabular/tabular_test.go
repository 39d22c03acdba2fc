package tabular

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"strconv"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"
)

// sample is a table with every kind and the cells that go wrong in
// spreadsheets: leading zeros, long decimals, negative zero places, text
// that looks like a number, quotes, newlines and non-ASCII text.
func sample() Table {
	return Table{
		Name: "assessments",
		Columns: []Column{
			{"id", Text}, {"hs_code", Text}, {"accepted_on", Date}, {"rows", Integer},
			{"unit_price", Decimal}, {"total_duty", Decimal}, {"breach", Bool}, {"note", Text},
		},
		Rows: [][]string{
			{"S1", "0283691000", "2026-03-01", "1", "15965.939329", "8690.00", "false", "plain"},
			{"S2", "28369100", "1999-12-31", "-42", "-0.000001", "-1332.50", "true", "comma, \"quote\"\nnewline"},
			{"S3", "", "", "", "", "", "", ""},
			{"S4", "2603", "2100-02-28", "999999999999999", "123456789012.345", "0", "false", "Zürich ≥ 5 %"},
			{"S5", "8105", "1970-01-01", "1234567890123456789", "12345678901234567890.123456", "0.10", "true", "1e5"},
		},
	}
}

func TestParquetRoundTrip(t *testing.T) {
	tab := sample()
	var buf bytes.Buffer
	if err := WriteParquet(&buf, tab); err != nil {
		t.Fatalf("WriteParquet: %v", err)
	}
	got := readParquet(t, buf.Bytes())
	compareTables(t, "parquet", got, tab)
}

// readParquet reads a file written by WriteParquet back into a Table,
// converting each value to its text by the kind the file's metadata names.
func readParquet(t *testing.T, b []byte) Table {
	t.Helper()
	f, err := parquet.OpenFile(bytes.NewReader(b), int64(len(b)))
	if err != nil {
		t.Fatalf("OpenFile: %v", err)
	}
	kinds, ok := f.Lookup(KindsKey)
	if !ok {
		t.Fatalf("no %s metadata", KindsKey)
	}
	var out Table
	out.Name = f.Schema().Name()
	for _, nk := range strings.Split(kinds, ",") {
		name, k, _ := strings.Cut(nk, ":")
		kind := Kind(255)
		for i, s := range kindNames {
			if s == k {
				kind = Kind(i)
			}
		}
		out.Columns = append(out.Columns, Column{name, kind})
	}
	for i, fl := range f.Schema().Fields() {
		if i >= len(out.Columns) || fl.Name() != out.Columns[i].Name {
			t.Fatalf("schema field %d is %q, metadata says %v", i, fl.Name(), out.Columns)
		}
	}
	r := parquet.NewReader(f)
	rows := make([]parquet.Row, 16)
	for {
		n, err := r.ReadRows(rows)
		for _, row := range rows[:n] {
			cells := make([]string, len(out.Columns))
			for _, v := range row {
				i := v.Column()
				if v.IsNull() {
					continue
				}
				switch out.Columns[i].Kind {
				case Integer:
					cells[i] = strconv.FormatInt(v.Int64(), 10)
				case Date:
					cells[i] = formatDate(v.Int32())
				case Bool:
					cells[i] = strconv.FormatBool(v.Boolean())
				default:
					cells[i] = string(v.ByteArray())
				}
			}
			out.Rows = append(out.Rows, cells)
		}
		if err == io.EOF {
			break
		}
		if err != nil {
			t.Fatalf("ReadRows: %v", err)
		}
	}
	return out
}

func TestXLSXRoundTrip(t *testing.T) {
	tab := sample()
	other := Table{Name: "summary/by party", Columns: []Column{{"party", Text}, {"total", Decimal}}, Rows: [][]string{{"US", "10022.00"}}}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, tab, other); err != nil {
		t.Fatalf("WriteXLSX: %v", err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatalf("OpenReader: %v", err)
	}
	defer f.Close()
	if got, want := f.GetSheetList(), []string{"assessments", "summary_by party"}; fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("sheets = %q, want %q", got, want)
	}
	for _, tc := range []Table{tab, other} {
		sheet := sheetName(tc.Name, 0)
		got := readSheet(t, f, sheet, tc.Columns)
		compareTables(t, "xlsx "+sheet, got, tc)
		panes, err := f.GetPanes(sheet)
		if err != nil || !panes.Freeze || panes.YSplit != 1 {
			t.Errorf("%s: panes = %+v, %v; want the header row frozen", sheet, panes, err)
		}
		st, _ := f.GetCellStyle(sheet, "A1")
		if s, err := f.GetStyle(st); err != nil || s.Font == nil || !s.Font.Bold {
			t.Errorf("%s: header A1 is not bold (%v)", sheet, err)
		}
	}
	// A figure an analyst sums is a number cell; one of more than 15
	// significant digits stays text, exact.
	for cell, want := range map[string]excelize.CellType{"F2": excelize.CellTypeNumber, "E6": excelize.CellTypeSharedString, "E5": excelize.CellTypeNumber, "D6": excelize.CellTypeSharedString, "B2": excelize.CellTypeSharedString} {
		got, err := f.GetCellType("assessments", cell)
		// A number cell has no type attribute: excelize reads it as unset.
		if got == excelize.CellTypeUnset {
			got = excelize.CellTypeNumber
		}
		if err != nil || got != want && !(want == excelize.CellTypeSharedString && got == excelize.CellTypeInlineString) {
			t.Errorf("GetCellType(%s) = %v, %v; want %v", cell, got, err, want)
		}
	}
}

// readSheet reads a sheet back as people see it: formatted cells, so that a
// decimal shows the places it was written with, a date as a date.
func readSheet(t *testing.T, f *excelize.File, sheet string, cols []Column) Table {
	t.Helper()
	rows, err := f.GetRows(sheet)
	if err != nil {
		t.Fatalf("GetRows(%s): %v", sheet, err)
	}
	out := Table{Name: sheet}
	for i, name := range rows[0] {
		out.Columns = append(out.Columns, Column{name, cols[i].Kind})
	}
	for _, r := range rows[1:] {
		cells := make([]string, len(cols))
		copy(cells, r)
		for i, c := range cols {
			if c.Kind == Bool && cells[i] != "" {
				cells[i] = strings.ToLower(cells[i])
			}
		}
		out.Rows = append(out.Rows, cells)
	}
	return out
}

func compareTables(t *testing.T, what string, got, want Table) {
	t.Helper()
	if fmt.Sprint(got.Columns) != fmt.Sprint(want.Columns) {
		t.Fatalf("%s: columns = %v, want %v", what, got.Columns, want.Columns)
	}
	if len(got.Rows) != len(want.Rows) {
		t.Fatalf("%s: %d rows, want %d", what, len(got.Rows), len(want.Rows))
	}
	for r := range want.Rows {
		for c, col := range want.Columns {
			if g, w := got.Rows[r][c], want.Rows[r][c]; g != w {
				t.Errorf("%s: row %d %s = %q, want %q", what, r+1, col.Name, g, w)
			}
		}
	}
}

func TestCellErrors(t *testing.T) {
	cases := []struct {
		kind Kind
		cell string
	}{
		{Decimal, "1e5"}, {Decimal, "1,000.00"}, {Decimal, "-"}, {Decimal, "."}, {Decimal, "NaN"}, {Decimal, "5."}, {Decimal, ".5"},
		{Integer, "1.0"}, {Integer, "99999999999999999999"},
		{Date, "2026-02-30"}, {Date, "01/03/2026"},
		{Bool, "TRUE"}, {Bool, "1"},
	}
	for _, tc := range cases {
		tab := Table{Name: "t", Columns: []Column{{"x", tc.kind}}, Rows: [][]string{{tc.cell}}}
		var ce *CellError
		if err := WriteParquet(io.Discard, tab); !errors.As(err, &ce) || ce.Value != tc.cell || ce.Row != 1 {
			t.Errorf("WriteParquet(%s %q) = %v, want a CellError at row 1", tc.kind, tc.cell, err)
		}
		if err := WriteXLSX(io.Discard, tab); !errors.As(err, &ce) || ce.Value != tc.cell {
			t.Errorf("WriteXLSX(%s %q) = %v, want a CellError", tc.kind, tc.cell, err)
		}
	}
}

// TestParquetRowGroups checks that a long table is cut into row groups of
// the size asked for and reads back whole.
func TestParquetRowGroups(t *testing.T) {
	tab := benchTable(2500)
	var buf bytes.Buffer
	pw := NewParquetWriter(&buf, tab.Name, tab.Columns, ParquetOptions{RowGroupRows: 1000})
	for _, r := range tab.Rows {
		if err := pw.WriteRow(r); err != nil {
			t.Fatal(err)
		}
	}
	if err := pw.Close(); err != nil {
		t.Fatal(err)
	}
	f, err := parquet.OpenFile(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if n := len(f.RowGroups()); n != 3 {
		t.Errorf("row groups = %d, want 3", n)
	}
	compareTables(t, "parquet row groups", readParquet(t, buf.Bytes()), tab)
}

// benchTable is n rows shaped like assess output: ids, codes, figures of 2
// and 6 places, dates, flags; seeded, so every run writes the same bytes.
func benchTable(n int) Table {
	rng := rand.New(rand.NewPCG(7, 7))
	t := Table{Name: "bench", Columns: []Column{
		{"id", Text}, {"party", Text}, {"hs_code", Text}, {"accepted_on", Date}, {"quantity", Decimal},
		{"unit_price", Decimal}, {"floor", Decimal}, {"total_duty", Decimal}, {"lines", Integer}, {"breach", Bool},
	}}
	parties := []string{"US", "EU", "JP", "GB", "MX", "CA"}
	t.Rows = make([][]string, n)
	for i := range t.Rows {
		t.Rows[i] = []string{
			"D" + strconv.Itoa(i), parties[rng.IntN(len(parties))], strconv.Itoa(28000000 + rng.IntN(1000000)),
			formatDate(int32(20454 + rng.IntN(365))),
			strconv.FormatFloat(rng.Float64()*1000, 'f', 6, 64),
			strconv.FormatFloat(rng.Float64()*40000, 'f', 6, 64),
			"20000", strconv.FormatFloat(rng.Float64()*100000, 'f', 2, 64),
			strconv.Itoa(rng.IntN(5)), strconv.FormatBool(rng.IntN(50) == 0),
		}
	}
	return t
}

// BenchmarkWrite writes 100,000 rows of 10 columns; docs/exports.md gives the
// figures and the time they must stay within.
func BenchmarkWrite(b *testing.B) {
	for _, n := range []int{100_000} {
		tab := benchTable(n)
		b.Run(fmt.Sprintf("format=parquet/rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteParquet(io.Discard, tab); err != nil {
					b.Fatal(err)
				}
			}
		})
		b.Run(fmt.Sprintf("format=xlsx/rows=%d", n), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if err := WriteXLSX(io.Discard, tab); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

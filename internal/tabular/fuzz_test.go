package tabular

import (
	"bytes"
	"testing"

	"github.com/xuri/excelize/v2"
)

// FuzzDecimalCell checks, for any text, that a decimal cell is either
// refused by both writers or written so that it reads back as written: from
// Parquet byte for byte, and from XLSX as Excel shows it (the number with its
// places, or the text when it has more than 15 significant digits).
func FuzzDecimalCell(f *testing.F) {
	for _, s := range []string{"0", "-0.00", "8690.00", "15965.939329", "0.000000001", "123456789012345", "1234567890123456", "+1.5", "1e5", ".5", "5.", "-", "00012.340"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		tab := Table{Name: "t", Columns: []Column{{"x", Decimal}}, Rows: [][]string{{s}}}
		var pq, xl bytes.Buffer
		perr, xerr := WriteParquet(&pq, tab), WriteXLSX(&xl, tab)
		if (perr == nil) != (xerr == nil) {
			t.Fatalf("%q: WriteParquet = %v, WriteXLSX = %v; want both to agree", s, perr, xerr)
		}
		if perr != nil || s == "" {
			return
		}
		if got := readParquet(t, pq.Bytes()).Rows[0][0]; got != s {
			t.Errorf("parquet %q -> %q", s, got)
		}
		x, err := excelize.OpenReader(&xl)
		if err != nil {
			t.Fatal(err)
		}
		defer x.Close()
		got, err := x.GetCellValue("t", "A2")
		if err != nil {
			t.Fatal(err)
		}
		if want := shown(s); got != want {
			t.Errorf("xlsx %q shows %q, want %q", s, got, want)
		}
	})
}

// shown is how a spreadsheet shows a decimal written by WriteXLSX: as
// written, without a plus sign or leading zeros, and without the sign of a
// zero.
func shown(s string) string {
	if d, _ := checkDecimal(s); d > maxExactDigits {
		return s
	}
	neg := s[0] == '-'
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	for len(s) > 1 && s[0] == '0' && s[1] != '.' {
		s = s[1:]
	}
	if s[0] == '.' {
		s = "0" + s
	}
	if neg && trimZero(s) != "" {
		s = "-" + s
	}
	return s
}

func trimZero(s string) string {
	return string(bytes.Trim([]byte(s), "0."))
}

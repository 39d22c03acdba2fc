// Package tabular writes flat tables for analysts: XLSX workbooks (one sheet
// a table) and Parquet files. A table is columns of a kind and rows of cells
// as text, the same text the CSV outputs carry; each writer turns a cell into
// its format's type without going through a binary float where the figure
// must stay exact (docs/exports.md says, kind by kind, what each format
// stores and why).
package tabular

import (
	"fmt"
	"strconv"
	"strings"
	"time"
)

// Kind is what a column's cells are.
type Kind uint8

// The kinds of column. An empty cell is a missing value in every kind but
// Text, where it is the empty string.
const (
	Text    Kind = iota // any text
	Decimal             // an exact decimal: digits, an optional sign and point ("-12.50")
	Integer             // a whole number that fits in 64 bits
	Date                // a calendar date, 2006-01-02
	Bool                // true or false
)

var kindNames = [...]string{Text: "text", Decimal: "decimal", Integer: "integer", Date: "date", Bool: "bool"}

// String returns the kind's name as docs/exports.md writes it.
func (k Kind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "kind(" + strconv.Itoa(int(k)) + ")"
}

// Column is a table's column: its name and the kind of its cells.
type Column struct {
	Name string
	Kind Kind
}

// Table is a named table; each row has one cell a column, as text.
type Table struct {
	Name    string
	Columns []Column
	Rows    [][]string
}

// CellError is a cell whose text is not of its column's kind.
type CellError struct {
	Table  string
	Row    int // 1 = the first row after the header
	Column string
	Kind   Kind
	Value  string
}

func (e *CellError) Error() string {
	return fmt.Sprintf("tabular: %s row %d column %s: %q is not a %s", e.Table, e.Row, e.Column, e.Value, e.Kind)
}

// InferKind is the kind of column j of rows, read from its cells: Integer
// when every filled cell is a whole number, Decimal when every filled cell
// is a plain decimal (as the writers accept one), Text otherwise or when no
// cell is filled. A caller with tables whose columns it does not type
// (design comparisons) lets a spreadsheet or DuckDB sum the figures.
func InferKind(rows [][]string, j int) Kind {
	kind, filled := Integer, false
	for _, r := range rows {
		v := r[j]
		if v == "" {
			continue
		}
		filled = true
		if _, err := strconv.ParseInt(v, 10, 64); err == nil && v[0] != '+' {
			continue
		}
		if _, ok := checkDecimal(v); !ok {
			return Text
		}
		kind = Decimal
	}
	if !filled {
		return Text
	}
	return kind
}

// checkDecimal reports whether s is a plain decimal (an optional sign,
// digits, and an optional point followed by digits; no exponent, no
// thousands separator) and how many digits it shows from its first
// non-zero one, trailing zeros included.
func checkDecimal(s string) (digits int, ok bool) {
	if s == "" {
		return 0, false
	}
	if s[0] == '-' || s[0] == '+' {
		s = s[1:]
	}
	// Digits on both sides of a point: "5." and ".5" are not how any
	// figure of ours is written, and spreadsheets would not keep them so.
	whole, frac, point := strings.Cut(s, ".")
	if whole == "" || point && frac == "" {
		return 0, false
	}
	lead := true
	for _, part := range []string{whole, frac} {
		for i := 0; i < len(part); i++ {
			c := part[i]
			if c < '0' || c > '9' {
				return 0, false
			}
			if c != '0' {
				lead = false
			}
			if !lead {
				digits++
			}
		}
	}
	// Trailing zeros of the fraction count: they are shown, and a number
	// format of more places than a double holds shows its binary tail
	// ("0.17000000000000000" as 0.17000000000000001; testdata/fuzz).
	return digits, true
}

// places is the number of digits after the point of a decimal text.
func places(s string) int {
	if i := strings.IndexByte(s, '.'); i >= 0 {
		return len(s) - i - 1
	}
	return 0
}

var epoch = time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC)

// parseDate returns a date's days since 1970-01-01.
func parseDate(s string) (int32, bool) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		return 0, false
	}
	return int32(t.Sub(epoch).Hours() / 24), true
}

func formatDate(days int32) string {
	return epoch.AddDate(0, 0, int(days)).Format(time.DateOnly)
}

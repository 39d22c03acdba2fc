package tabular

import (
	"fmt"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"
)

// maxExactDigits is how many digits (from the first non-zero one, trailing
// zeros included) a number cell may show for a spreadsheet to show and sum
// it as written: a double holds every decimal of 15 significant digits, and
// Excel shows 15.
const maxExactDigits = 15

// excelEpochDays is the Excel serial number of 1970-01-01 (1900 system).
const excelEpochDays = 25569

// WriteXLSX writes the tables to w as one workbook, a sheet a table in order,
// named by the table (cut to Excel's 31 characters). Each sheet's first row
// is the column names, bold, and frozen so that it stays in view. Text is a
// text cell; a decimal or an integer that shows at most 15 digits is a
// number cell (one an analyst can sum) whose value Excel reads back exactly,
// shown with the places it was written with, and one of more digits is a
// text cell, so that no spreadsheet rounds it silently; a date is a date
// cell, a bool a boolean. docs/exports.md says why.
func WriteXLSX(w io.Writer, tables ...Table) error {
	if len(tables) == 0 {
		return fmt.Errorf("tabular: no table to write")
	}
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsxStyles{f: f, places: map[int]int{}}
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true}})
	if err != nil {
		return err
	}
	if x.date, err = f.NewStyle(&excelize.Style{CustomNumFmt: ptr("yyyy-mm-dd")}); err != nil {
		return err
	}
	seen := map[string]bool{}
	for i, t := range tables {
		name := sheetName(t.Name, i)
		if seen[strings.ToLower(name)] {
			return fmt.Errorf("tabular: two sheets named %q", name)
		}
		seen[strings.ToLower(name)] = true
		if i == 0 {
			if err := f.SetSheetName("Sheet1", name); err != nil {
				return err
			}
		} else if _, err := f.NewSheet(name); err != nil {
			return err
		}
		if err := x.sheet(name, t, bold); err != nil {
			return err
		}
	}
	_, err = f.WriteTo(w)
	return err
}

type xlsxStyles struct {
	f      *excelize.File
	date   int
	places map[int]int // decimal places → style id
}

func ptr[T any](v T) *T { return &v }

// sheetName is a table's sheet name: Excel's forbidden characters replaced,
// at most 31 characters, never empty.
func sheetName(name string, i int) string {
	name = strings.Map(func(r rune) rune {
		if strings.ContainsRune(`[]:*?/\`, r) {
			return '_'
		}
		return r
	}, name)
	if r := []rune(name); len(r) > 31 {
		name = string(r[:31])
	}
	if name == "" {
		name = "Table" + strconv.Itoa(i+1)
	}
	return name
}

func (x *xlsxStyles) decimalStyle(p int) (int, error) {
	if id, ok := x.places[p]; ok {
		return id, nil
	}
	fmtText := "0"
	if p > 0 {
		fmtText += "." + strings.Repeat("0", p)
	}
	id, err := x.f.NewStyle(&excelize.Style{CustomNumFmt: &fmtText})
	if err != nil {
		return 0, err
	}
	x.places[p] = id
	return id, nil
}

func (x *xlsxStyles) sheet(name string, t Table, bold int) error {
	sw, err := x.f.NewStreamWriter(name)
	if err != nil {
		return err
	}
	if err := sw.SetPanes(&excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"}); err != nil {
		return err
	}
	row := make([]any, len(t.Columns))
	for i, c := range t.Columns {
		row[i] = excelize.Cell{StyleID: bold, Value: c.Name}
	}
	if err := sw.SetRow("A1", row); err != nil {
		return err
	}
	for r, cells := range t.Rows {
		clear(row)
		for i, c := range t.Columns {
			if i >= len(cells) || cells[i] == "" {
				continue
			}
			v, err := x.cell(c, cells[i])
			if err != nil {
				return &CellError{Table: t.Name, Row: r + 1, Column: c.Name, Kind: c.Kind, Value: cells[i]}
			}
			row[i] = v
		}
		ref, err := excelize.CoordinatesToCellName(1, r+2)
		if err != nil {
			return err
		}
		if err := sw.SetRow(ref, row); err != nil {
			return err
		}
	}
	return sw.Flush()
}

var errKind = fmt.Errorf("not of its kind")

// cell returns the stream writer's value for one non-empty cell.
func (x *xlsxStyles) cell(c Column, s string) (any, error) {
	switch c.Kind {
	case Decimal:
		digits, ok := checkDecimal(s)
		if !ok {
			return nil, errKind
		}
		if digits > maxExactDigits {
			return s, nil
		}
		f, err := strconv.ParseFloat(s, 64)
		if err != nil {
			return nil, errKind
		}
		id, err := x.decimalStyle(places(s))
		if err != nil {
			return nil, err
		}
		return excelize.Cell{StyleID: id, Value: f}, nil
	case Integer:
		n, err := strconv.ParseInt(s, 10, 64)
		if err != nil {
			return nil, errKind
		}
		if digits, _ := checkDecimal(s); digits > maxExactDigits {
			return s, nil
		}
		return n, nil
	case Date:
		d, ok := parseDate(s)
		if !ok {
			return nil, errKind
		}
		return excelize.Cell{StyleID: x.date, Value: int64(d) + excelEpochDays}, nil
	case Bool:
		if s != "true" && s != "false" {
			return nil, errKind
		}
		return s == "true", nil
	}
	return s, nil
}

package main

import (
	"fmt"
	"os"
	"path/filepath"

	"github.com/mineralpact/mineralpact/internal/design"
	"github.com/mineralpact/mineralpact/internal/tabular"
)

// designTables turns a comparison's flat tables into tabular's, each column's
// kind inferred from its cells (tabular.InferKind), so that a spreadsheet or
// DuckDB sums the figures; anything else stays text, exactly as written.
func designTables(c *design.Comparison) []tabular.Table {
	var out []tabular.Table
	for _, t := range c.Tables() {
		tt := tabular.Table{Name: t.Name, Rows: t.Rows}
		for j, name := range t.Columns {
			tt.Columns = append(tt.Columns, tabular.Column{Name: name, Kind: tabular.InferKind(t.Rows, j)})
		}
		out = append(out, tt)
	}
	return out
}

// writeDesignExport writes the comparison as a workbook (one sheet a table)
// to --out or standard output, or as Parquet files (one a table) into the
// directory --out.
func (o *designCompareOptions) writeDesignExport(s streams, c *design.Comparison) error {
	tables := designTables(c)
	switch o.format.name {
	case "xlsx":
		if o.out == "" || o.out == "-" {
			if s.outTTY {
				return usagef("--format xlsx writes a workbook: give --out FILE or redirect standard output")
			}
			return tabular.WriteXLSX(s.out, tables...)
		}
		f, err := os.Create(o.out)
		if err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		if err := tabular.WriteXLSX(f, tables...); err != nil {
			f.Close()
			return err
		}
		return f.Close()
	case "parquet":
		if err := os.MkdirAll(o.out, 0o755); err != nil {
			return fmt.Errorf("--out: %w", err)
		}
		for _, t := range tables {
			p := filepath.Join(o.out, t.Name+".parquet")
			f, err := os.Create(p)
			if err != nil {
				return fmt.Errorf("--out: %w", err)
			}
			if err := tabular.WriteParquet(f, t); err != nil {
				f.Close()
				return fmt.Errorf("%s: %w", p, err)
			}
			if err := f.Close(); err != nil {
				return err
			}
		}
		fmt.Fprintf(s.err, "wrote %d Parquet files to %s\n", len(tables), o.out)
		return nil
	}
	return nil
}

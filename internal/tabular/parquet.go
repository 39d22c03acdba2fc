package tabular

import (
	"io"
	"reflect"
	"strconv"
	"strings"
	"unsafe"

	"github.com/parquet-go/parquet-go"
)

// DefaultRowGroupRows is how many rows a Parquet row group holds unless
// ParquetOptions say otherwise: DuckDB's own default, large enough for
// column statistics to skip data, small enough that a writer holds one group
// of a million-row file at a time.
const DefaultRowGroupRows = 122_880

// KindsKey is the key of the Parquet file metadata that lists each column's
// kind ("name:decimal,..."): a decimal is stored as text, and the metadata
// says that the text is an exact decimal.
const KindsKey = "mineralpact.kinds"

// ParquetOptions configure a ParquetWriter.
type ParquetOptions struct {
	RowGroupRows int // rows a row group (0: DefaultRowGroupRows)
}

// ParquetWriter writes one table's rows to a Parquet file as they come,
// a row group at a time, so that a file of any length is written in the
// memory of one row group.
type ParquetWriter struct {
	name string
	cols []Column
	//lint:ignore SA1019 the schema is built at run time from the table's columns, which GenericWriter[T] (a Go type) cannot express; Writer stays supported for rows written as parquet.Row
	pw    *parquet.Writer
	group int
	n     int             // rows in the current group
	rows  int             // rows written
	batch []parquet.Row   // rows not yet given to pw
	slab  []parquet.Value // the values of batch, reused once pw has copied them
}

// batchRows is how many rows WriteRow collects before handing them to the
// Parquet writer at once, which costs a tenth of handing them one by one.
const batchRows = 1024

// NewParquetWriter returns a writer of a table named name with columns cols
// to w. Every column is optional (an empty cell is a null), text and
// decimals are Parquet STRING, integers INT64, dates DATE and booleans
// BOOLEAN; the pages are Snappy-compressed.
func NewParquetWriter(w io.Writer, name string, cols []Column, opt ParquetOptions) *ParquetWriter {
	fields := make([]parquet.Field, len(cols))
	kinds := make([]string, len(cols))
	for i, c := range cols {
		var leaf parquet.Node
		switch c.Kind {
		case Integer:
			leaf = parquet.Int(64)
		case Date:
			leaf = parquet.Date()
		case Bool:
			leaf = parquet.Leaf(parquet.BooleanType)
		default:
			leaf = parquet.String()
		}
		fields[i] = &field{Node: parquet.Optional(leaf), name: c.Name}
		kinds[i] = c.Name + ":" + c.Kind.String()
	}
	schema := parquet.NewSchema(name, &group{fields: fields})
	if opt.RowGroupRows <= 0 {
		opt.RowGroupRows = DefaultRowGroupRows
	}
	pw := parquet.NewWriter(w, schema,
		parquet.Compression(&parquet.Snappy),
		parquet.KeyValueMetadata(KindsKey, strings.Join(kinds, ",")),
		parquet.CreatedBy("mineralpact", "", ""),
	)
	return &ParquetWriter{name: name, cols: cols, pw: pw, group: opt.RowGroupRows}
}

// WriteRow writes one row, a cell a column. A cell that is not of its
// column's kind is a *CellError, and nothing of the row is written.
func (p *ParquetWriter) WriteRow(cells []string) error {
	p.rows++
	if p.slab == nil {
		p.slab = make([]parquet.Value, batchRows*len(p.cols))
	}
	off := len(p.batch) * len(p.cols)
	vals := p.slab[off : off : off+len(p.cols)]
	for i, c := range p.cols {
		s := ""
		if i < len(cells) {
			s = cells[i]
		}
		var v parquet.Value
		switch {
		case s == "" && c.Kind != Text:
			vals = append(vals, parquet.Value{}.Level(0, 0, i))
			continue
		case c.Kind == Text:
			v = parquet.ByteArrayValue(bytesOf(s))
		case c.Kind == Decimal:
			if _, ok := checkDecimal(s); !ok {
				return p.cellError(i, s)
			}
			v = parquet.ByteArrayValue(bytesOf(s))
		case c.Kind == Integer:
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil {
				return p.cellError(i, s)
			}
			v = parquet.Int64Value(n)
		case c.Kind == Date:
			d, ok := parseDate(s)
			if !ok {
				return p.cellError(i, s)
			}
			v = parquet.Int32Value(d)
		case c.Kind == Bool:
			b, err := strconv.ParseBool(s)
			if err != nil || (s != "true" && s != "false") {
				return p.cellError(i, s)
			}
			v = parquet.BooleanValue(b)
		}
		vals = append(vals, v.Level(0, 1, i))
	}
	p.batch = append(p.batch, vals)
	if p.n++; len(p.batch) == batchRows || p.n >= p.group {
		return p.flushBatch()
	}
	return nil
}

// flushBatch hands the collected rows to the Parquet writer, and ends the
// row group when it is full.
func (p *ParquetWriter) flushBatch() error {
	if len(p.batch) > 0 {
		if _, err := p.pw.WriteRows(p.batch); err != nil {
			return err
		}
		clear(p.batch)
		p.batch = p.batch[:0]
	}
	if p.n >= p.group {
		p.n = 0
		return p.pw.Flush()
	}
	return nil
}

func (p *ParquetWriter) cellError(i int, s string) error {
	return &CellError{Table: p.name, Row: p.rows, Column: p.cols[i].Name, Kind: p.cols[i].Kind, Value: s}
}

// Close writes the last row group and the file's footer. It does not close
// the underlying writer.
func (p *ParquetWriter) Close() error {
	if err := p.flushBatch(); err != nil {
		return err
	}
	return p.pw.Close()
}

// WriteParquet writes t as one Parquet file (NewParquetWriter says how each
// kind is stored).
func WriteParquet(w io.Writer, t Table) error {
	pw := NewParquetWriter(w, t.Name, t.Columns, ParquetOptions{})
	for _, r := range t.Rows {
		if err := pw.WriteRow(r); err != nil {
			return err
		}
	}
	return pw.Close()
}

// bytesOf is s's bytes without a copy: the Parquet writer only reads them,
// and copies them into its column buffers in WriteRows, while the Value that
// points at them keeps the string alive until then.
func bytesOf(s string) []byte { return unsafe.Slice(unsafe.StringData(s), len(s)) }

// group is a Parquet group whose fields keep the table's column order
// (parquet.Group, a map, sorts them by name).
type group struct {
	parquet.Group
	fields []parquet.Field
}

func (g *group) Fields() []parquet.Field { return g.fields }
func (g *group) GoType() reflect.Type    { return reflect.TypeFor[map[string]any]() }

type field struct {
	parquet.Node
	name string
}

func (f *field) Name() string                           { return f.name }
func (f *field) Value(base reflect.Value) reflect.Value { return reflect.Value{} }

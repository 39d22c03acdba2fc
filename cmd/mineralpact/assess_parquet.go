package main

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"slices"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/tabular"
)

// assessKinds is the kind of each of duty.Columns in a Parquet file: the
// figures are exact decimals, undertaking_breach a boolean, the rest text
// (fx_month is a month, 2026-03, not a date). TestAssessKinds fails when
// duty gains a column that is not listed here.
var assessKinds = map[string]tabular.Kind{
	"content": tabular.Decimal, "contained_quantity": tabular.Decimal, "customs_value": tabular.Decimal,
	"unit_price": tabular.Decimal, "floor": tabular.Decimal, "base_duty": tabular.Decimal,
	"variable_duty": tabular.Decimal, "surcharge": tabular.Decimal, "in_quota_quantity": tabular.Decimal,
	"other_duties": tabular.Decimal, "total_duty": tabular.Decimal, "undertaking_breach": tabular.Bool,
}

// assessColumns are duty.Columns with their kinds.
func assessColumns() []tabular.Column {
	cols := make([]tabular.Column, len(duty.Columns))
	for i, name := range duty.Columns {
		cols[i] = tabular.Column{Name: name, Kind: assessKinds[name]} // absent: Text
	}
	return cols
}

// parquetSink turns the rows the bulk pipeline writes in its text format
// (CSV, or JSON Lines) into a Parquet file, as they come: the pipeline
// writes into a pipe, and a goroutine reads the rows back and hands them to
// a tabular.ParquetWriter, which holds one row group at a time. The one
// column table stays duty's: the Parquet columns are the CSV columns.
type parquetSink struct {
	pw     *io.PipeWriter
	done   chan error
	closed bool
	err    error
}

func newParquetSink(out io.Writer, format string, opt tabular.ParquetOptions) *parquetSink {
	pr, pw := io.Pipe()
	s := &parquetSink{pw: pw, done: make(chan error, 1)}
	go func() {
		err := convertToParquet(out, pr, format, opt)
		// A failed conversion stops the pipeline's next write.
		pr.CloseWithError(cmpErr(err, io.ErrClosedPipe))
		s.done <- err
	}()
	return s
}

func cmpErr(err, otherwise error) error {
	if err != nil {
		return err
	}
	return otherwise
}

// Write takes the pipeline's output.
func (s *parquetSink) Write(p []byte) (int, error) { return s.pw.Write(p) }

// Close ends the input and waits for the file's footer to be written. It
// returns the conversion's error; a second call returns the first's.
func (s *parquetSink) Close() error {
	s.pw.Close()
	if !s.closed {
		s.closed, s.err = true, <-s.done
	}
	return s.err
}

// Abort stops the conversion after a failed run and returns the
// conversion's own error, if it failed first (then it is why the run did).
func (s *parquetSink) Abort(err error) error {
	s.pw.CloseWithError(err)
	if !s.closed {
		s.closed, s.err = true, <-s.done
	}
	if errors.Is(s.err, err) {
		return nil
	}
	return s.err
}

func convertToParquet(out io.Writer, in io.Reader, format string, opt tabular.ParquetOptions) error {
	cols := assessColumns()
	w := tabular.NewParquetWriter(out, "assessments", cols, opt)
	var err error
	if format == "jsonl" {
		err = jsonlRows(in, w)
	} else {
		err = csvRows(in, w)
	}
	if err != nil {
		return err
	}
	return w.Close()
}

func csvRows(in io.Reader, w *tabular.ParquetWriter) error {
	r := csv.NewReader(bufio.NewReaderSize(in, 1<<16))
	r.ReuseRecord = true
	hdr, err := r.Read()
	if err == io.EOF {
		return nil
	}
	if err != nil {
		return err
	}
	if !slices.Equal(hdr, duty.Columns) {
		return fmt.Errorf("assess parquet: the rows' header %v is not duty's columns", hdr)
	}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
		if err := w.WriteRow(rec); err != nil {
			return err
		}
	}
}

// jsonlRows reads JSON Lines results: every member a string but
// undertaking_breach (a boolean) and duties (a list, written as its CSV
// text, duty.DutiesText); members that are not columns (trace) are left out.
func jsonlRows(in io.Reader, w *tabular.ParquetWriter) error {
	dec := json.NewDecoder(bufio.NewReaderSize(in, 1<<16))
	cells := make([]string, len(duty.Columns))
	for {
		var obj map[string]json.RawMessage
		if err := dec.Decode(&obj); err == io.EOF {
			return nil
		} else if err != nil {
			return err
		}
		for i, name := range duty.Columns {
			raw, ok := obj[name]
			cells[i] = ""
			if !ok || string(raw) == "null" {
				continue
			}
			switch name {
			case "duties":
				var ls []duty.DutyLine
				if err := json.Unmarshal(raw, &ls); err != nil {
					return fmt.Errorf("assess parquet: duties: %w", err)
				}
				cells[i] = duty.DutiesText(ls)
			case "undertaking_breach":
				var b bool
				if err := json.Unmarshal(raw, &b); err != nil {
					return fmt.Errorf("assess parquet: undertaking_breach: %w", err)
				}
				cells[i] = strconv.FormatBool(b)
			default:
				if err := json.Unmarshal(raw, &cells[i]); err != nil {
					return fmt.Errorf("assess parquet: %s: %w", name, err)
				}
			}
		}
		if err := w.WriteRow(cells); err != nil {
			return err
		}
	}
}

var errParquetTTY = errors.New("--out-format parquet: will not write a binary file to a terminal (give --out FILE, or pipe it)")

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime/debug"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/tabular"
)

// assessOptions are `assess`: the declarations of a file (CSV or JSON Lines)
// assessed in bulk, one output row per assessed declaration and one error row
// per rejected one. Without --db the floors are computed and published in
// process; with --db they are the floors published in the store (a date with
// none is a rejected row: publish them first with `prices publish`), quotas
// are allocated through the store's ledger and every assessment is recorded
// there, with its trace.
type assessOptions struct {
	agreement string
	in, out   string
	errs      string
	format    string
	outFormat string // csv, jsonl (the input's) or parquet: see assess_parquet.go
	workers   int
	trace     bool
	duties    bool      // csv: the duties column (Parquet and JSON Lines always have it)
	db        *dbOption // recorded only when given (--db, alias --store)
}

var runAssess = runVerb[assessOptions]()

func (o *assessOptions) bind(fs *flag.FlagSet) {
	agreementFlag(fs, &o.agreement)
	fs.StringVar(&o.in, "in", "", "declarations file, or - for standard input")
	outFlag(fs, &o.out)
	fs.StringVar(&o.errs, "errors", "", "file for rejected rows (default: standard error)")
	fs.StringVar(&o.format, "format", "", "csv or jsonl (default: from the input file's extension, else csv)")
	fs.StringVar(&o.outFormat, "out-format", "", "output format: parquet, or the input's (default: the input's --format)")
	fs.IntVar(&o.workers, "workers", 0, "parallel workers (default: one per core)")
	fs.BoolVar(&o.trace, "trace", false, "jsonl: include each assessment's trace")
	fs.BoolVar(&o.duties, "duties", false, "csv: add the duties column, every duty line of the row in one cell (JSON Lines and Parquet always have it)")
	o.db = dbFlag(fs)
	fs.Var(o.db, "store", "alias of --db")
}

func (o *assessOptions) validate(pos []string) error {
	if len(pos) > 0 {
		return usagef("unexpected argument %q", pos[0])
	}
	if o.in == "" {
		return usagef("--in is required (a file, or - for standard input)")
	}
	if o.format == "" {
		o.format = "csv"
		if strings.HasSuffix(o.in, ".jsonl") || strings.HasSuffix(o.in, ".ndjson") {
			o.format = "jsonl"
		}
	}
	if o.format != "csv" && o.format != "jsonl" {
		return usagef("--format %q: want csv or jsonl", o.format)
	}
	switch o.outFormat {
	case "":
		o.outFormat = o.format
	case o.format, "parquet":
	default:
		return usagef("--out-format %q: want parquet, or %s as the input (the text formats follow the input)", o.outFormat, o.format)
	}
	if o.workers < 0 {
		return usagef("--workers must be at least 0")
	}
	return nil
}

func (o *assessOptions) run(ctx context.Context, s streams) error {
	if os.Getenv("GOGC") == "" {
		// The bulk path's live heap is small (the agreement, the data, a few
		// batches): collecting at three times it rather than twice halves
		// the collections for about 10 MB more (2% less CPU on a million
		// declarations; docs/declarations.md, "Performance"). GOGC, when
		// set, decides.
		debug.SetGCPercent(200)
	}
	env, err := loadEnv(o.agreement)
	if err != nil {
		return err
	}
	opt := duty.BulkOptions{Format: o.format, Workers: o.workers, Trace: o.trace, Duties: o.duties || o.outFormat == "parquet"}
	var dopts []duty.Option
	var rec *assessRecording // --db: see assess_store.go
	var floors duty.Floors = env.floors()
	if o.db.given {
		if rec, err = openAssessRecording(ctx, env, o.db.dsn); err != nil {
			return err
		}
		defer rec.close()
		dopts = append(dopts, duty.WithLedger(rec.ledger))
		opt.Sink = rec.start(ctx)
		floors = store.NewFloorSource(rec.st, rec.hash, 0)
	}
	as, err := duty.New(env.agreement, env.reg, floors, dopts...)
	if err != nil {
		return err
	}
	in := s.in
	if o.in != "-" {
		f, err := os.Open(o.in)
		if err != nil {
			return problem.Errorf(problem.Invalid, "cannot read declarations: %v", err)
		}
		defer f.Close()
		in = f
	}
	out, err := openOut(o.out, s)
	if err != nil {
		return err
	}
	defer out.Close()
	dst := io.Writer(out)
	var pq *parquetSink
	if o.outFormat == "parquet" {
		if o.out == "-" && s.outTTY {
			return usagef("%v", errParquetTTY)
		}
		// The pipeline writes its text rows into the sink, which writes
		// the Parquet file to out (the rows' text is the exact figures).
		pq = newParquetSink(out, o.format, tabular.ParquetOptions{})
		dst = pq
	}
	errs := io.Writer(s.err)
	if o.errs != "" {
		ef, err := openOut(o.errs, s)
		if err != nil {
			return err
		}
		defer ef.Close()
		errs = ef
	}
	// The progress line goes to standard error when it is a terminal, and
	// not over rows written to the same terminal.
	p := newProgress(s, "assessing", "rows")
	if o.out != "-" {
		opt.Progress = p.count
	}
	start := time.Now()
	sum, err := as.AssessStream(ctx, in, dst, errs, opt)
	if pq != nil {
		// A failure of the Parquet writer is ours, not the input's: it
		// exits 3, like a failed write.
		perr := pq.Close()
		if err != nil {
			perr = pq.Abort(err)
		}
		if perr != nil {
			p.done()
			if errors.As(perr, new(*writeError)) {
				return perr
			}
			return fmt.Errorf("writing parquet: %w", perr)
		}
	}
	p.done()
	if rec != nil {
		if rerr := rec.wait(); rerr != nil {
			return fmt.Errorf("recording assessments: %w", rerr)
		}
	}
	if err != nil {
		if errors.As(err, new(*writeError)) {
			return err
		}
		return &problem.Error{Code: problem.Invalid, Message: "assess: " + err.Error()}
	}
	if err := out.Close(); err != nil {
		return err
	}
	if f, ok := errs.(*outFile); ok {
		if err := f.Close(); err != nil {
			return err
		}
	}
	writeAssessSummary(s.err, sum, time.Since(start))
	if rec != nil {
		rec.summary(s.err)
	}
	return nil
}

func writeAssessSummary(w io.Writer, s *duty.Summary, el time.Duration) {
	fmt.Fprintf(w, "rows read %d, assessed %d, rejected %d (%.2f s)\n", s.Read, s.Assessed, s.Rejected, el.Seconds())
	if len(s.Duty) == 0 {
		return
	}
	t := table{header: []string{"PARTY", "MINERAL", "STAGE", "ROWS", "TOTAL DUTY", "CURRENCY"}}
	for _, l := range s.Duty {
		t.add(l.Party, l.Mineral, l.Stage, fmt.Sprint(l.Rows), l.Total, l.Currency)
	}
	_ = t.writeText(w)
}

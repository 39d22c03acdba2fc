package main

import (
	"context"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// assessOptions are the flags of `assess`.
type assessOptions struct {
	agreement string
	in, out   string
	errs      string
	format    string
	workers   int
	trace     bool
	db        string // --db (alias --store): record assessments, quotas through the store's ledger
}

func runAssess(ctx context.Context, args []string, s streams) error {
	fs := newFlags("assess")
	var o assessOptions
	fs.StringVar(&o.agreement, "agreement", "example", "agreement file (example: the shipped examples/pact-2026.yaml)")
	fs.StringVar(&o.in, "in", "", "declarations file, or - for standard input")
	fs.StringVar(&o.out, "out", "-", "assessments file, or - for standard output")
	fs.StringVar(&o.errs, "errors", "", "file for rejected rows (default: standard error)")
	fs.StringVar(&o.format, "format", "", "csv or jsonl (default: from the input file's extension, else csv)")
	fs.IntVar(&o.workers, "workers", 0, "parallel workers (default: one per core)")
	fs.BoolVar(&o.trace, "trace", false, "jsonl: include each assessment's trace")
	fs.StringVar(&o.db, "db", "", "store (sqlite:PATH or postgres://...): record the assessments and allocate quotas through its ledger; a re-run changes nothing")
	fs.StringVar(&o.db, "store", "", "alias of --db")
	pos, err := parseFlags(fs, args)
	if err != nil {
		return err
	}
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
	if o.workers < 0 {
		return usagef("--workers must be at least 0")
	}
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	ag, agSrc, err := loadAgreement(o.agreement)
	if err != nil {
		return err
	}
	var rec *assessRecording // --db: see assess_store.go
	if o.db != "" {
		if rec, err = openAssessRecording(ctx, o.db, ag, agSrc, o.agreement); err != nil {
			return err
		}
		defer rec.close()
	}
	as, err := duty.New(ag, reg, refprice.New(ag, priceSources(reg)), rec.options()...)
	if err != nil {
		return err
	}
	in := s.in
	if o.in != "-" {
		f, err := os.Open(o.in)
		if err != nil {
			return fmt.Errorf("cannot read declarations: %v", err)
		}
		defer f.Close()
		in = f
	}
	out := s.out
	var outFile *os.File
	if o.out != "-" {
		if outFile, err = os.Create(o.out); err != nil {
			return fmt.Errorf("cannot write assessments: %v", err)
		}
		defer outFile.Close()
		out = outFile
	}
	var errs io.Writer = s.err
	var errFile *os.File
	if o.errs != "" {
		if errFile, err = os.Create(o.errs); err != nil {
			return fmt.Errorf("cannot write errors: %v", err)
		}
		defer errFile.Close()
		errs = errFile
	}
	opt := duty.BulkOptions{Format: o.format, Workers: o.workers, Trace: o.trace}
	start := time.Now()
	if s.tty && o.out != "-" {
		opt.Progress = progressBar(s.err, start)
	}
	if rec != nil {
		out = rec.tee(ctx, out, o.format)
	}
	sum, err := as.AssessStream(ctx, in, out, errs, opt)
	if rec != nil {
		if rerr := rec.wait(); err == nil && rerr != nil {
			return fmt.Errorf("recording assessments: %w", rerr)
		}
	}
	if opt.Progress != nil {
		fmt.Fprint(s.err, "\r\033[K")
	}
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Message: "assess: " + err.Error()}
	}
	if outFile != nil {
		if err := outFile.Close(); err != nil {
			return err
		}
	}
	if errFile != nil {
		if err := errFile.Close(); err != nil {
			return err
		}
	}
	writeAssessSummary(s.err, sum, time.Since(start))
	if rec != nil {
		rec.summary(s.err)
	}
	return nil
}

// progressBar returns a callback that redraws a one-line progress report on a
// terminal at most ten times a second.
func progressBar(w io.Writer, start time.Time) func(int64) {
	var last time.Time
	return func(rows int64) {
		now := time.Now()
		if now.Sub(last) < 100*time.Millisecond {
			return
		}
		last = now
		el := now.Sub(start).Seconds()
		rate := 0.0
		if el > 0 {
			rate = float64(rows) / el
		}
		spin := `|/-\`[int(el*8)%4]
		fmt.Fprintf(w, "\r\033[K%c assessing: %d rows, %.0f rows/s", spin, rows, rate)
	}
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

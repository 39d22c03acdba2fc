package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

const mini = "../../internal/agreement/testdata/mini.yaml"

// runCLI runs the command line as a pipe would and returns its outputs.
func runCLI(t *testing.T, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	return runAs(t, false, args...)
}

// runAs runs the command line with standard output and standard error both
// terminals (tty) or both pipes.
func runAs(t *testing.T, tty bool, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errb bytes.Buffer
	code = run(context.Background(), args, streams{in: strings.NewReader(""), out: &out, err: &errb, outTTY: tty, errTTY: tty})
	return out.String(), errb.String(), code
}

// golden compares got with testdata/name, or rewrites it under -update.
func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test ./cmd/mineralpact -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("output differs from %s (rerun with -update and review the diff):\n--- got\n%s\n--- want\n%s", path, got, want)
	}
}

func TestExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{nil, exitUsage, ""},
		{[]string{"nonsense"}, exitUsage, `unknown command "nonsense"`},
		{[]string{"agreement", "validate"}, exitUsage, "name at least one agreement file"},
		{[]string{"agreement", "show", mini}, exitUsage, "--as-of is required"},
		{[]string{"agreement", "show", mini, "--as-of", "2026-02-30"}, exitInvalid, "not a date of the calendar"},
		{[]string{"agreement", "show", mini, "--as-of", "2026-01-01", "--format", "xml"}, exitUsage, `--format "xml"`},
		{[]string{"agreement", "show", mini, "--bogus"}, exitUsage, "-bogus"},
		{[]string{"agreement", "validate", "no/such/file.yaml"}, exitInvalid, "cannot read agreement file"},
		{[]string{"hs", "lookup", "28369"}, exitInvalid, "6 to 10 digits, got 5"},
		{[]string{"hs", "lookup", "999999"}, exitInvalid, "not in the mineral map"},
		{[]string{"agreement", "validate", mini}, exitOK, ""},
		{[]string{"help"}, exitOK, ""},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.errs) {
			t.Errorf("mineralpact %v = exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.errs)
		}
	}
}

func TestAgreementShowGolden(t *testing.T) {
	for _, f := range []string{"table", "json", "yaml"} {
		out, stderr, code := runCLI(t, "agreement", "show", mini, "--as-of", "2027-01-01", "--format", f)
		if code != exitOK {
			t.Fatalf("agreement show --format %s = exit %d: %s", f, code, stderr)
		}
		golden(t, "show-mini."+f+".golden", out)
	}
}

func TestAgreementDiff(t *testing.T) {
	out, stderr, code := runCLI(t, "agreement", "diff", mini, mini)
	if code != exitOK || out != "no differences\n" {
		t.Errorf("diff of a file with itself = %q, %q, exit %d; want no differences", out, stderr, code)
	}
	changed := filepath.Join(t.TempDir(), "changed.yaml")
	data, _ := os.ReadFile(mini)
	data = bytes.Replace(data, []byte("ad_valorem: 0.037"), []byte("ad_valorem: 0.045"), 1)
	if err := os.WriteFile(changed, data, 0o644); err != nil {
		t.Fatal(err)
	}
	out, _, code = runCLI(t, "agreement", "diff", mini, changed, "--format", "json")
	if code != exitOK || !strings.Contains(out, `"path": "parties[US].instruments[us-mfn-li].rate.ad_valorem"`) || !strings.Contains(out, `"new": "0.045"`) {
		t.Errorf("diff after a rate change = %s, exit %d; want the US lithium rate changed to 0.045", out, code)
	}
}

// TestValidateReportsEveryMistake plants several mistakes in a copy of the
// example agreement: one run of validate must report each at its line, and
// exit 1.
func TestValidateReportsEveryMistake(t *testing.T) {
	text := string(examples.Pact2026)
	plants := []struct{ old, new, msg string }{
		{`hs: ["28369100"]`, `hs: ["28369"]`, "HS code must have 6 to 10 digits, got 5"},
		{"ad_valorem: 0.037, text", "ad_valorem: -0.037, text", "must be ≥ 0, got -0.037"},
		{"entry_into_force: 2026-01-01", "entry_into_force: 2026-02-30", "not a date of the calendar"},
		{"    currency: JPY", "    currency: YEN", `unknown currency "YEN"`},
		{"percentile: 75", "percentile: 120", "percentile must be between 0 and 100, got 120"},
		{"collar: 0.10}", "colar: 0.10}", `unknown field "colar" (did you mean "collar"?)`},
	}
	var wants []string
	for _, p := range plants {
		i := strings.Index(text, p.old)
		if i < 0 {
			t.Fatalf("example has no %q to plant a mistake in", p.old)
		}
		text = text[:i] + p.new + text[i+len(p.old):]
		wants = append(wants, fmt.Sprintf("bad.yaml:%d:", strings.Count(text[:i], "\n")+1)+"\x00"+p.msg)
	}
	bad := filepath.Join(t.TempDir(), "bad.yaml")
	if err := os.WriteFile(bad, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	_, stderr, code := runCLI(t, "agreement", "validate", bad)
	if code != exitInvalid {
		t.Fatalf("validate of a bad file = exit %d, want %d", code, exitInvalid)
	}
	for _, w := range wants {
		place, msg, _ := strings.Cut(w, "\x00")
		found := false
		for _, line := range strings.Split(stderr, "\n") {
			if strings.Contains(line, place) && strings.Contains(line, msg) {
				found = true
			}
		}
		if !found {
			t.Errorf("validate did not report %q at %s; stderr:\n%s", msg, place, stderr)
		}
	}
}

func TestMineralsAndHS(t *testing.T) {
	out, _, code := runCLI(t, "minerals", "list", "--format", "csv")
	if lines := strings.Count(out, "\n"); code != exitOK || lines != 61 {
		t.Errorf("minerals list --format csv = %d lines, exit %d; want a header and 60 minerals", lines, code)
	}
	out, _, _ = runCLI(t, "minerals", "list", "--list", "2022", "--format", "csv")
	if lines := strings.Count(out, "\n"); lines != 51 {
		t.Errorf("minerals list --list 2022 = %d lines, want a header and 50 minerals", lines)
	}
	out, stderr, code := runCLI(t, "hs", "lookup", "2836.91.0000", "--format", "json")
	if code != exitOK || !strings.Contains(out, `"mineral": "lithium"`) || !strings.Contains(out, `"stage": "processed"`) {
		t.Errorf("hs lookup 2836.91.0000 = %s %s exit %d; want lithium, processed", out, stderr, code)
	}
}

func TestSchemaCommand(t *testing.T) {
	out, _, code := runCLI(t, "agreement", "schema")
	if code != exitOK || !strings.Contains(out, `"$schema": "https://json-schema.org/draft/2020-12/schema"`) {
		t.Errorf("agreement schema = exit %d, %.80s…", code, out)
	}
}

// TestTerminalAndPipe runs verbs as a terminal and as a pipe: a terminal
// reads figures with thousands separators and cuts long cells; a pipe gets
// them exact and whole.
func TestTerminalAndPipe(t *testing.T) {
	tests := []struct {
		args      []string
		tty, pipe string // in one output and not the other
	}{
		{[]string{"prices", "compute", "--as-of", "2026-01-01", "--mineral", "lithium"}, "   74,442.52  USD/t", "  74442.52   USD/t"},
		{[]string{"prices", "history", "lithium/derivative", "--from", "2026-01-01", "--to", "2026-06-30"}, "317,497.11", "317497.11"},
		{[]string{"agreement", "diff", "example", mini}, "...", `"name":"Canada"`},
	}
	for _, tt := range tests {
		term, errs, code := runAs(t, true, tt.args...)
		if code != exitOK {
			t.Fatalf("mineralpact %s on a terminal = exit %d: %s", strings.Join(tt.args, " "), code, errs)
		}
		pipe, _, _ := runAs(t, false, tt.args...)
		if !strings.Contains(term, tt.tty) || strings.Contains(pipe, tt.tty) {
			t.Errorf("mineralpact %s: want %q on a terminal only; terminal:\n%s\npipe:\n%s", strings.Join(tt.args, " "), tt.tty, term, pipe)
		}
		if !strings.Contains(pipe, tt.pipe) || strings.Contains(term, tt.pipe) {
			t.Errorf("mineralpact %s: want %q on a pipe only; terminal:\n%s\npipe:\n%s", strings.Join(tt.args, " "), tt.pipe, term, pipe)
		}
	}
	// csv and json are for machines, on a terminal too.
	csvOut, _, _ := runAs(t, true, "prices", "compute", "--as-of", "2026-01-01", "--mineral", "lithium", "--format", "csv")
	if !strings.Contains(csvOut, "lithium,mined,74442.52,USD/t") {
		t.Errorf("prices compute --format csv on a terminal = %s; want exact figures", csvOut)
	}
}

// failingWriter fails every write, as a full disk or a closed pipe does.
type failingWriter struct{}

func (failingWriter) Write([]byte) (int, error) { return 0, errors.New("no space left on device") }

// TestWriteFailure: a failed write, to standard output or to --out, is
// mineralpact's failure (exit 3), not the input's.
func TestWriteFailure(t *testing.T) {
	for _, args := range [][]string{
		{"prices", "compute", "--as-of", "2026-01-01"},
		{"prices", "compute", "--as-of", "2026-01-01", "--format", "json"},
		{"agreement", "show", mini, "--as-of", "2027-01-01"}, // ignores Fprintf's errors
		{"gen", "costcurve", "--mineral", "cobalt", "--stage", "mined"},
	} {
		var errb bytes.Buffer
		code := run(context.Background(), args, streams{in: strings.NewReader(""), out: failingWriter{}, err: &errb})
		if code != exitInternal || !strings.Contains(errb.String(), "cannot write standard output: no space left on device") {
			t.Errorf("mineralpact %s to a failing writer = exit %d, stderr %q; want %d and the write failure", strings.Join(args, " "), code, errb.String(), exitInternal)
		}
	}
	out := filepath.Join(t.TempDir(), "no", "such", "dir", "c.csv")
	_, errs, code := runCLI(t, "gen", "costcurve", "--mineral", "cobalt", "--stage", "mined", "--out", out)
	if code != exitInternal || !strings.Contains(errs, "cannot write "+out) {
		t.Errorf("gen costcurve --out %s = exit %d, stderr %q; want %d and the write failure", out, code, errs, exitInternal)
	}
}

// TestProgress: the progress report draws on standard error only when it is
// a terminal, whatever standard output is.
func TestProgress(t *testing.T) {
	for _, tc := range []struct{ outTTY, errTTY bool }{{true, false}, {false, true}, {false, false}, {true, true}} {
		var errb bytes.Buffer
		p := newProgress(streams{err: &errb, outTTY: tc.outTTY, errTTY: tc.errTTY}, "assessing", "rows")
		p.count(1234567)
		p.step(10, 10) // a final step is always drawn
		p.done()
		got := errb.String()
		drew := strings.Contains(got, "assessing: 1,234,567 rows") && strings.Contains(got, "[##############################] 10/10 rows") && strings.HasSuffix(got, "\r\033[K")
		if drew != tc.errTTY || (!tc.errTTY && got != "") {
			t.Errorf("progress with out tty %v, err tty %v wrote %q; want a report only when stderr is a terminal", tc.outTTY, tc.errTTY, got)
		}
	}
}

// TestOneDefaultStore: every verb with --db has the same default, and knows
// whether the command line named a store.
func TestOneDefaultStore(t *testing.T) {
	for name, o := range map[string]verb{"prices publish": &pricesPublishOptions{}} {
		fs := newFlags(name)
		o.bind(fs)
		if f := fs.Lookup("db"); f == nil || f.DefValue != defaultDB {
			t.Errorf("%s --db default = %v, want %q", name, f, defaultDB)
		}
	}
	fs := newFlags("")
	db := dbFlag(fs)
	if _, err := parseFlags(fs, nil); err != nil || db.dsn != defaultDB || db.given {
		t.Errorf("no --db: %q, given %v, %v; want %q, not given", db.dsn, db.given, err, defaultDB)
	}
	if _, err := parseFlags(fs, []string{"--db", "sqlite:x.db"}); err != nil || db.dsn != "sqlite:x.db" || !db.given {
		t.Errorf("--db sqlite:x.db: %q, given %v, %v; want sqlite:x.db, given", db.dsn, db.given, err)
	}
}

// TestHelp: --help on a verb answers on standard output with exit 0, the
// verb's usage and each of its flags with its default; a noun alone lists
// its verbs rather than calling itself unknown.
func TestHelp(t *testing.T) {
	out, errOut, code := runCLI(t, "prices", "compute", "--help")
	if code != exitOK || errOut != "" || !strings.Contains(out, "usage: mineralpact prices compute") || !strings.Contains(out, "-as-of") {
		t.Errorf("prices compute --help = %d, stdout %q, stderr %q", code, out, errOut)
	}
	out, errOut, code = runCLI(t, "monitor")
	if code != exitUsage || out != "" || !strings.Contains(errOut, "monitor scan") || strings.Contains(errOut, "unknown command") || strings.Contains(errOut, "prices compute") {
		t.Errorf("monitor alone = %d, stdout %q, stderr %q", code, out, errOut)
	}
}

package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/monitor"
)

const casesSample = "../../internal/monitor/testdata/cases-sample.jsonl"

// TestMonitorCasesCommands: a scan's alerts imported, a case opened from
// one, noted and dismissed; the same pattern grown past the margin comes
// back as regrown; the audit trail holds every row.
func TestMonitorCasesCommands(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "cases.db")
	must := func(want string, args ...string) string {
		t.Helper()
		out, errs, code := runCLI(t, append(args, "--db", db)...)
		if code != exitOK || !strings.Contains(out, want) {
			t.Fatalf("mineralpact %s = exit %d\n%s%s\nwant %q", strings.Join(args, " "), code, out, errs, want)
		}
		return out
	}
	must("scan 1: 3 alerts read, 3 stored (0 already stored), 0 suppressed as dismissed, 0 regrown", "monitor", "alerts", "import", casesSample, "--as-of", "2024-06-30")
	must("0 stored (3 already stored)", "monitor", "alerts", "import", casesSample, "--as-of", "2024-06-30")
	list := must("feda94c503949ec8", "monitor", "alerts", "list")
	if lines := strings.Split(strings.TrimSpace(list), "\n"); len(lines) != 4 || !strings.HasPrefix(lines[1], "feda94c503949ec8  routing") {
		t.Fatalf("alerts list, ranked by score:\n%s", list)
	}
	must("case 1 opened from 1 alerts by sec-1", "monitor", "cases", "open", "feda94c503949ec8", "--title", "Gallium through VN", "--actor", "sec-1")
	must("case 1: note by sec-1; status open", "monitor", "cases", "note", "1", "--text", "asked VN customs", "--actor", "sec-1")
	must("case 1: dismiss by sec-2; status dismissed", "monitor", "cases", "dismiss", "1", "--reason", "a new VN refinery explains it", "--actor", "sec-2")
	show := must("status: dismissed", "monitor", "cases", "show", "1")
	for _, w := range []string{"Gallium through VN", "feda94c503949ec8", "asked VN customs", "dismiss  sec-2", "dismissed"} {
		if !strings.Contains(show, w) {
			t.Errorf("cases show lacks %q:\n%s", w, show)
		}
	}
	var cs []monitor.Case
	if err := json.Unmarshal([]byte(must(`"status": "dismissed"`, "monitor", "cases", "list", "--format", "json")), &cs); err != nil || len(cs) != 1 || len(cs[0].Events) != 3 {
		t.Fatalf("cases list --format json: %+v, %v", cs, err)
	}
	// The routing pattern again, over a later window: once as large (kept
	// down), once 50% larger (raised again).
	b, _ := os.ReadFile(casesSample)
	var a monitor.Alert
	json.Unmarshal([]byte(strings.SplitN(string(b), "\n", 2)[0]), &a)
	var lines []string
	for i, m := range []float64{4.1e6, 6.15e6} {
		a.To = monitor.Period{Year: 2024, Month: 2 + i}
		a.Magnitude = m
		a.ID = a.ComputeID()
		l, _ := json.Marshal(a)
		lines = append(lines, string(l))
	}
	later := filepath.Join(t.TempDir(), "later.jsonl")
	os.WriteFile(later, []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	must("2 stored (0 already stored), 1 suppressed as dismissed, 1 regrown", "monitor", "alerts", "import", later, "--as-of", "2024-07-31")
	must("regrown  dismissed 1", "monitor", "alerts", "list", "--status", "regrown")
	// 3 scans, 5 alerts, 1 case and its 3 events.
	must("monitor rows against their audit records: 12 ", "audit", "verify")

	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"monitor", "cases"}, exitUsage, `"--db" is not a verb of monitor cases: want confirm, dismiss, list, note, open, show`},
		{[]string{"monitor", "cases", "close", "1"}, exitUsage, `"close" is not a verb of monitor cases`},
		{[]string{"monitor", "cases", "confirm", "1"}, exitUsage, "--reason is required"},
		{[]string{"monitor", "cases", "confirm", "1", "--reason", "x"}, exitInvalid, "only an open case is confirmed or dismissed"},
		{[]string{"monitor", "cases", "show", "x1"}, exitUsage, "want a positive whole number"},
		{[]string{"monitor", "cases", "show", "9"}, exitInvalid, "case 9 not found"},
		{[]string{"monitor", "cases", "open", "feda94c503949ec8"}, exitInvalid, "already in case 1"},
		{[]string{"monitor", "alerts", "list", "--status", "closed"}, exitInvalid, `status: "closed": want one of new, suppressed`},
		{[]string{"monitor", "alerts", "import", casesSample}, exitUsage, "--as-of is required"},
	} {
		_, errs, code := runCLI(t, append(c.args, "--db", db)...)
		if code != c.code || !strings.Contains(errs, c.want) {
			t.Errorf("mineralpact %s = exit %d, %q; want exit %d and %q", strings.Join(c.args, " "), code, errs, c.code, c.want)
		}
	}
}

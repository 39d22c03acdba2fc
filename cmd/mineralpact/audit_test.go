package main

import (
	"database/sql"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"
)

// assessedStore is a SQLite store (its file) with the floors of 2026
// published and n generated declarations assessed into it by assess --db.
func assessedStore(t *testing.T, n int) string {
	t.Helper()
	dir := t.TempDir()
	db := filepath.Join(dir, "pact.db")
	decls, _, _ := runCLI(t, "gen", "declarations", "--n", strconv.Itoa(n), "--seed", "12")
	in := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(in, []byte(decls), 0o644); err != nil {
		t.Fatal(err)
	}
	runCLI(t, "prices", "publish", "--through", "2026-12-31", "--db", "sqlite:"+db)
	if _, stderr, code := runCLI(t, "assess", "--in", in, "--out", os.DevNull, "--errors", os.DevNull, "--db", "sqlite:"+db); code != exitOK {
		t.Fatalf("assess = exit %d: %s", code, stderr)
	}
	return db
}

// TestLedgerTampered (issue 12's probe): a balance reset by hand is named by
// audit verify (exit 1), and serve, started on the store, refuses writes
// (503 unavailable, saying why) while reads go on.
func TestLedgerTampered(t *testing.T) {
	db := assessedStore(t, 3000)
	out, stderr, code := runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitOK || !strings.Contains(out, "0 broken") {
		t.Fatalf("audit verify of an honest store = exit %d: %s %s", code, out, stderr)
	}
	tamper, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	res, err := tamper.Exec(`UPDATE quota_balances SET allocated = '0'`)
	tamper.Close()
	if n, _ := res.RowsAffected(); err != nil || n == 0 {
		t.Fatalf("tampering: %v, %d rows; the generated declarations should have drawn on a quota", err, n)
	}
	out, stderr, code = runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitInvalid || !strings.Contains(out, "BROKEN") || !strings.Contains(out, "the balance says 0 allocated") {
		t.Fatalf("audit verify after a balance reset = exit %d: %s %s; want exit 1 naming the period", code, out, stderr)
	}
	base := startServer(t, db)
	if resp, err := http.Get(base + "/v1/minerals"); err != nil || resp.StatusCode != http.StatusOK {
		t.Fatalf("a read on a store that does not reconcile: %v %v; want 200", resp, err)
	}
	resp, err := http.Post(base+"/v1/assessments", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != http.StatusServiceUnavailable || !strings.Contains(string(body), "quota ledger does not reconcile") {
		t.Errorf("a write on a store that does not reconcile = %d %s; want 503 saying why", resp.StatusCode, body)
	}
}

// TestAuditTampered: an audit record edited behind the store's back is
// named by audit verify (exit 1), which said "intact" before.
func TestAuditTampered(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pact.db")
	runCLI(t, "prices", "publish", "--through", "2026-06-30", "--db", "sqlite:"+db)
	out, stderr, code := runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitOK || !strings.Contains(out, "intact") || strings.Contains(out, " 0 records checked") {
		t.Fatalf("audit verify of an honest store = exit %d: %s %s", code, out, stderr)
	}
	tamper, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	_, err = tamper.Exec(`UPDATE audit SET actor = 'mallory' WHERE id = (SELECT min(id) FROM audit)`)
	tamper.Close()
	if err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitInvalid || !strings.Contains(out, "BROKEN  audit record 1 ") {
		t.Fatalf("audit verify after an audit record was edited = exit %d: %s %s; want exit 1 naming record 1", code, out, stderr)
	}
}

// TestAssessmentTampered (issue 12's probe): an assessment's total edited
// by hand, which nothing caught before, is named by audit verify (exit 1)
// with the row and the audit record that holds its digest; serve then
// refuses writes. Each assessment and allocation of the run is one record.
func TestAssessmentTampered(t *testing.T) {
	db := assessedStore(t, 500)
	tamper, err := sql.Open("sqlite", db)
	if err != nil {
		t.Fatal(err)
	}
	defer tamper.Close()
	var assessments, allocations, records int
	tamper.QueryRow(`SELECT (SELECT count(*) FROM assessments), (SELECT count(*) FROM quota_allocations),
		(SELECT count(*) FROM audit WHERE action IN ('assessment.record', 'quota.allocate') AND actor = 'assess (command line)')`).Scan(&assessments, &allocations, &records)
	if assessments < 400 || allocations == 0 || records != assessments+allocations {
		t.Fatalf("%d assessments and %d allocations stored, %d audit records of them by assess; want one each", assessments, allocations, records)
	}
	out, stderr, code := runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitOK || !strings.Contains(out, "0 from before rows were audited, 0 broken") {
		t.Fatalf("audit verify of an honest store = exit %d: %s %s", code, out, stderr)
	}
	if _, err := tamper.Exec(`UPDATE assessments SET total_duty = '0.00' WHERE id = (SELECT max(id) FROM assessments)`); err != nil {
		t.Fatal(err)
	}
	out, stderr, code = runCLI(t, "audit", "verify", "--db", "sqlite:"+db)
	if code != exitInvalid || !strings.Contains(out, "BROKEN  assessment row") || !strings.Contains(out, "edited after it was written") {
		t.Fatalf("audit verify after an assessment's total was edited = exit %d: %s %s; want exit 1 naming the row", code, out, stderr)
	}
	// serve checks the rows once serving has begun: writes are refused as
	// soon as it has found the edited one.
	base := startServer(t, db)
	var status int
	var body []byte
	for deadline := time.Now().Add(20 * time.Second); time.Now().Before(deadline); time.Sleep(50 * time.Millisecond) {
		resp, err := http.Post(base+"/v1/assessments", "application/json", strings.NewReader(`{}`))
		if err != nil {
			t.Fatal(err)
		}
		body, _ = io.ReadAll(resp.Body)
		resp.Body.Close()
		if status = resp.StatusCode; status == http.StatusServiceUnavailable {
			break
		}
	}
	if status != http.StatusServiceUnavailable || !strings.Contains(string(body), "does not match its audit record") {
		t.Errorf("a write on a store with an edited assessment = %d %s; want 503 saying why", status, body)
	}
}

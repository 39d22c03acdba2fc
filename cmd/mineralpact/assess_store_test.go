package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// TestAssessStoreRerun runs assess --db twice on the same declarations: the
// first run records every assessment and allocates the quotas; the second
// records nothing new, allocates nothing, and leaves the stored totals and the
// quota balances as they were.
func TestAssessStoreRerun(t *testing.T) {
	dir := t.TempDir()
	decls, stderr, code := runCLI(t, "gen", "declarations", "--n", "400", "--seed", "9", "--bad-rate", "0.05")
	if code != exitOK {
		t.Fatalf("gen = exit %d: %s", code, stderr)
	}
	in := filepath.Join(dir, "d.csv")
	if err := os.WriteFile(in, []byte(decls), 0o644); err != nil {
		t.Fatal(err)
	}
	db := filepath.Join(dir, "pact.db")
	run := func(flag string) (string, string) {
		t.Helper()
		out, stderr, code := runCLI(t, "assess", "--in", in, flag, "sqlite:"+db, "--errors", filepath.Join(dir, "e.csv"))
		if code != exitOK {
			t.Fatalf("assess %s = exit %d: %s", flag, code, stderr)
		}
		return out, stderr
	}
	state := func() ([]store.AssessmentTotal, map[string]string) {
		t.Helper()
		st, err := sqlite.Open(context.Background(), db)
		if err != nil {
			t.Fatal(err)
		}
		defer st.Close()
		vs, err := st.ListAgreements(context.Background())
		if err != nil || len(vs) != 1 {
			t.Fatalf("ListAgreements = %d, %v; want the example", len(vs), err)
		}
		totals, err := st.AssessmentTotals(context.Background(), vs[0].Hash)
		if err != nil {
			t.Fatal(err)
		}
		used := map[string]string{}
		for _, q := range []struct{ id, start string }{{"EU/eu-trq-li-cl", "2026-07-01"}, {"US/us-trq-w-conc", "2026-01-01"}, {"GB/gb-trq-co-processed", "2026-07-01"}} {
			u, err := st.Usage(context.Background(), q.id, date.MustParse(q.start))
			if err != nil {
				t.Fatal(err)
			}
			used[q.id] = u.Used.String()
		}
		return totals, used
	}

	// Nothing is published yet: every row is refused, none computed live.
	_, err0 := run("--db")
	if !strings.Contains(err0, "assessed 0, rejected 400") {
		t.Fatalf("assess --db before any publication: %q, want every row rejected", err0)
	}
	if e, _ := os.ReadFile(filepath.Join(dir, "e.csv")); !strings.Contains(string(e), "publish it first") {
		t.Fatalf("errors before any publication name no publication:\n%.600s", e)
	}
	if _, stderr, code := runCLI(t, "prices", "publish", "--through", "2026-12-31", "--db", "sqlite:"+db, "--format", "json"); code != exitInvalid {
		t.Fatalf("prices publish --through 2026-12-31 = exit %d (%s), want 1 (the market averages past the Pink Sheet)", code, stderr)
	}

	out1, err1 := run("--db")
	totals1, used1 := state()
	if len(totals1) == 0 || !strings.Contains(err1, "assessments recorded") || strings.Contains(err1, "store: 0 assessments recorded") {
		t.Fatalf("first run recorded %+v; summary %q", totals1, err1)
	}
	if strings.Contains(err1, "quota: 0 allocations made") {
		t.Errorf("first run allocated no quota; the generated declarations should draw on one: %q", err1)
	}
	// A CSV run records each assessment with its trace (the output has
	// none): the sink hands the writer's assessments to the store.
	firstID, _, _ := strings.Cut(strings.SplitN(out1, "\n", 3)[1], ",")
	if body := storedBody(t, db, firstID); !strings.Contains(body, `"trace":[{"step":"classify"`) {
		t.Errorf("stored assessment of %s = %s, want it with its trace", firstID, body)
	}
	// The floors published through the schedule are the floors a file run
	// computes on each date: the same assessments, row for row.
	fileOut, _, code := runCLI(t, "assess", "--in", in, "--errors", filepath.Join(dir, "e-file.csv"))
	if code != exitOK || fileOut != out1 {
		t.Errorf("assess without a store (exit %d) differs from assess --db over the published schedule", code)
	}
	if body := storedBody(t, db, firstID); !strings.Contains(body, `"publication","`) && !strings.Contains(body, `"publication":"`) {
		t.Errorf("stored assessment of %s names no publication in its trace: %.300s", firstID, body)
	}
	out2, err2 := run("--store")
	totals2, used2 := state()
	if !strings.Contains(err2, "store: 0 assessments recorded") || !strings.Contains(err2, "quota: 0 allocations made") {
		t.Errorf("second run summary %q, want nothing recorded and nothing allocated", err2)
	}
	if out1 != out2 {
		t.Errorf("the second run's assessments differ from the first's")
	}
	if len(totals1) != len(totals2) {
		t.Fatalf("totals changed: %+v then %+v", totals1, totals2)
	}
	for i := range totals1 {
		if totals1[i].Count != totals2[i].Count || totals1[i].Total.Cmp(totals2[i].Total) != 0 {
			t.Errorf("stored totals changed on a re-run: %+v then %+v", totals1[i], totals2[i])
		}
	}
	for q, u := range used1 {
		if used2[q] != u {
			t.Errorf("quota %s used %s after the first run and %s after the second", q, u, used2[q])
		}
	}
	t.Logf("first run: %s", strings.TrimSpace(err1[strings.LastIndex(err1, "store:"):]))
	t.Logf("second run: %s", strings.TrimSpace(err2[strings.LastIndex(err2, "store:"):]))
	t.Logf("quota used: %v", used1)
}

// storedBody returns the body recorded for a declaration under the one
// agreement version of the database.
func storedBody(t *testing.T, db, id string) string {
	t.Helper()
	ctx := context.Background()
	st, err := sqlite.Open(ctx, db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	vs, err := st.ListAgreements(ctx)
	if err != nil || len(vs) != 1 {
		t.Fatalf("ListAgreements = %d, %v; want one", len(vs), err)
	}
	r, err := st.GetAssessment(ctx, vs[0].Hash, id)
	if err != nil {
		t.Fatalf("GetAssessment(%s) = %v", id, err)
	}
	return string(r.Body)
}

package main

import (
	"context"
	"encoding/json"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// TestPricesPublish publishes the example's floors twice: the first run
// creates a publication for each, the second finds the same inputs and stores
// nothing. A date with floors that cannot be computed stores the others and
// exits 1, naming each failure on stderr.
func TestPricesPublish(t *testing.T) {
	db := filepath.Join(t.TempDir(), "pub.db")
	publish := func(asOf string) ([]service.PublishedRow, string, int) {
		t.Helper()
		out, errs, code := runCLI(t, "prices", "publish", "--as-of", asOf, "--db", "sqlite:"+db, "--format", "json")
		var rows []service.PublishedRow
		if err := json.Unmarshal([]byte(out), &rows); err != nil {
			t.Fatalf("prices publish --as-of %s: output is not JSON rows: %v\n%s\n%s", asOf, err, out, errs)
		}
		return rows, errs, code
	}
	first, errs, code := publish("2026-01-01")
	if code != exitOK || errs != "" {
		t.Fatalf("first publish exit = %d, stderr %q; want 0 and nothing", code, errs)
	}
	if len(first) < 30 {
		t.Fatalf("first publish stored %d floors, want every floor of the example (30 or more)", len(first))
	}
	illustrative := 0
	for _, r := range first {
		if r.Outcome != service.Published || r.Publication == 0 {
			t.Errorf("first publish of %s/%s = %s #%d, want created with an id", r.Mineral, r.Stage, r.Outcome, r.Publication)
		}
		if r.Illustrative {
			illustrative++
		}
	}
	if illustrative == 0 {
		t.Errorf("no published floor is illustrative; the example's generated cost curves should make some so")
	}
	again, _, code := publish("2026-01-01")
	if code != exitOK || len(again) != len(first) {
		t.Fatalf("second publish: exit %d, %d rows; want 0, %d", code, len(again), len(first))
	}
	for i, r := range again {
		if r.Outcome != service.Unchanged || r.Publication != first[i].Publication {
			t.Errorf("second publish of %s/%s = %s #%d, want unchanged #%d", r.Mineral, r.Stage, r.Outcome, r.Publication, first[i].Publication)
		}
	}

	// The Pink Sheet ends in 2025-11: the April revision of the monthly
	// averages cannot be computed, the others are stored.
	april, errs, code := publish("2026-04-01")
	if code != exitInvalid {
		t.Errorf("publish --as-of 2026-04-01 exit = %d, want %d", code, exitInvalid)
	}
	if !strings.Contains(errs, "not published: copper/processed") || !strings.Contains(errs, "no value for 2025-12") {
		t.Errorf("publish --as-of 2026-04-01 stderr = %q, want the copper/processed failure named", errs)
	}
	if len(april) == 0 {
		t.Fatalf("publish --as-of 2026-04-01 stored nothing; want the floors that can be computed")
	}

	st, err := sqlite.Open(context.Background(), db)
	if err != nil {
		t.Fatal(err)
	}
	defer st.Close()
	a, _, err := loadAgreement("example")
	if err != nil {
		t.Fatal(err)
	}
	hash, _ := a.Hash()
	p, err := st.CurrentPublication(context.Background(), hash, "lithium", "mined", date.MustParse("2026-02-01"))
	if err != nil {
		t.Fatalf("CurrentPublication(lithium/mined) error: %v", err)
	}
	var body struct {
		Inputs []json.RawMessage `json:"inputs"`
		Basis  struct{ Article string }
	}
	if err := json.Unmarshal(p.Body, &body); err != nil || len(body.Inputs) == 0 || body.Basis.Article == "" {
		t.Errorf("stored body of lithium/mined: %d inputs, basis %q, %v; want the floor with its inputs and legal basis", len(body.Inputs), body.Basis.Article, err)
	}
	audit, err := st.ListAudit(context.Background(), "agreement:"+hash, 0)
	if err != nil || len(audit) == 0 || audit[0].Action != "prices.publish" {
		t.Errorf("audit after publishing = %v, %v; want a prices.publish record first", audit, err)
	}
}

func TestPricesPublishUsage(t *testing.T) {
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"prices", "publish"}, exitUsage, "name one of --as-of DATE"},
		{[]string{"prices", "publish", "--as-of", "2026-01-01", "extra"}, exitUsage, "takes no arguments"},
		{[]string{"prices", "publish", "--as-of", "2025-06-01", "--db", "sqlite:" + filepath.Join(t.TempDir(), "x.db")}, exitInvalid, "no reference price before its entry into force"},
		{[]string{"prices", "publish", "--as-of", "2026-01-01", "--db", "mysql://x"}, exitInvalid, "sqlite:PATH"},
	}
	for _, tt := range tests {
		_, errs, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.errs) {
			t.Errorf("mineralpact %s = exit %d, stderr %q; want %d and %q", strings.Join(tt.args, " "), code, errs, tt.code, tt.errs)
		}
	}
}

// TestPricesPublishThrough publishes the schedule through a date, as serve
// does on start: every revision not yet published, once; the revisions that
// cannot be computed are named on stderr; a second run stores nothing and a
// run with both --as-of and --through is a usage error.
func TestPricesPublishThrough(t *testing.T) {
	db := "sqlite:" + filepath.Join(t.TempDir(), "sched.db")
	out, errs, code := runCLI(t, "prices", "publish", "--through", "2026-06-30", "--db", db, "--format", "json")
	var rows []service.PublishedRow
	if err := json.Unmarshal([]byte(out), &rows); err != nil {
		t.Fatalf("prices publish --through: output is not JSON rows: %v\n%s\n%s", err, out, errs)
	}
	if code != exitInvalid || !strings.Contains(errs, "not published: copper/processed") {
		t.Errorf("prices publish --through 2026-06-30: exit %d, stderr %q; want 1 and the copper/processed revision of April named", code, errs)
	}
	revisions := map[string]int{}
	for _, r := range rows {
		if r.Outcome != service.Published {
			t.Errorf("%s/%s from %s: %s, want created", r.Mineral, r.Stage, r.ValidFrom, r.Outcome)
		}
		revisions[r.Mineral+"/"+r.Stage]++
	}
	if len(revisions) != 35 || revisions["lithium/mined"] != 2 {
		t.Errorf("published %d floors, lithium/mined %d times; want all 35 floors and lithium/mined's two quarterly revisions in force by the end of June (2026-01-01, 2026-04-01)", len(revisions), revisions["lithium/mined"])
	}
	out, _, _ = runCLI(t, "prices", "publish", "--through", "2026-06-30", "--db", db, "--format", "json")
	if strings.TrimSpace(out) != "[]" {
		t.Errorf("second run published %s, want nothing", out)
	}
	if _, errs, code := runCLI(t, "prices", "publish", "--through", "2026-06-30", "--as-of", "2026-01-01", "--db", db); code != exitUsage {
		t.Errorf("--as-of with --through: exit %d (%s), want a usage error", code, errs)
	}
}

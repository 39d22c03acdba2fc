package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/parquet-go/parquet-go"
	"github.com/xuri/excelize/v2"

	"github.com/mineralpact/mineralpact/examples"
)

// editedExample writes the example with lithium's mined-stage percentile
// raised from 75 to 80 and returns its path.
func editedExample(t *testing.T) string {
	t.Helper()
	old := []byte("          curve: busch-lithium-2024\n          percentile: 75\n")
	if !bytes.Contains(examples.Pact2026, old) {
		t.Fatal("the example's lithium percentile line moved")
	}
	text := bytes.Replace(examples.Pact2026, old, []byte("          curve: busch-lithium-2024\n          percentile: 80\n"), 1)
	path := filepath.Join(t.TempDir(), "pact-edited.yaml")
	if err := os.WriteFile(path, text, 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestDesignCompare(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir()) // the generated declarations are kept there
	nw := editedExample(t)
	args := []string{"design", "compare", "--agreement", "example", "--agreement", nw, "--n", "400", "--paths", "10", "--scenario", "lithium-collapse-2023", "--scenario", "nickel-indonesia-surge", "--top", "3"}
	out, errs, code := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("design compare --format json: exit %d, stderr %s", code, errs)
	}
	var c struct {
		Changes []struct{ Path string } `json:"changes"`
		Floors  []struct {
			Mineral string   `json:"mineral"`
			Changed bool     `json:"changed"`
			Why     []string `json:"why"`
		} `json:"floors"`
		Duty struct {
			Declarations int `json:"declarations"`
			Largest      []struct {
				NewTrace []json.RawMessage `json:"new_trace"`
			} `json:"largest"`
		} `json:"duty"`
		Scenarios []struct {
			ID      string `json:"id"`
			Changed bool   `json:"changed"`
		} `json:"scenarios"`
		Work struct {
			Floors    []string `json:"floors_recomputed"`
			Scenarios []string `json:"scenarios_rerun"`
		} `json:"work"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatalf("design compare --format json: %v\n%s", err, out)
	}
	const path = "minerals[lithium].stages[mined].price.percentile"
	if len(c.Changes) != 1 || c.Changes[0].Path != path {
		t.Errorf("changes = %+v, want the one path %s", c.Changes, path)
	}
	for _, f := range c.Floors {
		if f.Changed != (f.Mineral == "lithium") {
			t.Errorf("floor of %s: changed = %v", f.Mineral, f.Changed)
		}
	}
	if c.Duty.Declarations != 400 || len(c.Duty.Largest) == 0 || len(c.Duty.Largest[0].NewTrace) == 0 {
		t.Errorf("duty: %d declarations, %d largest changes (want 400, some with traces)", c.Duty.Declarations, len(c.Duty.Largest))
	}
	if len(c.Scenarios) != 2 || !c.Scenarios[0].Changed || c.Scenarios[1].Changed {
		t.Errorf("scenarios = %+v: want lithium changed, nickel not", c.Scenarios)
	}
	if strings.Join(c.Work.Floors, ",") != "lithium" || strings.Join(c.Work.Scenarios, ",") != "lithium-collapse-2023" {
		t.Errorf("work = %+v: want lithium's floors and scenario only", c.Work)
	}

	out, errs, code = runCLI(t, args...)
	if code != 0 {
		t.Fatalf("design compare: exit %d, stderr %s", code, errs)
	}
	for _, want := range []string{"What changed (1 paths", "Floors: 12 of", "minerals[lithium].stages[mined].price.percentile", "Duty:", "Market scenarios", "lithium-collapse-2023", "What was recomputed for NEW"} {
		if !strings.Contains(out, want) {
			t.Errorf("design compare table lacks %q:\n%s", want, out)
		}
	}
}

func TestDesignCompareErrors(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"design", "compare", "--agreement", "example"}, exitUsage, "--agreement: give it twice"},
		{[]string{"design", "compare", "--agreement", "example", "--agreement", "example", "--n", "0"}, exitUsage, "--n must be"},
		{[]string{"design", "compare", "--agreement", "example", "--agreement", "example", "--from", "2027-01-01", "--to", "2026-01-01"}, exitUsage, "--to 2026-01-01 is before --from"},
		{[]string{"design", "compare", "--agreement", "example", "--agreement", "no-such.yaml"}, exitInvalid, "--agreement no-such.yaml (NEW)"},
		{[]string{"design", "compare", "--agreement", "example", "--agreement", "example", "--n", "10", "--scenario", "no-such"}, exitInvalid, "--scenario no-such"},
		{[]string{"design", "compare", "--agreement", "example", "--agreement", "example", "--declarations", "no-such.csv"}, exitInvalid, "declarations"},
	}
	for _, tt := range tests {
		_, errs, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(errs, tt.errs) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, errs, tt.code, tt.errs)
		}
	}
}

// TestDesignCompareExports: --format xlsx writes one sheet a table and
// --format parquet one file a table, each readable back with the figures the
// JSON has (the lithium floors' old and new), numbers where every cell is one.
func TestDesignCompareExports(t *testing.T) {
	t.Setenv("XDG_CACHE_HOME", t.TempDir())
	nw := editedExample(t)
	base := []string{"design", "compare", "--agreement", "example", "--agreement", nw, "--n", "200", "--paths", "10", "--scenario", "lithium-collapse-2023", "--top", "2"}
	book := filepath.Join(t.TempDir(), "design.xlsx")
	if _, errs, code := runCLI(t, append(base, "--format", "xlsx", "--out", book)...); code != 0 {
		t.Fatalf("--format xlsx: exit %d, %s", code, errs)
	}
	f, err := excelize.OpenFile(book)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); !slices.Contains(sheets, "floors") || !slices.Contains(sheets, "duty_lines") || !slices.Contains(sheets, "scenarios") {
		t.Errorf("sheets %v; want floors, duty_lines, scenarios among them", sheets)
	}
	rows, err := f.GetRows("floors")
	if err != nil || len(rows) < 2 || rows[0][0] != "mineral" {
		t.Fatalf("floors sheet: %v rows, %v", len(rows), err)
	}
	lithium := false
	for _, r := range rows[1:] {
		if r[0] == "lithium" {
			lithium = true
		}
	}
	if !lithium {
		t.Error("the floors sheet has no lithium row, which the edit changed")
	}
	dir := filepath.Join(t.TempDir(), "parquet")
	if _, errs, code := runCLI(t, append(base, "--format", "parquet", "--out", dir)...); code != 0 {
		t.Fatalf("--format parquet: exit %d, %s", code, errs)
	}
	for _, name := range []string{"floors", "duty_lines", "scenarios", "changes"} {
		p := filepath.Join(dir, name+".parquet")
		fh, err := os.Open(p)
		if err != nil {
			t.Fatal(err)
		}
		st, _ := fh.Stat()
		pf, err := parquet.OpenFile(fh, st.Size())
		fh.Close()
		if err != nil || pf.NumRows() < 1 {
			t.Errorf("%s: %v, %d rows", p, err, pf.NumRows())
		}
	}
	if _, errs, code := runCLI(t, append(base, "--format", "parquet")...); code != exitUsage || !strings.Contains(errs, "--out DIR") {
		t.Errorf("--format parquet without --out: exit %d, %q", code, errs)
	}
}

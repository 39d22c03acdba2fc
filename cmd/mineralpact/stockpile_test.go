package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestStockpileCheck runs `stockpile check` on the shipped files in every
// format: the US cobalt row carries MCS 2026's 2025 net imports (14000 −
// 4500 = 9500 t) and 90 days of them (9500 × 90 ÷ 365 = 2342.466 t).
func TestStockpileCheck(t *testing.T) {
	out, errs, code := runCLI(t, "stockpile", "check", "--as-of", "2026-07-01", "--mineral", "cobalt", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	var us []string
	for _, r := range rows {
		if r[2] == "US" {
			us = r
		}
	}
	if us == nil || us[6] != "9500" || us[8] != "2342.466" {
		t.Errorf("US row %v: want base 9500, obligation 2342.466", us)
	}
	out, _, code = runCLI(t, "stockpile", "check", "--as-of", "2026-07-01", "--format", "json")
	var doc struct {
		Regimes []struct{ Mineral string } `json:"regimes"`
	}
	if code != 0 || json.Unmarshal([]byte(out), &doc) != nil || len(doc.Regimes) != 3 {
		t.Errorf("json: exit %d, %d regimes, want 3", code, len(doc.Regimes))
	}
	out, _, code = runCLI(t, "stockpile", "check", "--as-of", "2026-07-01")
	if code != 0 || !strings.Contains(out, "cobalt/processed:") || !strings.Contains(out, "ILLUSTRATIVE") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

// TestStockpileBadInput checks the exit status and the file:line:column
// message of bad holdings and bad losses, and usage errors.
func TestStockpileBadInput(t *testing.T) {
	dir := t.TempDir()
	h := filepath.Join(dir, "h.csv")
	os.WriteFile(h, []byte("party,mineral,stage,date,form,tonnes,holder\nUS,cobalt,processed,2026-01-01,metal,-3,public\nUS,tin,processed,2026-01-01,metal,3,public\n"), 0o644)
	_, errs, code := runCLI(t, "stockpile", "check", "--as-of", "2026-07-01", "--holdings", h)
	if code != 1 || !strings.Contains(errs, "h.csv:2:38: tonnes: must be ≥ 0 tonnes, got -3") || !strings.Contains(errs, "h.csv:3:4: mineral:") {
		t.Errorf("bad holdings: exit %d, %s", code, errs)
	}
	l := filepath.Join(dir, "l.csv")
	os.WriteFile(l, []byte("origin,mineral,stage,cut,from,to\nCD,cobalt,processed,1.5,2025-02-22,2025-10-21\n"), 0o644)
	_, errs, code = runCLI(t, "stockpile", "respond", "--scenario", "cobalt-drc-2025", "--losses", l)
	if code != 1 || !strings.Contains(errs, "l.csv:2:21: cut: must be a share between 0 and 1") {
		t.Errorf("bad losses: exit %d, %s", code, errs)
	}
	if _, _, code = runCLI(t, "stockpile", "respond"); code != 2 {
		t.Errorf("respond without --scenario: exit %d, want 2", code)
	}
	if _, _, code = runCLI(t, "stockpile", "check"); code != 2 {
		t.Errorf("check without --as-of: exit %d, want 2", code)
	}
}

// TestStockpileRespond runs the cobalt ban with losses entered by hand and
// checks the plan's CSV balances per party and month.
func TestStockpileRespond(t *testing.T) {
	out, errs, code := runCLI(t, "stockpile", "respond", "--scenario", "cobalt-drc-2025", "--alone", "--format", "csv")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	rows, err := csv.NewReader(strings.NewReader(out)).ReadAll()
	if err != nil || len(rows) < 2 {
		t.Fatal(err)
	}
	modes := map[string]bool{}
	for _, r := range rows[1:] {
		modes[r[0]] = true
		if !balanced(r[12], r[8], r[11], r[13]) {
			t.Fatalf("row %v: open − release + replenish ≠ close", r)
		}
	}
	if !modes["coordinated"] || !modes["alone"] {
		t.Errorf("responses %v, want coordinated and alone", modes)
	}
	out, _, code = runCLI(t, "stockpile", "respond", "--scenario", "cobalt-drc-2025")
	if code != 0 || !strings.Contains(out, "trigger collective (zone): 2025-02") {
		t.Errorf("table: exit %d\n%s", code, out)
	}
}

// balanced checks open − release + replenish = close on exact tonnes.
func balanced(open, release, replenish, close string) bool {
	kg := func(s string) int64 {
		whole, frac, _ := strings.Cut(s, ".")
		frac = (frac + "000")[:3]
		neg := strings.HasPrefix(whole, "-")
		var n int64
		for _, c := range strings.TrimPrefix(whole, "-") + frac {
			n = n*10 + int64(c-'0')
		}
		if neg {
			n = -n
		}
		return n
	}
	return kg(open)-kg(release)+kg(replenish) == kg(close)
}

// TestStockpileCheckOwnFiles runs `stockpile check` on an agreement of its
// own (mini.yaml: a tungsten regime of 90 days of net imports, net
// exporters exempt) with its own flows and holdings, and on the shipped
// holdings, which hold nothing for it: 90 × 3650 ÷ 365 = 900 t, 400 held.
func TestStockpileCheckOwnFiles(t *testing.T) {
	dir := t.TempDir()
	f := filepath.Join(dir, "f.csv")
	os.WriteFile(f, []byte("party,mineral,stage,year,production,imports,exports,consumption,source\nUS,tungsten,mined,2026,0,3650,0,,own\n"), 0o644)
	h := filepath.Join(dir, "h.csv")
	os.WriteFile(h, []byte("party,mineral,stage,date,form,tonnes,holder\nUS,tungsten,mined,2027-05-01,concentrate,400,public\n"), 0o644)
	const mini = "../../internal/agreement/testdata/mini.yaml"
	out, errs, code := runCLI(t, "stockpile", "check", "--agreement", mini, "--flows", f, "--holdings", h, "--as-of", "2027-07-01", "--format", "csv")
	if code != 0 || !strings.Contains(out, "tungsten,mined,US,net_imports,90,2026,3650,,900,0,400,400,400,500,0,40.00,false,") {
		t.Errorf("own files: exit %d %s\n%s", code, errs, out)
	}
	out, errs, code = runCLI(t, "stockpile", "check", "--agreement", mini, "--flows", f, "--as-of", "2027-07-01", "--format", "csv")
	if code != 0 || !strings.Contains(out, "tungsten,mined,US,net_imports,90,2026,3650,,900,0,0,0,0,900,0,0.00,false,") {
		t.Errorf("shipped holdings for another agreement: exit %d %s\n%s", code, errs, out)
	}
}

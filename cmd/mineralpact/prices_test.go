package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// TestPricesComputeExample: every mineral×stage in scope of the example has a
// floor as of 2026-01-01, and the JSON is stable (golden file).
func TestPricesComputeExample(t *testing.T) {
	out, stderr, code := runCLI(t, "prices", "compute", "--as-of", "2026-01-01", "--format", "json")
	if code != exitOK {
		t.Fatalf("prices compute = exit %d: %s", code, stderr)
	}
	var floors []struct {
		Mineral, Stage, Price string
		Illustrative          bool
		Steps                 []json.RawMessage
		Inputs                []json.RawMessage
	}
	if err := json.Unmarshal([]byte(out), &floors); err != nil {
		t.Fatal(err)
	}
	if len(floors) != 35 {
		t.Errorf("prices compute gave %d floors, want the 35 mineral×stage pairs of the example", len(floors))
	}
	for _, f := range floors {
		if f.Price == "" || len(f.Steps) == 0 || len(f.Inputs) == 0 {
			t.Errorf("%s/%s: price %q with %d steps and %d inputs: want a price that explains itself", f.Mineral, f.Stage, f.Price, len(f.Steps), len(f.Inputs))
		}
	}
	golden(t, "prices-example-2026-01-01.json.golden", out)
}

func TestPricesErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"prices", "compute"}, exitUsage, "--as-of is required"},
		{[]string{"prices", "compute", "--as-of", "2025-12-31"}, exitInvalid, "before its entry into force"},
		{[]string{"prices", "explain", "lithium", "--as-of", "2026-01-01"}, exitUsage, "want MINERAL/STAGE"},
		{[]string{"prices", "explain", "lithium/scrap", "--as-of", "2026-01-01"}, exitInvalid, `stage "scrap" of lithium is not in scope`},
		{[]string{"prices", "history", "copper/processed", "--from", "2026-01-01", "--to", "2026-12-31"}, exitInvalid, "no value for 2025-12, 2026-01 (the 36 months to 2026-01"}, // February's Pink Sheet appears on 3 March, after the cut-off 2026-03-02
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.errs) {
			t.Errorf("mineralpact %v = exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.errs)
		}
	}
}

func TestPricesExplain(t *testing.T) {
	out, stderr, code := runCLI(t, "prices", "explain", "lithium/mined", "--as-of", "2026-01-01")
	if code != exitOK {
		t.Fatalf("prices explain = exit %d: %s", code, stderr)
	}
	for _, want := range []string{"busch-lithium-2024", "capital recovery factor", "cash cost at percentile", "legal basis: Art.", "inputs sha256"} {
		if !strings.Contains(out, want) {
			t.Errorf("prices explain lithium/mined lacks %q:\n%s", want, out)
		}
	}
}

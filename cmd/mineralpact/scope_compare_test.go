package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// The figures of `scope compare` over the shipped data (docs/scope.md).
func TestScopeCompare(t *testing.T) {
	out, errs, code := runCLI(t, "scope", "compare")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	for _, w := range []string{
		"n 35, ρ 0.506634", "n 0, ρ not computed (published SR values not found",
		"membership: both 22, published_only 1, ours_only 6, neither 6, not_scored 5, not_mapped 4",
		"SR-only", "n 49, ρ 0.380766",
	} {
		if !strings.Contains(out, w) {
			t.Errorf("table lacks %q:\n%s", w, out)
		}
	}

	out, errs, code = runCLI(t, "scope", "compare", "--format", "csv")
	if code != exitOK {
		t.Fatalf("csv: exit %d: %s", code, errs)
	}
	if !strings.HasPrefix(out, "assessment,material,our_minerals,published_critical,published_sr,our_sr,our_flag,agreement,gaps\n") ||
		!strings.Contains(out, "eu_2023,lithium,lithium,yes,-,0.716493,no,published_only,\"lithium chemicals") ||
		!strings.Contains(out, "usgs_2022,uranium,uranium,no,-,-,-,not_scored,\"not evaluated by the USGS") {
		t.Errorf("csv:\n%s", out)
	}

	out, errs, code = runCLI(t, "scope", "compare", "--format", "json")
	if code != exitOK {
		t.Fatalf("json: exit %d: %s", code, errs)
	}
	var c struct {
		EU struct {
			List struct {
				N   int      `json:"n"`
				Rho *float64 `json:"rho"`
			} `json:"rank_correlation_list"`
			Rows []struct {
				Material  string   `json:"material"`
				Agreement string   `json:"agreement"`
				Gaps      []string `json:"gaps"`
			} `json:"rows"`
		} `json:"eu_2023"`
	}
	if err := json.Unmarshal([]byte(out), &c); err != nil {
		t.Fatal(err)
	}
	if c.EU.List.N != 35 || c.EU.List.Rho == nil || *c.EU.List.Rho != 0.506634 || len(c.EU.Rows) != 44 {
		t.Errorf("json: n %d, ρ %v, %d rows", c.EU.List.N, c.EU.List.Rho, len(c.EU.Rows))
	}

	if _, _, code := runCLI(t, "scope", "compare", "--format", "xml"); code != exitUsage {
		t.Errorf("--format xml: exit %d, want %d", code, exitUsage)
	}
}

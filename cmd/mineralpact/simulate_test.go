package main

import (
	"encoding/json"
	"math"
	"regexp"
	"strconv"
	"strings"
	"testing"
)

const (
	twoRegion = "../../internal/market/testdata/two-region.json"
	gsimTwo   = "../../internal/market/testdata/gsim-two.json"
)

func TestSimulateExitCodes(t *testing.T) {
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"simulate", "equilibrium", "--instance", twoRegion}, exitOK, ""},
		{[]string{"simulate", "equilibrium", "--instance", twoRegion, "--format", "json"}, exitOK, ""},
		{[]string{"simulate", "equilibrium"}, exitUsage, "--instance is required"},
		{[]string{"simulate", "equilibrium", "--instance", twoRegion, "--format", "xml"}, exitUsage, `--format "xml"`},
		{[]string{"simulate", "equilibrium", "--bogus"}, exitUsage, "-bogus"},
		{[]string{"simulate", "equilibrium", "--instance", "no/such.json"}, exitInvalid, "cannot read instance file"},
		{[]string{"simulate", "equilibrium", "--instance", "testdata/simulate-bad.json"}, exitInvalid, "producers[0].unit_cost: must be ≥ 0"},
		{[]string{"simulate", "equilibrium", "--instance", gsimTwo}, exitInvalid, "unknown field"},
		{[]string{"simulate", "gsim", "--instance", gsimTwo}, exitOK, ""},
		{[]string{"simulate", "gsim", "--instance", twoRegion}, exitInvalid, "unknown field"},
		{[]string{"simulate", "gsim", "extra"}, exitUsage, "unexpected argument"},
	}
	for _, tt := range tests {
		_, stderr, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.errs) {
			t.Errorf("mineralpact %v = exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.errs)
		}
	}
}

func TestSimulateEquilibriumJSON(t *testing.T) {
	out, stderr, code := runCLI(t, "simulate", "equilibrium", "--instance", twoRegion, "--format", "json")
	if code != exitOK {
		t.Fatalf("simulate equilibrium = exit %d: %s", code, stderr)
	}
	var eq struct {
		Regions []struct {
			ID    string  `json:"id"`
			Price float64 `json:"price"`
		} `json:"regions"`
		Check struct {
			OK bool `json:"ok"`
		} `json:"check"`
	}
	if err := json.Unmarshal([]byte(out), &eq); err != nil {
		t.Fatal(err)
	}
	if len(eq.Regions) != 2 || eq.Regions[0].Price != 60 || eq.Regions[1].Price != 80 || !eq.Check.OK {
		t.Errorf("simulate equilibrium --format json = %+v, want prices A 60, B 80 and check ok", eq)
	}
}

// TestSimulateGSIMTable: on a terminal, fixed decimals; on a pipe, the exact
// figure (B's welfare is 4.42375 up to the float arithmetic).
func TestSimulateGSIMTable(t *testing.T) {
	out, _, code := runAs(t, true, "simulate", "gsim", "--instance", gsimTwo)
	if code != exitOK || !strings.Contains(out, "-5.0000%") || !strings.Contains(out, " 4.42\n") {
		t.Errorf("simulate gsim on a terminal = exit %d, %q; want A's world price -5.0000%% and B's welfare 4.42", code, out)
	}
	out, _, code = runCLI(t, "simulate", "gsim", "--instance", gsimTwo)
	var welfare float64
	for _, line := range strings.Split(out, "\n") {
		if f := strings.Fields(line); len(f) == 7 && f[0] == "B" {
			welfare, _ = strconv.ParseFloat(f[6], 64)
		}
	}
	if code != exitOK || math.Abs(welfare-4.42375) > 1e-12 || strings.Contains(out, "+-") {
		t.Errorf("simulate gsim piped = exit %d, %q; want B's welfare 4.42375, exactly", code, out)
	}
}

// exponent is a figure written with an exponent, as 2.21641e+08.
var exponent = regexp.MustCompile(`[0-9][eE][+-]?[0-9]`)

// TestSimulateTableFigures: on a terminal the run's figures read as people
// write them — thousands separators, fixed decimals, no exponent (only the
// balance residual, evidence of precision rather than an amount, keeps one);
// on a pipe they are exact.
func TestSimulateTableFigures(t *testing.T) {
	args := []string{"simulate", "--scenario", "cobalt-drc-2025", "--paths", "20"}
	term, _, code := runAs(t, true, args...)
	if code != exitOK {
		t.Fatalf("simulate on a terminal = exit %d", code)
	}
	for _, line := range strings.Split(term, "\n") {
		if exponent.MatchString(line) && !strings.HasPrefix(line, "balance:") && !strings.HasPrefix(line, "ILLUSTRATIVE") {
			t.Errorf("simulate on a terminal wrote a figure with an exponent: %q", line)
		}
	}
	if want := "cost to consumers in the zone: -29,161,556 USD"; !strings.Contains(term, want) {
		t.Errorf("simulate on a terminal: no %q in\n%s", want, term)
	}
	pipe, _, code := runCLI(t, args...)
	if want := "cost to consumers in the zone: -29161556.41"; code != exitOK || !strings.Contains(pipe, want) {
		t.Errorf("simulate piped = exit %d: no %q (the exact figure) in\n%s", code, want, pipe)
	}
}

package main

import (
	"encoding/json"
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

func TestSimulateGSIMTable(t *testing.T) {
	out, _, code := runCLI(t, "simulate", "gsim", "--instance", gsimTwo)
	if code != exitOK || !strings.Contains(out, "-5.0000%") || !strings.Contains(out, "4.42375") {
		t.Errorf("simulate gsim = exit %d, %q; want A's world price -5.0000%% and B's welfare 4.42375", code, out)
	}
}

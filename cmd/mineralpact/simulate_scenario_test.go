package main

import (
	"context"
	"encoding/json"
	"strings"
	"testing"
)

const testScenario = "../../internal/market/testdata/scenarios/two-region-floor.yaml"

// TestSimulateDispatch: the lone noun `simulate` and the verbs
// `simulate equilibrium`, `simulate gsim` and `simulate compare` all reach
// their commands.
func TestSimulateDispatch(t *testing.T) {
	tests := []struct {
		args []string
		code int
		out  string
		errs string
	}{
		{[]string{"simulate", "--scenario", testScenario}, exitOK, "scenario two-region-floor", ""},
		{[]string{"simulate", "--scenario", testScenario, "--format", "csv"}, exitOK, "month,region,price,baseline_price", ""},
		{[]string{"simulate", "equilibrium", "--instance", twoRegion}, exitOK, "spatial equilibrium", ""},
		{[]string{"simulate", "gsim", "--instance", gsimTwo}, exitOK, "", ""},
		{[]string{"simulate", "compare", "--scenario", testScenario, "--floor-scale-b", "0.5"}, exitOK, "cost to consumers in the zone", ""},
		{[]string{"simulate"}, exitUsage, "", "--scenario is required"},
		{[]string{"simulate", "--scenario", "no-such-scenario"}, exitInvalid, "", "no shipped scenario of that name"},
		{[]string{"simulate", "--scenario", "../../internal/market/testdata/scenarios/bad/many.yaml"}, exitInvalid, "", "supply.producers[0].capacity: must be ≥ 0"},
		{[]string{"simulate", "--scenario", testScenario, "--agreement", "a", "--agreement", "b"}, exitUsage, "", "one --agreement"},
		{[]string{"simulate", "compare", "--scenario", testScenario}, exitUsage, "", "needs a second --agreement"},
		{[]string{"simulate", "--scenario", testScenario, "--seed", "x"}, exitUsage, "", "--seed"},
	}
	for _, tt := range tests {
		out, stderr, code := runCLI(t, tt.args...)
		if code != tt.code || !strings.Contains(out, tt.out) || !strings.Contains(stderr, tt.errs) {
			t.Errorf("mineralpact %v = exit %d, stdout %.200q, stderr %q; want exit %d, %q in stdout, %q in stderr", tt.args, code, out, stderr, tt.code, tt.out, tt.errs)
		}
	}
}

// TestSimulateShipped runs every shipped scenario briefly.
func TestSimulateShipped(t *testing.T) {
	for _, name := range []string{"gallium-export-ban", "cobalt-drc-2025", "lithium-collapse-2023", "nickel-indonesia-surge", "ita-replay"} {
		out, stderr, code := runCLI(t, "simulate", "--scenario", name, "--paths", "20", "--format", "json")
		if code != exitOK {
			t.Errorf("simulate --scenario %s = exit %d: %s", name, code, stderr)
			continue
		}
		var r struct {
			Scenario struct{ Illustrative bool } `json:"scenario"`
			Months   []string                    `json:"months"`
		}
		if err := json.Unmarshal([]byte(out), &r); err != nil || len(r.Months) == 0 || !r.Scenario.Illustrative {
			t.Errorf("simulate --scenario %s: %d months, illustrative %v, err %v", name, len(r.Months), r.Scenario.Illustrative, err)
		}
	}
}

// TestSimulateWorkers: the same seed gives the same bytes with one worker or
// two.
func TestSimulateWorkers(t *testing.T) {
	a, _, c1 := runCLI(t, "simulate", "--scenario", "cobalt-drc-2025", "--paths", "40", "--seed", "9", "--workers", "1", "--format", "json")
	b, _, c2 := runCLI(t, "simulate", "--scenario", "cobalt-drc-2025", "--paths", "40", "--seed", "9", "--workers", "2", "--format", "json")
	if c1 != exitOK || c2 != exitOK || a != b {
		t.Errorf("simulate --workers 1 and --workers 2 differ (exit %d, %d)", c1, c2)
	}
}

// TestSimulateProgress: on a terminal the Monte Carlo draws a progress bar on
// standard error and clears it; piped, it draws nothing.
func TestSimulateProgress(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var out, errb strings.Builder
		code := run(context.Background(), []string{"simulate", "--scenario", "cobalt-drc-2025", "--paths", "300"}, streams{in: strings.NewReader(""), out: &out, err: &errb, errTTY: tty})
		if code != exitOK {
			t.Fatalf("tty %v: exit %d: %s", tty, code, errb.String())
		}
		drew := strings.Contains(errb.String(), "paths") && strings.Contains(errb.String(), "\r\033[K")
		if drew != tty {
			t.Errorf("tty %v: stderr %q; want a progress bar only on a terminal", tty, errb.String())
		}
	}
}

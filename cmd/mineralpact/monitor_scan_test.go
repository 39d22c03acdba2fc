package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/monitor"
)

const monitorTestdata = "../../internal/monitor/testdata"

func TestMonitorScanChinaDeterministic(t *testing.T) {
	args := []string{"monitor", "scan", "--flows", "../../data/monitor/china-exports-comtrade.csv", "--measures", "../../data/monitor/measures.csv", "--as-of", "2024-12-31", "--format", "jsonl"}
	out1, stderr, code := runCLI(t, args...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	out2, _, _ := runCLI(t, args...)
	if out1 != out2 {
		t.Error("two scans of the same input differ")
	}
	alerts, err := monitor.ReadJSONL(strings.NewReader(out1))
	if err != nil {
		t.Fatal(err)
	}
	if len(alerts) == 0 {
		t.Fatal("no alerts on the China export data")
	}
	tied := 0
	for i, a := range alerts {
		if a.ID != a.ComputeID() || a.Basis == "" {
			t.Errorf("alert %d: id %s (want %s), basis %q", i, a.ID, a.ComputeID(), a.Basis)
		}
		if i > 0 && (alerts[i-1].Score < a.Score || alerts[i-1].Score == a.Score && alerts[i-1].ID > a.ID) {
			t.Errorf("alerts %d and %d out of order", i-1, i)
		}
		if a.Measure != nil && strings.Contains(a.Measure.Name, "graphite") && a.HS == "250410" && a.From.String() == "2023-12" {
			tied++
		}
	}
	if tied == 0 {
		t.Error("no graphite alert tied to the December 2023 export control")
	}
}

func TestMonitorScanRoutingWithRegistry(t *testing.T) {
	out, stderr, code := runCLI(t, "monitor", "scan", "--flows", filepath.Join(monitorTestdata, "routing/fires.csv"), "--as-of", "2024-06-30", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, `"detector": "routing"`) || !strings.Contains(out, `"via": "VN"`) || !strings.Contains(out, "USGS MCS 2026") {
		t.Errorf("no routing alert through Viet Nam with its USGS test:\n%s", out)
	}
}

func TestMonitorScanDeclarations(t *testing.T) {
	out, stderr, code := runCLI(t, "monitor", "scan", "--declarations", filepath.Join(monitorTestdata, "undertaking_breach/fires.csv"), "--as-of", "2026-06-30")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(out, "undertaking_breach") || !strings.Contains(out, "CL-EXP-0417") || !strings.Contains(out, "Art. 8.5") {
		t.Errorf("no undertaking breach in the table:\n%s", out)
	}
}

func TestMonitorScanBACI(t *testing.T) {
	dir := t.TempDir()
	flows, codes := filepath.Join(dir, "baci.csv"), filepath.Join(dir, "codes.csv")
	f, _ := os.Create(flows)
	if _, err := monitor.Generate(f, monitor.GenOptions{Seed: 3, Format: "baci", Clean: 200, Planted: 2}); err != nil {
		t.Fatal(err)
	}
	f.Close()
	c, _ := os.Create(codes)
	monitor.GenCountryCodes(c)
	c.Close()
	out, stderr, code := runCLI(t, "monitor", "scan", "--flows", flows, "--baci-codes", codes, "--as-of", "2025-01-01", "--detector", "surge", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	alerts, err := monitor.ReadJSONL(strings.NewReader(out))
	if err != nil || len(alerts) == 0 {
		t.Fatalf("%d alerts, %v", len(alerts), err)
	}
	for _, a := range alerts {
		if a.Detector != "surge" {
			t.Errorf("--detector surge gave a %s alert", a.Detector)
		}
	}
}

func TestMonitorScanBadInput(t *testing.T) {
	for _, c := range []struct {
		args []string
		want string
	}{
		{[]string{"--flows", filepath.Join(monitorTestdata, "bad/comtrade-missing-column.csv")}, "comtrade-missing-column.csv: row 1, column primaryValue: missing column"},
		{[]string{"--flows", filepath.Join(monitorTestdata, "bad/comtrade-future.csv")}, "row 3, column period: period 2027-01 is after the as-of date"},
		{[]string{"--flows", filepath.Join(monitorTestdata, "bad/comtrade-negative.csv")}, "row 3, column primaryValue: primaryValue: negative value -5"},
		{[]string{"--flows", filepath.Join(monitorTestdata, "bad/baci-unknown-code.csv"), "--baci-codes", filepath.Join(monitorTestdata, "bad/baci-codes.csv")}, "baci-unknown-code.csv: row 3, column j: unknown country code 999"},
	} {
		_, stderr, code := runCLI(t, append([]string{"monitor", "scan", "--as-of", "2024-12-31"}, c.args...)...)
		if code != exitInvalid || !strings.Contains(stderr, c.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit 1 and %q", c.args, code, stderr, c.want)
		}
	}
	if _, stderr, code := runCLI(t, "monitor", "scan", "--as-of", "2024-12-31"); code != exitUsage {
		t.Errorf("no input: exit %d (%s), want 2", code, stderr)
	}
	if _, stderr, code := runCLI(t, "monitor", "scan", "--flows", "x.csv", "--as-of", "2024-12-31", "--detector", "nope"); code != exitUsage {
		t.Errorf("unknown detector: exit %d (%s), want 2", code, stderr)
	}
}

func TestMonitorScanRawDeclarations(t *testing.T) {
	dir := t.TempDir()
	decl := filepath.Join(dir, "d.csv")
	out, _, code := runCLI(t, "gen", "declarations", "--n", "400", "--seed", "4")
	if code != 0 {
		t.Fatal("gen declarations failed")
	}
	os.WriteFile(decl, []byte(out), 0o644)
	got, stderr, code := runCLI(t, "monitor", "scan", "--declarations", decl, "--as-of", "2026-12-31", "--format", "jsonl")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	alerts, err := monitor.ReadJSONL(strings.NewReader(got))
	if err != nil || len(alerts) == 0 {
		t.Fatalf("%d alerts, %v", len(alerts), err)
	}
	byExporterID := false
	for _, a := range alerts {
		if strings.Contains(a.Exporter, "-EXP-") || strings.Contains(a.Exporter, "-AAM-") {
			byExporterID = true // clustered by the declarations' exporter_id, joined back
		}
	}
	if !byExporterID {
		t.Error("no alert names an exporter id: the declarations' exporter_id was not joined")
	}
}

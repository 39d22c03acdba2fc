package registry

import (
	"strings"
	"testing"
)

// TestTradeLinesShipped: the shipped calibration of generated declarations
// reads, and every line's MCS volume has a 2024 figure or is empty.
func TestTradeLinesShipped(t *testing.T) {
	r := testRegistry(t)
	lines, err := r.TradeLines()
	if err != nil {
		t.Fatalf("TradeLines() error:\n%v", err)
	}
	if len(lines) < 60 {
		t.Fatalf("TradeLines() = %d lines, want the 67 of data/declgen/lines.csv", len(lines))
	}
	for _, l := range lines {
		if l.Volume == "" {
			continue
		}
		if _, _, err := r.ImportVolume(l.Mineral, l.Volume, 2024); err != nil {
			t.Errorf("data/declgen/lines.csv:%d: %v", l.Line, err)
		}
	}
	stats, err := r.ComtradeExportStats()
	if err != nil || len(stats) != 3 {
		t.Fatalf("ComtradeExportStats() = %d lines, %v; want 3", len(stats), err)
	}
}

// TestTradeLinesErrors: a fault in the calibration is reported with its file,
// line and column, every fault at once.
func TestTradeLinesErrors(t *testing.T) {
	const header = "mineral,hs6,mcs_volume,mcs_sources,comtrade_hs6,pinksheet,centre,note\n"
	fsys := shippedWith(t, map[string]string{tradeLinesFile: header +
		"antimony,282580,Oxyde,Oxide,,,floor,misspelt volume\n" +
		"antimony,28258,Oxide,Oxides,999999,NOPE,market,\"five digits; bad sources, comtrade, series and centre\"\n" +
		"antimony,282580,Oxide,Oxide,,,comtrade,listed twice; comtrade centre without a line\n"})
	r, err := Load(fsys)
	if err != nil {
		t.Fatal(err)
	}
	_, err = r.TradeLines()
	if err == nil {
		t.Fatal("TradeLines() = nil error, want the faults")
	}
	for _, want := range []string{
		`data/declgen/lines.csv:2: mcs_volume: "Oxyde" is not an import statistic of the MCS chapter antimony`,
		`data/declgen/lines.csv:3: hs6: "28258" is not six digits`,
		`data/declgen/lines.csv:3: mcs_sources: "Oxides" is not an import-sources category`,
		`data/declgen/lines.csv:3: comtrade_hs6: "999999" is not a line`,
		`data/declgen/lines.csv:3: pinksheet:`,
		`data/declgen/lines.csv:3: centre: "market": want floor or comtrade`,
		`data/declgen/lines.csv:4: hs6: antimony 282580 is listed twice (line 2)`,
		`data/declgen/lines.csv:4: centre: comtrade needs a comtrade_hs6`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("TradeLines() error lacks %q:\n%v", want, err)
		}
	}
}

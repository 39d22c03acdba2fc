package monitor

import (
	"bytes"
	"context"
	"os"
	"strconv"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// recall scans a generated file and counts the planted patterns found with
// the right detector, pair and line, and the alerts on clean series.
func recall(t *testing.T, format string, seed uint64, clean, planted int) (found, total, falseAlerts, series int) {
	t.Helper()
	var buf bytes.Buffer
	g, err := Generate(&buf, GenOptions{Seed: seed, Format: format, Clean: clean, Planted: planted})
	if err != nil {
		t.Fatal(err)
	}
	asOf := date.MustParse("2025-06-30")
	var f *Flows
	if format == "baci" {
		f, err = ReadBACI(&buf, "gen.csv", GenCodes(), asOf)
	} else {
		f, err = ReadComtrade(&buf, "gen.csv", asOf)
	}
	if err != nil {
		t.Fatal(err)
	}
	alerts, err := Scan(context.Background(), &Input{Flows: f}, Options{AsOf: asOf, Countries: GenCodes()})
	if err != nil {
		t.Fatal(err)
	}
	match := func(a Alert, p Planted) bool {
		return a.Detector == p.Detector && a.ImporterCode == p.Importer && a.ExporterCode == p.Exporter && a.HS == p.HS &&
			(p.Via == "" || a.ViaCode == p.Via) && (p.ToHS == "" || a.ToHS == p.ToHS)
	}
	// The series a planted pattern touches: an alert on them is not on a
	// clean series.
	touched := map[[3]string]bool{}
	for _, p := range g.Planted {
		touched[[3]string{p.Importer, p.Exporter, p.HS}] = true
		if p.Via != "" {
			touched[[3]string{p.Importer, p.Via, p.HS}] = true
			touched[[3]string{p.Via, p.Exporter, p.HS}] = true
		}
		if p.ToHS != "" {
			touched[[3]string{p.Importer, p.Exporter, p.ToHS}] = true
		}
	}
	for _, p := range g.Planted {
		ok := false
		for _, a := range alerts {
			if match(a, p) {
				ok = true
				break
			}
		}
		if ok {
			found++
		} else {
			t.Logf("%s: missed %+v", format, p)
		}
	}
	for _, a := range alerts {
		if !touched[[3]string{a.ImporterCode, a.ExporterCode, a.HS}] {
			falseAlerts++
			t.Logf("%s: false alert %s %s→%s %s %s: %s", format, a.Detector, a.ExporterCode, a.ImporterCode, a.HS, a.From, a.Summary)
		}
	}
	return found, len(g.Planted), falseAlerts, g.Series
}

func TestGeneratedRecall(t *testing.T) {
	clean := 3000
	if testing.Short() {
		clean = 600
	}
	if n, err := strconv.Atoi(os.Getenv("MONITOR_CLEAN")); err == nil {
		clean = n
	}
	for _, format := range []string{"comtrade", "baci"} {
		found, total, falseA, series := recall(t, format, 11, clean, 20)
		t.Logf("%s: found %d of %d planted; %d false alerts on %d clean series", format, found, total, falseA, series)
		if float64(found) < 0.9*float64(total) {
			t.Errorf("%s: found %d of %d planted patterns, want at least 90%%", format, found, total)
		}
		if float64(falseA) > float64(series)/1000 {
			t.Errorf("%s: %d false alerts on %d clean series, want at most 1 per 1,000", format, falseA, series)
		}
	}
}

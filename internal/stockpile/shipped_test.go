package stockpile

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/registry"
)

var update = flag.Bool("update", false, "rewrite the shipped data/stockpile files from Generate")

// GenSeed is the seed of the shipped illustrative data.
const GenSeed = 15

// TestShippedData checks that the shipped files are what Generate writes
// (seed 15), so the illustrative data has one documented source, and that
// they read back cleanly; -update rewrites them.
func TestShippedData(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	a := exampleAgreement(t)
	g, err := Generate(reg, a, GenSeed)
	if err != nil {
		t.Fatal(err)
	}
	files := map[string]func(*bytes.Buffer) error{
		FlowsFile:     func(b *bytes.Buffer) error { return WriteFlows(b, g.Flows) },
		ExposuresFile: func(b *bytes.Buffer) error { return WriteExposures(b, g.Exposures) },
		HoldingsFile:  func(b *bytes.Buffer) error { return WriteHoldings(b, g.Holdings) },
	}
	for name, write := range files {
		var b bytes.Buffer
		if err := write(&b); err != nil {
			t.Fatal(err)
		}
		path := filepath.Join("..", "..", "data", name)
		if *update {
			os.MkdirAll(filepath.Dir(path), 0o755)
			if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, b.Bytes()) {
			t.Errorf("data/%s differs from Generate(seed %d): rerun go test ./internal/stockpile -run TestShippedData -update and review the diff", name, GenSeed)
		}
	}
	if *update {
		return
	}
	f, err := ReadShipped(data.FS, a)
	if err != nil {
		t.Fatal(err)
	}
	us, ok := f.Year("US", "cobalt", "processed", 2024)
	if !ok || us.Imports.Tonnes() != "10800" || us.Exports.Tonnes() != "4880" || us.Consumption.Tonnes() != "7960" || us.Illustrative {
		t.Errorf("US cobalt 2024 = %+v, want MCS 2026's imports 10800, exports 4880, apparent consumption 7960", us)
	}
	if _, err := ReadShippedHoldings(data.FS, a); err != nil {
		t.Fatal(err)
	}
}

// Command monitorgen writes ILLUSTRATIVE trade files for the monitor's
// tests and speed figures (docs/monitor.md): a Comtrade or BACI file with
// planted patterns and the list of what it planted, or one BACI-sized year
// of flows.
//
//	go run ./tools/monitorgen --format comtrade --seed 1 --clean 3000 --planted 20 --out flows.csv --truth planted.csv
//	go run ./tools/monitorgen --format baci --seed 1 --clean 3000 --planted 20 --out baci.csv --codes codes.csv --truth planted.csv
//	go run ./tools/monitorgen --baci-year 2023 --rows 10000000 --out /tmp/baci-10m.csv --codes /tmp/codes.csv
package main

import (
	"bufio"
	"flag"
	"fmt"
	"os"

	"github.com/mineralpact/mineralpact/internal/monitor"
)

func main() {
	format := flag.String("format", "comtrade", "comtrade or baci")
	seed := flag.Uint64("seed", 1, "seed")
	clean := flag.Int("clean", 3000, "clean series")
	planted := flag.Int("planted", 20, "patterns planted of each detector")
	out := flag.String("out", "-", "the flow file")
	codes := flag.String("codes", "", "write BACI's country-code file of the generator here")
	truth := flag.String("truth", "", "write the planted patterns here (CSV)")
	year := flag.Int("baci-year", 0, "write one BACI year of --rows rows instead (the speed test's file)")
	rows := flag.Int("rows", 10_000_000, "rows of --baci-year")
	flag.Parse()
	if err := run(*format, *seed, *clean, *planted, *out, *codes, *truth, *year, *rows); err != nil {
		fmt.Fprintln(os.Stderr, "monitorgen:", err)
		os.Exit(1)
	}
}

func create(path string) (*os.File, error) {
	if path == "-" {
		return os.Stdout, nil
	}
	return os.Create(path)
}

func run(format string, seed uint64, clean, planted int, out, codes, truth string, year, rows int) error {
	if codes != "" {
		f, err := create(codes)
		if err != nil {
			return err
		}
		if err := monitor.GenCountryCodes(f); err != nil {
			return err
		}
		f.Close()
	}
	f, err := create(out)
	if err != nil {
		return err
	}
	defer f.Close()
	if year != 0 {
		n, err := monitor.GenBACIYear(f, rows, year, seed)
		fmt.Fprintf(os.Stderr, "wrote %d rows\n", n)
		return err
	}
	g, err := monitor.Generate(f, monitor.GenOptions{Seed: seed, Format: format, Clean: clean, Planted: planted})
	if err != nil {
		return err
	}
	if truth != "" {
		t, err := create(truth)
		if err != nil {
			return err
		}
		w := bufio.NewWriter(t)
		fmt.Fprintln(w, "detector,importer,exporter,via,hs,to_hs,from")
		for _, p := range g.Planted {
			fmt.Fprintf(w, "%s,%s,%s,%s,%s,%s,%s\n", p.Detector, p.Importer, p.Exporter, p.Via, p.HS, p.ToHS, p.From)
		}
		if err := w.Flush(); err != nil {
			return err
		}
		t.Close()
	}
	return nil
}

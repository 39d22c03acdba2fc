package monitor

import (
	"bytes"
	"context"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// BenchmarkScanBACI reads and scans a generated BACI year of a million rows
// (`mineralpact bench monitor` measures the same).
func BenchmarkScanBACI(b *testing.B) {
	var buf bytes.Buffer
	if _, err := GenBACIYear(&buf, 1_000_000, 2023, 1); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	codes := GenCodes()
	asOf := date.MustParse("2024-12-31")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := ReadBACI(bytes.NewReader(data), "bench.csv", codes, asOf)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Scan(context.Background(), &Input{Flows: f}, Options{AsOf: asOf, Countries: codes}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkScanComtrade reads and scans a generated Comtrade file with
// planted patterns: 3,000 clean monthly series and 20 of each pattern.
func BenchmarkScanComtrade(b *testing.B) {
	var buf bytes.Buffer
	if _, err := Generate(&buf, GenOptions{Seed: 1, Format: "comtrade", Clean: 3000, Planted: 20}); err != nil {
		b.Fatal(err)
	}
	data := buf.Bytes()
	asOf := date.MustParse("2025-06-30")
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		f, err := ReadComtrade(bytes.NewReader(data), "bench.csv", asOf)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := Scan(context.Background(), &Input{Flows: f}, Options{AsOf: asOf}); err != nil {
			b.Fatal(err)
		}
	}
}

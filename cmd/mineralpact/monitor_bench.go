package main

import (
	"bytes"
	"context"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/monitor"
)

// benchMonitor is `mineralpact bench monitor`: a generated BACI year of a
// million rows (monitor.GenBACIYear, made before timing, in memory) read and
// scanned by every detector; BenchmarkScanBACI measures the same.
func benchMonitor() (func() error, error) {
	var buf bytes.Buffer
	if _, err := monitor.GenBACIYear(&buf, 1_000_000, 2023, 1); err != nil {
		return nil, err
	}
	data := buf.Bytes()
	codes := monitor.GenCodes()
	asOf := date.MustParse("2024-12-31")
	return func() error {
		f, err := monitor.ReadBACI(bytes.NewReader(data), "bench.csv", codes, asOf)
		if err != nil {
			return err
		}
		_, err = monitor.Scan(context.Background(), &monitor.Input{Flows: f}, monitor.Options{AsOf: asOf, Countries: codes})
		return err
	}, nil
}

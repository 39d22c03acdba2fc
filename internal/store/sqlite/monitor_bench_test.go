package sqlite_test

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/monitor"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// benchAlerts are n routing alerts on distinct pairs, each with a 24-month
// series (about 1.5 kB of JSON, as the China scan's are).
func benchAlerts(n, window int) []monitor.Alert {
	out := make([]monitor.Alert, n)
	for i := range out {
		s := monitor.Series{Name: "imports", Unit: "USD"}
		for m := 0; m < 24; m++ {
			s.Points = append(s.Points, monitor.Point{Period: monitor.Period{Year: 2022 + m/12, Month: m%12 + 1}, Value: float64(1000 * (m + i))})
		}
		a := monitor.Alert{Detector: "routing", Importer: fmt.Sprintf("I%03d", i%500), Exporter: "CN", Via: fmt.Sprintf("V%03d", i/500), HS: "811292",
			From: monitor.Period{Year: 2023, Month: 8}, To: monitor.Period{Year: 2024, Month: window}, Score: float64(i%97) / 10, Magnitude: float64(i * 1000), Unit: "USD",
			Summary: "bench", Evidence: monitor.Evidence{Series: []monitor.Series{s}}}
		a.ID = a.ComputeID()
		out[i] = a
	}
	return out
}

func benchStore(b *testing.B) *sqlite.Store {
	s, err := sqlite.Open(context.Background(), filepath.Join(b.TempDir(), "bench.db"))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { s.Close() })
	return s
}

var benchCtx = store.WithActing(context.Background(), store.Acting{Actor: "bench", At: time.Date(2026, 12, 6, 0, 0, 0, 0, time.UTC)})

// BenchmarkPutScan stores a scan of n new alerts, each with its audit
// record, screened against 100 dismissed cases.
func BenchmarkPutScan(b *testing.B) {
	for _, n := range []int{100, 1000} {
		b.Run(fmt.Sprintf("alerts=%d", n), func(b *testing.B) {
			s := benchStore(b)
			seed := benchAlerts(100, 1)
			if _, err := s.PutScan(benchCtx, store.Scan{AsOf: "2024-12-31", CreatedAt: time.Now(), Margin: 0.25}, seed); err != nil {
				b.Fatal(err)
			}
			for i, a := range seed {
				c, _ := monitor.NewCase("", []string{a.ID}, "bench", time.Now())
				c, err := s.OpenCase(benchCtx, c)
				if err != nil {
					b.Fatal(err)
				}
				if _, err := s.AddCaseEvent(benchCtx, c.ID, monitor.Event{Kind: monitor.EventDismiss, Actor: "bench", At: time.Now(), Text: fmt.Sprint(i)}); err != nil {
					b.Fatal(err)
				}
			}
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				if _, err := s.PutScan(benchCtx, store.Scan{AsOf: "2024-12-31", CreatedAt: time.Now(), Margin: 0.25}, benchAlerts(n, 2+i%10)); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkListAlerts ranks 10,000 stored alerts and reads the first 500
// (what /monitor shows), unfiltered and by importer.
func BenchmarkListAlerts(b *testing.B) {
	s := benchStore(b)
	if _, err := s.PutScan(benchCtx, store.Scan{AsOf: "2024-12-31", CreatedAt: time.Now(), Margin: 0.25}, benchAlerts(10000, 1)); err != nil {
		b.Fatal(err)
	}
	for _, f := range []store.AlertFilter{{Limit: 500}, {Importer: "I007", Limit: 500}} {
		b.Run(fmt.Sprintf("importer=%q", f.Importer), func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				if _, err := s.ListAlerts(context.Background(), f); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

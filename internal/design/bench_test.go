package design

import (
	"context"
	"fmt"
	"os"
	"strconv"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/scenarios"
)

// benchDeclarations is the benchmarks' year of declarations: the file
// DESIGN_BENCH_DECLARATIONS names (e.g. the output of `mineralpact gen
// declarations --n 1000000 --seed 1`), or n generated.
func benchDeclarations(b *testing.B, ag *agreement.Agreement, opt Options, n int) []duty.Declaration {
	b.Helper()
	if p := os.Getenv("DESIGN_BENCH_DECLARATIONS"); p != "" {
		f, err := os.Open(p)
		if err != nil {
			b.Fatal(err)
		}
		defer f.Close()
		ds, _, err := duty.DecodeCSV(f, 0)
		if err != nil {
			b.Fatal(err)
		}
		return ds
	}
	ds, _, err := Generate(ag, opt, n, DefaultSeed, date.Date{})
	if err != nil {
		b.Fatal(err)
	}
	return ds
}

// percentileVariant is the example with lithium's mined-stage percentile
// set to p: one changed line.
func percentileVariant(b *testing.B, p int) *agreement.Agreement {
	b.Helper()
	return load(b, mustReg(b), replaceLine(b, examples.Pact2026, "          percentile: 75", "          percentile: "+strconv.Itoa(p)))
}

func mustReg(b *testing.B) *registry.Registry {
	reg, _ := exampletest.Load(b)
	return reg
}

// BenchmarkCompare is `mineralpact bench design`: one changed line (a
// floor parameter), the year of declarations, every floor of the year, the
// shipped scenarios at 1,000 paths. warm: the old version's results are
// kept and each iteration compares a new edit; cold: a fresh Comparer each
// time (the declarations already decoded).
func BenchmarkCompare(b *testing.B) {
	n := 20000
	if s := os.Getenv("DESIGN_BENCH_N"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	reg, ag := exampletest.Load(b)
	opt := Options{Registry: reg, Prices: exampletest.Sources(reg), Data: data.FS}
	ds := benchDeclarations(b, ag, opt, n)
	w := Workload{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"), Declarations: ds, Paths: 1000}
	for _, name := range scenarios.Names() {
		text, file, _ := scenarios.Get(name)
		sc, err := market.DecodeScenario(file, text)
		if err != nil {
			b.Fatal(err)
		}
		w.Scenarios = append(w.Scenarios, sc)
	}
	edits := make([]*agreement.Agreement, 30)
	for i := range edits {
		edits[i] = percentileVariant(b, 50+i)
	}
	ctx := context.Background()
	b.Run(fmt.Sprintf("warm/declarations=%d", len(ds)), func(b *testing.B) {
		c, err := NewComparer(w, opt)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := c.Compare(ctx, ag, edits[0]); err != nil {
			b.Fatal(err)
		}
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			if _, err := c.Compare(ctx, ag, edits[1+i%(len(edits)-1)]); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run(fmt.Sprintf("cold/declarations=%d", len(ds)), func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; i < b.N; i++ {
			if _, err := Compare(ctx, ag, edits[1+i%(len(edits)-1)], w, opt); err != nil {
				b.Fatal(err)
			}
		}
	})
}

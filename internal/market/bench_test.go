package market

import (
	"context"
	"fmt"
	"testing"
)

// benchSeed fixes the instance every benchmark and `mineralpact bench
// simulate` measure.
const benchSeed = 2026

func BenchmarkEquilibrium(b *testing.B) {
	for _, size := range []struct{ regions, producers int }{{10, 500}, {30, 2000}} {
		in := RandomInstance(benchSeed, size.regions, size.producers, Generated{})
		b.Run(fmt.Sprintf("regions=%d/producers=%d", size.regions, size.producers), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Solve(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
	in := RandomInstance(benchSeed, 10, 500, Generated{AdValorem: true, Floors: true, ConstantElasticity: true})
	b.Run("regions=10/producers=500/instruments=all", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := Solve(in); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkQPBaseline solves the same instance as the general-purpose
// interior-point QP of qp_test.go, the baseline of the 20× target.
func BenchmarkQPBaseline(b *testing.B) {
	in := RandomInstance(benchSeed, 10, 500, Generated{})
	b.Run("regions=10/producers=500", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			p, _ := marketQP(in)
			if _, _, _, err := p.solve(); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkMonteCarlo runs the Monte Carlo of scenarios/cobalt-drc-2025.yaml
// stretched to 120 months (four regions, 26 producers and 6 projects, a
// buffer stock, an inventory release, demand and cost noise, random
// outages): 10,000 paths × 120 monthly equilibria is the target of 10 s on
// two cores (go test -bench 'MonteCarlo/paths=10000' -benchtime 1x).
// `mineralpact bench montecarlo` measures 100 paths of the same plan.
func BenchmarkMonteCarlo(b *testing.B) {
	pl := MonteCarloBenchPlan(b)
	for _, paths := range []int{1000, 10000} {
		b.Run(fmt.Sprintf("paths=%d/months=%d", paths, len(pl.Months)), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := pl.MonteCarlo(context.Background(), Options{Paths: paths, Seed: 1}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// MonteCarloBenchPlan builds the benchmark's plan.
func MonteCarloBenchPlan(b testing.TB) *Plan {
	sc := decodeFile(b, "../../scenarios/cobalt-drc-2025.yaml")
	sc.Months = 120
	pl, err := Build(sc, testEnv(b))
	if err != nil {
		b.Fatal(err)
	}
	return pl
}

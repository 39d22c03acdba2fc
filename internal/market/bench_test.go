package market

import (
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

package ownership

import (
	"fmt"
	"runtime"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// BenchmarkEffectiveAndControl: effective interests and control of a
// generated register (Generate, seed 1), the speed target being
// 1,000,000 relationship statements in 10 s on 2 cores. It reports the
// pairs found and the heap in use after the computation.
func BenchmarkEffectiveAndControl(b *testing.B) {
	for _, n := range []int{10_000, 100_000, 1_000_000} {
		b.Run(fmt.Sprintf("relationships=%d", n), func(b *testing.B) {
			r := Generate(n, 1)
			on := date.MustParse("2026-06-01")
			b.ReportAllocs()
			b.ResetTimer()
			var pairs int
			for b.Loop() {
				x, err := Effective(r, on)
				if err != nil {
					b.Fatal(err)
				}
				Controllers(r, on)
				pairs = x.Pairs()
				if n == 1_000_000 {
					var m runtime.MemStats
					runtime.ReadMemStats(&m)
					b.ReportMetric(float64(m.HeapInuse)/1e6, "MB-heap")
				}
			}
			b.ReportMetric(float64(pairs), "pairs")
		})
	}
}

func TestGenerate(t *testing.T) {
	r := Generate(20_000, 1)
	if n := len(r.Edges); n < 19_000 || n > 20_000 {
		t.Errorf("Generate(20000) made %d relationships", n)
	}
	s := Generate(20_000, 1)
	if len(s.Edges) != len(r.Edges) || s.Edges[len(s.Edges)-1] != r.Edges[len(r.Edges)-1] {
		t.Errorf("Generate is not deterministic for one seed")
	}
	on := date.MustParse("2026-06-01")
	x, err := Effective(r, on)
	if err != nil {
		t.Fatal(err)
	}
	cycles := 0
	for _, c := range components(x.Graph()) {
		if len(c) > 1 {
			cycles++
		}
	}
	if cycles == 0 {
		t.Errorf("the generated register has no cycle")
	}
	if len(r.Warnings) != 0 {
		t.Errorf("warnings: %v", r.Warnings[0])
	}
}

package scope

import "testing"

// BenchmarkScore computes every indicator of the 60 minerals of the 2025
// list on the three bases (world, US, the example's zone), inputs, steps and
// missing inputs included, from a gathered snapshot. Target: 50 ms.
func BenchmarkScore(b *testing.B) {
	d, z := example(b)
	b.ReportAllocs()
	for b.Loop() {
		if r := d.Score(z); len(r.Minerals) != 60 {
			b.Fatal(len(r.Minerals))
		}
	}
}

// BenchmarkGather reads the snapshot from the registry (the WGI parsed
// already): what a caller pays once.
func BenchmarkGather(b *testing.B) {
	reg, _ := exampleRegistry(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Gather(reg); err != nil {
			b.Fatal(err)
		}
	}
}

package scope

import (
	"testing"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/date"
)

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

// BenchmarkEvaluate is one membership what-if on the example agreement with
// every party in force: add China, per mineral in scope before and after
// (target: 20 ms; the portal recomputes on every change).
func BenchmarkEvaluate(b *testing.B) {
	d, _ := example(b)
	reg, a := exampleRegistry(b)
	on := date.MustParse("2027-07-01")
	ch := Change{Add: []string{"CN"}, Remove: []string{"MX"}}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := d.Evaluate(a, reg, on, ch); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkJoining evaluates China's accession criteria after the what-if
// adds it, with the shipped ownership register, as GET /v1/members/evaluate
// does per request after Evaluate.
func BenchmarkJoining(b *testing.B) {
	d, _ := example(b)
	reg, a := exampleRegistry(b)
	rel := ownedRelations(b)
	w, err := d.Evaluate(a, reg, date.MustParse("2027-07-01"), Change{Add: []string{"CN"}, Remove: []string{"MX"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if err := d.Joining(w, a, reg, rel); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRank ranks every candidate outside the example's full zone, without
// the ownership register (register=none: the score is the risk removed) and
// with the shipped one (register=shipped: effective interests and control once
// for the date, then attribution and the non-party aggregate for each
// candidate with a held facility, as the /members page does per request).
func BenchmarkRank(b *testing.B) {
	d, _ := example(b)
	reg, a := exampleRegistry(b)
	owned := ownedRelations(b)
	on := date.MustParse("2027-07-01")
	for _, c := range []struct {
		name string
		rel  *Relations
	}{{"register=none", exampleRelations(b)}, {"register=shipped", owned}} {
		b.Run(c.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := d.Rank(a, reg, c.rel, on); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkGroups proposes the groups of the 60 minerals.
func BenchmarkGroups(b *testing.B) {
	d, _ := example(b)
	rel := exampleRelations(b)
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if gs := d.Groups(rel); len(gs) == 0 {
			b.Fatal("no groups")
		}
	}
}

// BenchmarkWarnings checks the example's scope with every party in force.
func BenchmarkWarnings(b *testing.B) {
	_, a := exampleRegistry(b)
	rel := exampleRelations(b)
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		Warnings(in.Agreement.Floors(), rel)
	}
}

// BenchmarkLoadRelations reads the grouping data (GLOMBO, hosts, markets,
// co-occurrence counts, frameworks): what each API request pays.
func BenchmarkLoadRelations(b *testing.B) {
	reg, _ := exampleRegistry(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := LoadRelations(reg, Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS}); err != nil {
			b.Fatal(err)
		}
	}
}

package duty

import (
	"bytes"
	"context"
	"io"
	"strings"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

var exampleOnce struct {
	sync.Once
	a *Assessor
}

// exampleAssessor is an Assessor over the shipped example agreement, with the
// floors of newTableFloors, built once and shared by the tests and benchmarks
// that only read through it.
func exampleAssessor(tb testing.TB) *Assessor {
	tb.Helper()
	exampleOnce.Do(func() { exampleOnce.a = newExampleAssessor(tb) })
	if exampleOnce.a == nil {
		tb.Fatal("the example Assessor could not be built")
	}
	return exampleOnce.a
}

// newExampleAssessor is an Assessor over the example built afresh: its own
// caches, views and ledger, for tests that compare independent runs.
func newExampleAssessor(tb testing.TB) *Assessor {
	tb.Helper()
	reg, ag := exampletest.Load(tb)
	a, err := New(ag, reg, newTableFloors(ag, reg))
	if err != nil {
		tb.Fatal(err)
	}
	return a
}

// newTableFloors returns the negotiated and band floors of the example (which
// need no data beyond the agreement) and a fixed figure for the others, so the
// benchmarks do not depend on the cost curves.
func newTableFloors(ag *agreement.Agreement, reg *registry.Registry) Floors {
	return refprice.NewInProcess(refprice.New(ag, refprice.Sources{Registry: reg, Curves: func(name, mineral, stage string) (*refprice.CostCurve, error) {
		return &refprice.CostCurve{Name: name, Unit: "t", Currency: "USD", Year: 2024, Illustrative: true, Source: "bench",
			Producers: []refprice.Producer{{ID: "a", Name: "A", Country: "AU", Capacity: mustDec("1000"), Cost: mustDec("20000")}, {ID: "b", Name: "B", Country: "CA", Capacity: mustDec("1000"), Cost: mustDec("30000")}}}, nil
	}}))
}

func BenchmarkAssess(b *testing.B) {
	a := exampleAssessor(b)
	xs := generatedDecls(b, a, declgen.Options{N: 2000, Seed: 3})
	b.Run("one", func(b *testing.B) {
		var as Assessment
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			x := xs[i%len(xs)]
			if fe := a.prepareInto(&x, &as); fe != nil {
				b.Fatal(fe)
			}
		}
	})
}

var bulkInput struct {
	sync.Once
	b   []byte
	err error
}

// bulkDeclarations generates the bulk benchmark's input once per test
// binary: generating is not what BenchmarkAssessBulk measures, and with
// -count or -cpuprofile it would otherwise run again and again and fill the
// profile (a third of it).
func bulkDeclarations(b *testing.B, a *Assessor) []byte {
	bulkInput.Do(func() {
		var buf bytes.Buffer
		bulkInput.err = declgen.Generate(&buf, a, a.reg, declgen.Options{N: 100000, Seed: 5, BadRate: 0.01})
		bulkInput.b = buf.Bytes()
	})
	if bulkInput.err != nil {
		b.Fatal(bulkInput.err)
	}
	return bulkInput.b
}

func BenchmarkAssessBulk(b *testing.B) {
	a := exampleAssessor(b)
	b.Run("rows=100000", func(b *testing.B) {
		in := bulkDeclarations(b, a) // before the timer starts
		b.ReportAllocs()
		b.SetBytes(int64(len(in)))
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			a.ledger = NewMemLedger()
			if _, err := a.AssessStream(context.Background(), bytes.NewReader(in), io.Discard, io.Discard, BulkOptions{}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkAssessWorker is one bulk worker alone over 20,000 generated rows:
// decode, assess and format, without the reader, the writer or the other
// workers, so it is steadier than a whole run on a shared machine.
func BenchmarkAssessWorker(b *testing.B) {
	a := exampleAssessor(b)
	var buf bytes.Buffer
	buf.Write(generate(b, a, declgen.Options{N: 20000, Seed: 5, BadRate: 0.01}))
	h, recs := splitLines(b, buf.Bytes())
	lines := make([]int, len(recs))
	for i := range lines {
		lines[i] = i + 2
	}
	a.ledger = NewMemLedger()
	w := &worker{a: a, hdr: h, opt: BulkOptions{Format: "csv"}, c: newLCache(), sums: map[sumSlot]*sumAcc{}}
	bt := &batch{}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		for j := 0; j < len(recs); j += batchRows {
			e := min(j+batchRows, len(recs))
			bt.recs, bt.lines, bt.row0 = recs[j:e], lines[j:e], j+1
			w.do(bt)
		}
	}
}

func splitLines(tb testing.TB, b []byte) (*Header, [][]byte) {
	lines := bytes.Split(bytes.TrimSpace(b), []byte("\n"))
	h, err := ParseHeader(strings.Split(string(lines[0]), ","))
	if err != nil {
		tb.Fatal(err)
	}
	return h, lines[1:]
}

// generate returns declarations written by internal/declgen for a's
// agreement.
func generate(tb testing.TB, a *Assessor, opt declgen.Options) []byte {
	tb.Helper()
	var buf bytes.Buffer
	if err := declgen.Generate(&buf, a, a.reg, opt); err != nil {
		tb.Fatal(err)
	}
	return buf.Bytes()
}

// generatedDecls generates declarations for a's agreement and reads each
// with the bulk path's CSV decoder.
func generatedDecls(tb testing.TB, a *Assessor, opt declgen.Options) []decl {
	tb.Helper()
	h, recs := splitLines(tb, generate(tb, a, opt))
	var st decodeState
	xs := make([]decl, len(recs))
	for i, r := range recs {
		xs[i].row = i + 1
		if pe := decodeCSVRecord(h, r, &xs[i], &st); pe != nil {
			tb.Fatalf("row %d: %v", i+1, pe)
		}
	}
	return xs
}

package exact

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// The benchmarks take operands like an assessment's: a declared quantity
// and value, a rate, a unit factor (the 64-bit fast paths), and a product of
// several of them past 64 bits (the 128-bit path).
var (
	benchQty, _   = ParseString("1234.567")
	benchRate, _  = ParseString("0.8457")
	benchValue, _ = ParseString("20000.00")
	bench128      = benchQty.Mul(benchRate).Mul(benchValue).Mul(benchQty).Mul(benchRate).Quo(Dec(7, 0))
	benchDuty     = benchValue.Mul(benchRate).Quo(Dec(7, 0)) // 16914/7 = 2416.2857…
	sinkQ         Q
	sinkC         Condition
	sinkB         []byte
)

func BenchmarkMul(b *testing.B) {
	for b.Loop() {
		sinkQ = benchQty.Mul(benchRate)
	}
}

func BenchmarkMul128(b *testing.B) {
	for b.Loop() {
		sinkQ = bench128.Mul(benchRate)
	}
}

func BenchmarkAdd(b *testing.B) {
	for b.Loop() {
		sinkQ = benchQty.Add(benchRate)
	}
}

func BenchmarkAdd128(b *testing.B) {
	for b.Loop() {
		sinkQ = bench128.Add(benchValue)
	}
}

func BenchmarkQuo(b *testing.B) {
	for b.Loop() {
		sinkQ = benchValue.Quo(benchQty)
	}
}

func BenchmarkCmp(b *testing.B) {
	var n int
	for b.Loop() {
		n += benchQty.Cmp(benchRate)
	}
	sinkC = Condition(n)
}

func BenchmarkRound(b *testing.B) {
	for b.Loop() {
		sinkQ, sinkC = benchDuty.Round(2, dec.HalfUp)
	}
}

func BenchmarkRound128(b *testing.B) {
	for b.Loop() {
		sinkQ, sinkC = bench128.Round(2, dec.HalfUp)
	}
}

// BenchmarkAppendPlaces writes a figure that must be rounded (a duty shown
// at 6 places) and one already on its scale (money).
func BenchmarkAppendPlaces(b *testing.B) {
	money, _ := benchDuty.Round(2, dec.HalfUp)
	buf := make([]byte, 0, 64)
	for b.Loop() {
		buf = benchDuty.AppendPlaces(buf[:0], 6, dec.HalfEven, true)
		buf = money.AppendPlaces(buf, 2, dec.HalfEven, false)
	}
	sinkB = buf
}

func BenchmarkParse(b *testing.B) {
	in := []byte("12345.678")
	for b.Loop() {
		sinkQ, _ = Parse(in)
	}
}

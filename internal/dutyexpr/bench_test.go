package dutyexpr

import (
	"fmt"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// benchEnv is a declaration as the duty engine would hold it: fields, no
// maps; charged in GBP, EUR converted at 0.85, rates per unit rounded to 4
// places.
type benchEnv struct {
	value, kg, content, rate exact.Q
}

func (e *benchEnv) Value() exact.Q { return e.value }

func (e *benchEnv) Quantity(u Unit) (exact.Q, error) {
	switch {
	case u.Code == "kg" && u.Content:
		return e.content, nil
	case u.Code == "kg":
		return e.kg, nil
	}
	return exact.Q{}, fmt.Errorf("no quantity in %s", u.Code)
}

func (e *benchEnv) Convert(amount exact.Q, currency string) (exact.Q, Conversion, error) {
	if currency == "GBP" {
		return amount, Conversion{}, nil
	}
	return amount.Mul(e.rate), Conversion{From: currency, To: "GBP", Rate: e.rate}, nil
}

func (e *benchEnv) RoundPerUnit(perUnit exact.Q) (exact.Q, bool) {
	r, _ := perUnit.Round(4, dec.HalfUp)
	return r, true
}

var benchExprs = []struct{ name, src string }{
	{"ad_valorem", "3.7%"},
	{"specific_converted", "12.5 EUR/100 kg"},
	{"compound", "3% + 2 EUR/100 kg"},
	{"uk_min_max_deduction", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg"},
	{"entry_price", "entry_price 100 EUR/100 kg { >= 100: 8.8%; >= 98: 8.8% + 2 EUR/100 kg; >= 96: 8.8% + 4 EUR/100 kg; " +
		">= 94: 8.8% + 6 EUR/100 kg; >= 92: 8.8% + 8 EUR/100 kg; else: 8.8% + 29.8 EUR/100 kg }"},
}

var (
	sinkQ exact.Q
	sinkR Result
)

func newBenchEnv() *benchEnv {
	return &benchEnv{value: q("823.45"), kg: q("1000"), content: q("600"), rate: q("0.85")}
}

// BenchmarkEvalDuty is the bulk path: the duty without steps.
func BenchmarkEvalDuty(b *testing.B) {
	for _, be := range benchExprs {
		b.Run("expr="+be.name, func(b *testing.B) {
			e, env := MustParse(be.src), newBenchEnv()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				d, err := e.EvalDuty(env)
				if err != nil {
					b.Fatal(err)
				}
				sinkQ = d
			}
		})
	}
}

// BenchmarkEval is the trace path: the duty and every step, formatted.
func BenchmarkEval(b *testing.B) {
	for _, be := range benchExprs {
		b.Run("expr="+be.name, func(b *testing.B) {
			e, env := MustParse(be.src), newBenchEnv()
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				r, err := e.Eval(env)
				if err != nil {
					b.Fatal(err)
				}
				sinkR = r
			}
		})
	}
}

// BenchmarkParse is the load path, once per expression per agreement load.
func BenchmarkParse(b *testing.B) {
	for _, be := range benchExprs {
		b.Run("expr="+be.name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := Parse(be.src); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// TestEvalDutyAllocs holds EvalDuty to its promise: nothing allocated of its
// own on the bulk path.
func TestEvalDutyAllocs(t *testing.T) {
	for _, be := range benchExprs {
		e, env := MustParse(be.src), newBenchEnv()
		if n := testing.AllocsPerRun(100, func() { sinkQ, _ = e.EvalDuty(env) }); n != 0 {
			t.Errorf("EvalDuty(%s) allocates %v times a run, want 0", be.name, n)
		}
	}
}

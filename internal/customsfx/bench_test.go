package customsfx

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// benchDays returns n days drawn from 2025-01-01 to 2026-06-30, the span the
// shipped tables cover, with a fixed seed.
func benchDays(n int) []date.Date {
	r := rand.New(rand.NewPCG(2026, 11))
	first := date.MustParse("2025-01-01")
	span := first.DaysUntil(date.MustParse("2026-06-30")) + 1
	days := make([]date.Date, n)
	for i := range days {
		days[i] = first.AddDays(r.IntN(span))
	}
	return days
}

// BenchmarkRate: one lookup per op, on the shipped illustrative tables
// (rule month on the UK monthly table, the others on the EU table), over
// random days and currencies.
func BenchmarkRate(b *testing.B) {
	uk := loadFile(b, "../../data/customs-rates/"+ukFile, "GBP")
	eu := loadFile(b, "../../data/customs-rates/"+euFile, "EUR")
	days := benchDays(4096)
	for _, bc := range []struct {
		rule Rule
		tab  *Table
		curs []string
	}{
		{RuleMonth, uk, ukCurrencies},
		{RuleDay, uk, ukCurrencies}, // a monthly rate is in force every day of its month
		{RulePenultimateWednesday, eu, euCurrencies},
	} {
		b.Run(fmt.Sprintf("rule=%s/table=%s", bc.rule, bc.tab.Name), func(b *testing.B) {
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; b.Loop(); i++ {
				if _, err := bc.tab.Rate(bc.curs[i%len(bc.curs)], days[i%len(days)], bc.rule); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRateDeclarations: the duty engine's load, one Rate per
// declaration, 1,000,000 declarations per op.
func BenchmarkRateDeclarations(b *testing.B) {
	eu := loadFile(b, "../../data/customs-rates/"+euFile, "EUR")
	const n = 1_000_000
	days := benchDays(n)
	b.Run(fmt.Sprintf("declarations=%d", n), func(b *testing.B) {
		b.ReportAllocs()
		b.ResetTimer()
		for b.Loop() {
			for i, d := range days {
				if _, err := eu.Rate(euCurrencies[i%len(euCurrencies)], d, RulePenultimateWednesday); err != nil {
					b.Fatal(err)
				}
			}
		}
	})
}

// BenchmarkConvert: a direct conversion (EUR duty applied in GBP) and a
// cross one (USD to GBP through EUR).
func BenchmarkConvert(b *testing.B) {
	uk := loadFile(b, "../../data/customs-rates/"+ukFile, "GBP")
	eu := loadFile(b, "../../data/customs-rates/"+euFile, "EUR")
	days := benchDays(4096)
	amount := exact.Dec(1250, 2)
	b.Run("direct", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, _, err := uk.Convert(amount, "EUR", "GBP", days[i%len(days)], RuleMonth, false); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("cross", func(b *testing.B) {
		b.ReportAllocs()
		for i := 0; b.Loop(); i++ {
			if _, _, err := eu.Convert(amount, "USD", "GBP", days[i%len(days)], RulePenultimateWednesday, true); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkLoad: reading the shipped EU table.
func BenchmarkLoad(b *testing.B) {
	text := readText(b, "../../data/customs-rates/"+euFile)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := Load(euFile, "EUR", stringsReader(text)); err != nil {
			b.Fatal(err)
		}
	}
}

package dutyexpr

import (
	"strings"
	"testing"
)

// The cases are worked by hand in their comments. Sources:
//
//   - UK: the measure form "x% MIN a GBP/100 kg MAX b GBP/100 kg - c GBP/100 kg"
//     (TARIC duty expressions 15 "MIN", 17 "MAX" and 36 "-" after the MAX),
//     grouped as the UK Trade Tariff's duty calculator groups it:
//     github.com/trade-tariff/trade-tariff-duty-calculator,
//     app/services/expression_evaluators/compound.rb (it splits the
//     components at the last MIN or MAX, evaluates the left part recursively
//     and sums the right part, so a deduction after MAX reduces the
//     ceiling), and its spec/services/expression_evaluators/compound_spec.rb
//     (13.8% MIN 13 GBP/100 kg MAX 15 GBP/100 kg - 7 GBP/100 kg on a value of
//     1,000 and 1 × 100 kg gives £8.00).
//   - EU entry price: Regulation (EU) No 1308/2013, Article 181; Delegated
//     Regulation (EU) 2017/891, Title III (entry price system); the entry
//     prices and the steps at 98%, 96%, 94% and 92% of the entry price up to
//     the maximum tariff equivalent are in Annex 2 to Section I of Part Three
//     of Annex I to Regulation (EEC) No 2658/87 (the Combined Nomenclature,
//     e.g. as replaced by Implementing Regulation (EU) 2017/1925). The
//     figures here (an entry price of 100 EUR/100 kg, 8.8% + 2/4/6/8 EUR,
//     MTE 29.8 EUR) are illustrative.
//   - US: HTSUS 2611.00.60 (tungsten ores and concentrates), general rate
//     "37.5¢/kg on tungsten content".
func TestEval(t *testing.T) {
	tests := []struct {
		name string
		expr string
		env  *testEnv
		want string
	}{
		// 3.7% × 12,500.00 = 462.50.
		{"ad valorem", "3.7%", env("EUR", "12500.00"), "462.5"},
		{"free", "Free", env("EUR", "12500.00"), "0"},
		{"zero percent", "0%", env("EUR", "12500.00"), "0"},
		// 12.5 EUR/100 kg × 2,000 kg = 0.125 × 2,000 = 250.
		{"specific per 100 kg", "12.5 EUR/100 kg", env("EUR", "1", "kg=2000"), "250"},
		// 2 GBP per piece × 15 pieces = 30.
		{"pieces", "2 GBP/p/st", env("GBP", "1", "p/st=15"), "30"},
		// 1.2 EUR/l × 750 l = 900.
		{"litres", "1.2 EUR/l", env("EUR", "1", "l=750"), "900"},
		// 3 EUR/m2 × 12.5 m2 = 37.5.
		{"square metres", "3 EUR/m2", env("EUR", "1", "m2=12.5"), "37.5"},
		// Japan: 20 JPY/kg × 1,234.5 kg = 24,690 JPY.
		{"yen", "20 JPY/kg", env("JPY", "1000000", "kg=1234.5"), "24690"},
		// Japan, compound: 3.9% × 1,000,000 = 39,000; 20 × 1,234.5 = 24,690;
		// 63,690 JPY.
		{"yen compound", "3.9% + 20 JPY/kg", env("JPY", "1000000", "kg=1234.5"), "63690"},
		// US tungsten: 1,000 kg of concentrate at 60% content is 600 kg of
		// tungsten; 37.5¢ = 0.375 USD; 0.375 × 600 = 225.00 USD.
		{"US tungsten content", "37.5¢/kg content", env("USD", "9000", "kg=1000", "kg content=600"), "225"},
		// The same written in dollars.
		{"US content in dollars", "0.375 USD/kg content", env("USD", "9000", "kg=1000", "kg content=600"), "225"},
		// Compound: 3% × 10,000 = 300; 2 EUR/100 kg × 5,000 kg = 100; 400.
		{"compound", "3% + 2 EUR/100 kg", env("EUR", "10000", "kg=5000"), "400"},
		// Three terms: 300 + 100 + 1 EUR/t × 5 t = 5; 405.
		{"compound of three", "3% + 2 EUR/100 kg + 1 EUR/t", env("EUR", "10000", "kg=5000", "t=5"), "405"},
		// UK, 1,000 kg (10 × 100 kg): floor 1.1 × 10 = 11.00; ceiling
		// (9.2 − 1.1) × 10 = 81.00.
		// Value 100: 9% = 9.00 < 11.00: the minimum wins, 11.00.
		{"UK minimum wins", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "100.00", "kg=1000"), "11"},
		// Value 500: 9% = 45.00, between 11 and 81: the ad valorem part, 45.00.
		{"UK ad valorem wins", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "500.00", "kg=1000"), "45"},
		// Value 1,000: 9% = 90.00 > 81.00: the maximum less the deduction, 81.00
		// (not 92.00 − 11.00 taken off the duty after the ceiling: that would
		// also be 81 here, so see the next case).
		{"UK maximum wins", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "1000.00", "kg=1000"), "81"},
		// Value 850: 9% = 76.50 < 81: the ad valorem part. Had the deduction
		// been taken off the whole duty, 76.50 − 11.00 = 65.50.
		{"UK deduction belongs to the ceiling", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "850.00", "kg=1000"), "76.5"},
		// The UK duty calculator's own spec: 13.8% × 1,000 = 138; MIN 13 × 1
		// = 13; MAX (15 − 7) × 1 = 8; min(max(138, 13), 8) = 8.
		{"UK calculator spec", "13.8% MIN 13 GBP/100 kg MAX 15 GBP/100 kg - 7 GBP/100 kg", env("GBP", "1000", "kg=100"), "8"},
		// 12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg on 1,000 kg (floor 20, ceiling 40):
		// value 100 → 12 → 20; value 250 → 30; value 1,000 → 120 → 40.
		{"MIN MAX floor", "12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg", env("EUR", "100", "kg=1000"), "20"},
		{"MIN MAX between", "12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg", env("EUR", "250", "kg=1000"), "30"},
		{"MIN MAX ceiling", "12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg", env("EUR", "1000", "kg=1000"), "40"},
		// 8% × 1,000 = 80; MIN 1.5 × 100 = 150 (10,000 kg): 150.
		{"MIN", "8% MIN 1.5 EUR/100 kg", env("EUR", "1000", "kg=10000"), "150"},
		// Mixed: max(5% × 1,000 = 50, 3 × 20 = 60) = 60; min(…) = 50.
		{"max()", "max(5%, 3 EUR/100 kg)", env("EUR", "1000", "kg=2000"), "60"},
		{"min()", "min(5%, 3 EUR/100 kg)", env("EUR", "1000", "kg=2000"), "50"},
		// Keywords are case-insensitive.
		{"lower-case min", "8% min 1.5 EUR/100 kg", env("EUR", "1000", "kg=10000"), "150"},
		// A deduction larger than the duty: 2 × 10 − 3 × 10 = −10 → 0.
		{"never below zero", "2 EUR/100 kg - 3 EUR/100 kg", env("EUR", "1", "kg=1000"), "0"},
		// EU, a specific duty in EUR charged in GBP at 0.85, rounded per unit
		// to 4 places: 12.5 × 0.85 = 10.625 GBP/100 kg; ÷ 100 = 0.10625 GBP/kg
		// → 0.1063; × 2,000 kg = 212.60 (unrounded: 212.50).
		{"conversion and rounding per unit", "12.5 EUR/100 kg", env("GBP", "1", "kg=2000").rate("EUR", "0.85").roundPerUnit(4), "212.6"},
		{"conversion without rounding", "12.5 EUR/100 kg", env("GBP", "1", "kg=2000").rate("EUR", "0.85"), "212.5"},
		// EU entry price 100 EUR/100 kg, 1,000 kg (10 × 100 kg); the declared
		// price is value ÷ 10.
		// 1,010 → 101 ≥ 100: 8.8% × 1,010 = 88.88.
		{"entry price at or above", entryLine, env("EUR", "1010", "kg=1000"), "88.88"},
		// 990 → 99 ≥ 98: 8.8% × 990 = 87.12; + 2 × 10 = 20; 107.12.
		{"entry price step 98", entryLine, env("EUR", "990", "kg=1000"), "107.12"},
		// 970 → 97 ≥ 96: 85.36 + 40 = 125.36.
		{"entry price step 96", entryLine, env("EUR", "970", "kg=1000"), "125.36"},
		// 930 → 93 ≥ 92: 81.84 + 80 = 161.84.
		{"entry price step 92", entryLine, env("EUR", "930", "kg=1000"), "161.84"},
		// 900 → 90 < 92: the MTE, 79.20 + 29.8 × 10 = 298; 377.20.
		{"entry price MTE", entryLine, env("EUR", "900", "kg=1000"), "377.2"},
		// Thresholds as percentages of the entry price: the same steps.
		{"entry price in percent", entryLinePct, env("EUR", "970", "kg=1000"), "125.36"},
		// Charged in GBP at 0.85 GBP/EUR: 850 GBP ÷ 10 = 85 GBP/100 kg ÷ 0.85 =
		// 100 EUR/100 kg ≥ 100: 8.8% × 850 = 74.80 GBP.
		{"entry price converted", entryLine, env("GBP", "850", "kg=1000").rate("EUR", "0.85"), "74.8"},
		// 833 GBP → 98 EUR/100 kg ≥ 98: 8.8% × 833 = 73.304; 2 EUR/100 kg =
		// 1.70 GBP/100 kg × 10 = 17; 90.304.
		{"entry price converted step", entryLine, env("GBP", "833", "kg=1000").rate("EUR", "0.85"), "90.304"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.expr)
		if err != nil {
			t.Fatalf("%s: Parse(%q): %v", tt.name, tt.expr, err)
		}
		res, err := e.Eval(tt.env)
		if err != nil {
			t.Errorf("%s: Eval(%q): %v", tt.name, tt.expr, err)
			continue
		}
		if res.Duty.Cmp(q(tt.want)) != 0 {
			t.Errorf("%s: Eval(%q) = %v, want %s\n%s", tt.name, tt.expr, res.Duty, tt.want, dump(res.Steps))
		}
		d, err := e.EvalDuty(tt.env)
		if err != nil || d.Cmp(res.Duty) != 0 {
			t.Errorf("%s: EvalDuty(%q) = %v, %v; Eval gave %v", tt.name, tt.expr, d, err, res.Duty)
		}
	}
}

const entryLine = "entry_price 100 EUR/100 kg { >= 100: 8.8%; >= 98: 8.8% + 2 EUR/100 kg; >= 96: 8.8% + 4 EUR/100 kg; " +
	">= 94: 8.8% + 6 EUR/100 kg; >= 92: 8.8% + 8 EUR/100 kg; else: 8.8% + 29.8 EUR/100 kg }"

const entryLinePct = "entry_price 100 EUR/100 kg { >= 100%: 8.8%; >= 98%: 8.8% + 2 EUR/100 kg; >= 96%: 8.8% + 4 EUR/100 kg; " +
	">= 94%: 8.8% + 6 EUR/100 kg; >= 92%: 8.8% + 8 EUR/100 kg; else: 8.8% + 29.8 EUR/100 kg }"

func dump(steps []Step) string {
	var b strings.Builder
	for _, s := range steps {
		b.WriteString("  " + s.Component + ": " + s.Formula)
		if s.Won {
			b.WriteString(" [won]")
		}
		if s.Note != "" {
			b.WriteString(" (" + s.Note + ")")
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// TestEvalSteps checks the trace a customs broker reads: which part, which
// bound won, each conversion and rounding, the entry-price step that applied.
func TestEvalSteps(t *testing.T) {
	tests := []struct {
		name string
		expr string
		env  *testEnv
		want string // dump of the steps
	}{
		{"UK maximum less the deduction", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "1000.00", "kg=1000"), `
  ad valorem part: 9% × 1,000.00 = 90.00
  specific part: 1.1 GBP/100 kg: 0.011 GBP/kg × 1,000 kg = 11.00
  minimum: max(90.00, 11.00) = 90.00 (the minimum does not apply: 1.1 GBP/100 kg)
  specific part: 9.2 GBP/100 kg: 0.092 GBP/kg × 1,000 kg = 92.00
  deduction: 1.1 GBP/100 kg: 0.011 GBP/kg × 1,000 kg = 11.00
  compound: 92.00 − 11.00 = 81.00
  maximum: min(90.00, 81.00) = 81.00 [won] (the maximum (less the deduction) applies: 9.2 GBP/100 kg − 1.1 GBP/100 kg)
`},
		{"UK minimum", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", env("GBP", "100.00", "kg=1000"), `
  ad valorem part: 9% × 100.00 = 9.00
  specific part: 1.1 GBP/100 kg: 0.011 GBP/kg × 1,000 kg = 11.00
  minimum: max(9.00, 11.00) = 11.00 [won] (the minimum applies: 1.1 GBP/100 kg)
  specific part: 9.2 GBP/100 kg: 0.092 GBP/kg × 1,000 kg = 92.00
  deduction: 1.1 GBP/100 kg: 0.011 GBP/kg × 1,000 kg = 11.00
  compound: 92.00 − 11.00 = 81.00
  maximum: min(11.00, 81.00) = 11.00 (the maximum (less the deduction) does not apply: 9.2 GBP/100 kg − 1.1 GBP/100 kg)
`},
		{"conversion and rounding", "12.5 EUR/100 kg", env("GBP", "1", "kg=2000").rate("EUR", "0.85").roundPerUnit(4), `
  conversion: 12.5 EUR × 0.85 = 10.625 GBP (12.5 EUR/100 kg in GBP)
  rounding per unit: 0.10625 GBP/kg → 0.1063 (the rate per unit is rounded before it is multiplied)
  specific part: 12.5 EUR/100 kg: 0.1063 GBP/kg × 2,000 kg = 212.60
`},
		{"US content", "37.5¢/kg content", env("USD", "9000", "kg content=600"), `
  specific part: 37.5¢/kg content: 0.375 USD/kg content × 600 kg content = 225.00
`},
		{"entry price step", entryLine, env("EUR", "970", "kg=1000"), `
  entry price: declared price: 970.00 ÷ (1,000 kg ÷ 100) = 97.00 EUR/100 kg (entry price 100 EUR/100 kg)
  entry price step: 97.00 EUR/100 kg < 100.00 EUR/100 kg
  entry price step: 97.00 EUR/100 kg < 98.00 EUR/100 kg
  entry price step: 97.00 EUR/100 kg ≥ 96.00 EUR/100 kg: 8.8% + 4 EUR/100 kg [won] (this step applies)
  ad valorem part: 8.8% × 970.00 = 85.36
  specific part: 4 EUR/100 kg: 0.04 EUR/kg × 1,000 kg = 40.00
  compound: 85.36 + 40.00 = 125.36
`},
		{"entry price MTE", entryLine, env("EUR", "900", "kg=1000"), `
  entry price: declared price: 900.00 ÷ (1,000 kg ÷ 100) = 90.00 EUR/100 kg (entry price 100 EUR/100 kg)
  entry price step: 90.00 EUR/100 kg < 100.00 EUR/100 kg
  entry price step: 90.00 EUR/100 kg < 98.00 EUR/100 kg
  entry price step: 90.00 EUR/100 kg < 96.00 EUR/100 kg
  entry price step: 90.00 EUR/100 kg < 94.00 EUR/100 kg
  entry price step: 90.00 EUR/100 kg < 92.00 EUR/100 kg
  entry price step: 90.00 EUR/100 kg < 92.00 EUR/100 kg: else (maximum tariff equivalent): 8.8% + 29.8 EUR/100 kg [won] (the maximum tariff equivalent applies)
  ad valorem part: 8.8% × 900.00 = 79.20
  specific part: 29.8 EUR/100 kg: 0.298 EUR/kg × 1,000 kg = 298.00
  compound: 79.20 + 298.00 = 377.20
`},
		{"mixed", "max(5%, 3 EUR/100 kg)", env("EUR", "1000", "kg=2000"), `
  ad valorem part: 5% × 1,000.00 = 50.00
  specific part: 3 EUR/100 kg: 0.03 EUR/kg × 2,000 kg = 60.00
  greater of: max(50.00, 60.00) = 60.00 [won] (duty 2 of 2 applies: 3 EUR/100 kg)
`},
		{"clamp", "2 EUR/100 kg - 3 EUR/100 kg", env("EUR", "1", "kg=1000"), `
  specific part: 2 EUR/100 kg: 0.02 EUR/kg × 1,000 kg = 20.00
  deduction: 3 EUR/100 kg: 0.03 EUR/kg × 1,000 kg = 30.00
  compound: 20.00 − 30.00 = −10.00
  no negative duty: max(−10.00, 0) = 0 (a duty is never below zero: the deductions exceed the rest of the duty)
`},
	}
	for _, tt := range tests {
		e := MustParse(tt.expr)
		res, err := e.Eval(tt.env)
		if err != nil {
			t.Errorf("%s: Eval(%q): %v", tt.name, tt.expr, err)
			continue
		}
		if got := "\n" + dump(res.Steps); got != tt.want {
			t.Errorf("%s: Eval(%q) steps:%s\nwant:%s", tt.name, tt.expr, got, tt.want)
		}
	}
}

// TestEvalErrors: what the declaration lacks is an error naming it.
func TestEvalErrors(t *testing.T) {
	tests := []struct {
		name, expr string
		env        *testEnv
		want       string
	}{
		{"no quantity", "3 EUR/100 kg", env("EUR", "1"), "quantity in kg for 3 EUR/100 kg: no quantity declared in 100 kg"},
		{"no rate", "3 EUR/100 kg", env("GBP", "1", "kg=1"), "converting 3 EUR/100 kg: no rate from EUR to GBP"},
		{"entry price without quantity", entryLine, env("EUR", "1", "kg=0"), "entry price: the quantity in kg is 0; a price per unit needs more than 0"},
	}
	for _, tt := range tests {
		e := MustParse(tt.expr)
		_, err := e.Eval(tt.env)
		if err == nil || err.Error() != tt.want {
			t.Errorf("%s: Eval(%q) error %v, want %q", tt.name, tt.expr, err, tt.want)
		}
		if _, err2 := e.EvalDuty(tt.env); (err2 == nil) != (err == nil) {
			t.Errorf("%s: EvalDuty(%q) error %v, Eval's %v", tt.name, tt.expr, err2, err)
		}
	}
}

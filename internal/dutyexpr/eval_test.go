package dutyexpr

import (
	"strings"
	"testing"
)

// TestEval runs the cases of testdata/eval.test, worked by hand there with
// their sources, through Eval and EvalDuty.
func TestEval(t *testing.T) {
	for _, c := range readCases(t, "testdata/eval.test") {
		e, err := Parse(c.expr)
		if err != nil {
			t.Errorf("%s: Parse(%q): %v", c.id, c.expr, err)
			continue
		}
		res, err := e.Eval(c.env)
		if err != nil {
			t.Errorf("%s: Eval(%q): %v", c.id, c.expr, err)
			continue
		}
		if res.Duty.Cmp(c.want) != 0 {
			t.Errorf("%s: Eval(%q) = %v, want %v\n%s", c.id, c.expr, res.Duty, c.want, dump(res.Steps))
		}
		d, err := e.EvalDuty(c.env)
		if err != nil || d.Cmp(res.Duty) != 0 {
			t.Errorf("%s: EvalDuty(%q) = %v, %v; Eval gave %v", c.id, c.expr, d, err, res.Duty)
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

func TestAdValoremOnly(t *testing.T) {
	for s, want := range map[string]string{"3.7%": "0.037", "Free": "0", "3% + 1 EUR/kg": "", "max(3%, 4%)": ""} {
		r, ok := MustParse(s).AdValoremOnly()
		if ok != (want != "") || (ok && r.String() != want) {
			t.Errorf("%q.AdValoremOnly() = %s, %v; want %q", s, r, ok, want)
		}
	}
}

func TestSpecificOnly(t *testing.T) {
	per, cur, u, ok := MustParse("12.5 EUR/100 kg content").SpecificOnly()
	if !ok || per.String() != "0.125" || cur != "EUR" || u.Code != "kg" || !u.Content {
		t.Errorf("SpecificOnly = %s %s %+v %v", per, cur, u, ok)
	}
	if _, _, _, ok := MustParse("3% + 1 EUR/kg").SpecificOnly(); ok {
		t.Error("a compound duty is not one specific duty")
	}
}

package dutyexpr

import (
	"testing"
)

// FuzzParse: no input panics Parse; whatever parses prints a canonical text
// that parses to an equal expression printing the same text; and evaluation
// neither panics nor disagrees between Eval and EvalDuty.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"3.7%", "Free", "12.5 EUR/100 kg", "37.5¢/kg content", "2 GBP/p/st", "1.2 EUR/l", "3 EUR/m2", "20 JPY/kg",
		"3% + 2 EUR/100 kg", "8% MIN 1.5 EUR/100 kg", "12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg",
		"9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", "max(5%, 3 EUR/100 kg)", "min(5%, 3 EUR/100 kg)",
		"(8% MIN 1 EUR/kg) + 2 EUR/t", entryLine, entryLinePct, "12,500 EUR/t", "3,7%", "9% MIN\n1.1 GBP/100 kg MAX",
	} {
		f.Add(s)
	}
	ev := env("EUR", "1234.56", "kg=1000", "kg content=600", "t=1", "p/st=15", "l=3", "m2=2", "m3=1").rate("GBP", "1.17").rate("USD", "0.92").rate("JPY", "0.0062").roundPerUnit(4)
	f.Fuzz(func(t *testing.T, src string) {
		e, err := Parse(src)
		if err != nil {
			if _, ok := err.(*SyntaxError); !ok {
				t.Fatalf("Parse(%q) error %T %v, want a *SyntaxError", src, err, err)
			}
			return
		}
		s := e.String()
		e2, err := Parse(s)
		if err != nil {
			t.Fatalf("Parse(%q) (the canonical form of %q): %v", s, src, err)
		}
		if !e.Equal(e2) || e2.String() != s {
			t.Fatalf("Parse(%q) = %q, not equal to Parse(%q)", s, e2.String(), src)
		}
		res, err := e.Eval(ev)
		d, err2 := e.EvalDuty(ev)
		if (err == nil) != (err2 == nil) || (err == nil && (d.Cmp(res.Duty) != 0 || d.Sign() < 0)) {
			t.Fatalf("%q: Eval = %v %v, EvalDuty = %v %v", src, res.Duty, err, d, err2)
		}
		_, _ = e.Units(), e.Currencies()
	})
}

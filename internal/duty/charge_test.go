package duty

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"
)

// TestChargeSpecific: the bulk path's specific duty (chargeSpecific) gives
// the very figure the duty expression's evaluator gives, for every specific
// levy of the line of each generated declaration, in the party's currency
// and (for a cap) the agreement's.
func TestChargeSpecific(t *testing.T) {
	a := exampleAssessor(t)
	n := 0
	for i, x := range generatedDecls(t, a, declgen.Options{N: 3000, Seed: 21}) {
		var as Assessment
		if fe := a.prepareInto(&x, &as); fe != nil {
			t.Fatalf("row %d: %v", i+1, fe)
		}
		var levies []*levy
		for _, ci := range append(append([]*cinstr{as.mfn, as.sur, as.vd}, as.rs.prefs...), as.rs.stack...) {
			if ci != nil {
				levies = append(levies, ci.levy, ci.capLevy)
			}
		}
		for _, l := range levies {
			if l == nil || !l.isSpec {
				continue
			}
			for _, to := range []fxEntry{as.fxParty, as.fxAg} {
				fast := a.chargeSpecific(l, &as, to)
				as.env = exprEnv{a: a, as: &as, value: as.valueParty, toPer: to.perUSD, toParty: to.perUSD.Cmp(as.fxParty.perUSD) == 0}
				slow, err := l.expr.EvalDuty(&as.env)
				if err != nil || fast.Cmp(slow) != 0 {
					t.Fatalf("%s: %s: chargeSpecific %s, EvalDuty %s (%v)", x.id, l.text, fast, slow, err)
				}
				n++
			}
		}
	}
	if n < 100 {
		t.Errorf("only %d specific levies compared", n)
	}
}

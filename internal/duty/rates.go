package duty

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// apply computes a rate on the goods (docs/declarations.md, Base duty: ad
// valorem, specific, compound, mixed, then minimum and maximum), in the
// currency whose rate is to: value must be in that currency.
func (a *Assessor) apply(r *crate, value exact.Q, as *Assessment, to fxEntry) exact.Q {
	var d exact.Q
	switch r.kind {
	case agreement.AdValoremRate:
		d = r.av.Mul(value)
	case agreement.SpecificRate:
		d = a.specific(r.spec, as, to)
	case agreement.CompoundRate:
		d = r.av.Mul(value).Add(a.specific(r.spec, as, to))
	case agreement.MixedRate:
		av, sp := r.av.Mul(value), a.specific(r.spec, as, to)
		if r.higher {
			d = exact.Max(av, sp)
		} else {
			d = exact.Min(av, sp)
		}
	}
	if r.minimum != nil {
		d = exact.Max(d, a.specific(r.minimum, as, to))
	}
	if r.maximum != nil {
		d = exact.Min(d, a.specific(r.maximum, as, to))
	}
	return d
}

// specific is a specific amount on the goods' gross or contained quantity, in
// the rate's per unit, converted from the rate's currency to the one of to.
func (a *Assessor) specific(s *cspec, as *Assessment, to fxEntry) exact.Q {
	kg := as.grossKg
	if s.contained {
		kg = as.containedKg
	}
	fx, err := a.perUSD(s.currency, as.fxMonth)
	if err != nil {
		fx.perUSD = exact.Int(1) // validated at load: the agreement's currencies convert
	}
	if r := as.party.perUnit; r != nil && to.perUSD.Cmp(as.fxParty.perUSD) == 0 {
		// The party rounds the amount per unit, in its currency, before
		// multiplying by the quantity (the EU's per-tonne amounts).
		per, _ := roundTo(s.amount.Mul(to.perUSD).Quo(fx.perUSD), r.Places, r.Mode)
		return per.Mul(kg).Quo(s.unit.kg)
	}
	return s.amount.Mul(kg).Quo(s.unit.kg).Mul(to.perUSD).Quo(fx.perUSD)
}

// levy is a duty to charge: a structured rate, or a duty expression as the
// tariff writes it (docs/duty-expressions.md).
type levy struct {
	rate *crate
	text string
}

// compileLevy compiles an instrument's rate or duty expression (validation
// has made sure it has at most one); nil when it has neither.
func (a *Assessor) compileLevy(r *crate, duty string) (*levy, error) {
	if duty != "" {
		return nil, fmt.Errorf("duty %q: duty expressions are not read by this build yet", duty)
	}
	if r == nil {
		return nil, nil
	}
	return &levy{rate: r, text: rateText(r)}, nil
}

// charge is the duty a levy puts on goods of the given value (in the
// currency of to) and as's quantities.
func (a *Assessor) charge(l *levy, value exact.Q, as *Assessment, to fxEntry) exact.Q {
	if l == nil {
		return exact.Q{}
	}
	return a.apply(l.rate, value, as, to)
}

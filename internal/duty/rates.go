package duty

import (
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
	return s.amount.Mul(kg).Quo(s.unit.kg).Mul(to.perUSD).Quo(fx.perUSD)
}

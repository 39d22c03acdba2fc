package duty

import "github.com/mineralpact/mineralpact/internal/agreement"

// apply computes a rate on the goods (docs/declarations.md, Base duty: ad
// valorem, specific, compound, mixed, then minimum and maximum), in the
// currency whose rate is to: value must be in that currency.
func (a *Assessor) apply(r *crate, value q, as *Assessment, to fxEntry) q {
	var d q
	switch r.kind {
	case agreement.AdValoremRate:
		d = r.av.mul(value)
	case agreement.SpecificRate:
		d = a.specific(r.spec, as, to)
	case agreement.CompoundRate:
		d = r.av.mul(value).add(a.specific(r.spec, as, to))
	case agreement.MixedRate:
		av, sp := r.av.mul(value), a.specific(r.spec, as, to)
		if r.higher {
			d = qmax(av, sp)
		} else {
			d = qmin(av, sp)
		}
	}
	if r.minimum != nil {
		d = qmax(d, a.specific(r.minimum, as, to))
	}
	if r.maximum != nil {
		d = qmin(d, a.specific(r.maximum, as, to))
	}
	return d
}

// specific is a specific amount on the goods' gross or contained quantity, in
// the rate's per unit, converted from the rate's currency to the one of to.
func (a *Assessor) specific(s *cspec, as *Assessment, to fxEntry) q {
	kg := as.grossKg
	if s.contained {
		kg = as.containedKg
	}
	fx, err := a.perUSD(s.currency, as.fxMonth)
	if err != nil {
		fx.perUSD = qInt(1) // validated at load: the agreement's currencies convert
	}
	return s.amount.mul(kg).quo(s.unit.kg).mul(to.perUSD).quo(fx.perUSD)
}

package agreement

import "github.com/mineralpact/mineralpact/internal/dec"

// The variable duty's rule (docs/declarations.md, step 10), stated once for
// every engine that charges it: on one unit of contained mineral at unit
// price p under floor F,
//
//	duty = max(0, F − p), capped at the cap per unit at the floor,
//	       × the phase-in share, × the party-origin factor
//
// The cap is applied first, to the whole gap, and the cap's ad valorem part
// is a rate on the value at the floor (F a unit), not on the declared value:
// so the cap per unit depends on the floor only, and the duty never rises
// with the price. The shares apply after the cap.

// PerUnit converts a specific amount to money per unit of contained mineral,
// in the floor's currency and unit: the unit conversion from s.Per, the
// exchange rate from s.Currency and, for an amount on the gross product,
// the content. Those need the registry and the goods; the rule does not.
type PerUnit func(s *Specific) (dec.Decimal, error)

// CapAtFloor is a variable duty's cap on one unit of contained mineral valued
// at the floor: the cap rate applied as a duty rate is applied (step 9 of
// docs/declarations.md: ad valorem, specific, compound, mixed, then minimum
// and maximum), to a value of floor. It depends on neither the price nor the
// quantity, so an engine may compute it once per floor.
func CapAtFloor(cap *Rate, floor dec.Decimal, perUnit PerUnit) (dec.Decimal, error) {
	av := func() dec.Decimal { return cap.AdValorem.Mul(floor) }
	var d dec.Decimal
	switch cap.Kind {
	case AdValoremRate:
		d = av()
	case SpecificRate, CompoundRate, MixedRate:
		s, err := perUnit(cap.Specific)
		if err != nil {
			return dec.Decimal{}, err
		}
		switch {
		case cap.Kind == SpecificRate:
			d = s
		case cap.Kind == CompoundRate:
			d = av().Add(s)
		case cap.Combine == Higher:
			d = dec.Max(av(), s)
		default:
			d = dec.Min(av(), s)
		}
	}
	if cap.Minimum != nil {
		m, err := perUnit(cap.Minimum)
		if err != nil {
			return dec.Decimal{}, err
		}
		d = dec.Max(d, m)
	}
	if cap.Maximum != nil {
		m, err := perUnit(cap.Maximum)
		if err != nil {
			return dec.Decimal{}, err
		}
		d = dec.Min(d, m)
	}
	return d, nil
}

// OriginShare is the share of the variable duty that goods originating in a
// party pay under rule: exempt (and no rule) 0, reduced its factor, full 1.
func OriginShare(rule *OriginRule) dec.Decimal {
	switch {
	case rule == nil || rule.Treatment == Exempt:
		return dec.Decimal{}
	case rule.Treatment == Reduced:
		return rule.Factor
	}
	return dec.FromInt(1)
}

// VariableDutyPerUnit is the rule itself on one unit of contained mineral:
// share × min(max(0, floor − price), capAtFloor), where capped says whether
// there is a cap and share is the phase-in share times, for goods of party
// origin, OriginShare.
func VariableDutyPerUnit(floor, price, capAtFloor dec.Decimal, capped bool, share dec.Decimal) dec.Decimal {
	gap := dec.Max(dec.Decimal{}, floor.Sub(price))
	if capped {
		gap = dec.Min(gap, capAtFloor)
	}
	return gap.Mul(share)
}

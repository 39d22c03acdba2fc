package agreement

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Expression writes a rate given as fields in the duty-expression grammar
// (docs/duty-expressions.md), so that a rate and a duty expression are
// computed by one evaluator and explained by the same steps: ad valorem
// "3.7%", specific "0.375 USD/kg content", compound "3.8% + 0.176 USD/kg
// content", mixed "max(5%, 3 EUR/100 kg)" (or min), then "MIN a" and "MAX
// b" for the minimum and the maximum, applied in that order.
func (r *Rate) Expression() string {
	var b strings.Builder
	av := func() { b.WriteString(r.AdValorem.Mul(dec.FromInt(100)).Normalize().String() + "%") }
	switch r.Kind {
	case AdValoremRate:
		av()
	case SpecificRate:
		b.WriteString(r.Specific.Expression())
	case CompoundRate:
		av()
		b.WriteString(" + " + r.Specific.Expression())
	case MixedRate:
		b.WriteString(map[bool]string{true: "min(", false: "max("}[r.Combine == Lower])
		av()
		b.WriteString(", " + r.Specific.Expression() + ")")
	}
	if r.Minimum != nil {
		b.WriteString(" MIN " + r.Minimum.Expression())
	}
	if r.Maximum != nil {
		b.WriteString(" MAX " + r.Maximum.Expression())
	}
	return b.String()
}

// Expression writes a specific amount in the duty-expression grammar:
// "0.375 USD/kg content", "5 USD/lb".
func (s *Specific) Expression() string {
	if s == nil {
		return "0%"
	}
	out := s.Amount.Normalize().String() + " " + s.Currency + "/" + s.Per
	if s.On == Contained {
		out += " content"
	}
	return out
}

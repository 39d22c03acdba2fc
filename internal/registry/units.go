package registry

import (
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/suggest"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Unit is a unit of mass with its exact factor to kilograms.
//
// A quantity of a mineral good is either gross (the weight of the good:
// concentrate, carbonate, alloy) or contained (the weight of the element in it);
// Quantity.Basis says which. Units of Dimension "mass" measure either. Units of
// Dimension "contained mass" (dmtu, mtu) are defined on contained weight only,
// so only contained quantities can be written in them.
type Unit struct {
	Code      string      // canonical code: "t", "kg", "lb", "troy_oz", "dmtu"
	Name      string      // "metric ton (tonne)"
	Dimension string      // "mass" or "contained mass"
	PerKg     dec.Decimal // kilograms in one unit, exact by definition
	Aliases   []string    // other accepted codes, lower-case
	Counts    string      // for units of "contained mass": what the unit counts
}

// The dimensions of units.
const (
	Mass          = "mass"
	ContainedMass = "contained mass"
)

// The bases of a quantity.
const (
	Gross     = "gross"     // the weight of the good itself
	Contained = "contained" // the weight of the mineral in the good
)

// units are defined in code, not data: the factors are fixed by law (the
// international yard and pound agreement of 1959 sets 1 lb = 0.45359237 kg;
// the troy ounce is 480 grains of 64.79891 mg) and never change.
var units = []Unit{
	{Code: "kg", Name: "kilogram", Dimension: Mass, PerKg: dec.MustParse("1"), Aliases: []string{"kilogram", "kilograms", "kgs"}},
	{Code: "g", Name: "gram", Dimension: Mass, PerKg: dec.MustParse("0.001"), Aliases: []string{"gram", "grams"}},
	{Code: "t", Name: "metric ton (tonne)", Dimension: Mass, PerKg: dec.MustParse("1000"), Aliases: []string{"mt", "tonne", "tonnes", "metric_ton", "metric_tons"}},
	{Code: "lb", Name: "avoirdupois pound", Dimension: Mass, PerKg: dec.MustParse("0.45359237"), Aliases: []string{"lbs", "pound", "pounds"}},
	{Code: "troy_oz", Name: "troy ounce", Dimension: Mass, PerKg: dec.MustParse("0.0311034768"), Aliases: []string{"oz_t", "ozt", "troy_ounce", "troy ounce", "troy oz"}},
	{Code: "short_ton", Name: "short ton (2,000 lb)", Dimension: Mass, PerKg: dec.MustParse("907.18474"), Aliases: []string{"st", "ton_us", "us_ton"}},
	{Code: "long_ton", Name: "long ton (2,240 lb)", Dimension: Mass, PerKg: dec.MustParse("1016.0469088"), Aliases: []string{"lt", "ton_uk", "uk_ton"}},
	{Code: "flask", Name: "mercury flask (76 lb)", Dimension: Mass, PerKg: dec.MustParse("34.47302012"), Aliases: []string{"flasks"}},
	{Code: "dmtu", Name: "dry metric ton unit (1% of a dry metric ton: 10 kg contained)", Dimension: ContainedMass, PerKg: dec.MustParse("10"),
		Aliases: []string{"dry_metric_ton_unit"}, Counts: "the element priced (Fe for the Pink Sheet iron ore)"},
	{Code: "mtu", Name: "metric ton unit (1% of a metric ton: 10 kg contained)", Dimension: ContainedMass, PerKg: dec.MustParse("10"),
		Aliases: []string{"metric_ton_unit"}, Counts: "the oxide or element named with the price (WO3 for tungsten, Mn for manganese ore)"},
}

var unitIndex = func() map[string]int {
	m := make(map[string]int)
	for i, u := range units {
		m[u.Code] = i
		for _, a := range u.Aliases {
			m[a] = i
		}
	}
	return m
}()

// Quantity is an amount of a mineral good in a unit, gross or contained.
type Quantity struct {
	Value dec.Decimal
	Unit  string // a unit code or alias
	Basis string // Gross or Contained
}

// String renders q as "1000 kg contained".
func (q Quantity) String() string { return fmt.Sprintf("%s %s %s", q.Value, q.Unit, q.Basis) }

// Units returns every unit, kilogram first. The slice is a copy.
func (r *Registry) Units() []Unit {
	out := slices.Clone(units)
	for i := range out {
		out[i].Aliases = slices.Clone(out[i].Aliases)
	}
	return out
}

// Unit returns the unit with this code or alias, in any case ("t", "tonne",
// "MT", "lb", "oz_t"). An unknown code is a NotFound error.
func (r *Registry) Unit(code string) (Unit, error) {
	if i, ok := unitIndex[strings.ToLower(strings.TrimSpace(code))]; ok {
		u := units[i]
		u.Aliases = slices.Clone(u.Aliases)
		return u, nil
	}
	names := make([]string, 0, len(unitIndex))
	for k := range unitIndex {
		names = append(names, k)
	}
	slices.Sort(names)
	return Unit{}, &problem.Error{Code: problem.NotFound, Field: "unit",
		Message: "unknown unit " + strconv.Quote(code) + suggest.DidYouMean(suggest.Near(code, names))}
}

// ConvertQuantity converts q to the unit to, keeping its basis. The value is
// multiplied by the from-unit's factor to kilograms and divided by the
// to-unit's: exact whenever that division terminates (t → kg, lb → kg, kg → g,
// troy_oz → g), and otherwise rounded to dec.Precision significant digits
// (kg → lb, whose factor 0.45359237 does not divide a power of ten).
//
// A quantity in a contained-mass unit (dmtu) must be contained, and only a
// contained quantity can be converted into one: turning gross weight into
// contained weight needs the good's content (HSLine.Content), which is the
// caller's step, not a unit conversion.
func (r *Registry) ConvertQuantity(q Quantity, to string) (Quantity, error) {
	from, err := r.Unit(q.Unit)
	if err != nil {
		return Quantity{}, err
	}
	target, err := r.Unit(to)
	if err != nil {
		return Quantity{}, err
	}
	switch q.Basis {
	case Gross, Contained:
	default:
		return Quantity{}, &problem.Error{Code: problem.Invalid, Field: "basis",
			Message: fmt.Sprintf("quantity basis %q is not %q or %q", q.Basis, Gross, Contained)}
	}
	for _, u := range []Unit{from, target} {
		if u.Dimension == ContainedMass && q.Basis != Contained {
			return Quantity{}, &problem.Error{Code: problem.Invalid, Field: "unit",
				Message: fmt.Sprintf("%s measures contained weight, but the quantity is %s; apply the content first", u.Code, q.Basis)}
		}
	}
	v := q.Value.Mul(from.PerKg)
	if target.PerKg.Cmp(dec.One) != 0 {
		v = v.Quo(target.PerKg)
	}
	return Quantity{Value: v, Unit: target.Code, Basis: q.Basis}, nil
}

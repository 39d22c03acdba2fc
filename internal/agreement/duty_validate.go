package agreement

import (
	"errors"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dutyexpr"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// SupplementaryUnits are the units of quantity other than mass that a duty
// expression may charge per, as tariffs write them: pieces, litres, square
// and cubic metres. A declaration states its quantity in them
// (supplementary_quantity); mass units are the registry's.
var SupplementaryUnits = []string{"p/st", "l", "m2", "m3"}

// duty checks a duty expression (docs/duty-expressions.md): it parses, and
// its currencies and units exist. A syntax error is reported at its line and
// column in the file.
func (v *validator) duty(path, text string) {
	if text == "" {
		return
	}
	e, err := dutyexpr.Parse(text)
	if err != nil {
		var se *dutyexpr.SyntaxError
		if errors.As(err, &se) {
			at, exact := v.src.TextPos(path)
			if exact {
				at.Line, at.Column = se.In(at.Line, at.Column)
			}
			v.errs = append(v.errs, &problem.Error{Code: problem.Invalid, Field: path, Pos: at, Message: "duty expression: " + se.Msg + " (docs/duty-expressions.md)"})
			return
		}
		v.add(path, "duty expression: %v", err)
		return
	}
	for _, c := range e.Currencies() {
		v.check(path, v.cat.Currency(c))
	}
	for _, u := range e.Units() {
		if u.Content && !isMass(v, u.Code) {
			v.add(path, "unit %q: a quantity of content is a mass (kg content, t content)", u.String())
			continue
		}
		if !isMass(v, u.Code) && !slices.Contains(SupplementaryUnits, u.Code) {
			v.add(path, "unit %q is neither a unit of mass (kg, t, lb, ...) nor a supplementary unit (%s)", u.Code, strings.Join(SupplementaryUnits, ", "))
		}
	}
}

func isMass(v *validator, code string) bool { return v.cat.Unit(code) == nil }

package dec

import (
	"fmt"

	"github.com/cockroachdb/apd/v3"
)

// Mode is a rounding rule, named as agreements and customs laws name them.
type Mode string

// The rounding modes an agreement may name.
const (
	HalfUp   Mode = "half_up"   // 0.5 away from zero: the usual customs rule
	HalfEven Mode = "half_even" // 0.5 to the even neighbour: banker's rounding
	Down     Mode = "down"      // towards zero: truncation
	Up       Mode = "up"        // away from zero
)

// Modes lists every valid Mode, for validation messages and the JSON Schema.
var Modes = []Mode{HalfUp, HalfEven, Down, Up}

func (m Mode) apd() (apd.Rounder, error) {
	switch m {
	case HalfUp:
		return apd.RoundHalfUp, nil
	case HalfEven:
		return apd.RoundHalfEven, nil
	case Down:
		return apd.RoundDown, nil
	case Up:
		return apd.RoundUp, nil
	}
	return "", fmt.Errorf("unknown rounding mode %q (want one of %v)", string(m), Modes)
}

// Valid reports whether m is one of Modes.
func (m Mode) Valid() bool { _, err := m.apd(); return err == nil }

// Round returns x rounded to places digits after the point by mode, and whether
// rounding changed its value, so a result can say that it rounded.
func (x Decimal) Round(places int32, mode Mode) (Decimal, bool, error) {
	r, err := mode.apd()
	if err != nil {
		return Zero, false, err
	}
	c := ctx
	c.Rounding = r
	var z Decimal
	cond, err := c.Quantize(&z.d, &x.d, -places)
	if err != nil {
		return Zero, false, err
	}
	return z, cond.Inexact(), nil
}

// Package dec is mineralpact's exact decimal number, used for every price, rate,
// amount and quantity.
//
// It wraps github.com/cockroachdb/apd/v3, chosen because it is exact (base-10
// coefficients, every operation reports inexactness) and allocation-free for
// coefficients up to 128 bits. Wrapping it in one type of ours keeps the choice
// open: the engines never see apd.
//
// Values are immutable: every operation returns a new Decimal and never changes
// its operands, so a Decimal can be copied and shared freely.
package dec

import (
	"fmt"
	"strconv"

	"github.com/cockroachdb/apd/v3"
)

// Precision is the number of significant digits kept by division and by any
// operation whose exact result would need more. Addition, subtraction and
// multiplication of the figures mineralpact handles stay exact well inside it.
const Precision = 34

var ctx = apd.Context{Precision: Precision, MaxExponent: apd.MaxExponent, MinExponent: apd.MinExponent, Traps: apd.DefaultTraps, Rounding: apd.RoundHalfEven}

// Decimal is an exact decimal number. The zero value is 0.
type Decimal struct{ d apd.Decimal }

// Zero is 0, One is 1.
var (
	Zero = Decimal{}
	One  = FromInt(1)
)

// FromInt returns the integer n as a Decimal.
func FromInt(n int64) Decimal {
	var x Decimal
	x.d.SetInt64(n)
	return x
}

// New returns coef × 10^exp.
func New(coef int64, exp int32) Decimal {
	var x Decimal
	x.d.SetFinite(coef, exp)
	return x
}

// Parse reads a decimal written in plain or scientific notation ("3.7", "-0.0125",
// "1e-3"). NaN and infinities are rejected: no figure in an agreement is one.
func Parse(s string) (Decimal, error) {
	var x Decimal
	_, _, err := x.d.SetString(s)
	if err != nil {
		return Zero, fmt.Errorf("%q is not a decimal number", s)
	}
	if x.d.Form != apd.Finite {
		return Zero, fmt.Errorf("%q is not a finite decimal number", s)
	}
	return x, nil
}

// MustParse is Parse for constants in code and tests; it panics on bad input.
func MustParse(s string) Decimal {
	x, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return x
}

// FromFloat returns the shortest decimal that round-trips to f. It exists for
// reading inputs that arrive as floats (JSON numbers); engines never compute in
// floats.
func FromFloat(f float64) (Decimal, error) {
	return Parse(strconv.FormatFloat(f, 'g', -1, 64))
}

func op(f func(z, x, y *apd.Decimal) (apd.Condition, error), x, y Decimal) Decimal {
	var z Decimal
	if _, err := f(&z.d, &x.d, &y.d); err != nil {
		// Only overflow or division by zero can fail, and callers check for
		// zero divisors; an overflow of 10^100000 is a bug, not an input.
		panic(fmt.Sprintf("dec: %v", err))
	}
	return z
}

// Add returns x + y.
func (x Decimal) Add(y Decimal) Decimal { return op(ctx.Add, x, y) }

// Sub returns x − y.
func (x Decimal) Sub(y Decimal) Decimal { return op(ctx.Sub, x, y) }

// Mul returns x × y.
func (x Decimal) Mul(y Decimal) Decimal { return op(ctx.Mul, x, y) }

// Quo returns x ÷ y to Precision significant digits. It panics when y is zero:
// callers must check, because a zero divisor is always an input error to report.
func (x Decimal) Quo(y Decimal) Decimal {
	if y.IsZero() {
		panic("dec: division by zero")
	}
	// Drop the trailing zeros of an exact quotient (1/4 is 0.25, not 0.2500…).
	return op(ctx.Quo, x, y).Normalize()
}

// Neg returns −x.
func (x Decimal) Neg() Decimal {
	var z Decimal
	z.d.Neg(&x.d)
	return z
}

// Abs returns |x|.
func (x Decimal) Abs() Decimal {
	var z Decimal
	z.d.Abs(&x.d)
	return z
}

// Cmp returns −1, 0 or +1 as x is less than, equal to or greater than y.
func (x Decimal) Cmp(y Decimal) int { return x.d.Cmp(&y.d) }

// Sign returns −1, 0 or +1 with the sign of x.
func (x Decimal) Sign() int { return x.d.Sign() }

// IsZero reports whether x is 0.
func (x Decimal) IsZero() bool { return x.d.IsZero() }

// Max returns the larger of x and y.
func Max(x, y Decimal) Decimal {
	if x.Cmp(y) >= 0 {
		return x
	}
	return y
}

// Min returns the smaller of x and y.
func Min(x, y Decimal) Decimal {
	if x.Cmp(y) <= 0 {
		return x
	}
	return y
}

// Float64 returns the nearest float64, for charts and statistics only.
func (x Decimal) Float64() float64 {
	f, _ := x.d.Float64()
	return f
}

// Int64 returns x as an integer, and false if x has a fractional part or does not fit.
func (x Decimal) Int64() (int64, bool) {
	n, err := x.d.Int64()
	return n, err == nil
}

// String renders x in plain notation without an exponent and with trailing
// zeros kept ("3.70" stays "3.70"), so that figures read as they were written.
func (x Decimal) String() string { return x.d.Text('f') }

// Normalize returns x without trailing fractional zeros ("3.70" → "3.7"), for
// canonical forms where equal values must print alike.
func (x Decimal) Normalize() Decimal {
	var z Decimal
	z.d.Reduce(&x.d)
	if z.d.Exponent > 0 {
		// Keep integers in plain form: 1E+2 prints as 100.
		_, _ = ctx.Quantize(&z.d, &z.d, 0)
	}
	return z
}

// MarshalText writes x as text; JSON and YAML render it as a string so that no
// client reads it through a float.
func (x Decimal) MarshalText() ([]byte, error) { return []byte(x.String()), nil }

// UnmarshalText parses text written by MarshalText or by a person.
func (x *Decimal) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*x = v
	return nil
}

// UnmarshalJSON accepts a JSON string or a JSON number; a number is read from
// its text, never through a float.
func (x *Decimal) UnmarshalJSON(b []byte) error {
	s := string(b)
	if len(s) >= 2 && s[0] == '"' && s[len(s)-1] == '"' {
		s = s[1 : len(s)-1]
	}
	return x.UnmarshalText([]byte(s))
}

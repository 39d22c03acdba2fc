package exact

import (
	"math/big"
	"math/bits"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Condition is the set of conditions an operation raised, named and meant as
// in the General Decimal Arithmetic specification and cockroachdb/apd (see
// the package doc). Only Round raises any.
type Condition uint8

const (
	// Inexact: a discarded digit was non-zero; the result is not the value.
	Inexact Condition = 1 << iota
	// Rounded: digits were discarded, zero or not.
	Rounded
)

// Inexact reports whether c includes Inexact.
func (c Condition) Inexact() bool { return c&Inexact != 0 }

// Rounded reports whether c includes Rounded.
func (c Condition) Rounded() bool { return c&Rounded != 0 }

// String names the conditions of c as the testcases write them: "Inexact
// Rounded", "Rounded", or "" for none.
func (c Condition) String() string {
	switch c {
	case 0:
		return ""
	case Rounded:
		return "Rounded"
	case Inexact:
		return "Inexact"
	case Inexact | Rounded:
		return "Inexact Rounded"
	}
	return "Condition(" + strconv.Itoa(int(c)) + ")"
}

// cond is the Condition of rounding x to places when the remainder is
// non-zero (inexact) or not.
func cond(x Q, places int, inexact bool) Condition {
	if inexact {
		return Inexact | Rounded
	}
	if x.b == nil && !x.n.isZero() && pow10Above(x.d, places) {
		return Rounded
	}
	return 0
}

// Round returns x rounded to places (≥ 0) digits after the point by mode, with
// the conditions of the rounding: Inexact when that changed its value,
// Rounded when it discarded digits (see the package doc). The result is
// written with places decimals (its denominator is 10^places) whenever its
// numerator at that scale fits in 128 bits. An unknown mode rounds down.
func (x Q) Round(places int, mode dec.Mode) (Q, Condition) {
	if x.b == nil && x.n.hi|x.d.hi == 0 && places < 20 {
		// Fast path: n × 10^places fits in 128 bits and d in 64.
		d := x.d.lo | b2u(x.d.lo == 0)
		sh, sl := bits.Mul64(x.n.lo, pow10[places].lo)
		if sh < d {
			ql, r := bits.Div64(sh, sl, d)
			if quo2, ok := roundUp(u128{0, ql}, u128{0, r}, u128{0, d}, x.neg, mode); ok {
				var c Condition
				if r != 0 {
					c = Inexact | Rounded
				} else if d > pow10[places].lo {
					c = cond(x, places, false)
				}
				return Q{n: quo2, d: pow10[places], neg: x.neg && !quo2.isZero()}, c
			}
		}
	}
	return x.roundSlow(places, mode)
}

// roundSlow is Round without its 64-bit fast path.
func (x Q) roundSlow(places int, mode dec.Mode) (Q, Condition) {
	orig := x
	if x.b == nil && x.d.hi != 0 {
		if g := gcd128(x.n, x.d); !(g.hi == 0 && g.lo == 1) {
			x.n, _ = divmod128(x.n, g)
			x.d, _ = divmod128(x.d, g)
		}
	}
	if x.b == nil && places < len(pow10) {
		if s, ok := mul128(x.n, pow10[places]); ok {
			quo, rem := divmod128(s, x.den())
			if quo2, ok := roundUp(quo, rem, x.den(), x.neg, mode); ok {
				return Q{n: quo2, d: pow10[places], neg: x.neg && !quo2.isZero()}, cond(orig, places, !rem.isZero())
			}
		}
	}
	// Big path.
	r := x.rat()
	scale := new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil)
	num := new(big.Int).Mul(new(big.Int).Abs(r.Num()), scale)
	quo, rem := new(big.Int).QuoRem(num, r.Denom(), new(big.Int))
	up := false
	switch mode {
	case dec.Up:
		up = rem.Sign() != 0
	case dec.HalfUp, dec.HalfEven:
		c := new(big.Int).Lsh(rem, 1).Cmp(r.Denom())
		up = c > 0 || (c == 0 && (mode == dec.HalfUp || quo.Bit(0) == 1))
	}
	if up {
		quo.Add(quo, big.NewInt(1))
	}
	c := cond(orig, places, rem.Sign() != 0)
	// The result keeps the denominator 10^places, unreduced, whenever it fits:
	// formatting reads its digits as a scaled integer.
	if n, ok := fromBigInt(quo); ok && places < len(pow10) {
		return Q{n: n, d: pow10[places], neg: r.Sign() < 0 && !n.isZero()}, c
	}
	if r.Sign() < 0 {
		quo.Neg(quo)
	}
	return fromRat(new(big.Rat).SetFrac(quo, scale)), c
}

// roundUp applies mode to a quotient and its remainder over d; false when
// the rounded quotient does not fit in 128 bits.
func roundUp(quo, rem, d u128, neg bool, mode dec.Mode) (u128, bool) {
	if rem.isZero() {
		return quo, true
	}
	up := false
	switch mode {
	case dec.Up:
		up = true
	case dec.Down:
	case dec.HalfUp, dec.HalfEven:
		twice, ok := add128(rem, rem)
		if !ok {
			return quo, false
		}
		c := twice.cmp(d)
		up = c > 0 || (c == 0 && (mode == dec.HalfUp || quo.lo&1 == 1))
	}
	if up {
		return add128(quo, u128{0, 1})
	}
	return quo, true
}

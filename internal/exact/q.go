package exact

import (
	"math/big"
	"math/bits"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Q is an exact rational number (the name is that of the set ℚ).
//
// It is a value type: the zero value is 0, values are immutable, and copying
// one is free (it never shares anything mutable). Arithmetic on values whose
// numerators and denominators fit in 128 bits allocates nothing.
type Q struct {
	n, d u128     // |value| = n/d; d == 0 stands for 1 (so that Q{} is 0)
	neg  bool     // the sign, never set on 0
	b    *big.Rat // non-nil: the value, when it outgrew 128 bits; never mutated
}

// Int returns the integer v.
func Int(v int64) Q {
	if v < 0 {
		return Q{n: u128{0, uint64(-v)}, neg: true}
	}
	return Q{n: u128{0, uint64(v)}}
}

// Dec returns coef × 10^-scale, written with scale places (see Round); scale
// must be in [0, 38].
func Dec(coef uint64, scale int) Q {
	return Q{n: u128{0, coef}, d: pow10[scale]}
}

// FromDecimal converts a dec.Decimal exactly, keeping the places it was
// written with ("3.70" has two).
func FromDecimal(x dec.Decimal) Q {
	s := x.String()
	if v, ok := ParseString(s); ok {
		return v
	}
	r, _ := new(big.Rat).SetString(s)
	return fromRat(r)
}

// FromRat converts r exactly; the result does not share r.
func FromRat(r *big.Rat) Q {
	q := fromRat(r)
	if q.b == r {
		q.b = new(big.Rat).Set(r)
	}
	return q
}

// Rat returns x as a new big.Rat.
func (x Q) Rat() *big.Rat {
	if x.b != nil {
		return new(big.Rat).Set(x.b)
	}
	return x.rat()
}

func (x Q) den() u128 {
	if x.d.isZero() {
		return u128{0, 1}
	}
	return x.d
}

// rat returns x as a big.Rat that the caller must not change (x.b itself on
// the big path).
func (x Q) rat() *big.Rat {
	if x.b != nil {
		return x.b
	}
	r := new(big.Rat).SetFrac(x.n.big(), x.den().big())
	if x.neg {
		r.Neg(r)
	}
	return r
}

// fromRat keeps a big result small again when it fits; a big result keeps r.
func fromRat(r *big.Rat) Q {
	n, ok1 := fromBigInt(new(big.Int).Abs(r.Num()))
	d, ok2 := fromBigInt(r.Denom())
	if ok1 && ok2 {
		return Q{n: n, d: d, neg: r.Sign() < 0}
	}
	return Q{b: r}
}

// mk builds n/d with a sign, reducing when the parts grow past 96 bits.
func mk(n, d u128, neg bool) Q {
	if n.isZero() {
		return Q{}
	}
	if n.hi>>32 != 0 || d.hi>>32 != 0 {
		if g := gcd128(n, d); !(g.hi == 0 && g.lo == 1) {
			n, _ = divmod128(n, g)
			d, _ = divmod128(d, g)
		}
	}
	return Q{n: n, d: d, neg: neg}
}

// Sign returns −1, 0 or +1 with the sign of x.
func (x Q) Sign() int {
	switch {
	case x.b != nil:
		return x.b.Sign()
	case x.n.isZero():
		return 0
	case x.neg:
		return -1
	}
	return 1
}

// IsZero reports whether x is 0.
func (x Q) IsZero() bool { return x.Sign() == 0 }

// Neg returns −x.
func (x Q) Neg() Q {
	if x.b != nil {
		return Q{b: new(big.Rat).Neg(x.b)}
	}
	if x.n.isZero() {
		return x
	}
	x.neg = !x.neg
	return x
}

// Mul returns x × y.
func (x Q) Mul(y Q) Q {
	if x.b == nil && y.b == nil && x.n.hi|x.d.hi|y.n.hi|y.d.hi == 0 {
		// Fast path: every part fits in 64 bits, so the products fit in 128.
		if x.n.lo == 0 || y.n.lo == 0 {
			return Q{}
		}
		xd, yd := x.d.lo|b2u(x.d.lo == 0), y.d.lo|b2u(y.d.lo == 0) // d == 0 stands for 1
		nh, nl := bits.Mul64(x.n.lo, y.n.lo)
		dh, dl := bits.Mul64(xd, yd)
		return mk(u128{nh, nl}, u128{dh, dl}, x.neg != y.neg)
	}
	return x.mulSlow(y)
}

// mulSlow is Mul without its 64-bit fast path (TestFastPaths checks that both
// give the same fraction).
func (x Q) mulSlow(y Q) Q {
	if x.b == nil && y.b == nil {
		if x.n.isZero() || y.n.isZero() {
			return Q{}
		}
		n, ok1 := mul128(x.n, y.n)
		d, ok2 := mul128(x.den(), y.den())
		if ok1 && ok2 {
			return mk(n, d, x.neg != y.neg)
		}
		// Cross-reduce before giving up on 128 bits.
		g1, g2 := gcd128(x.n, y.den()), gcd128(y.n, x.den())
		xn, _ := divmod128(x.n, g1)
		yd, _ := divmod128(y.den(), g1)
		yn, _ := divmod128(y.n, g2)
		xd, _ := divmod128(x.den(), g2)
		n, ok1 = mul128(xn, yn)
		d, ok2 = mul128(xd, yd)
		if ok1 && ok2 {
			return mk(n, d, x.neg != y.neg)
		}
	}
	return fromRat(new(big.Rat).Mul(x.rat(), y.rat()))
}

// b2u is 1 for true, 0 for false.
func b2u(b bool) uint64 {
	if b {
		return 1
	}
	return 0
}

// Inv returns 1/x. It panics when x is 0: as for dec.Decimal.Quo, a zero
// divisor is an input error the caller must report before dividing.
func (x Q) Inv() Q {
	if x.b != nil {
		return Q{b: new(big.Rat).Inv(x.b)}
	}
	if x.n.isZero() {
		panic("exact: division by zero")
	}
	return Q{n: x.den(), d: x.n, neg: x.neg}
}

// Quo returns x ÷ y. It panics when y is 0 (see Inv).
func (x Q) Quo(y Q) Q { return x.Mul(y.Inv()) }

// Add returns x + y.
func (x Q) Add(y Q) Q {
	if x.b == nil && y.b == nil && x.n.hi|x.d.hi|y.n.hi|y.d.hi == 0 {
		// Fast path: every part fits in 64 bits, so the cross products fit
		// in 128 and their sum in 129.
		if y.n.lo == 0 {
			return x
		}
		if x.n.lo == 0 {
			return y
		}
		xd, yd := x.d.lo|b2u(x.d.lo == 0), y.d.lo|b2u(y.d.lo == 0)
		var a, b, d u128
		if xd == yd {
			a, b, d = u128{0, x.n.lo}, u128{0, y.n.lo}, u128{0, xd}
		} else {
			a.hi, a.lo = bits.Mul64(x.n.lo, yd)
			b.hi, b.lo = bits.Mul64(y.n.lo, xd)
			d.hi, d.lo = bits.Mul64(xd, yd)
		}
		if x.neg == y.neg {
			if s, ok := add128(a, b); ok {
				return mk(s, d, x.neg)
			}
		} else if a.cmp(b) >= 0 {
			return mk(sub128(a, b), d, x.neg)
		} else {
			return mk(sub128(b, a), d, y.neg)
		}
	}
	return x.addSlow(y)
}

// addSlow is Add without its 64-bit fast path.
func (x Q) addSlow(y Q) Q {
	if x.b == nil && y.b == nil {
		if y.n.isZero() {
			return x
		}
		if x.n.isZero() {
			return y
		}
		xd, yd := x.den(), y.den()
		a, b, d := x.n, y.n, xd
		ok := true
		if xd != yd {
			var o1, o2, o3 bool
			a, o1 = mul128(x.n, yd)
			b, o2 = mul128(y.n, xd)
			d, o3 = mul128(xd, yd)
			ok = o1 && o2 && o3
		}
		if ok {
			if x.neg == y.neg {
				if s, ok := add128(a, b); ok {
					return mk(s, d, x.neg)
				}
			} else if c := a.cmp(b); c >= 0 {
				return mk(sub128(a, b), d, x.neg)
			} else {
				return mk(sub128(b, a), d, y.neg)
			}
		}
	}
	return fromRat(new(big.Rat).Add(x.rat(), y.rat()))
}

// Sub returns x − y.
func (x Q) Sub(y Q) Q { return x.Add(y.Neg()) }

// Cmp returns −1, 0 or +1 as x is less than, equal to or greater than y.
func (x Q) Cmp(y Q) int {
	if x.b == nil && y.b == nil {
		sx, sy := x.Sign(), y.Sign()
		if sx != sy {
			if sx < sy {
				return -1
			}
			return 1
		}
		if sx == 0 {
			return 0
		}
		if x.n.hi|x.d.hi|y.n.hi|y.d.hi == 0 {
			var l, r u128
			l.hi, l.lo = bits.Mul64(x.n.lo, y.d.lo|b2u(y.d.lo == 0))
			r.hi, r.lo = bits.Mul64(y.n.lo, x.d.lo|b2u(x.d.lo == 0))
			if sx < 0 {
				return r.cmp(l)
			}
			return l.cmp(r)
		}
		c := cmp256(mul256(x.n, y.den()), mul256(y.n, x.den()))
		if sx < 0 {
			return -c
		}
		return c
	}
	return x.rat().Cmp(y.rat())
}

// Max returns the larger of x and y (x when they are equal).
func Max(x, y Q) Q {
	if x.Cmp(y) >= 0 {
		return x
	}
	return y
}

// Min returns the smaller of x and y (x when they are equal).
func Min(x, y Q) Q {
	if x.Cmp(y) <= 0 {
		return x
	}
	return y
}

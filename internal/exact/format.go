package exact

import (
	"math/bits"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// AppendFixed appends x rounded half-even to at most places decimals, with
// trailing fractional zeros dropped: for figures shown but not charged
// ("0.2500" at 4 places is "0.25", 1/3 is "0.3333", 2 is "2").
func (x Q) AppendFixed(b []byte, places int) []byte {
	return x.AppendPlaces(b, places, dec.HalfEven, true)
}

// AppendMoney appends x, already rounded to places (by Round), with exactly
// places decimals ("12.30" at 2 places); a value with more places is rounded
// half-even on the way, silently.
func (x Q) AppendMoney(b []byte, places int) []byte {
	return x.AppendPlaces(b, places, dec.HalfEven, false)
}

// AppendPlaces appends x rounded by mode to places (0 to 19 on the fast
// paths, any on the others) decimals; trim drops trailing fractional zeros.
// The text is that of x.Round(places, mode), whose Condition it drops.
func (x Q) AppendPlaces(b []byte, places int, mode dec.Mode, trim bool) []byte {
	if x.b == nil && x.n.hi|x.d.hi == 0 && places < 20 {
		// A value with at most places decimals, on the scale 10^s (declared
		// figures, rounded money): no rounding to do, only the scale to
		// bring to 10^places; what round would give, without its division.
		d := x.d.lo | b2u(x.d.lo == 0)
		for s := 0; s <= places; s++ {
			if pow10[s].lo == d {
				if hi, v := bits.Mul64(x.n.lo, pow10[places-s].lo); hi == 0 {
					return appendScaled(b, v, places, x.neg, trim)
				}
				break
			}
		}
	}
	r, _ := x.Round(places, mode)
	if r.b == nil && places < 20 && r.den() != pow10[places] {
		// A rounded value whose denominator is not 10^places (reduced on
		// the way): bring it back to the scale its digits are read in.
		r = mk128scaled(r, places)
	}
	if r.b == nil && r.n.hi == 0 && places < 20 {
		return appendScaled(b, r.n.lo, places, r.neg, trim)
	}
	return appendRounded(b, r, places, trim)
}

// mk128scaled returns r (an exact multiple of 10^-places) with the
// denominator 10^places, or r on the big path when that does not fit.
func mk128scaled(r Q, places int) Q {
	f, _ := divmod128(pow10[places], r.den())
	if n, ok := mul128(r.n, f); ok {
		return Q{n: n, d: pow10[places], neg: r.neg}
	}
	return Q{b: r.rat()}
}

// appendRounded is the general path of AppendPlaces, for r = x.Round(places, mode): the
// digits of r.n with a point places digits from the right.
func appendRounded(b []byte, r Q, places int, trim bool) []byte {
	var s []byte
	var buf [48]byte
	if r.b != nil {
		s = []byte(r.b.FloatString(places))
	} else {
		i := len(buf)
		n := r.n
		for digits := 0; digits <= places || !n.isZero(); digits++ {
			if digits == places && places > 0 {
				i--
				buf[i] = '.'
			}
			var rem u128
			if n.hi == 0 {
				rem.lo = n.lo % 10
				n.lo /= 10
			} else {
				n, rem = divmod128(n, u128{0, 10})
			}
			i--
			buf[i] = byte('0' + rem.lo)
		}
		if r.neg && !r.n.isZero() {
			i--
			buf[i] = '-'
		}
		s = buf[i:]
	}
	if trim && places > 0 {
		j := len(s)
		for s[j-1] == '0' {
			j--
		}
		if s[j-1] == '.' {
			j--
		}
		s = s[:j]
	}
	return append(b, s...)
}

// appendScaled appends v × 10^-places (v ≥ 0, with a minus sign when neg and
// v ≠ 0), with exactly places decimals, or with trailing fractional zeros
// dropped when trim: the 64-bit path of AppendPlaces.
func appendScaled(b []byte, v uint64, places int, neg, trim bool) []byte {
	if neg && v != 0 {
		b = append(b, '-')
	}
	k := places // fractional digits to write
	if trim {
		// v's last digit is the fraction's last while k > 0.
		for k > 0 && v%10 == 0 {
			v /= 10
			k--
		}
	}
	if k == 0 {
		return strconv.AppendUint(b, v, 10)
	}
	// Written backwards, two digits a time, in one buffer: the fraction,
	// the point, the integer part.
	var buf [48]byte
	i := len(buf)
	for ; k >= 2; k -= 2 {
		r := v % 100
		v /= 100
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*r], digitPairs[2*r+1]
	}
	if k == 1 {
		i--
		buf[i] = byte('0' + v%10)
		v /= 10
	}
	i--
	buf[i] = '.'
	for v >= 100 {
		r := v % 100
		v /= 100
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*r], digitPairs[2*r+1]
	}
	if v >= 10 {
		i -= 2
		buf[i], buf[i+1] = digitPairs[2*v], digitPairs[2*v+1]
	} else {
		i--
		buf[i] = byte('0' + v)
	}
	return append(b, buf[i:]...)
}

const digitPairs = "00010203040506070809" +
	"10111213141516171819" +
	"20212223242526272829" +
	"30313233343536373839" +
	"40414243444546474849" +
	"50515253545556575859" +
	"60616263646566676869" +
	"70717273747576777879" +
	"80818283848586878889" +
	"90919293949596979899"

// String renders x for traces: exactly when it is a terminating decimal of at
// most 18 places, else as a fraction with a 12-place approximation.
func (x Q) String() string {
	if x.b == nil {
		if _, c := x.Round(18, dec.HalfEven); !c.Inexact() {
			return string(x.AppendFixed(nil, 18))
		}
	}
	r := x.rat()
	return r.RatString() + " (≈ " + r.FloatString(12) + ")"
}

// Decimal converts x to a dec.Decimal: exactly when x is a terminating decimal
// of at most 18 places (a rounded value, a quantity granted by a ledger), else
// rounded half-even to 18 places.
func (x Q) Decimal() dec.Decimal {
	return dec.MustParse(string(x.AppendFixed(nil, 18)))
}

package duty

import (
	"math/big"
	"math/bits"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// q is an exact rational number: the duty engine's arithmetic.
//
// Why not dec (apd) in the hot path: measured on this machine, an apd
// multiplication at 34 digits costs about 1.3 µs and a division about 0.5 µs,
// and an assessment needs some thirty operations: 20 µs, ten times the budget.
// Every figure of an assessment is a ratio of declared decimals, exchange rates
// and unit factors, so the engine keeps each figure as an exact fraction n/d of
// two 128-bit integers (a few nanoseconds per operation, no allocation) and
// divides only once, when the party's rounding rule turns a duty into money.
// Nothing is rounded in between, not even to 34 digits. When a numerator or a
// denominator would outgrow 128 bits even after reduction, the value moves to
// math/big.Rat and stays exact, only slower. There is no float anywhere.
//
// The zero value is 0. Values are immutable.
type q struct {
	n, d u128 // |value| = n/d; d == 0 stands for 1 (so that q{} is 0)
	neg  bool
	b    *big.Rat // non-nil: the value, when it outgrew 128 bits
}

type u128 struct{ hi, lo uint64 }

func (a u128) isZero() bool { return a.hi == 0 && a.lo == 0 }

func (a u128) cmp(b u128) int {
	switch {
	case a.hi < b.hi:
		return -1
	case a.hi > b.hi:
		return 1
	case a.lo < b.lo:
		return -1
	case a.lo > b.lo:
		return 1
	}
	return 0
}

func add128(a, b u128) (u128, bool) {
	lo, c := bits.Add64(a.lo, b.lo, 0)
	hi, c2 := bits.Add64(a.hi, b.hi, c)
	return u128{hi, lo}, c2 == 0
}

// sub128 returns a − b for a ≥ b.
func sub128(a, b u128) u128 {
	lo, br := bits.Sub64(a.lo, b.lo, 0)
	hi, _ := bits.Sub64(a.hi, b.hi, br)
	return u128{hi, lo}
}

func mul128(a, b u128) (u128, bool) {
	if a.hi != 0 && b.hi != 0 {
		return u128{}, false
	}
	hi, lo := bits.Mul64(a.lo, b.lo)
	h1, l1 := bits.Mul64(a.hi, b.lo)
	h2, l2 := bits.Mul64(a.lo, b.hi)
	if h1 != 0 || h2 != 0 {
		return u128{}, false
	}
	hi, c := bits.Add64(hi, l1, 0)
	if c != 0 {
		return u128{}, false
	}
	hi, c = bits.Add64(hi, l2, 0)
	if c != 0 {
		return u128{}, false
	}
	return u128{hi, lo}, true
}

// mul256 returns the 256-bit product a×b as four words, most significant first.
func mul256(a, b u128) [4]uint64 {
	h00, l00 := bits.Mul64(a.lo, b.lo)
	h01, l01 := bits.Mul64(a.lo, b.hi)
	h10, l10 := bits.Mul64(a.hi, b.lo)
	h11, l11 := bits.Mul64(a.hi, b.hi)
	w0 := l00
	w1, c1 := bits.Add64(h00, l01, 0)
	w2, c2 := bits.Add64(h01, h10, c1)
	w3, _ := bits.Add64(h11, 0, c2)
	w1, c1 = bits.Add64(w1, l10, 0)
	w2, c2 = bits.Add64(w2, l11, c1)
	w3, _ = bits.Add64(w3, 0, c2)
	return [4]uint64{w3, w2, w1, w0}
}

func cmp256(a, b [4]uint64) int {
	for i := range 4 {
		if a[i] != b[i] {
			if a[i] < b[i] {
				return -1
			}
			return 1
		}
	}
	return 0
}

func tz128(a u128) int {
	if a.lo != 0 {
		return bits.TrailingZeros64(a.lo)
	}
	return 64 + bits.TrailingZeros64(a.hi)
}

func shr(a u128, k int) u128 {
	switch {
	case k == 0:
		return a
	case k >= 64:
		return u128{0, a.hi >> (k - 64)}
	}
	return u128{a.hi >> k, a.lo>>k | a.hi<<(64-k)}
}

func shl(a u128, k int) u128 {
	switch {
	case k == 0:
		return a
	case k >= 64:
		return u128{a.lo << (k - 64), 0}
	}
	return u128{a.hi<<k | a.lo>>(64-k), a.lo << k}
}

// gcd128 is Stein's binary algorithm.
func gcd128(a, b u128) u128 {
	if a.isZero() {
		return b
	}
	if b.isZero() {
		return a
	}
	za, zb := tz128(a), tz128(b)
	k := min(za, zb)
	a = shr(a, za)
	for {
		b = shr(b, tz128(b))
		if a.cmp(b) > 0 {
			a, b = b, a
		}
		b = sub128(b, a)
		if b.isZero() {
			return shl(a, k)
		}
	}
}

// divmod128 returns a/b and a%b.
func divmod128(a, b u128) (u128, u128) {
	if b.hi == 0 {
		qh := a.hi / b.lo
		r := a.hi % b.lo
		ql, r2 := bits.Div64(r, a.lo, b.lo)
		return u128{qh, ql}, u128{0, r2}
	}
	// Shift-subtract; rare (denominators above 2^64 are reduced first).
	var quo, rem u128
	for i := 127; i >= 0; i-- {
		rem = shl(rem, 1)
		if i >= 64 {
			rem.lo |= (a.hi >> (i - 64)) & 1
		} else {
			rem.lo |= (a.lo >> i) & 1
		}
		if rem.cmp(b) >= 0 {
			rem = sub128(rem, b)
			if i >= 64 {
				quo.hi |= 1 << (i - 64)
			} else {
				quo.lo |= 1 << i
			}
		}
	}
	return quo, rem
}

func (a u128) big() *big.Int {
	x := new(big.Int).SetUint64(a.hi)
	x.Lsh(x, 64)
	return x.Or(x, new(big.Int).SetUint64(a.lo))
}

func fromBigInt(x *big.Int) (u128, bool) {
	if x.Sign() < 0 || x.BitLen() > 128 {
		return u128{}, false
	}
	var lo, hi big.Int
	lo.And(x, new(big.Int).SetUint64(^uint64(0)))
	hi.Rsh(x, 64)
	return u128{hi.Uint64(), lo.Uint64()}, true
}

var pow10 = func() [39]u128 {
	var p [39]u128
	p[0] = u128{0, 1}
	for i := 1; i < len(p); i++ {
		p[i], _ = mul128(p[i-1], u128{0, 10})
	}
	return p
}()

func (x q) den() u128 {
	if x.d.isZero() {
		return u128{0, 1}
	}
	return x.d
}

func (x q) rat() *big.Rat {
	if x.b != nil {
		return x.b
	}
	r := new(big.Rat).SetFrac(x.n.big(), x.den().big())
	if x.neg {
		r.Neg(r)
	}
	return r
}

// fromRat keeps a big result small again when it fits.
func fromRat(r *big.Rat) q {
	n, ok1 := fromBigInt(new(big.Int).Abs(r.Num()))
	d, ok2 := fromBigInt(r.Denom())
	if ok1 && ok2 {
		return q{n: n, d: d, neg: r.Sign() < 0}
	}
	return q{b: r}
}

// mk builds n/d with a sign, reducing when the parts grow past 64 bits.
func mk(n, d u128, neg bool) q {
	if n.isZero() {
		return q{}
	}
	if n.hi>>32 != 0 || d.hi>>32 != 0 {
		if g := gcd128(n, d); !(g.hi == 0 && g.lo == 1) {
			n, _ = divmod128(n, g)
			d, _ = divmod128(d, g)
		}
	}
	return q{n: n, d: d, neg: neg}
}

// qInt returns the integer v.
func qInt(v int64) q {
	if v < 0 {
		return q{n: u128{0, uint64(-v)}, neg: true}
	}
	return q{n: u128{0, uint64(v)}}
}

// qDec returns coef × 10^-scale.
func qDec(coef uint64, scale int) q {
	return q{n: u128{0, coef}, d: pow10[scale]}
}

func (x q) sign() int {
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

func (x q) negate() q {
	if x.b != nil {
		return q{b: new(big.Rat).Neg(x.b)}
	}
	if x.n.isZero() {
		return x
	}
	x.neg = !x.neg
	return x
}

func (x q) mul(y q) q {
	if x.b == nil && y.b == nil && x.n.hi|x.d.hi|y.n.hi|y.d.hi == 0 {
		// Fast path: every part fits in 64 bits, so the products fit in 128.
		if x.n.lo == 0 || y.n.lo == 0 {
			return q{}
		}
		xd, yd := x.d.lo|b2u(x.d.lo == 0), y.d.lo|b2u(y.d.lo == 0) // d == 0 stands for 1
		nh, nl := bits.Mul64(x.n.lo, y.n.lo)
		dh, dl := bits.Mul64(xd, yd)
		return mk(u128{nh, nl}, u128{dh, dl}, x.neg != y.neg)
	}
	return x.mulSlow(y)
}

// mulSlow is mul without its 64-bit fast path (TestExactFastPaths checks
// that both give the same fraction).
func (x q) mulSlow(y q) q {
	if x.b == nil && y.b == nil {
		if x.n.isZero() || y.n.isZero() {
			return q{}
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

func (x q) inv() q {
	if x.b != nil {
		return q{b: new(big.Rat).Inv(x.b)}
	}
	return q{n: x.den(), d: x.n, neg: x.neg}
}

// quo returns x ÷ y; y must not be 0.
func (x q) quo(y q) q { return x.mul(y.inv()) }

func (x q) add(y q) q {
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

// addSlow is add without its 64-bit fast path.
func (x q) addSlow(y q) q {
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

func (x q) sub(y q) q { return x.add(y.negate()) }

func (x q) cmp(y q) int {
	if x.b == nil && y.b == nil {
		sx, sy := x.sign(), y.sign()
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

func qmax(x, y q) q {
	if x.cmp(y) >= 0 {
		return x
	}
	return y
}

func qmin(x, y q) q {
	if x.cmp(y) <= 0 {
		return x
	}
	return y
}

// round returns x rounded to places digits after the point by mode (the only
// rounding the engine makes), and whether that changed the value.
func (x q) round(places int, mode dec.Mode) (q, bool) {
	if x.b == nil && x.n.hi|x.d.hi == 0 && places < 20 {
		// Fast path: n × 10^places fits in 128 bits and d in 64.
		d := x.d.lo | b2u(x.d.lo == 0)
		sh, sl := bits.Mul64(x.n.lo, pow10[places].lo)
		if sh < d {
			ql, r := bits.Div64(sh, sl, d)
			if quo2, ok := roundUp(u128{0, ql}, u128{0, r}, u128{0, d}, x.neg, mode); ok {
				return q{n: quo2, d: pow10[places], neg: x.neg && !quo2.isZero()}, r != 0
			}
		}
	}
	return x.roundSlow(places, mode)
}

// roundSlow is round without its 64-bit fast path.
func (x q) roundSlow(places int, mode dec.Mode) (q, bool) {
	if x.b == nil && x.d.hi != 0 {
		if g := gcd128(x.n, x.d); !(g.hi == 0 && g.lo == 1) {
			x.n, _ = divmod128(x.n, g)
			x.d, _ = divmod128(x.d, g)
		}
	}
	if x.b == nil {
		if s, ok := mul128(x.n, pow10[places]); ok {
			quo, rem := divmod128(s, x.den())
			if quo2, ok := roundUp(quo, rem, x.den(), x.neg, mode); ok {
				return q{n: quo2, d: pow10[places], neg: x.neg && !quo2.isZero()}, !rem.isZero()
			}
		}
	}
	// Big path.
	r := x.rat()
	num := new(big.Int).Mul(new(big.Int).Abs(r.Num()), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
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
	// The result keeps the denominator 10^places, unreduced, whenever it fits:
	// formatting reads its digits as a scaled integer.
	if n, ok := fromBigInt(quo); ok && places < len(pow10) {
		return q{n: n, d: pow10[places], neg: r.Sign() < 0 && !n.isZero()}, rem.Sign() != 0
	}
	if r.Sign() < 0 {
		quo.Neg(quo)
	}
	out := new(big.Rat).SetFrac(quo, new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
	return fromRat(out), rem.Sign() != 0
}

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

// appendFixed appends x rounded half-even to at most places decimals, with
// trailing fractional zeros dropped: for figures shown but not charged.
func (x q) appendFixed(b []byte, places int) []byte {
	return x.appendPlaces(b, places, dec.HalfEven, true)
}

// appendMoney appends x, already rounded to places, with exactly places decimals.
func (x q) appendMoney(b []byte, places int) []byte {
	return x.appendPlaces(b, places, dec.HalfEven, false)
}

// appendPlaces appends x rounded by mode to places decimals; trim drops
// trailing fractional zeros.
func (x q) appendPlaces(b []byte, places int, mode dec.Mode, trim bool) []byte {
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
	r, _ := x.round(places, mode)
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
func mk128scaled(r q, places int) q {
	f, _ := divmod128(pow10[places], r.den())
	if n, ok := mul128(r.n, f); ok {
		return q{n: n, d: pow10[places], neg: r.neg}
	}
	return q{b: r.rat()}
}

// appendRounded is the general path of appendPlaces, for r = round(x): the
// digits of r.n with a point places digits from the right.
func appendRounded(b []byte, r q, places int, trim bool) []byte {
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
// dropped when trim: the 64-bit path of appendPlaces.
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
func (x q) String() string {
	if x.b == nil {
		if _, inexact := x.round(18, dec.HalfEven); !inexact {
			return string(x.appendFixed(nil, 18))
		}
	}
	r := x.rat()
	return r.RatString() + " (≈ " + r.FloatString(12) + ")"
}

// dec converts x to a dec.Decimal; x must be a terminating decimal (a rounded
// value or a quantity granted by a ledger).
func (x q) dec() dec.Decimal {
	return dec.MustParse(string(x.appendFixed(nil, 18)))
}

// parseQ reads a plain decimal ("1234.5", "-0.25", "7"): digits with at most
// one point and an optional leading sign, at most 36 significant digits.
func parseQ(s []byte) (q, bool) {
	neg := false
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		s = s[1:]
	}
	if len(s) == 0 {
		return q{}, false
	}
	if len(s) > 19 {
		return parseQSlow(s, neg)
	}
	// Fast path: at most 19 digits accumulate in 64 bits.
	var v uint64
	scale := 0
	point := false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + uint64(c-'0')
			if point {
				scale++
			}
		case c == '.' && !point:
			point = true
		default:
			return q{}, false
		}
	}
	if point && len(s) == 1 {
		return q{}, false
	}
	return mk(u128{0, v}, pow10[scale], neg), true
}

// parseQSlow is parseQ for unsigned text s of any length.
func parseQSlow(s []byte, neg bool) (q, bool) {
	var n u128
	scale, digits := 0, 0
	point := false
	for _, c := range s {
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				digits++
			}
			if digits > 36 {
				return q{}, false
			}
			n, _ = mul128(n, u128{0, 10})
			n, _ = add128(n, u128{0, uint64(c - '0')})
			if point {
				scale++
			}
		case c == '.' && !point:
			point = true
		default:
			return q{}, false
		}
	}
	if scale > 36 || (point && len(s) == 1) {
		return q{}, false
	}
	return mk(n, pow10[scale], neg), true
}

// qOf converts a dec.Decimal exactly.
func qOf(x dec.Decimal) q {
	v, ok := parseQ([]byte(x.String()))
	if !ok {
		r, _ := new(big.Rat).SetString(x.String())
		return fromRat(r)
	}
	return v
}

// formatInt is strconv.AppendInt, named for symmetry.

package exact

import (
	"math/big"
	"math/bits"
)

// u128 is an unsigned 128-bit integer, most significant word first.
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

// pow10[s] is 10^s for s ≤ 38, the largest power of ten below 2^128.
var pow10 = func() [39]u128 {
	var p [39]u128
	p[0] = u128{0, 1}
	for i := 1; i < len(p); i++ {
		p[i], _ = mul128(p[i-1], u128{0, 10})
	}
	return p
}()

// pow10Above reports whether d is 10^s for some s > places: the denominator of
// a value written with more than places decimals.
func pow10Above(d u128, places int) bool {
	for s := places + 1; s < len(pow10); s++ {
		switch d.cmp(pow10[s]) {
		case 0:
			return true
		case -1:
			return false
		}
	}
	return false
}

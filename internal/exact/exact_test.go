package exact

import (
	"math/big"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

var modes = []dec.Mode{dec.HalfEven, dec.HalfUp, dec.Down, dec.Up}

// randomOperand returns operands like those of an assessment: declared
// decimals, rates, unit factors, and products of them (some past 64 bits, for
// the slow paths).
func randomOperand(rng *rand.Rand) Q {
	switch rng.IntN(6) {
	case 0:
		return Q{}
	case 1:
		return Int(int64(rng.IntN(2000)) - 1000)
	case 2:
		return Dec(rng.Uint64N(1<<40), rng.IntN(10))
	case 3:
		x := Dec(rng.Uint64N(1<<30), rng.IntN(6))
		return x.Mul(Dec(rng.Uint64N(1<<30), rng.IntN(6))).Quo(Dec(1+rng.Uint64N(1<<20), rng.IntN(4)))
	case 4:
		return Q{n: u128{0, rng.Uint64()}, d: u128{0, 1 + rng.Uint64N(1<<62)}, neg: rng.IntN(2) == 0}
	}
	return Q{n: u128{rng.Uint64N(1 << 20), rng.Uint64()}, d: u128{0, 1 + rng.Uint64()}, neg: rng.IntN(2) == 0}
}

// TestFastPaths checks that the 64-bit fast paths of Mul, Add, Cmp, Round,
// AppendPlaces (its shortcut for values on a decimal scale too) and Parse
// give the very fraction (numerator, denominator and sign, not only the
// value) and the very conditions that the general code gives: the output of
// an assessment must not depend on which path computed a figure.
func TestFastPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	for range 40000 {
		x, y := randomOperand(rng), randomOperand(rng)
		if got, want := x.Mul(y), x.mulSlow(y); !sameFraction(got, want) {
			t.Fatalf("%v.Mul(%v) = %+v, want %+v", x, y, got, want)
		}
		if got, want := x.Add(y), x.addSlow(y); !sameFraction(got, want) {
			t.Fatalf("%v.Add(%v) = %+v, want %+v", x, y, got, want)
		}
		if got, want := x.Cmp(y), x.rat().Cmp(y.rat()); got != want {
			t.Fatalf("%v.Cmp(%v) = %d, want %d", x, y, got, want)
		}
		places, mode := rng.IntN(19), modes[rng.IntN(len(modes))]
		r, c := x.Round(places, mode)
		rs, cs := x.roundSlow(places, mode)
		if !sameFraction(r, rs) || c != cs {
			t.Fatalf("%v.Round(%d, %v) = %+v %v, want %+v %v", x, places, mode, r, c, rs, cs)
		}
		for _, trim := range []bool{false, true} {
			want := string(appendRounded(nil, rs, places, trim))
			if got := string(x.AppendPlaces(nil, places, mode, trim)); got != want {
				t.Fatalf("%v.AppendPlaces(%d, %v, %v) = %s, want %s", x, places, mode, trim, got, want)
			}
			// A value already rounded (money) takes the shortcut of
			// AppendPlaces for values on a decimal scale.
			if got := string(r.AppendPlaces(nil, places, mode, trim)); got != want {
				t.Fatalf("%v rounded: AppendPlaces(%d, %v, %v) = %s, want %s", x, places, mode, trim, got, want)
			}
		}
		s := strconv.FormatUint(rng.Uint64N(1<<uint(1+rng.IntN(63))), 10)
		if k := rng.IntN(len(s) + 1); k < len(s) {
			s = s[:k] + "." + s[k:]
		}
		if rng.IntN(4) == 0 {
			s = "-" + s
		}
		got, ok := ParseString(s)
		body, neg := s, false
		if body[0] == '-' {
			body, neg = body[1:], true
		}
		want, wok := parseSlow(body, 0, neg)
		if ok != wok || !sameFraction(got, want) {
			t.Fatalf("ParseString(%q) = %+v %v, want %+v %v", s, got, ok, want, wok)
		}
	}
}

// TestConditions checks Round's conditions against their definitions, by
// big.Rat arithmetic: Inexact when the result differs from the value;
// Rounded when that, or when the value is written with more places than
// asked (its denominator is a larger power of ten) and is not zero.
func TestConditions(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	for range 20000 {
		x := randomOperand(rng)
		if rng.IntN(3) == 0 {
			// A value written with trailing zeros: a decimal scaled up.
			k := rng.IntN(5)
			x = Q{n: mulSmall(x.n, pow10[k]), d: mulSmall(x.den(), pow10[k]), neg: x.neg}
		}
		places, mode := rng.IntN(22), modes[rng.IntN(len(modes))]
		r, c := x.Round(places, mode)
		inexact := r.Rat().Cmp(x.Rat()) != 0
		written := false
		if x.b == nil && !x.n.isZero() {
			for s := places + 1; s < len(pow10); s++ {
				written = written || x.den() == pow10[s]
			}
		}
		if c.Inexact() != inexact || c.Rounded() != (inexact || written) {
			t.Fatalf("%+v.Round(%d, %v) = %v %q, want inexact %v, written with more places %v", x, places, mode, r, c, inexact, written)
		}
		// The result differs from the value by less than one unit in the
		// last place (by at most half of one in the half modes), and in the
		// direction the mode says.
		diff := new(big.Rat).Sub(r.Rat(), x.Rat())
		unit := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(places)), nil))
		abs := new(big.Rat).Abs(diff)
		switch mode {
		case dec.HalfEven, dec.HalfUp:
			if abs.Cmp(new(big.Rat).Quo(unit, big.NewRat(2, 1))) > 0 {
				t.Fatalf("%v.Round(%d, %v) = %v: off by %v", x, places, mode, r, diff)
			}
		default:
			if abs.Cmp(unit) >= 0 {
				t.Fatalf("%v.Round(%d, %v) = %v: off by %v", x, places, mode, r, diff)
			}
			// Down moves towards zero, up away from it.
			if away := diff.Sign() * x.Sign(); (mode == dec.Down && away > 0) || (mode == dec.Up && away < 0) {
				t.Fatalf("%v.Round(%d, %v) = %v: wrong direction", x, places, mode, r)
			}
		}
		// Rounding again to the same places changes and discards nothing.
		if r2, c2 := r.Round(places, mode); c2 != 0 || r2.Cmp(r) != 0 {
			t.Fatalf("%v rounded twice to %d: %v %q", x, places, r2, c2)
		}
	}
}

// mulSmall is a×b for a product known to fit in 128 bits, or a.
func mulSmall(a, b u128) u128 {
	if p, ok := mul128(a, b); ok {
		return p
	}
	return a
}

// TestAppendScaled checks the digit writer of AppendPlaces against the
// general one, at the edges (0, the largest uint64, every scale).
func TestAppendScaled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	vs := []uint64{0, 1, 9, 10, 99, 100, 101, 1000000, 123456789, 1<<64 - 1, 10000000000000000000}
	for range 2000 {
		vs = append(vs, rng.Uint64()>>uint(rng.IntN(64)))
	}
	for _, v := range vs {
		for places := range 20 {
			for _, neg := range []bool{false, true} {
				for _, trim := range []bool{false, true} {
					r := Q{n: u128{0, v}, d: pow10[places], neg: neg && v != 0}
					if got, want := string(appendScaled(nil, v, places, neg, trim)), string(appendRounded(nil, r, places, trim)); got != want {
						t.Fatalf("appendScaled(%d, %d, %v, %v) = %s, want %s", v, places, neg, trim, got, want)
					}
				}
			}
		}
	}
}

// TestDecimal: conversions from and to dec.Decimal are exact, and keep the
// places the decimal was written with.
func TestDecimal(t *testing.T) {
	for _, s := range []string{"0", "1", "-1", "3.70", "0.0125", "-123456.789", "1e-3", "12345678901234567890123456789012345.6789", "1E+40"} {
		d := dec.MustParse(s)
		x := FromDecimal(d)
		if x.Rat().Cmp(mustRat(t, s)) != 0 {
			t.Errorf("FromDecimal(%s) = %v", s, x)
		}
		if back := x.Decimal(); back.Cmp(d) != 0 {
			t.Errorf("FromDecimal(%s).Decimal() = %s", s, back)
		}
	}
	if _, c := FromDecimal(dec.MustParse("3.70")).Round(1, dec.HalfEven); c != Rounded {
		t.Errorf("3.70 rounded to 1 place: %q, want Rounded (its second place was written)", c)
	}
}

func mustRat(t *testing.T, s string) *big.Rat {
	t.Helper()
	r, ok := new(big.Rat).SetString(s)
	if !ok {
		t.Fatalf("bad rational %q", s)
	}
	return r
}

// TestNoAlloc: the operations on values of 128 bits allocate nothing.
func TestNoAlloc(t *testing.T) {
	x, _ := ParseString("12345.678")
	y, _ := ParseString("0.8457")
	z := Q{n: u128{1 << 10, 12345}, d: u128{0, 1000}} // past 64 bits
	buf := make([]byte, 0, 64)
	allocs := testing.AllocsPerRun(100, func() {
		a := x.Mul(y).Add(z).Sub(y).Quo(x)
		_ = a.Cmp(z)
		r, _ := a.Round(2, dec.HalfUp)
		buf = r.AppendMoney(buf[:0], 2)
		buf = a.AppendFixed(buf[:0], 6)
		_, _ = Parse(buf)
		_, _ = ParseString("1234.5678")
	})
	if allocs != 0 {
		t.Errorf("%v allocations a run, want 0", allocs)
	}
}

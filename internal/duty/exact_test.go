package duty

import (
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestExactFastPaths checks that the 64-bit fast paths of mul, add, cmp,
// round, appendPlaces (its shortcut for values on a decimal scale too) and parseQ give the very fraction (numerator,
// denominator and sign, not only the value) that the general code gives: the
// output of an assessment must not depend on which path computed a figure.
func TestExactFastPaths(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	// Operands like those of an assessment: declared decimals, rates, unit
	// factors, and products of them (some past 64 bits, for the slow paths).
	operand := func() q {
		switch rng.IntN(6) {
		case 0:
			return q{}
		case 1:
			return qInt(int64(rng.IntN(2000)) - 1000)
		case 2:
			return qDec(rng.Uint64N(1<<40), rng.IntN(10))
		case 3:
			x := qDec(rng.Uint64N(1<<30), rng.IntN(6))
			return x.mul(qDec(rng.Uint64N(1<<30), rng.IntN(6))).quo(qDec(1+rng.Uint64N(1<<20), rng.IntN(4)))
		case 4:
			return q{n: u128{0, rng.Uint64()}, d: u128{0, 1 + rng.Uint64N(1<<62)}, neg: rng.IntN(2) == 0}
		}
		return q{n: u128{rng.Uint64N(1 << 20), rng.Uint64()}, d: u128{0, 1 + rng.Uint64()}, neg: rng.IntN(2) == 0}
	}
	same := func(a, b q) bool {
		if a.b != nil || b.b != nil {
			return a.b != nil && b.b != nil && a.b.Cmp(b.b) == 0
		}
		return a.n == b.n && a.den() == b.den() && a.neg == b.neg
	}
	modes := []dec.Mode{dec.HalfEven, dec.HalfUp, dec.Down, dec.Up}
	for i := 0; i < 40000; i++ {
		x, y := operand(), operand()
		if got, want := x.mul(y), x.mulSlow(y); !same(got, want) {
			t.Fatalf("%v.mul(%v) = %+v, want %+v", x, y, got, want)
		}
		if got, want := x.add(y), x.addSlow(y); !same(got, want) {
			t.Fatalf("%v.add(%v) = %+v, want %+v", x, y, got, want)
		}
		if got, want := x.cmp(y), x.rat().Cmp(y.rat()); got != want {
			t.Fatalf("%v.cmp(%v) = %d, want %d", x, y, got, want)
		}
		places, mode := rng.IntN(19), modes[rng.IntN(len(modes))]
		r, in := x.round(places, mode)
		rs, ins := x.roundSlow(places, mode)
		if !same(r, rs) || in != ins {
			t.Fatalf("%v.round(%d, %v) = %+v %v, want %+v %v", x, places, mode, r, in, rs, ins)
		}
		for _, trim := range []bool{false, true} {
			got := string(x.appendPlaces(nil, places, mode, trim))
			if want := string(appendRounded(nil, rs, places, trim)); got != want {
				t.Fatalf("%v.appendPlaces(%d, %v, %v) = %s, want %s", x, places, mode, trim, got, want)
			}
			// A value already rounded (money) takes the shortcut of
			// appendPlaces for values on a decimal scale.
			if got := string(r.appendPlaces(nil, places, mode, trim)); got != string(appendRounded(nil, rs, places, trim)) {
				t.Fatalf("%v rounded: appendPlaces(%d, %v, %v) = %s", x, places, mode, trim, got)
			}
		}
		s := strconv.FormatUint(rng.Uint64N(1<<uint(1+rng.IntN(63))), 10)
		if k := rng.IntN(len(s) + 1); k < len(s) {
			s = s[:k] + "." + s[k:]
		}
		if rng.IntN(4) == 0 {
			s = "-" + s
		}
		got, ok := parseQ([]byte(s))
		body, neg := s, false
		if body[0] == '-' {
			body, neg = body[1:], true
		}
		want, wok := parseQSlow([]byte(body), neg)
		if ok != wok || !same(got, want) {
			t.Fatalf("parseQ(%q) = %+v %v, want %+v %v", s, got, ok, want, wok)
		}
	}
}

// TestAppendScaled checks the digit writer of appendPlaces against the
// general one, at the edges (0, the largest uint64, every scale).
func TestAppendScaled(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 5))
	vs := []uint64{0, 1, 9, 10, 99, 100, 101, 1000000, 123456789, 1<<64 - 1, 10000000000000000000}
	for i := 0; i < 2000; i++ {
		vs = append(vs, rng.Uint64()>>uint(rng.IntN(64)))
	}
	for _, v := range vs {
		for places := 0; places < 20; places++ {
			for _, neg := range []bool{false, true} {
				for _, trim := range []bool{false, true} {
					r := q{n: u128{0, v}, d: pow10[places], neg: neg && v != 0}
					if got, want := string(appendScaled(nil, v, places, neg, trim)), string(appendRounded(nil, r, places, trim)); got != want {
						t.Fatalf("appendScaled(%d, %d, %v, %v) = %s, want %s", v, places, neg, trim, got, want)
					}
				}
			}
		}
	}
}

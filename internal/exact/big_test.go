package exact

import (
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestRoundBigPath: a value too large for 128-bit fractions rounds and prints
// with its decimal point in the right place (the big path once returned a
// reduced denominator that formatting read as 10^places).
func TestRoundBigPath(t *testing.T) {
	tiny := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(3), big.NewInt(90), nil))
	base, _ := new(big.Rat).SetString("76038381173/100")
	x := FromRat(new(big.Rat).Add(base, tiny))
	if x.b == nil {
		t.Fatal("test value does not take the big path")
	}
	tests := []struct {
		places int
		mode   dec.Mode
		money  bool
		want   string
	}{
		{2, dec.HalfUp, true, "760383811.73"},
		{2, dec.Up, true, "760383811.74"},
		{6, dec.HalfEven, false, "760383811.73"},
		{0, dec.Down, true, "760383811"},
	}
	for _, tt := range tests {
		r, c := x.Round(tt.places, tt.mode)
		if c != Inexact|Rounded {
			t.Errorf("round(%d, %s) of 760383811.73+3^-90: conditions %q, want Inexact Rounded", tt.places, tt.mode, c)
		}
		var got string
		if tt.money {
			got = string(r.AppendMoney(nil, tt.places))
		} else {
			got = string(x.AppendFixed(nil, tt.places))
		}
		if got != tt.want {
			t.Errorf("round(%d, %s) of 760383811.73+3^-90 prints %s, want %s", tt.places, tt.mode, got, tt.want)
		}
	}
	neg := x.Neg()
	if got := string(neg.AppendPlaces(nil, 2, dec.HalfUp, false)); got != "-760383811.73" {
		t.Errorf("negative big value prints %s, want -760383811.73", got)
	}
}

// TestBigPathAgrees: the same computation gives the same value whether its
// operands are 128-bit fractions or big.Rat values (the big path is only
// slower), and a chain that leaves 128 bits and comes back is exact.
func TestBigPathAgrees(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 17))
	asBig := func(x Q) Q { return Q{b: x.Rat()} } // the same value, forced onto the big path
	for range 20000 {
		x, y := randomOperand(rng), randomOperand(rng)
		xb, yb := asBig(x), asBig(y)
		if x.IsZero() {
			xb = Q{} // the big path never holds 0
		}
		if y.IsZero() {
			yb = Q{}
		}
		for _, p := range []struct {
			name       string
			small, big Q
		}{
			{"Mul", x.Mul(y), xb.Mul(yb)},
			{"Add", x.Add(y), xb.Add(yb)},
			{"Sub", x.Sub(y), xb.Sub(y)},
			{"Neg", x.Neg(), xb.Neg()},
			{"Max", Max(x, y), Max(xb, y)},
		} {
			if p.small.Cmp(p.big) != 0 || p.small.Rat().Cmp(p.big.Rat()) != 0 {
				t.Fatalf("%s(%v, %v): %v on 128 bits, %v on the big path", p.name, x, y, p.small, p.big)
			}
		}
		if x.Cmp(y) != xb.Cmp(yb) || x.Sign() != xb.Sign() {
			t.Fatalf("Cmp/Sign(%v, %v) differ on the big path", x, y)
		}
		if !y.IsZero() {
			if q, qb := x.Quo(y), xb.Quo(yb); q.Cmp(qb) != 0 {
				t.Fatalf("%v.Quo(%v): %v on 128 bits, %v on the big path", x, y, q, qb)
			}
		}
		places, mode := rng.IntN(22), modes[rng.IntN(len(modes))]
		r, c := x.Round(places, mode)
		rb, cb := xb.Round(places, mode)
		if r.Cmp(rb) != 0 || c.Inexact() != cb.Inexact() {
			t.Fatalf("%v.Round(%d, %v) = %v %q, on the big path %v %q", x, places, mode, r, c, rb, cb)
		}
		for _, trim := range []bool{false, true} {
			if a, b := string(x.AppendPlaces(nil, places, mode, trim)), string(xb.AppendPlaces(nil, places, mode, trim)); a != b {
				t.Fatalf("%v.AppendPlaces(%d, %v, %v) = %s, on the big path %s", x, places, mode, trim, a, b)
			}
		}
	}
	// Out past 128 bits and back: (123456789.123)^6 needs some 160 bits.
	one := Int(1)
	big := one
	for range 6 {
		big = big.Mul(Dec(123456789123, 3))
	}
	if big.b == nil {
		t.Fatal("the product did not take the big path")
	}
	back := big
	for range 6 {
		back = back.Quo(Dec(123456789123, 3))
	}
	if back.Cmp(one) != 0 || back.b != nil {
		t.Errorf("(x^6)/x^6 = %v (%+v), want 1 on 128 bits", back, back)
	}
}

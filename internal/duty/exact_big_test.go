package duty

import (
	"math/big"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestRoundBigPath: a value too large for 128-bit fractions rounds and prints
// with its decimal point in the right place (the big path once returned a
// reduced denominator that formatting read as 10^places).
func TestRoundBigPath(t *testing.T) {
	tiny := new(big.Rat).SetFrac(big.NewInt(1), new(big.Int).Exp(big.NewInt(3), big.NewInt(90), nil))
	base, _ := new(big.Rat).SetString("76038381173/100")
	x := fromRat(new(big.Rat).Add(base, tiny))
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
		r, _ := x.round(tt.places, tt.mode)
		var got string
		if tt.money {
			got = string(r.appendMoney(nil, tt.places))
		} else {
			got = string(x.appendFixed(nil, tt.places))
		}
		if got != tt.want {
			t.Errorf("round(%d, %s) of 760383811.73+3^-90 prints %s, want %s", tt.places, tt.mode, got, tt.want)
		}
	}
	neg := x.negate()
	if got := string(neg.appendPlaces(nil, 2, dec.HalfUp, false)); got != "-760383811.73" {
		t.Errorf("negative big value prints %s, want -760383811.73", got)
	}
}

// TestMemLedgerRepeatInBatch: a declaration named twice in one batch is
// granted once, as the stores' ledgers grant it.
func TestMemLedgerRepeatInBatch(t *testing.T) {
	l := NewMemLedger()
	b := QuotaBatch{Quota: "US/q", Volume: dec.MustParse("10"), CriticalAt: dec.MustParse("0.9")}
	reqs := []Request{{DeclarationID: "A", Quantity: dec.MustParse("4")}, {DeclarationID: "A", Quantity: dec.MustParse("4")}}
	gs, err := l.Allocate(t.Context(), b, reqs)
	if err != nil {
		t.Fatal(err)
	}
	u, _ := l.Usage(t.Context(), "US/q", b.PeriodStart)
	if gs[1].Repeat != true || u.Used.String() != "4" {
		t.Errorf("Allocate(A, A) = %+v, used %s; want A granted once (used 4) and the second a repeat", gs, u.Used)
	}
}

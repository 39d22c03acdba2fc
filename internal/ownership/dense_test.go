package ownership

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// TestEffectiveAgainstDense checks the component-wise solver against an
// independent computation: the whole (I − A)⁻¹ − I by dense Gauss–Jordan
// elimination, on random registers with cycles, to 1e-9.
func TestEffectiveAgainstDense(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 14))
	for trial := range 200 {
		n := 2 + rng.IntN(12)
		a := make([]float64, n*n) // a[h*n+s]
		var b strings.Builder
		b.WriteString("owner,owned,interest,share,share_min,share_max,start,end,source\n")
		for s := range n {
			left := 100.0
			for h := range n {
				if h == s || rng.Float64() > 0.3 {
					continue
				}
				share := float64(rng.IntN(int(left)/2+1)) + 0.5*float64(rng.IntN(2))
				if share <= 0 || share > left {
					continue
				}
				left -= share
				a[h*n+s] = share / 100
				fmt.Fprintf(&b, "N%d,N%d,shareholding,%v,,,,,t\n", h, s, share)
			}
		}
		r := NewRegister()
		for i := range n {
			r.AddNode(Node{ID: fmt.Sprintf("N%d", i), Kind: Entity})
		}
		if err := ReadCSV(r, "t.csv", []byte(b.String())); err != nil {
			t.Fatal(err)
		}
		x, err := Effective(r, date.MustParse("2026-01-01"))
		if err != nil {
			t.Fatal(err)
		}
		inv, err := leontief(a, n) // independent: the whole matrix at once
		if err != nil {
			t.Fatal(err)
		}
		for h := range n {
			hi, _ := r.Lookup(fmt.Sprintf("N%d", h))
			for s := range n {
				if h == s {
					continue
				}
				si, _ := r.Lookup(fmt.Sprintf("N%d", s))
				want := inv[h*n+s]
				got, _ := x.Between(hi, si)
				if !near(got.Low, want) || !near(got.High, want) {
					t.Fatalf("trial %d: N%d in N%d = %.15f, dense (I-A)^-1 gives %.15f\n%s", trial, h, s, got.Low, want, b.String())
				}
			}
		}
	}
}

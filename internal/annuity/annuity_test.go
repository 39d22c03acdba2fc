package annuity

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

func TestRecoveryFactor(t *testing.T) {
	for _, tt := range []struct {
		r              string
		n              int
		factor, growth string
	}{
		{"0", 4, "0.25", "1"},
		{"0.1", 1, "1.1", "1.1"},
		// 0.1 × 1.21 / 0.21 and 0.08 × 1.08¹⁵ / (1.08¹⁵ − 1), rounded to 34 digits
		{"0.1", 2, "0.5761904761904761904761904761904762", "1.21"},
		{"0.08", 15, "0.1168295449360200440374265555964081", "3.172169114198268924301601144832"},
	} {
		f, g := RecoveryFactor(dec.MustParse(tt.r), tt.n)
		if f.String() != tt.factor || g.Normalize().String() != tt.growth {
			t.Errorf("RecoveryFactor(%s, %d) = %s, %s; want %s, %s", tt.r, tt.n, f, g.Normalize(), tt.factor, tt.growth)
		}
	}
}

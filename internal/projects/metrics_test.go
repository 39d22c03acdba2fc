package projects

import (
	"math"
	"testing"
)

func TestInternalRate(t *testing.T) {
	tests := []struct {
		name     string
		flows    []float64
		want     float64
		ok       bool
		multiple bool
	}{
		{name: "one year 10%", flows: []float64{-100, 110}, want: 0.10, ok: true},
		{name: "negative return", flows: []float64{-100, 50, 30}, want: -0.147920, ok: true}, // 30x² + 50x − 100 = 0, x = 1/(1+r),
		{name: "all negative", flows: []float64{-100, -10}, ok: false},
		{name: "all positive", flows: []float64{100, 10}, ok: false},
		{name: "zero flows", flows: []float64{0, 0}, ok: false},
		// −100 + 230/(1+r) − 132/(1+r)² = 0 at r = 10% and r = 20%.
		{name: "two roots", flows: []float64{-100, 230, -132}, want: 0.10, ok: true, multiple: true},
		{name: "very high return", flows: []float64{-1, 50}, want: 49, ok: true},
	}
	for _, tt := range tests {
		got := InternalRate(tt.flows)
		if got.OK != tt.ok || got.Multiple != tt.multiple || (tt.ok && math.Abs(got.Rate-tt.want) > 1e-4) {
			t.Errorf("InternalRate(%v) = %+v, want rate %g ok %v multiple %v", tt.flows, got, tt.want, tt.ok, tt.multiple)
		}
		if got.OK && !got.Multiple {
			if v := NPV(tt.flows, got.Rate); math.Abs(v) > 1e-6 {
				t.Errorf("NPV(%v, IRR %g) = %g, want 0", tt.flows, got.Rate, v)
			}
		}
	}
}

func TestPayback(t *testing.T) {
	tests := []struct {
		flows []float64
		want  int
	}{
		{[]float64{-100, 50, 50}, 2},
		{[]float64{-100, 50, 49}, -1},
		{[]float64{10, -5, 1}, 0},
		{[]float64{-100, 200, -150, 100}, 3},
	}
	for _, tt := range tests {
		if got := Payback(tt.flows); got != tt.want {
			t.Errorf("Payback(%v) = %d, want %d", tt.flows, got, tt.want)
		}
	}
}

package main

import (
	"math"
	"testing"
)

func TestFormatDecimal(t *testing.T) {
	tests := []struct {
		exact  string
		places int
		want   string
	}{
		{"1234567.5", 2, "1,234,567.50"},
		{"67860.01", 2, "67,860.01"},
		{"650.00", 2, "650.00"},
		{"0", 2, "0.00"},
		{"0.5", 0, "1"},
		{"0.4999", 0, "0"},
		{".25", 1, "0.3"},
		{"999.995", 2, "1,000.00"},
		{"-1234.567", 2, "-1,234.57"},
		{"-0.001", 2, "0.00"},
		{"+12", 1, "12.0"},
		{"100000", 0, "100,000"},
		{"221641000", 0, "221,641,000"},
		{"2.21641e+08", 0, "221,641,000"},
		{"1.5E-3", 4, "0.0015"},
		{"12345678901234567890.125", 2, "12,345,678,901,234,567,890.13"},
		{"-", 2, "-"},
		{"", 2, ""},
		{"n/a", 2, "n/a"},
		{"1.2.3", 2, "1.2.3"},
	}
	for _, tt := range tests {
		if got := formatDecimal(tt.exact, tt.places); got != tt.want {
			t.Errorf("formatDecimal(%q, %d) = %q, want %q", tt.exact, tt.places, got, tt.want)
		}
	}
}

func TestFormatFloat(t *testing.T) {
	tests := []struct {
		x      float64
		places int
		want   string
	}{
		{2.21641e+08, 0, "221,641,000"},
		{2.21641e+08, 2, "221,641,000.00"},
		{1234.5678, 2, "1,234.57"},
		{-0.004, 2, "0.00"},
		{1e21, 0, "1,000,000,000,000,000,000,000"},
		{math.Inf(1), 2, "+Inf"},
	}
	for _, tt := range tests {
		if got := formatFloat(tt.x, tt.places); got != tt.want {
			t.Errorf("formatFloat(%g, %d) = %q, want %q", tt.x, tt.places, got, tt.want)
		}
	}
}

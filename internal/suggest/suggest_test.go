package suggest

import (
	"slices"
	"testing"
)

func TestLevenshtein(t *testing.T) {
	tests := []struct {
		a, b string
		want int
	}{
		{"", "", 0},
		{"litium", "lithium", 1},
		{"kitten", "sitting", 3},
		{"abc", "", 3},
		{"ñandú", "nandu", 2},
	}
	for _, tt := range tests {
		if got := Distance(tt.a, tt.b); got != tt.want {
			t.Errorf("Distance(%q, %q) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
}

func TestSuggest(t *testing.T) {
	cands := []string{"lithium", "cobalt", "cerium", "cesium", "copper", "rare_earths", "DE", "DK", "FR"}
	tests := []struct {
		in   string
		want []string
	}{
		{"litium", []string{"lithium"}},
		{"cesum", []string{"cesium", "cerium"}},
		{"rare", []string{"rare_earths"}}, // prefix
		{"dx", []string{"DE", "DK"}},      // limit 1 for short input
		{"zz", []string{}},
		{"xyzxyzxyz", []string{}},
	}
	for _, tt := range tests {
		if got := Near(tt.in, cands); !slices.Equal(got, tt.want) {
			t.Errorf("Near(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestDidYouMean(t *testing.T) {
	tests := []struct {
		in   []string
		want string
	}{
		{nil, ""},
		{[]string{"a"}, ` (did you mean "a"?)`},
		{[]string{"a", "b"}, ` (did you mean "a" or "b"?)`},
		{[]string{"a", "b", "c"}, ` (did you mean "a", "b" or "c"?)`},
	}
	for _, tt := range tests {
		if got := DidYouMean(tt.in); got != tt.want {
			t.Errorf("DidYouMean(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

package registry

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestPinkSheet(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code, wantCode, unit string
		month                string
		value                string
	}{
		{"COPPER", "COPPER", "$/mt", "1960-01", "715.4"},
		{"copper", "COPPER", "$/mt", "2025-11", "10812.03"},
		{"TIN", "Tin", "$/mt", "1960-01", ""},
		{"iron_ore", "IRON_ORE", "$/dmtu", "2025-11", ""},
		{"GOLD", "GOLD", "$/troy oz", "2025-11", ""},
	}
	for _, tt := range tests {
		s, err := r.PinkSheet(tt.code)
		if err != nil || s.Code != tt.wantCode || s.Unit != tt.unit {
			t.Errorf("PinkSheet(%q) = %s %s, %v, want %s %s", tt.code, s.Code, s.Unit, err, tt.wantCode, tt.unit)
			continue
		}
		v, ok := s.Price(tt.month)
		if !ok || (tt.value != "" && v.Cmp(dec.MustParse(tt.value)) != 0) {
			t.Errorf("PinkSheet(%q).Price(%q) = %s, %v, want %s", tt.code, tt.month, v, ok, tt.value)
		}
		if !slices.IsSortedFunc(s.Points, func(a, b Point) int { return strings.Compare(a.Month, b.Month) }) {
			t.Errorf("PinkSheet(%q) points are not in month order", tt.code)
		}
	}
	cu, _ := r.PinkSheet("COPPER")
	if _, ok := cu.Price("2025-12"); ok {
		t.Errorf("PinkSheet(COPPER).Price(2025-12) ok, want no price after the last month")
	}
	if _, err := r.PinkSheet("CRUDE_BRENT"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("PinkSheet(%q) error = %v, want not_found (energy is not shipped)", "CRUDE_BRENT", err)
	}
	want := []string{"ALUMINUM", "COPPER", "GOLD", "IRON_ORE", "LEAD", "NICKEL", "PHOSROCK", "PLATINUM", "POTASH", "SILVER", "Tin", "Zinc"}
	if got := r.PinkSheetCodes(); !slices.Equal(got, want) {
		t.Errorf("PinkSheetCodes() = %q, want %q", got, want)
	}
}

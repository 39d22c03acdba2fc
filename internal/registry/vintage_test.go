package registry

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

func TestVintageReleaseRules(t *testing.T) {
	for _, tc := range []struct {
		month, pink, fred string
	}{
		{"2025-11", "2025-12-02", "2025-12-01"}, // the shipped workbook was updated on 2 December 2025
		{"2024-05", "2024-06-04", "2024-06-03"}, // the Pink Sheet of 4 June 2024 has May's prices
		{"2025-12", "2026-01-05", "2026-01-02"}, // 1 January is a holiday; 3-4 January a weekend
		{"2025-08", "2025-09-03", "2025-09-02"}, // Labor Day, Monday 1 September 2025
	} {
		p, err := PinkSheetReleased(tc.month)
		if err != nil || p.String() != tc.pink {
			t.Errorf("PinkSheetReleased(%s) = %s, %v; want %s", tc.month, p, err, tc.pink)
		}
		f, err := FREDReleased(tc.month)
		if err != nil || f.String() != tc.fred {
			t.Errorf("FREDReleased(%s) = %s, %v; want %s", tc.month, f, err, tc.fred)
		}
	}
	if _, err := PinkSheetReleased("2025-13"); err == nil {
		t.Error("PinkSheetReleased(2025-13) = nil error")
	}
	for _, v := range Vintages() {
		got, err := VintageOf(v.Source)
		if err != nil || got.Released.IsZero() || got.Citation == "" {
			t.Errorf("VintageOf(%s) = %+v, %v; want a release date and a citation", v.Source, got, err)
		}
	}
	if v, _ := VintageOf(VintageMCS2026); !v.Released.Equal(date.MustParse("2026-02-06")) {
		t.Errorf("MCS 2026 released %s, want 2026-02-06", v.Released)
	}
	if _, err := VintageOf("nothing"); err == nil {
		t.Error("VintageOf(nothing) = nil error")
	}
}

func TestCPIReleased(t *testing.T) {
	for _, tc := range []struct{ month, want string }{
		{"2025-09", "2025-10-31"}, // BLS released it on 24 October 2025, after the shutdown
		{"2025-11", "2025-12-31"},
		{"2025-12", "2026-01-31"}, // and with it the annual average of 2025
		{"2024-01", "2024-02-29"},
	} {
		got, err := CPIReleased(tc.month)
		if err != nil || got.String() != tc.want {
			t.Errorf("CPIReleased(%s) = %s, %v; want %s", tc.month, got, err, tc.want)
		}
	}
	if _, err := CPIReleased("2025-00"); err == nil {
		t.Error("CPIReleased(2025-00) = nil error")
	}
}

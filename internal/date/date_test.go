package date

import (
	"strings"
	"testing"
)

func TestParse(t *testing.T) {
	good := []string{"2026-01-01", "2024-02-29", "1985-10-24"}
	for _, s := range good {
		d, err := Parse(s)
		if err != nil || d.String() != s {
			t.Errorf("Parse(%q) = %v, %v; want %s", s, d, err, s)
		}
	}
	bad := map[string]string{
		"2026-02-30": "not a date of the calendar",
		"2025-02-29": "not a date of the calendar",
		"2026-13-01": "not a date of the calendar",
		"26-01-01":   "want YYYY-MM-DD",
		"2026/01/01": "want YYYY-MM-DD",
		"":           "want YYYY-MM-DD",
	}
	for s, want := range bad {
		_, err := Parse(s)
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("Parse(%q) error = %v, want it to contain %q", s, err, want)
		}
	}
}

func TestAddMonths(t *testing.T) {
	tests := []struct {
		d    string
		n    int
		want string
	}{
		{"2026-01-31", 1, "2026-02-28"},
		{"2024-01-31", 1, "2024-02-29"},
		{"2026-01-15", 3, "2026-04-15"},
		{"2026-11-30", 3, "2027-02-28"},
		{"2026-03-31", -1, "2026-02-28"},
	}
	for _, tt := range tests {
		if got := MustParse(tt.d).AddMonths(tt.n).String(); got != tt.want {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", tt.d, tt.n, got, tt.want)
		}
	}
}

func TestCompare(t *testing.T) {
	a, b := MustParse("2026-01-01"), MustParse("2026-01-02")
	if !a.Before(b) || b.Before(a) || a.Compare(b) != -1 || a.DaysUntil(b) != 1 || !(Date{}).IsZero() {
		t.Fatal("comparisons wrong")
	}
}

func TestMonthsUntil(t *testing.T) {
	for _, tt := range []struct {
		a, b string
		want int
	}{{"2026-01-31", "2026-02-01", 1}, {"2026-03-15", "2025-12-31", -3}, {"2025-12-01", "2027-01-31", 13}, {"2026-05-05", "2026-05-31", 0}} {
		if got := MustParse(tt.a).MonthsUntil(MustParse(tt.b)); got != tt.want {
			t.Errorf("%s.MonthsUntil(%s) = %d, want %d", tt.a, tt.b, got, tt.want)
		}
	}
	if got := MustParse("2026-02-28").FirstOfMonth().String(); got != "2026-02-01" {
		t.Errorf("FirstOfMonth(2026-02-28) = %s, want 2026-02-01", got)
	}
}

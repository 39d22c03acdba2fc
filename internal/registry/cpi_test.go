package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

func TestCPI(t *testing.T) {
	r := testRegistry(t)
	for _, tc := range []struct{ month, want string }{
		{"1913-01", "9.8"},
		{"2022-06", "296.311"},
		{"2025-09", "324.8"},
		{"2025-11", "324.122"},
	} {
		if got, ok := r.CPI(tc.month); !ok || got.Cmp(dec.MustParse(tc.want)) != 0 {
			t.Errorf("CPI(%s) = %s, %v; want %s", tc.month, got, ok, tc.want)
		}
	}
	// BLS never published October 2025 (the shutdown): absent, not invented.
	if got, ok := r.CPI("2025-10"); ok {
		t.Errorf("CPI(2025-10) = %s, true; want no index (not published)", got)
	}
}

func TestCPIAnnualAverage(t *testing.T) {
	r := testRegistry(t)
	// BLS's published annual averages (CPI Detailed Report, table 24).
	for _, tc := range []struct {
		year int
		want string
	}{
		{2021, "270.970"},
		{2022, "292.655"},
		{2023, "304.702"},
		{2024, "313.689"},
	} {
		if got, err := r.CPIAnnualAverage(tc.year); err != nil || got.Cmp(dec.MustParse(tc.want)) != 0 {
			t.Errorf("CPIAnnualAverage(%d) = %s, %v; want %s", tc.year, got, err, tc.want)
		}
	}
	// The mean of 2022's twelve months is 292.65491666…; BLS publishes 292.655.
	var sum dec.Decimal
	for _, m := range []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"} {
		v, _ := r.CPI("2022-" + m)
		sum = sum.Add(v)
	}
	if mean := sum.Quo(dec.FromInt(12)); !strings.HasPrefix(mean.String(), "292.654916666") {
		t.Errorf("mean of 2022 = %s, want 292.654916666…", mean)
	}
	_, err := r.CPIAnnualAverage(2025)
	if err == nil || !strings.Contains(err.Error(), "no index for 2025-10") || !strings.Contains(err.Error(), "data/bls-cpi-u/cpi-u.csv") {
		t.Errorf("CPIAnnualAverage(2025) error = %v, want no index for 2025-10 in data/bls-cpi-u/cpi-u.csv", err)
	}
	if _, err := r.CPIAnnualAverage(2030); err == nil {
		t.Error("CPIAnnualAverage(2030) = nil error, want no complete year")
	}
}

func TestCPILatest(t *testing.T) {
	r := testRegistry(t)
	for _, tc := range []struct{ on, month, index, released string }{
		// October 2025 would be public on 2025-11-30 but was never published.
		{"2025-12-02", "2025-09", "324.8", "2025-10-31"},
		{"2025-12-31", "2025-11", "324.122", "2025-12-31"},
		{"2026-03-02", "2026-01", "325.252", "2026-02-28"},
		{"2023-01-31", "2022-12", "296.797", "2023-01-31"},
	} {
		m, on, err := r.CPILatest(date.MustParse(tc.on))
		if err != nil || m.Month != tc.month || m.Index.Cmp(dec.MustParse(tc.index)) != 0 || on.String() != tc.released {
			t.Errorf("CPILatest(%s) = %+v, %s, %v; want %s %s released %s", tc.on, m, on, err, tc.month, tc.index, tc.released)
		}
	}
	if _, _, err := r.CPILatest(date.MustParse("1913-02-27")); err == nil || !strings.Contains(err.Error(), "no month of the CPI-U was public on 1913-02-27") {
		t.Errorf("CPILatest(1913-02-27) error = %v, want none public", err)
	}
}

func TestCPILoadErrors(t *testing.T) {
	for _, tc := range []struct{ name, text, want string }{
		{"index", "Date,Index\n2022-01-01,281.148\n2022-02-01,n/a\n", `data/bls-cpi-u/cpi-u.csv:3: Index: "n/a" is not a decimal`},
		{"date", "Date,Index\n2022-01-15,281.148\n", `data/bls-cpi-u/cpi-u.csv:2: Date: "2022-01-15" is not the first day of a month (YYYY-MM-01)`},
		{"order", "Date,Index\n2022-02-01,283.716\n2022-01-01,281.148\n", `data/bls-cpi-u/cpi-u.csv:3: Date: 2022-01 is not after 2022-02`},
		{"empty", "Date,Index\n2022-01-01,\n", `data/bls-cpi-u/cpi-u.csv:2: Index: is empty, want a decimal number`},
		{"header", "Date,Value\n", `data/bls-cpi-u/cpi-u.csv:1: header lacks column(s) Index (has Date,Value)`},
	} {
		_, err := Load(shippedWith(t, map[string]string{cpiFile: tc.text}))
		if err == nil || err.Error() != tc.want {
			t.Errorf("%s: Load() error = %v, want %q", tc.name, err, tc.want)
		}
	}
}

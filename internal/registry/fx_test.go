package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The rates used below, as data/fred-exchange-rates/monthly.csv gives them
// (units per US dollar): 2024-03 Euro 0.92, Japan 149.8186, United Kingdom
// 0.7866; 1990-01 Germany 1.6914.

func TestRate(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		currency, month string
		value           string
		quotation       string
	}{
		{"EUR", "2024-03", "0.92", UnitsPerUSD},
		{"JPY", "2024-03", "149.8186", UnitsPerUSD},
		{"GBP", "2024-03", "0.7866", UnitsPerUSD},
		{"DEM", "1990-01", "1.6914", UnitsPerUSD},
		{"USD", "1850-01", "1", UnitsPerUSD},
	}
	for _, tt := range tests {
		q, err := r.Rate(tt.currency, tt.month)
		if err != nil || q.Value.String() != tt.value || q.Quotation != tt.quotation || q.Month != tt.month || q.Currency != tt.currency {
			t.Errorf("Rate(%q, %q) = %+v, %v, want %s %s", tt.currency, tt.month, q, err, tt.value, tt.quotation)
		}
	}
}

func TestToUSD(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		amount, currency, month string
		want                    string
	}{
		{"92", "EUR", "2024-03", "100"},           // 92 / 0.92
		{"14981.86", "JPY", "2024-03", "100"},     // 14981.86 / 149.8186
		{"1", "JPY", "2024-03", "0.006674738651"}, // 1 / 149.8186 = 0.00667473865060813…, compared to 12 places
		{"123.45", "USD", "2024-03", "123.45"},
		{"3.3828", "DEM", "1990-01", "2"},
	}
	for _, tt := range tests {
		got, q, err := r.ToUSD(dec.MustParse(tt.amount), tt.currency, tt.month)
		if err != nil {
			t.Errorf("ToUSD(%s, %s, %s) error = %v", tt.amount, tt.currency, tt.month, err)
			continue
		}
		if q.Currency != tt.currency {
			t.Errorf("ToUSD(%s, %s, %s) quote = %+v, want the %s rate", tt.amount, tt.currency, tt.month, q, tt.currency)
		}
		want := dec.MustParse(tt.want)
		if len(tt.want) > 12 { // an inexact quotient: compare rounded
			got, _, _ = got.Round(12, dec.HalfEven)
		}
		if got.Cmp(want) != 0 {
			t.Errorf("ToUSD(%s, %s, %s) = %s, want %s", tt.amount, tt.currency, tt.month, got, want)
		}
	}
}

func TestConvert(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		amount, from, to, month string
		want                    string
		quotes                  int
	}{
		{"92", "EUR", "JPY", "2024-03", "14981.86", 2}, // 92 × 149.8186 / 0.92
		{"7.866", "GBP", "EUR", "2024-03", "9.2", 2},   // 7.866 × 0.92 / 0.7866
		{"100", "USD", "EUR", "2024-03", "92", 1},
		{"100", "EUR", "EUR", "2024-03", "100", 0},
	}
	for _, tt := range tests {
		got, qs, err := r.Convert(dec.MustParse(tt.amount), tt.from, tt.to, tt.month)
		if err != nil || got.Cmp(dec.MustParse(tt.want)) != 0 || len(qs) != tt.quotes {
			t.Errorf("Convert(%s, %s, %s, %s) = %s, %d quotes, %v, want %s, %d quotes", tt.amount, tt.from, tt.to, tt.month, got, len(qs), err, tt.want, tt.quotes)
		}
	}
}

func TestRateErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		currency, month string
		kind            problem.Code
		want            string
	}{
		{"EUR", "1998-12", problem.NotFound, "month: no EUR exchange rate for 1998-12 (the series covers 1999-01 to 2026-06)"},
		{"DEM", "2002-01", problem.NotFound, "month: no DEM exchange rate for 2002-01 (the series covers 1971-01 to 2001-12)"},
		{"VES", "2024-03", problem.NotFound, `currency: no exchange-rate series for currency "VES"`},
		{"XYZ", "2024-03", problem.NotFound, `currency: unknown currency "XYZ"`},
		{"EUR", "2024-13", problem.Invalid, `month: "2024-13" is not a month (YYYY-MM)`},
		{"EUR", "2024-3", problem.Invalid, `month: "2024-3" is not a month (YYYY-MM)`},
	}
	for _, tt := range tests {
		_, err := r.Rate(tt.currency, tt.month)
		if problem.CodeOf(err) != tt.kind || err == nil || !strings.HasPrefix(err.Error(), tt.want) {
			t.Errorf("Rate(%q, %q) error = %v, want %s %q", tt.currency, tt.month, err, tt.kind, tt.want)
		}
		if _, _, err := r.ToUSD(dec.One, tt.currency, tt.month); problem.CodeOf(err) != tt.kind {
			t.Errorf("ToUSD(1, %q, %q) error = %v, want %s", tt.currency, tt.month, err, tt.kind)
		}
	}
}

func TestKnownCurrency(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code string
		want bool
	}{
		{"USD", true}, {"EUR", true}, {"CNY", true}, {"VES", true}, {"DEM", true},
		{"usd", false}, {"XYZ", false}, {"", false},
	}
	for _, tt := range tests {
		if got := r.KnownCurrency(tt.code); got != tt.want {
			t.Errorf("KnownCurrency(%q) = %v, want %v", tt.code, got, tt.want)
		}
	}
}

package registry

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestCountry(t *testing.T) {
	r := testRegistry(t)
	de := Country{Alpha2: "DE", Alpha3: "DEU", Numeric: "276", Name: "Germany", Region: "Europe", Subregion: "Western Europe", Currency: "EUR"}
	tests := []struct {
		code string
		want Country
	}{
		{"de", de},
		{"DE", de},
		{"DEU", de},
		{"deu", de},
		{" De ", de},
	}
	for _, tt := range tests {
		got, err := r.Country(tt.code)
		if err != nil || !equalCountry(got, tt.want) {
			t.Errorf("Country(%q) = %+v, %v, want %+v", tt.code, got, err, tt.want)
		}
	}
	af, _ := r.Country("AFG")
	if af.Numeric != "004" {
		t.Errorf("Country(%q).Numeric = %q, want %q", "AFG", af.Numeric, "004")
	}
	na, _ := r.Country("NA")
	if na.Currency != "NAD" || !slices.Equal(na.Currencies, []string{"NAD", "ZAR"}) {
		t.Errorf("Country(%q) currencies = %q, %q, want NAD, [NAD ZAR]", "NA", na.Currency, na.Currencies)
	}
	if n := len(r.Countries()); n != 249 {
		t.Errorf("len(Countries()) = %d, want 249", n)
	}
}

func TestCountryErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code     string
		contains string
	}{
		{"Germany", `(did you mean "DE"?)`},
		{"DEX", `unknown country code "DEX"`},
		{"XK", `unknown country code "XK"`},
		{"", `unknown country code ""`},
	}
	for _, tt := range tests {
		_, err := r.Country(tt.code)
		if problem.CodeOf(err) != problem.NotFound || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("Country(%q) error = %v, want not_found containing %q", tt.code, err, tt.contains)
		}
	}
}

func TestCountryGroup(t *testing.T) {
	r := testRegistry(t)
	for _, id := range []string{"EU", "EU27", "eu"} {
		ms, err := r.Group(id)
		if err != nil || len(ms) != 27 || !slices.Contains(ms, "DE") || !slices.Contains(ms, "GR") || slices.Contains(ms, "GB") {
			t.Errorf("Group(%q) = %v, %v, want the 27 EU members", id, ms, err)
		}
		if !r.IsGroup(id) {
			t.Errorf("IsGroup(%q) = false, want true", id)
		}
	}
	if r.IsGroup("DE") {
		t.Errorf("IsGroup(%q) = true, want false", "DE")
	}
	if _, err := r.Group("G7"); problem.CodeOf(err) != problem.NotFound || !strings.Contains(err.Error(), "EU27") {
		t.Errorf("Group(%q) error = %v, want not_found listing EU27", "G7", err)
	}
}

// equalCountry compares countries, ignoring Currencies.
func equalCountry(a, b Country) bool {
	a.Currencies, b.Currencies = nil, nil
	return a.Alpha2 == b.Alpha2 && a.Alpha3 == b.Alpha3 && a.Numeric == b.Numeric && a.Name == b.Name &&
		a.Region == b.Region && a.Subregion == b.Subregion && a.Currency == b.Currency
}

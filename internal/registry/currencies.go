package registry

import "strings"

// USD is the currency every exchange rate is quoted against.
const USD = "USD"

// KnownCurrency reports whether code is a currency the registry knows: an ISO
// 4217 code in use in some country of countries.csv, USD, or the currency of
// an exchange-rate series (which adds the legacy European currencies such as
// DEM, whose series end in 2001). Codes are upper-case; "usd" is not known.
func (r *Registry) KnownCurrency(code string) bool {
	return r.currencies[code]
}

func (r *Registry) indexCurrencies() {
	r.currencies = map[string]bool{USD: true}
	for _, c := range r.countries {
		for _, cur := range c.Currencies {
			r.currencies[cur] = true
		}
	}
	for cur := range r.fx {
		r.currencies[cur] = true
	}
}

// isCurrencyCode reports whether s has the form of an ISO 4217 code.
func isCurrencyCode(s string) bool {
	return len(s) == 3 && strings.ToUpper(s) == s && strings.IndexFunc(s, func(c rune) bool { return c < 'A' || c > 'Z' }) < 0
}

package registry

import (
	"fmt"
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/suggest"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The two ways an exchange rate is quoted.
const (
	USDPerUnit  = "usd_per_unit"  // US dollars for one unit of the currency
	UnitsPerUSD = "units_per_usd" // units of the currency for one US dollar
)

// Quote is one monthly exchange rate as published, with how it is quoted, so a
// conversion can show which rate it used and how.
type Quote struct {
	Currency  string      // ISO 4217 code
	Month     string      // YYYY-MM
	Value     dec.Decimal // the rate as published, read from its text
	Quotation string      // USDPerUnit or UnitsPerUSD
	Source    string      // the series: "FRED monthly average, Japan"
}

const (
	fxFile       = "fred-exchange-rates/monthly.csv"
	fxSeriesFile = "fred-exchange-rates/series.csv"
)

// fxSeries is one currency's monthly rates.
type fxSeries struct {
	country     string
	quotation   string
	first, last string
	rates       map[string]dec.Decimal
}

func (r *Registry) loadFX(fsys fs.FS, errs *problem.List) error {
	sf, err := openCSV(fsys, fxSeriesFile, errs, "fred_country", "currency", "quotation")
	if err != nil {
		return err
	}
	// byCountry holds nil for series that are listed but excluded.
	byCountry := make(map[string]*fxSeries)
	r.fx = make(map[string]*fxSeries)
	for row, ok := sf.next(); ok; row, ok = sf.next() {
		country, cur, q := row.str("fred_country"), row.str("currency"), row.str("quotation")
		if _, dup := byCountry[country]; dup {
			row.errorf("fred_country", "%q is listed twice", country)
			continue
		}
		switch q {
		case "excluded":
			// A series whose unit changes over time (Venezuela's three
			// bolivars) cannot be converted with; it is listed so that
			// monthly.csv stays fully accounted for.
			byCountry[country] = nil
			continue
		case USDPerUnit, UnitsPerUSD:
		default:
			row.errorf("quotation", "%q is not %s, %s or excluded", q, USDPerUnit, UnitsPerUSD)
			continue
		}
		if !isCurrencyCode(cur) {
			row.errorf("currency", "%q is not an ISO 4217 code", cur)
			continue
		}
		if _, dup := r.fx[cur]; dup {
			row.errorf("currency", "%s has two series", cur)
			continue
		}
		s := &fxSeries{country: country, quotation: q, rates: make(map[string]dec.Decimal, 700)}
		byCountry[country] = s
		r.fx[cur] = s
	}

	f, err := openCSV(fsys, fxFile, errs, "Date", "Country", "Exchange rate")
	if err != nil {
		return err
	}
	for row, ok := f.next(); ok; row, ok = f.next() {
		country := row.str("Country")
		s, listed := byCountry[country]
		if !listed {
			row.errorf("Country", "%q has no row in %s%s", country, filePrefix, fxSeriesFile)
			byCountry[country] = nil // report it once
			continue
		}
		if s == nil {
			continue
		}
		date := row.str("Date")
		if len(date) != 10 || date[7:] != "-01" || !validMonth(date[:7]) {
			row.errorf("Date", "%q is not the first day of a month (YYYY-MM-01)", date)
			continue
		}
		v, ok := row.dec("Exchange rate")
		if !ok {
			continue
		}
		if v.Sign() <= 0 {
			row.errorf("Exchange rate", "%s is not positive", v)
			continue
		}
		m := date[:7]
		if _, dup := s.rates[m]; dup {
			row.errorf("Date", "%s %s is listed twice", country, m)
			continue
		}
		s.rates[m] = v
		if s.first == "" || m < s.first {
			s.first = m
		}
		if m > s.last {
			s.last = m
		}
	}
	return nil
}

// Rate returns the monthly rate of currency for month (YYYY-MM). USD has the
// rate 1. A currency without a series, or a month the series does not cover,
// is a NotFound error naming both: there is no fallback to a nearby month.
func (r *Registry) Rate(currency, month string) (Quote, error) {
	if !validMonth(month) {
		return Quote{}, &problem.Error{Code: problem.Invalid, Field: "month",
			Message: fmt.Sprintf("%q is not a month (YYYY-MM)", month)}
	}
	if currency == USD {
		return Quote{Currency: USD, Month: month, Value: dec.One, Quotation: UnitsPerUSD, Source: "identity"}, nil
	}
	s, ok := r.fx[currency]
	if !ok {
		msg := fmt.Sprintf("no exchange-rate series for currency %q", currency)
		if !r.KnownCurrency(currency) {
			msg = fmt.Sprintf("unknown currency %q", currency)
		}
		cands := make([]string, 0, len(r.fx))
		for c := range r.fx {
			cands = append(cands, c)
		}
		return Quote{}, &problem.Error{Code: problem.NotFound, Field: "currency", Message: msg + suggest.DidYouMean(suggest.Near(currency, cands))}
	}
	v, ok := s.rates[month]
	if !ok {
		return Quote{}, &problem.Error{Code: problem.NotFound, Field: "month",
			Message: fmt.Sprintf("no %s exchange rate for %s (the series covers %s to %s)", currency, month, s.first, s.last)}
	}
	return Quote{Currency: currency, Month: month, Value: v, Quotation: s.quotation, Source: "FRED monthly average, " + s.country}, nil
}

// ToUSD converts amount in currency to US dollars at the month's rate, and
// returns the quote it used. A rate quoted in units per dollar divides, so the
// result is exact when the division terminates and is otherwise rounded to
// dec.Precision significant digits; a rate in dollars per unit multiplies,
// exactly.
func (r *Registry) ToUSD(amount dec.Decimal, currency, month string) (dec.Decimal, Quote, error) {
	q, err := r.Rate(currency, month)
	if err != nil {
		return dec.Zero, Quote{}, err
	}
	num, den := q.toUSD()
	return ratio(amount.Mul(num), den), q, nil
}

// FromUSD converts a US dollar amount to currency at the month's rate; it is
// the inverse of ToUSD.
func (r *Registry) FromUSD(usd dec.Decimal, currency, month string) (dec.Decimal, Quote, error) {
	q, err := r.Rate(currency, month)
	if err != nil {
		return dec.Zero, Quote{}, err
	}
	num, den := q.toUSD()
	return ratio(usd.Mul(den), num), q, nil
}

// Convert converts amount from one currency to another through US dollars at
// the month's rates, and returns the quotes it used (none when from equals to,
// one when either is USD). It multiplies first and divides once, so the result
// is rounded at most once, to dec.Precision significant digits.
func (r *Registry) Convert(amount dec.Decimal, from, to, month string) (dec.Decimal, []Quote, error) {
	qf, err := r.Rate(from, month)
	if err != nil {
		return dec.Zero, nil, err
	}
	qt, err := r.Rate(to, month)
	if err != nil {
		return dec.Zero, nil, err
	}
	if from == to {
		return amount, nil, nil
	}
	var quotes []Quote
	for _, q := range []Quote{qf, qt} {
		if q.Currency != USD {
			quotes = append(quotes, q)
		}
	}
	// usd = amount × nf / df; out = usd × dt / nt.
	nf, df := qf.toUSD()
	nt, dt := qt.toUSD()
	return ratio(amount.Mul(nf).Mul(dt), df.Mul(nt)), quotes, nil
}

// toUSD returns the fraction num/den that turns an amount in the quote's
// currency into US dollars.
func (q Quote) toUSD() (num, den dec.Decimal) {
	if q.Quotation == USDPerUnit {
		return q.Value, dec.One
	}
	return dec.One, q.Value
}

// ratio returns x ÷ y, skipping the division when y is 1 so that exact
// products stay as written.
func ratio(x, y dec.Decimal) dec.Decimal {
	if y.Cmp(dec.One) == 0 {
		return x
	}
	return x.Quo(y)
}

// validMonth reports whether s is a month written YYYY-MM.
func validMonth(s string) bool {
	if len(s) != 7 || s[4] != '-' || !isDigits(s[:4]) || !isDigits(s[5:]) {
		return false
	}
	m := (s[5]-'0')*10 + s[6] - '0'
	return m >= 1 && m <= 12
}

// HasRates reports whether the shipped FRED series convert currency to and
// from USD (USD itself needs no series).
func (r *Registry) HasRates(currency string) bool {
	_, ok := r.fx[currency]
	return ok || currency == "USD"
}

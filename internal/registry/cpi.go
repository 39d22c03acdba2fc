package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// CPISeries names the price index the deflator uses: the US Consumer Price
// Index for All Urban Consumers, as BLS identifies it.
const CPISeries = "BLS CPI-U, series CUUR0000SA0 (all items, U.S. city average, 1982-84=100, not seasonally adjusted)"

// CPIMonth is one month of the CPI-U.
type CPIMonth struct {
	Month string // YYYY-MM
	Index dec.Decimal
}

const cpiFile = "bls-cpi-u/cpi-u.csv"

// loadCPI reads the CPI-U, one row per month in order. A month BLS did not
// publish (October 2025, during the shutdown) is absent from the file and
// stays absent: nothing is interpolated.
func (r *Registry) loadCPI(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, cpiFile, errs, "Date", "Index")
	if err != nil {
		return err
	}
	r.cpi = make([]CPIMonth, 0, 1400)
	for row, ok := f.next(); ok; row, ok = f.next() {
		d := row.str("Date")
		if len(d) != 10 || !strings.HasSuffix(d, "-01") || !validMonth(d[:7]) {
			row.errorf("Date", "%q is not the first day of a month (YYYY-MM-01)", d)
			continue
		}
		m := d[:7]
		if n := len(r.cpi); n > 0 && r.cpi[n-1].Month >= m {
			row.errorf("Date", "%s is not after %s", m, r.cpi[n-1].Month)
			continue
		}
		v, ok := row.dec("Index")
		if !ok {
			continue
		}
		if v.Sign() <= 0 {
			row.errorf("Index", "%s is not a positive index", v)
			continue
		}
		r.cpi = append(r.cpi, CPIMonth{Month: m, Index: v})
	}
	return nil
}

// CPI returns the CPI-U of a month (YYYY-MM); a month BLS did not publish is
// not ok, never zero or interpolated.
func (r *Registry) CPI(month string) (dec.Decimal, bool) {
	i, ok := slices.BinarySearchFunc(r.cpi, month, func(c CPIMonth, m string) int { return strings.Compare(c.Month, m) })
	if !ok {
		return dec.Zero, false
	}
	return r.cpi[i].Index, true
}

// CPIAnnualAverage returns the annual average CPI-U of a year as BLS
// publishes it: the mean of the year's twelve monthly indexes, rounded half
// up to three decimals (2022: 292.655). A year with a month missing has no
// annual average here: the error names the months.
func (r *Registry) CPIAnnualAverage(year int) (dec.Decimal, error) {
	var sum dec.Decimal
	var missing []string
	for m := 1; m <= 12; m++ {
		key := fmt.Sprintf("%04d-%02d", year, m)
		v, ok := r.CPI(key)
		if !ok {
			missing = append(missing, key)
			continue
		}
		sum = sum.Add(v)
	}
	if len(missing) > 0 {
		return dec.Zero, &problem.Error{Code: problem.NotFound,
			Message: fmt.Sprintf("the CPI-U has no complete year %d: no index for %s in %s%s", year, strings.Join(missing, ", "), filePrefix+cpiFile, cpiGapNote(missing))}
	}
	avg, _, err := sum.Quo(dec.FromInt(12)).Round(3, dec.HalfUp)
	return avg, err
}

// cpiGapNote explains the one month BLS never published.
func cpiGapNote(missing []string) string {
	if slices.Contains(missing, "2025-10") {
		return " (BLS did not publish the October 2025 index: the federal government was shut down during the collection period)"
	}
	return ""
}

// CPILatest returns the latest month of the CPI-U public on day d (by
// CPIReleased), with the day it became public; months BLS did not publish
// are skipped, never filled in. None public by d is NotFound.
func (r *Registry) CPILatest(d date.Date) (CPIMonth, date.Date, error) {
	for i := len(r.cpi) - 1; i >= 0; i-- {
		on, err := CPIReleased(r.cpi[i].Month)
		if err != nil {
			return CPIMonth{}, date.Date{}, err
		}
		if !on.After(d) {
			return r.cpi[i], on, nil
		}
	}
	return CPIMonth{}, date.Date{}, &problem.Error{Code: problem.NotFound,
		Message: fmt.Sprintf("no month of the CPI-U was public on %s (%s begins with %s)", d, filePrefix+cpiFile, r.cpiFirst())}
}

func (r *Registry) cpiFirst() string {
	if len(r.cpi) == 0 {
		return "no month"
	}
	return r.cpi[0].Month
}

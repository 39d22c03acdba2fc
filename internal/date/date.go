// Package date is a calendar date without a time of day or a time zone: the
// unit in which agreements, publications and declarations are dated.
//
// Engines take dates as explicit arguments and never read the wall clock; this
// type has no Today function on purpose.
package date

import (
	"fmt"
	"time"
)

// Date is a proleptic Gregorian calendar date. The zero value is "no date".
type Date struct{ t time.Time } // always midnight UTC

// New returns the date y-m-d; it does not normalise (New(2026, 2, 30) is invalid
// and reported by Valid).
func New(y int, m time.Month, d int) Date { return Date{time.Date(y, m, d, 0, 0, 0, 0, time.UTC)} }

// Parse reads a date written as YYYY-MM-DD and rejects dates that do not exist
// (2026-02-30) rather than rolling them over.
func Parse(s string) (Date, error) {
	t, err := time.Parse(time.DateOnly, s)
	if err != nil {
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			return Date{}, fmt.Errorf("%q is not a date of the calendar", s)
		}
		return Date{}, fmt.Errorf("%q is not a date (want YYYY-MM-DD)", s)
	}
	return Date{t}, nil
}

// MustParse is Parse for constants in tests; it panics on bad input.
func MustParse(s string) Date {
	d, err := Parse(s)
	if err != nil {
		panic(err)
	}
	return d
}

// FromTime returns the calendar date of t in t's location.
func FromTime(t time.Time) Date { return New(t.Year(), t.Month(), t.Day()) }

// IsZero reports whether d is the zero value (no date).
func (d Date) IsZero() bool { return d.t.IsZero() }

// Year, Month and Day return the parts of d.
func (d Date) Year() int             { return d.t.Year() }
func (d Date) Month() time.Month     { return d.t.Month() }
func (d Date) Day() int              { return d.t.Day() }
func (d Date) Weekday() time.Weekday { return d.t.Weekday() }

// Time returns midnight UTC at the start of d.
func (d Date) Time() time.Time { return d.t }

// String renders YYYY-MM-DD, or "" for the zero date.
func (d Date) String() string {
	if d.IsZero() {
		return ""
	}
	return d.t.Format(time.DateOnly)
}

// MonthKey renders YYYY-MM, the key of monthly series.
func (d Date) MonthKey() string { return d.t.Format("2006-01") }

// Before, After and Equal compare dates.
func (d Date) Before(e Date) bool { return d.t.Before(e.t) }
func (d Date) After(e Date) bool  { return d.t.After(e.t) }
func (d Date) Equal(e Date) bool  { return d.t.Equal(e.t) }

// Compare returns −1, 0 or +1 as d is before, equal to or after e.
func (d Date) Compare(e Date) int { return d.t.Compare(e.t) }

// AddDays returns d moved by n days.
func (d Date) AddDays(n int) Date { return Date{d.t.AddDate(0, 0, n)} }

// AddMonths returns d moved by n months, clamping the day to the end of the
// target month (2026-01-31 + 1 month = 2026-02-28), as schedules expect.
func (d Date) AddMonths(n int) Date {
	first := time.Date(d.t.Year(), d.t.Month()+time.Month(n), 1, 0, 0, 0, 0, time.UTC)
	last := first.AddDate(0, 1, -1).Day()
	day := d.t.Day()
	if day > last {
		day = last
	}
	return New(first.Year(), first.Month(), day)
}

// MonthsUntil returns the number of calendar months from d's month to e's
// (negative if e's month is earlier); the days are ignored: 2026-01-31 to
// 2026-02-01 is one month.
func (d Date) MonthsUntil(e Date) int {
	return (e.Year()-d.Year())*12 + int(e.Month()) - int(d.Month())
}

// FirstOfMonth returns the first day of d's month.
func (d Date) FirstOfMonth() Date { return New(d.Year(), d.Month(), 1) }

// DaysUntil returns the number of days from d to e (negative if e is earlier).
func (d Date) DaysUntil(e Date) int { return int(e.t.Sub(d.t).Hours() / 24) }

// MarshalText renders YYYY-MM-DD.
func (d Date) MarshalText() ([]byte, error) { return []byte(d.String()), nil }

// UnmarshalText parses YYYY-MM-DD.
func (d *Date) UnmarshalText(b []byte) error {
	v, err := Parse(string(b))
	if err != nil {
		return err
	}
	*d = v
	return nil
}

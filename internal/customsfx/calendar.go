package customsfx

import (
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
)

// A day is a date as a count of days since 1970-01-01, the key rows are
// sorted and searched by: comparing two ints is all a lookup does.
type day = int32

// dayOf returns d as a day number (d is midnight UTC, so the division is exact
// for dates after 1970 and floors before it).
func dayOf(d date.Date) day {
	s := d.Time().Unix()
	if s < 0 {
		return day((s - 86399) / 86400)
	}
	return day(s / 86400)
}

// dateOf is the inverse of dayOf.
func dateOf(n day) date.Date {
	y, m, d := civil(n)
	return date.New(y, time.Month(m), d)
}

// daysFromCivil returns the day number of y-m-d (Howard Hinnant's
// days_from_civil, "chrono-Compatible Low-Level Date Algorithms"); m is 1–12,
// d any day (d = 0 is the last day of the month before).
func daysFromCivil(y, m, d int) day {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era = (y - 399) / 400
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return day(era*146097 + doe - 719468)
}

// civil is the inverse of daysFromCivil (Hinnant's civil_from_days).
func civil(n day) (y, m, d int) {
	z := int(n) + 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era = (z - 146096) / 146097
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d = doy - (153*mp+2)/5 + 1
	m = mp + 3
	if m > 12 {
		m -= 12
	}
	y = yoe + era*400
	if m <= 2 {
		y++
	}
	return y, m, d
}

// monthIndex returns the month of n counted as year×12 + month−1.
func monthIndex(n day) int {
	y, m, _ := civil(n)
	return y*12 + m - 1
}

// weekday returns the day of the week of n (1970-01-01 was a Thursday).
func weekday(n day) time.Weekday {
	w := (int(n) + 4) % 7
	if w < 0 {
		w += 7
	}
	return time.Weekday(w)
}

// lastOfMonth returns the last day of the month of n.
func lastOfMonth(n day) day {
	y, m, _ := civil(n)
	if m == 12 {
		return daysFromCivil(y+1, 1, 1) - 1
	}
	return daysFromCivil(y, m+1, 1) - 1
}

// firstOfMonth returns the first day of the month of n.
func firstOfMonth(n day) day {
	y, m, _ := civil(n)
	return daysFromCivil(y, m, 1)
}

// penultimateWednesday returns the penultimate Wednesday of the month of n:
// the last Wednesday of the month, less a week. Every month has at least four
// Wednesdays, so it is always in the same month.
func penultimateWednesday(n day) day {
	last := lastOfMonth(n)
	back := (int(weekday(last)) - int(time.Wednesday) + 7) % 7
	return last - day(back) - 7
}

// PenultimateWednesday returns the penultimate Wednesday of the month of d:
// the day whose rate the EU applies throughout the following month.
func PenultimateWednesday(d date.Date) date.Date {
	return dateOf(penultimateWednesday(dayOf(d)))
}

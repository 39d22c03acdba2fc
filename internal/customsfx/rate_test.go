package customsfx

import (
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// load reads a table from text or fails the test.
func load(t testing.TB, path, base, text string) *Table {
	t.Helper()
	tab, err := Load(path, base, strings.NewReader(text))
	if err != nil {
		t.Fatalf("Load(%s): %v", path, err)
	}
	return tab
}

// loadFile reads a table from a file or fails the test.
func loadFile(t testing.TB, path, base string) *Table {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return load(t, strings.TrimPrefix(path, "../../"), base, string(b))
}

func q(s string) exact.Q {
	v, ok := exact.ParseString(s)
	if !ok {
		panic("bad decimal " + s)
	}
	return v
}

// TestPenultimateWednesday: the day whose rate the EU applies in the
// following month, worked from the calendar.
func TestPenultimateWednesday(t *testing.T) {
	for _, tt := range []struct{ month, want string }{
		// December 2025: Wednesdays 3, 10, 17, 24, 31. The last is the
		// 31st, so the penultimate is the 24th (not the 17th).
		{"2025-12-10", "2025-12-24"},
		// July 2024: Wednesdays 3, 10, 17, 24, 31.
		{"2024-07-01", "2024-07-24"},
		// April 2025: Wednesdays 2, 9, 16, 23, 30.
		{"2025-04-30", "2025-04-23"},
		// February 2026: Wednesdays 4, 11, 18, 25 (four only).
		{"2026-02-01", "2026-02-18"},
		// October 2025: Wednesdays 1, 8, 15, 22, 29.
		{"2025-10-31", "2025-10-22"},
		// February 2024 (leap): Wednesdays 7, 14, 21, 28.
		{"2024-02-29", "2024-02-21"},
	} {
		if got := PenultimateWednesday(date.MustParse(tt.month)).String(); got != tt.want {
			t.Errorf("PenultimateWednesday(%s) = %s, want %s", tt.month, got, tt.want)
		}
	}
	// Against the obvious method, every month from 1900 to 2200: the
	// Wednesdays of the month, the one before the last.
	for y := 1900; y <= 2200; y++ {
		for m := 1; m <= 12; m++ {
			first := date.MustParse(date.New(y, timeMonth(m), 1).String())
			var weds []date.Date
			for d := first; d.Month() == first.Month(); d = d.AddDays(1) {
				if d.Weekday() == 3 {
					weds = append(weds, d)
				}
			}
			want := weds[len(weds)-2]
			if got := PenultimateWednesday(first); !got.Equal(want) {
				t.Fatalf("PenultimateWednesday(%s) = %s, want %s", first, got, want)
			}
		}
	}
}

// TestDayNumbers: dayOf and dateOf are inverse and agree with the calendar.
func TestDayNumbers(t *testing.T) {
	if n := dayOf(date.MustParse("1970-01-01")); n != 0 {
		t.Errorf("dayOf(1970-01-01) = %d, want 0", n)
	}
	if n := dayOf(date.MustParse("1969-12-31")); n != -1 {
		t.Errorf("dayOf(1969-12-31) = %d, want -1", n)
	}
	d := date.MustParse("1899-12-25")
	for range 200 * 366 {
		n := dayOf(d)
		if back := dateOf(n); !back.Equal(d) {
			t.Fatalf("dateOf(dayOf(%s)) = %s", d, back)
		}
		if weekday(n) != d.Weekday() {
			t.Fatalf("weekday(%s) = %v, want %v", d, weekday(n), d.Weekday())
		}
		if daysFromCivil(d.Year(), int(d.Month()), d.Day()) != n {
			t.Fatalf("daysFromCivil(%s) != dayOf", d)
		}
		d = d.AddDays(1)
	}
}

// uk is an HMRC-style monthly table: rates of GBP, made up for the test.
const uk = `date,currency,rate,period,published,source
2025-03-01,EUR,1.1853,month,2025-02-20,HMRC monthly (test)
2025-04-01,EUR,1.1901,month,2025-03-20,HMRC monthly (test)
2025-03-01,USD,1.2921,month,2025-02-20,HMRC monthly (test)
2025-04-01,USD,1.2850,month,2025-03-20,HMRC monthly (test)
2025-04-15,JPY,190.00,week,2025-04-14,HMRC weekly amendment (test)
`

// TestRateMonth: rule month takes the monthly rate of the month containing
// the day, from its first day to its last, and nothing else.
func TestRateMonth(t *testing.T) {
	tab := load(t, "uk.csv", "GBP", uk)
	for _, tt := range []struct {
		cur, day, rate string
		line           int
	}{
		{"EUR", "2025-03-01", "1.1853", 2}, // first day of March: the March rate (line 2)
		{"EUR", "2025-03-31", "1.1853", 2}, // last day of March: still line 2
		{"EUR", "2025-04-01", "1.1901", 3}, // 1 April: the April rate, line 3
		{"USD", "2025-04-30", "1.2850", 5}, // last day of April, USD: line 5
	} {
		got, err := tab.Rate(tt.cur, date.MustParse(tt.day), RuleMonth)
		if err != nil {
			t.Errorf("Rate(%s, %s, month): %v", tt.cur, tt.day, err)
			continue
		}
		if got.Rate.Cmp(q(tt.rate)) != 0 || got.Line != tt.line || got.Period != PeriodMonth || got.Earlier {
			t.Errorf("Rate(%s, %s, month) = %s line %d, want %s line %d", tt.cur, tt.day, got.Rate, got.Line, tt.rate, tt.line)
		}
	}
	// May has no monthly rate: rule month does not take April's.
	_, err := tab.Rate("EUR", date.MustParse("2025-05-02"), RuleMonth)
	wantErr(t, err, problem.NotFound, "no rate of EUR per GBP for the month 2025-05 (rule month: a monthly rate), in table uk; the last before is a month rate from 2025-04-01 to 2025-04-30 (line 3)")
	// JPY has only a weekly rate: rule month wants a monthly one.
	_, err = tab.Rate("JPY", date.MustParse("2025-04-16"), RuleMonth)
	wantErr(t, err, problem.NotFound, "no rate of JPY per GBP for the month 2025-04 (rule month: a monthly rate), in table uk; the last before is a week rate from 2025-04-15 to 2025-04-21 (line 6)")
	// A currency the table does not have.
	_, err = tab.Rate("CHF", date.MustParse("2025-04-16"), RuleMonth)
	wantErr(t, err, problem.NotFound, `table uk (base GBP) has no rates of "CHF" (it has EUR, JPY, USD); rule month`)
}

// us is a table of daily rates as the Federal Reserve Bank of New York
// certifies them, base USD: units of the currency per US dollar, made up.
// Friday 7 and Monday 10 March 2025 have a rate; the weekend has none.
const us = `date,currency,rate,period
2025-03-07,JPY,147.90,day
2025-03-10,JPY,147.25,day
2025-03-10,EUR,0.9230,day
2025-03-17,EUR,0.9190,week
`

// TestRateDay: rule day takes the rate in force on the day; on a day none
// was set (a weekend), the last one set before it, as 31 U.S.C. 5151(a)(2)
// deems the last prior business day's rate that of a day the New York banks
// are closed; never one older than the Lookback.
func TestRateDay(t *testing.T) {
	tab := load(t, "us.csv", "USD", us)
	for _, tt := range []struct {
		cur, day, rate, from string
		earlier              bool
	}{
		{"JPY", "2025-03-07", "147.90", "2025-03-07", false}, // Friday: its own rate
		{"JPY", "2025-03-08", "147.90", "2025-03-07", true},  // Saturday: Friday's
		{"JPY", "2025-03-09", "147.90", "2025-03-07", true},  // Sunday: Friday's
		{"JPY", "2025-03-10", "147.25", "2025-03-10", false}, // Monday: its own
		{"JPY", "2025-03-17", "147.25", "2025-03-10", true},  // 7 days after the last rate: still within the Lookback
		{"EUR", "2025-03-20", "0.9190", "2025-03-17", false}, // a weekly rate covers 17–23 March
		{"EUR", "2025-03-23", "0.9190", "2025-03-17", false}, // its last day
		{"EUR", "2025-03-11", "0.9230", "2025-03-10", true},  // Tuesday after a Monday rate
	} {
		got, err := tab.Rate(tt.cur, date.MustParse(tt.day), RuleDay)
		if err != nil {
			t.Errorf("Rate(%s, %s, day): %v", tt.cur, tt.day, err)
			continue
		}
		if got.Rate.Cmp(q(tt.rate)) != 0 || got.From.String() != tt.from || got.Earlier != tt.earlier {
			t.Errorf("Rate(%s, %s, day) = %s from %s earlier %v, want %s from %s earlier %v",
				tt.cur, tt.day, got.Rate, got.From, got.Earlier, tt.rate, tt.from, tt.earlier)
		}
	}
	// 18 March is 8 days after the last JPY rate (10 March): too old.
	_, err := tab.Rate("JPY", date.MustParse("2025-03-18"), RuleDay)
	wantErr(t, err, problem.NotFound, "no rate of JPY per USD for 2025-03-18 (rule day: the rate in force that day, or one set in the 7 days before it), in table us; the last before is a day rate from 2025-03-10 to 2025-03-10 (line 3)")
	// Before the first rate.
	_, err = tab.Rate("JPY", date.MustParse("2025-03-06"), RuleDay)
	wantErr(t, err, problem.NotFound, "no rate of JPY per USD for 2025-03-06 (rule day: the rate in force that day, or one set in the 7 days before it), in table us; its rates of JPY run from 2025-03-07 to 2025-03-10")
	// A monthly table under rule day: the monthly rate is in force each day.
	got, err := load(t, "uk.csv", "GBP", uk).Rate("EUR", date.MustParse("2025-03-15"), RuleDay)
	if err != nil || got.Rate.Cmp(q("1.1853")) != 0 {
		t.Errorf("Rate(EUR, 2025-03-15, day) on uk = %v, %v; want 1.1853", got.Rate, err)
	}
	// The base's own rate is 1.
	if got, err := tab.Rate("USD", date.MustParse("2025-03-15"), RuleDay); err != nil || got.Rate.Cmp(exact.Int(1)) != 0 {
		t.Errorf("Rate(USD, …) on a USD table = %v, %v; want 1", got.Rate, err)
	}
	_, err = tab.Rate("JPY", date.MustParse("2025-03-15"), "weekly")
	wantErr(t, err, problem.Invalid, `"weekly" is not a rule (day, month or penultimate_wednesday)`)
}

// TestRatePenultimateWednesday: the EU rule on the shipped illustrative
// table, and on a day the penultimate Wednesday had no rate.
func TestRatePenultimateWednesday(t *testing.T) {
	eu := loadFile(t, "../../data/customs-rates/"+euFile, "EUR")
	for _, tt := range []struct {
		cur, day, set, rate string
		line                int
	}{
		// January 2026: December 2025's Wednesdays are 3, 10, 17, 24 and
		// 31; the penultimate is the 24th, the row of 2025-12 (the 13th
		// month of the file: lines 2+6×12 = 74 to 79). USD per EUR =
		// 1 ÷ FRED(EUR, 2025-12) = 1 ÷ 0.854 = 1.170960… → 1.1710.
		{"USD", "2026-01-01", "2025-12-24", "1.1710", 74},
		{"USD", "2026-01-31", "2025-12-24", "1.1710", 74},
		// GBP per EUR = 0.747 ÷ 0.854 = 0.874707… → 0.8747, line 75.
		{"GBP", "2026-01-15", "2025-12-24", "0.8747", 75},
		// March 2025 uses the rate of Wednesday 19 February 2025 (Feb
		// 2025: Wednesdays 5, 12, 19, 26), row of 2025-02, lines 14-19:
		// USD = 1 ÷ FRED(EUR, 2025-02) = 1 ÷ 0.9603 = 1.041341… → 1.0413.
		{"USD", "2025-03-14", "2025-02-19", "1.0413", 14},
		// JPY = 151.5716 ÷ 0.9603 = 157.837759… → 157.8378 (line 16).
		{"JPY", "2025-03-31", "2025-02-19", "157.8378", 16},
	} {
		got, err := eu.Rate(tt.cur, date.MustParse(tt.day), RulePenultimateWednesday)
		if err != nil {
			t.Errorf("Rate(%s, %s, penultimate_wednesday): %v", tt.cur, tt.day, err)
			continue
		}
		if got.Rate.Cmp(q(tt.rate)) != 0 || got.Day.String() != tt.set || got.From.String() != tt.set || got.Line != tt.line || got.Earlier {
			t.Errorf("Rate(%s, %s, penultimate_wednesday) = %s set %s (day %s) line %d, want %s set %s line %d",
				tt.cur, tt.day, got.Rate, got.From, got.Day, got.Line, tt.rate, tt.set, tt.line)
		}
	}
	// July 2026 would use the rate of 17 June 2026 (June 2026: Wednesdays
	// 3, 10, 17, 24), which the table (it
	// ends with the rates of May 2026, set on 20 May) does not have; the
	// May rate is not taken: it is older than the Lookback.
	_, err := eu.Rate("USD", date.MustParse("2026-07-02"), RulePenultimateWednesday)
	wantErr(t, err, problem.NotFound, "no rate of USD per EUR for 2026-07-02: rule penultimate_wednesday wants the rate set on 2026-06-17, the penultimate Wednesday of 2026-06, or in the 7 days before it, in table eu-penultimate-wednesday-illustrative; the last before is a day rate from 2026-05-20 to 2026-05-20 (line 104)")

	// A holiday: 24 December is a public holiday in Czechia, on which the
	// Czech National Bank is taken to set no rate (its fixing is a
	// business-day one; its calendar was not checked here). For a member
	// state outside the euro, Art. 146(1) takes the national rate, and
	// Art. 146(2) the most recent one when none was published on the
	// penultimate Wednesday. testdata/cz-holiday.csv (base CZK, made-up
	// figures) has rates on 17–19, 22, 23, 29–31 December 2025 and none on
	// Wednesday the 24th, the penultimate (the last is the 31st).
	cz := loadFile(t, "testdata/cz-holiday.csv", "CZK")
	got, err := cz.Rate("EUR", date.MustParse("2026-01-20"), RulePenultimateWednesday)
	if err != nil {
		t.Fatal(err)
	}
	// So January 2026 takes Tuesday 23 December's rate, 24.270 (line 9),
	// not the 31st's (24.240) nor the 17th's (24.300).
	if got.Rate.Cmp(q("24.270")) != 0 || got.From.String() != "2025-12-23" || got.Day.String() != "2025-12-24" || !got.Earlier || got.Line != 9 {
		t.Errorf("Rate(EUR, 2026-01-20, penultimate_wednesday) on cz = %s from %s (day %s, earlier %v, line %d), want 24.270 from 2025-12-23 (day 2025-12-24, earlier, line 9)",
			got.Rate, got.From, got.Day, got.Earlier, got.Line)
	}
	if s := got.String(); s != "24.270 EUR per CZK, rate of 2025-12-23, for the month after 2025-12: penultimate Wednesday 2025-12-24, on which none was set (cz-holiday line 9)" {
		t.Errorf("Quote.String() = %q", s)
	}
	// December 2025 uses the rate of 19 November 2025 (Wednesdays 5, 12,
	// 19, 26), which is there: 24.200, line 3.
	got, err = cz.Rate("EUR", date.MustParse("2025-12-01"), RulePenultimateWednesday)
	if err != nil || got.Rate.Cmp(q("24.200")) != 0 || got.Earlier || got.Line != 3 {
		t.Errorf("Rate(EUR, 2025-12-01, penultimate_wednesday) on cz = %v line %d earlier %v, %v; want 24.200 line 3", got.Rate, got.Line, got.Earlier, err)
	}
}

// TestRateAllocs: a found rate costs no allocation.
func TestRateAllocs(t *testing.T) {
	eu := loadFile(t, "../../data/customs-rates/"+euFile, "EUR")
	uk := loadFile(t, "../../data/customs-rates/"+ukFile, "GBP")
	for _, rule := range Rules {
		tab, d := eu, date.MustParse("2026-01-15")
		switch rule {
		case RuleMonth:
			tab = uk
		case RuleDay:
			d = date.MustParse("2025-12-26") // two days after the rate of 2025-12-24
		}
		if n := testing.AllocsPerRun(100, func() {
			if _, err := tab.Rate("USD", d, rule); err != nil {
				t.Fatal(err)
			}
		}); n != 0 {
			t.Errorf("Rate(USD, %s, %s) allocates %v times, want 0", d, rule, n)
		}
	}
}

func wantErr(t *testing.T, err error, code problem.Code, msg string) {
	t.Helper()
	if err == nil {
		t.Errorf("error = nil, want %q", msg)
		return
	}
	var pe *problem.Error
	if !asProblem(err, &pe) || pe.Code != code || pe.Message != msg {
		t.Errorf("error = %v (code %s)\nwant %s: %s", err, problem.CodeOf(err), code, msg)
	}
}

package registry

import (
	"fmt"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Vintage is one edition of a source with the date it became public: a
// floor whose data cut-off is before that date cannot use it.
type Vintage struct {
	Source   string    // the source's id: VintageMCS2026, VintageWGI2023, VintageBusch
	Edition  string    // what was released
	Released date.Date // the day it became public
	Citation string    // where the date comes from
}

// The sources with one vintage in the shipped data. Each monthly
// observation of the Pink Sheet and of FRED has its own release date:
// PinkSheetReleased, FREDReleased.
const (
	VintageMCS2026 = "usgs-mcs-2026"
	VintageWGI2023 = "worldbank-wgi-2023"
	VintageBusch   = "busch-lithium-2024"
)

// vintages is the one table of release dates; docs/prices.md, "Vintages",
// repeats it. Every date is the earliest day the shipped figures can be
// shown to have been public; where only a month is known, its last day.
var vintages = []Vintage{
	{VintageMCS2026, "U.S. Geological Survey, Mineral Commodity Summaries 2026 (chapters and data release)", date.New(2026, time.February, 6),
		"USGS data release \"Mineral Commodity Summaries 2026\", doi:10.5066/P1WKQ63T, metadata pubdate 20260206 (https://data.usgs.gov/datacatalog/metadata/USGS.69837e43b66b01367d7ec7c7.xml)"},
	{VintageWGI2023, "World Bank, Worldwide Governance Indicators, 2023 update (1996-2022)", date.New(2023, time.September, 30),
		"the WGI are \"updated annually each September\" (info.worldbank.org/governance/wgi); the day of the 2023 update is not stated, so the last day of September 2023 is taken"},
	{VintageBusch, "Busch et al. (2024), pmbusch/Critical-Minerals-EV, Parameters/Deposit.csv as shipped", date.New(2025, time.February, 1),
		"commit 57354cf8 of pmbusch/Critical-Minerals-EV (2025-01-31 17:10:59 -08:00, 2025-02-01 UTC) is the last change to Parameters/Deposit.csv and is byte-identical to the shipped file; the versions of 2024-08-08 and 2024-08-09 differ and are not shipped"},
}

// VintageOf returns the vintage of a source.
func VintageOf(source string) (Vintage, error) {
	for _, v := range vintages {
		if v.Source == source {
			return v, nil
		}
	}
	return Vintage{}, fmt.Errorf("no vintage is recorded for source %q (internal/registry/vintage.go)", source)
}

// Vintages returns every vintage of the table, in its order.
func Vintages() []Vintage { return append([]Vintage(nil), vintages...) }

// PinkSheetCitation is where PinkSheetReleased's rule comes from.
const PinkSheetCitation = "the World Bank publishes the Pink Sheet of a month's prices early in the next month, on its second business day: the edition of 4 June 2024 (a Tuesday, the second business day) has the May 2024 prices; the shipped workbook, with prices to 2025-11, was updated on 2 December 2025 (the second business day)"

// PinkSheetReleased is the day the Pink Sheet price of month (YYYY-MM) became
// public: the second business day (Monday to Friday) of the next month.
func PinkSheetReleased(month string) (date.Date, error) {
	first, err := monthStart(month)
	if err != nil {
		return date.Date{}, err
	}
	return businessDay(first.AddMonths(1), 2), nil
}

// FREDCitation is where FREDReleased's rule comes from.
const FREDCitation = "FRED's monthly exchange rates are the averages of the daily H.10 rates published by the Federal Reserve in its G.5 release, which appears once the month is over, on the first business day of the next month"

// FREDReleased is the day the FRED monthly exchange rate of month became
// public: the first business day of the next month.
func FREDReleased(month string) (date.Date, error) {
	first, err := monthStart(month)
	if err != nil {
		return date.Date{}, err
	}
	return businessDay(first.AddMonths(1), 1), nil
}

// CPICitation is where CPIReleased's rule comes from.
const CPICitation = "BLS releases the CPI of a month in the middle of the next month (the schedule at bls.gov/schedule/news_release/cpi.htm: the November 2024 CPI on 11 December 2024); after the 2025 shutdown the September 2025 CPI came out on 24 October 2025 and the October 2025 CPI was never published; the last day of the next month is taken, later than every release, so no month is counted before it was public"

// CPIReleased is the day the CPI-U of month (YYYY-MM) is taken to be public:
// the last day of the next month (conservative: BLS releases fall mid-month).
// An annual average is public with its December.
func CPIReleased(month string) (date.Date, error) {
	first, err := monthStart(month)
	if err != nil {
		return date.Date{}, err
	}
	return first.AddMonths(2).AddDays(-1), nil
}

func monthStart(month string) (date.Date, error) {
	d, err := date.Parse(month + "-01")
	if err != nil || !validMonth(month) {
		return date.Date{}, fmt.Errorf("month %q is not YYYY-MM", month)
	}
	return d, nil
}

// businessDay returns the n-th business day from first: Monday to Friday,
// less the US federal holidays that can fall among a month's first days
// (New Year's Day, Independence Day, Labor Day).
func businessDay(first date.Date, n int) date.Date {
	d := first
	for {
		if wd := d.Weekday(); wd != time.Saturday && wd != time.Sunday && !earlyHoliday(d) {
			n--
			if n == 0 {
				return d
			}
		}
		d = d.AddDays(1)
	}
}

// earlyHoliday reports the US federal holidays that can fall on one of a
// month's first business days (a holiday on a Saturday or Sunday is observed
// on the Friday before or the Monday after).
func earlyHoliday(d date.Date) bool {
	m, day, wd := d.Month(), d.Day(), d.Weekday()
	switch {
	case m == time.January && (day == 1 || day == 2 && wd == time.Monday):
		return true
	case m == time.July && (day == 4 || day == 5 && wd == time.Monday || day == 3 && wd == time.Friday):
		return true
	case m == time.September && wd == time.Monday && day <= 7:
		return true
	}
	return false
}

package customsfx

import (
	"strings"
	"testing"
)

const ukPath = "data/customs-rates/uk.csv"

// TestLoad: a good file, every column, read exactly as written.
func TestLoad(t *testing.T) {
	tab := load(t, ukPath, "GBP", uk)
	if tab.Name != "uk" || tab.Path != ukPath || tab.Base != "GBP" || tab.Illustrative || tab.Lookback != DefaultLookback {
		t.Errorf("Load = %+v", tab)
	}
	if tab.Source != "" { // two distinct sources: each quote has its own
		t.Errorf("Source = %q, want empty", tab.Source)
	}
	if got := strings.Join(tab.Currencies(), ","); got != "EUR,JPY,USD" {
		t.Errorf("Currencies() = %s", got)
	}
	first, last := tab.Span("EUR")
	if first.String() != "2025-03-01" || last.String() != "2025-04-30" {
		t.Errorf("Span(EUR) = %s, %s", first, last)
	}
	// A byte-order mark, as a spreadsheet may write, and CRLF line ends.
	tab = load(t, ukPath, "GBP", "\ufeffdate,currency,rate,period\r\n2025-03-01,EUR,1.1853,month\r\n")
	if got, err := tab.Rate("EUR", date0("2025-03-02"), RuleMonth); err != nil || got.Rate.Cmp(q("1.1853")) != 0 || got.Line != 2 {
		t.Errorf("Load with a BOM: Rate = %+v, %v", got, err)
	}
	// Four columns only; published defaults to the date; a single source
	// is the table's.
	tab = load(t, "x/us-illustrative.csv", "USD", "date,currency,rate,period,published\n2025-01-02,JPY,157.1,day,\n")
	got, err := tab.Rate("JPY", date0("2025-01-02"), RuleDay)
	if err != nil || got.Published.String() != "2025-01-02" || !tab.Illustrative || tab.Name != "us-illustrative" {
		t.Errorf("Load(us-illustrative) = %+v, quote %+v, %v", tab, got, err)
	}
}

// TestLoadErrors: every problem is reported at its file, line and field, all
// of them at once.
func TestLoadErrors(t *testing.T) {
	const h = "date,currency,rate,period\n"
	for _, tt := range []struct {
		name, base, in, want string
	}{
		{"comma decimal", "GBP", h + `2025-03-01,EUR,"1,23",month` + "\n",
			ukPath + `:2: rate: "1,23" is not a decimal (use a dot, no thousands separators)`},
		{"thousands separator", "GBP", h + `2025-03-01,JPY,"1,234.5",month` + "\n",
			ukPath + `:2: rate: "1,234.5" is not a decimal (use a dot, no thousands separators)`},
		{"comma unquoted", "GBP", h + "2025-03-01,EUR,1,23,month\n",
			ukPath + ":2: 5 fields, want 4 (date,currency,rate,period)"},
		{"zero rate", "GBP", h + "2025-03-01,EUR,0,month\n",
			ukPath + `:2: rate: "0" is not positive`},
		{"negative rate", "GBP", h + "2025-03-01,EUR,-1.2,month\n",
			ukPath + `:2: rate: "-1.2" is not positive`},
		{"exponent", "GBP", h + "2025-03-01,EUR,1e3,month\n",
			ukPath + `:2: rate: "1e3" is not a decimal (use a dot, no thousands separators)`},
		{"unknown period", "GBP", h + "2025-03-01,EUR,1.2,fortnight\n",
			ukPath + `:2: period: "fortnight" is not day, week or month`},
		{"month not on the 1st", "GBP", h + "2025-03-15,EUR,1.2,month\n",
			ukPath + ":2: period: a monthly rate applies from the 1st of its month; the date is 2025-03-15"},
		{"date not in the calendar", "GBP", h + "2025-02-30,EUR,1.2,day\n",
			ukPath + `:2: date: "2025-02-30" is not a date of the calendar`},
		{"date out of range", "GBP", h + "0001-01-01,EUR,1.2,day\n",
			ukPath + `:2: date: "0001-01-01" is out of range (years 1900 to 2999)`},
		{"date format", "GBP", h + "01/03/2025,EUR,1.2,day\n",
			ukPath + `:2: date: "01/03/2025" is not a date (want YYYY-MM-DD)`},
		{"currency lower case", "GBP", h + "2025-03-01,eur,1.2,month\n",
			ukPath + `:2: currency: "eur" is not an ISO 4217 code (three capital letters)`},
		{"base currency row", "GBP", h + "2025-03-01,GBP,1,month\n",
			ukPath + ":2: currency: GBP is the table's base currency: its rate is 1 by definition"},
		{"published", "GBP", "date,currency,rate,period,published\n2025-03-01,EUR,1.2,month,20 Feb\n",
			ukPath + `:2: published: "20 Feb" is not a date (want YYYY-MM-DD)`},
		{"duplicate", "GBP", h + "2025-03-01,EUR,1.2,month\n2025-03-01,USD,1.3,month\n2025-03-01,EUR,1.21,month\n",
			ukPath + ":4: date: EUR 2025-03-01 is listed twice (first on line 2)"},
		{"week overlaps month", "GBP", h + "2025-03-01,EUR,1.2,month\n2025-03-25,EUR,1.25,week\n",
			ukPath + ":3: date: EUR 2025-03-25 (week, to 2025-03-31) overlaps line 2 (EUR 2025-03-01, month, to 2025-03-31)"},
		{"week overlaps next month", "GBP", h + "2025-04-01,EUR,1.2,month\n2025-03-28,EUR,1.25,week\n",
			ukPath + ":3: date: EUR 2025-03-28 (week, to 2025-04-03) overlaps line 2 (EUR 2025-04-01, month, to 2025-04-30)"},
		{"day in a week", "GBP", h + "2025-03-03,EUR,1.2,week\n2025-03-09,EUR,1.25,day\n2025-03-10,EUR,1.26,day\n",
			ukPath + ":3: date: EUR 2025-03-09 (day, to 2025-03-09) overlaps line 2 (EUR 2025-03-03, week, to 2025-03-09)"},
		{"wrong header", "GBP", "date,currency,value,period\n2025-03-01,EUR,1.2,month\n",
			ukPath + `:1: header: "date,currency,value,period": want date,currency,rate,period, date,currency,rate,period,published or date,currency,rate,period,published,source`},
		{"extra column", "GBP", "date,currency,rate,period,published,source,note\n",
			ukPath + `:1: header: "date,currency,rate,period,published,source,note": want date,currency,rate,period, date,currency,rate,period,published or date,currency,rate,period,published,source`},
		{"empty file", "GBP", "",
			ukPath + ":1: header: the file is empty; want the header date,currency,rate,period,published,source"},
		{"no rows", "GBP", h,
			ukPath + ":1: no rates: the file has a header and no rows"},
		{"bad quote", "GBP", h + "2025-03-01,EUR,\"1.2\"x,month\n",
			ukPath + `:2: column 20: extraneous or missing " in quoted-field`},
		{"bad base", "gbp", h + "2025-03-01,EUR,1.2,month\n",
			ukPath + `: base: "gbp" is not an ISO 4217 code (three capital letters)`},
		{"all at once", "GBP", h + "2025-03-01,EUR,\"1,2\",month\n2025-13-01,USD,1.3,month\n2025-03-01,JPY,190,year\n",
			ukPath + `:2: rate: "1,2" is not a decimal (use a dot, no thousands separators)` + "\n" +
				ukPath + `:3: date: "2025-13-01" is not a date of the calendar` + "\n" +
				ukPath + `:4: period: "year" is not day, week or month`},
		{"two faults in a row", "GBP", h + "2025-03-1,eur,x,month\n",
			ukPath + `:2: date: "2025-03-1" is not a date (want YYYY-MM-DD)` + "\n" +
				ukPath + `:2: currency: "eur" is not an ISO 4217 code (three capital letters)` + "\n" +
				ukPath + `:2: rate: "x" is not a decimal (use a dot, no thousands separators)`},
	} {
		t.Run(tt.name, func(t *testing.T) {
			tab, err := Load(ukPath, tt.base, strings.NewReader(tt.in))
			if err == nil {
				t.Fatalf("Load(%q) = %+v, want error %q", tt.in, tab, tt.want)
			}
			if tab != nil {
				t.Errorf("Load(%q) returned a table with its error", tt.in)
			}
			if err.Error() != tt.want {
				t.Errorf("Load(%q) error:\n got %s\nwant %s", tt.in, err, tt.want)
			}
		})
	}
}

package customsfx

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// A Rule says which of a table's rates applies on a day.
type Rule string

// The rules.
const (
	// RuleDay: the rate in force on the day (of acceptance of the
	// declaration, or of exportation): a daily rate of that day, or the
	// weekly or monthly rate whose period contains it. When none was set
	// for the day, the last one set within Lookback days before it, as
	// 31 U.S.C. 5151(a)(2) takes the rate of the last business day before
	// a day the New York banks are closed.
	RuleDay Rule = "day"
	// RuleMonth: the monthly rate of the calendar month containing the day,
	// as HMRC's monthly rates apply "from the first to the last day of the
	// next calendar month"; a daily or weekly rate does not do.
	RuleMonth Rule = "month"
	// RulePenultimateWednesday: the EU rule (Art. 146 of Commission
	// Implementing Regulation (EU) 2015/2447): the rate applied throughout
	// month M is the one published on the penultimate Wednesday of month
	// M−1 or, if none was published that day, the most recent one before
	// it (within Lookback days).
	RulePenultimateWednesday Rule = "penultimate_wednesday"
)

// Rules lists every rule, for validation messages.
var Rules = []Rule{RuleDay, RuleMonth, RulePenultimateWednesday}

// Valid reports whether r is one of Rules.
func (r Rule) Valid() bool {
	return r == RuleDay || r == RuleMonth || r == RulePenultimateWednesday
}

// A Quote is one rate of a table as the rule found it, with where it came
// from, so that a conversion can show it.
type Quote struct {
	Currency  string    // the currency the rate is in: units of Currency per 1 Base
	Base      string    // the table's base
	Rate      exact.Q   // exactly as written in the table
	From      date.Date // the row's date: the first day the rate applies
	To        date.Date // the last day the row applies
	Period    string    // the row's period: day, week or month ("" for the base's own rate)
	Published date.Date // the day the rate was published
	Source    string    // the row's source column
	Line      int       // the row's line in the table's file (0 for the base's own rate)
	Table     string    // the table's name
	Rule      Rule
	// Day is the day the rule looked a rate up for: the day asked about
	// under RuleDay and RuleMonth, the penultimate Wednesday of the month
	// before under RulePenultimateWednesday.
	Day date.Date
	// Earlier reports that no rate was set for Day, and this is the last
	// one set before it.
	Earlier bool
}

// Rate returns the rate of currency on the day on under rule, with where it came
// from. The base's own rate is 1. A missing rate is an error saying which
// (currency, day, rule, table), of code not_found; an unknown rule is invalid.
//
// Rate allocates nothing when it finds the rate: it is one map lookup and
// one binary search over the currency's sorted dates.
func (t *Table) Rate(currency string, on date.Date, rule Rule) (Quote, error) {
	if on.IsZero() {
		return Quote{}, &problem.Error{Code: problem.Invalid, Field: "day", Message: "no date to look a rate up for"}
	}
	if !rule.Valid() {
		return Quote{}, &problem.Error{Code: problem.Invalid, Field: "rule", BadValue: string(rule),
			Message: fmt.Sprintf("%q is not a rule (%s, %s or %s)", rule, RuleDay, RuleMonth, RulePenultimateWednesday)}
	}
	if currency == t.Base {
		return Quote{Currency: currency, Base: t.Base, Rate: exact.Int(1), From: on, To: on, Table: t.Name, Rule: rule, Day: on}, nil
	}
	k, ok := t.index[currency]
	if !ok {
		return Quote{}, t.noCurrency(currency, rule)
	}
	s := &t.series[k]
	n := dayOf(on)
	want, asked := n, on
	if rule == RulePenultimateWednesday {
		if i := monthIndex(n) - t.wedFirst; i >= 0 && i < len(t.wednesdays) {
			want, on = t.wednesdays[i].n, t.wednesdays[i].d
		} else {
			want = penultimateWednesday(firstOfMonth(n) - 1)
			on = dateOf(want)
		}
	}
	i := s.search(want)
	if i < 0 {
		return Quote{}, t.missing(currency, asked, want, rule, -1)
	}
	rw := &t.rows[s.rows[i]]
	earlier := rw.to < want
	switch {
	case rule == RuleMonth && (earlier || rw.period != PeriodMonth):
		return Quote{}, t.missing(currency, asked, want, rule, i)
	case earlier && want-rw.from > day(t.Lookback):
		return Quote{}, t.missing(currency, asked, want, rule, i)
	}
	return Quote{
		Currency: currency, Base: t.Base, Rate: rw.rate,
		From: rw.fromDate, To: rw.toDate, Period: rw.period,
		Published: rw.published, Source: rw.source, Line: int(rw.line),
		Table: t.Name, Rule: rule, Day: on, Earlier: earlier,
	}, nil
}

// search returns the index of the last row that starts on or before n, or −1.
func (s *series) search(n day) int {
	lo, hi := 0, len(s.starts) // the answer is in [lo-1, hi-1]
	for lo < hi {
		m := int(uint(lo+hi) >> 1)
		if s.starts[m] <= n {
			lo = m + 1
		} else {
			hi = m
		}
	}
	return lo - 1
}

// noCurrency is the error for a currency the table has no rates of.
func (t *Table) noCurrency(currency string, rule Rule) error {
	return &problem.Error{Code: problem.NotFound, Field: "currency", BadValue: currency,
		Message: fmt.Sprintf("table %s (base %s) has no rates of %q (it has %s); rule %s",
			t.Name, t.Base, currency, strings.Join(t.Currencies(), ", "), rule)}
}

// missing is the error for a rate the rule needs and the table does not have;
// near is the index, in currency's series, of the last row set on or before
// the rule's day, or −1.
func (t *Table) missing(currency string, asked date.Date, want day, rule Rule, near int) error {
	var b strings.Builder
	fmt.Fprintf(&b, "no rate of %s per %s ", currency, t.Base)
	switch rule {
	case RuleMonth:
		fmt.Fprintf(&b, "for the month %s (rule month: a monthly rate)", asked.MonthKey())
	case RulePenultimateWednesday:
		fmt.Fprintf(&b, "for %s: rule penultimate_wednesday wants the rate set on %s, the penultimate Wednesday of %s, or in the %d days before it",
			asked, dateOf(want), dateOf(want).MonthKey(), t.Lookback)
	default:
		fmt.Fprintf(&b, "for %s (rule day: the rate in force that day, or one set in the %d days before it)", asked, t.Lookback)
	}
	fmt.Fprintf(&b, ", in table %s", t.Name)
	s := &t.series[t.index[currency]]
	if near >= 0 {
		rw := &t.rows[s.rows[near]]
		fmt.Fprintf(&b, "; the last before is a %s rate from %s to %s (line %d)", rw.period, dateOf(rw.from), dateOf(rw.to), rw.line)
	} else {
		first, last := t.Span(currency)
		fmt.Fprintf(&b, "; its rates of %s run from %s to %s", currency, first, last)
	}
	return &problem.Error{Code: problem.NotFound, Field: "rate", Message: b.String()}
}

// String renders q for a trace: "1.1853 EUR per GBP, monthly rate of
// 2025-03 (uk-hmrc-monthly-illustrative line 14)".
func (q Quote) String() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s per %s, ", show(q.Rate), q.Currency, q.Base)
	switch {
	case q.Line == 0:
		b.WriteString("the base currency")
	case q.Period == PeriodMonth:
		fmt.Fprintf(&b, "monthly rate of %s", q.From.MonthKey())
	case q.Period == PeriodWeek:
		fmt.Fprintf(&b, "weekly rate of %s to %s", q.From, q.To)
	default:
		fmt.Fprintf(&b, "rate of %s", q.From)
	}
	if q.Rule == RulePenultimateWednesday {
		fmt.Fprintf(&b, ", for the month after %s: penultimate Wednesday %s", q.Day.MonthKey(), q.Day)
		if q.Earlier {
			b.WriteString(", on which none was set")
		}
	} else if q.Earlier {
		fmt.Fprintf(&b, ", the last set before %s, on which none was set", q.Day)
	}
	fmt.Fprintf(&b, " (%s", q.Table)
	if q.Line > 0 {
		fmt.Fprintf(&b, " line %d", q.Line)
	}
	b.WriteString(")")
	return b.String()
}

package customsfx

import (
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"path"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The periods a row applies for.
const (
	PeriodDay   = "day"   // the day of its date only
	PeriodWeek  = "week"  // seven days from its date
	PeriodMonth = "month" // the calendar month of its date, which is the 1st
)

// DefaultLookback is the Lookback Load sets: how many days before the day a
// rule looks at a rate set earlier may have been set, when none was set that
// day. The ECB and the Federal Reserve Bank of New York set rates on every
// business day, and the longest run of days without one is a long Easter or
// Christmas weekend (four days); a week covers it with room to spare, and a
// table that simply stops (it was not updated) is an error, not a stale rate
// applied for months.
const DefaultLookback = 7

// A Table is one customs service's published rates: rates of Base (the
// party's currency) in other currencies, each for the period it was published
// for. Once loaded (and Lookback set, if it is to differ from the default) it
// is not changed, and is safe for concurrent use.
type Table struct {
	Name         string // the file's name without .csv: "uk-hmrc-monthly-illustrative"
	Path         string // the file as given to Load, for messages
	Base         string // the party's currency, ISO 4217: every rate is units of a currency per 1 Base
	Illustrative bool   // the name says "illustrative": not the service's own figures
	Source       string // the rows' source column when every row has the same one, else "" (each Quote has its row's)

	// Lookback is how many days before the rule's day the last rate set
	// may be taken when no rate was set on that day (see Rate).
	Lookback int

	rows   []row
	index  map[string]int // currency → its series in series
	series []series

	// wednesdays memoises the day the EU rule looks a rate up for, by
	// month: wednesdays[i] serves the month wedFirst+i (months counted as
	// year×12 + month−1), for the months the table covers and a year on
	// either side.
	wednesdays []ruleDay
	wedFirst   int
}

// ruleDay is a day as a day number and as a date.
type ruleDay struct {
	n day
	d date.Date
}

// row is one line of the file.
type row struct {
	currency  string
	rate      exact.Q
	from, to  day       // the first and the last day the rate applies
	fromDate  date.Date // from and to as dates, for quotes
	toDate    date.Date
	period    string
	published date.Date
	source    string
	line      int32
}

// series is one currency's rows, sorted by their first day; starts repeats
// each row's first day so that a lookup searches a dense []int32.
type series struct {
	starts []day
	rows   []int32 // indexes into Table.rows, in the order of starts
}

// The columns of a table file, in this order; the last two may be left out.
var columns = []string{"date", "currency", "rate", "period", "published", "source"}

// Load reads a table of rates of base from r, a CSV file whose header is
// date,currency,rate,period[,published][,source]:
//
//   - date: the first day the rate applies, YYYY-MM-DD;
//   - currency: an ISO 4217 code, not base;
//   - rate: units of currency per 1 unit of base, an exact decimal > 0,
//     written with a dot and no thousands separators;
//   - period: day, week or month: the row applies on its date, for seven
//     days from its date, or for the calendar month of its date (which must
//     then be the 1st);
//   - published: the day the rate was published (default: date);
//   - source: free text, shown with the rate.
//
// path names the file in messages. Load reports every problem at once, each
// at its file and line, with its field: "uk.csv:14: rate: "1,23" is not a
// decimal (use a dot, no thousands separators)". A (date, currency) given
// twice and two rows of one currency whose periods overlap are errors.
func Load(path, base string, r io.Reader) (*Table, error) {
	t := &Table{Name: tableName(path), Path: path, Base: base, Lookback: DefaultLookback, index: map[string]int{}}
	t.Illustrative = strings.Contains(strings.ToLower(t.Name), "illustrative")
	var errs problem.List
	at := func(line int) problem.Pos { return problem.Pos{File: path, Line: line} }
	if !isCurrency(base) {
		errs.Add(at(0), "base", "%q is not an ISO 4217 code (three capital letters)", base)
		return nil, errs.Err()
	}

	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1 // counted here, to say which line and how many
	cr.ReuseRecord = true
	header, err := cr.Read()
	if err != nil {
		if errors.Is(err, io.EOF) {
			errs.Add(at(1), "header", "the file is empty; want the header %s", strings.Join(columns, ","))
		} else {
			errs.Add(at(csvLine(err, 1)), "header", "%s", csvMessage(err))
		}
		return nil, errs.Err()
	}
	// A spreadsheet may save the file with a byte-order mark; it is
	// encoding, not content.
	header[0] = strings.TrimPrefix(header[0], "\ufeff")
	ncol := len(header)
	if !validHeader(header) {
		errs.Add(at(1), "header", "%q: want %s, %s or %s", strings.Join(header, ","),
			strings.Join(columns[:4], ","), strings.Join(columns[:5], ","), strings.Join(columns, ","))
		return nil, errs.Err()
	}

	source, sources := "", 0 // the last source read and how many times it changed
	// first holds the line of each (date, currency) already read.
	first := map[string]int32{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			errs.Add(at(csvLine(err, 0)), "", "%s", csvMessage(err))
			if len(errs) >= maxErrors {
				break
			}
			continue
		}
		line, _ := cr.FieldPos(0)
		if len(errs) >= maxErrors {
			break
		}
		if len(rec) != ncol {
			errs.Add(at(line), "", "%d fields, want %d (%s)", len(rec), ncol, strings.Join(header, ","))
			continue
		}
		rw, ok := parseRow(rec, base, at(line), &errs)
		if !ok {
			continue
		}
		rw.line = int32(line)
		key := rec[0] + " " + rw.currency
		if l, dup := first[key]; dup {
			errs.Add(at(line), "date", "%s %s is listed twice (first on line %d)", rw.currency, rec[0], l)
			continue
		}
		first[key] = rw.line
		if len(t.rows) == 0 || rw.source != source {
			source = rw.source
			sources++
		}
		t.rows = append(t.rows, rw)
	}
	if len(errs) == 0 && len(t.rows) == 0 {
		errs.Add(at(1), "", "no rates: the file has a header and no rows")
	}
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	if sources == 1 {
		t.Source = source
	}
	t.buildIndex(&errs)
	if len(errs) > 0 {
		return nil, errs.Err()
	}
	return t, nil
}

// The years a rate may be dated in: a customs rate before 1900 is a typing
// error, and 0001-01-01 is date.Date's "no date".
const minYear, maxYear = 1900, 2999

// maxErrors bounds the problems one Load reports: a file in the wrong format
// altogether needs its first few, not a million.
const maxErrors = 50

// parseRow reads the fields of one row, adding a problem for each that is
// wrong.
func parseRow(rec []string, base string, pos problem.Pos, errs *problem.List) (row, bool) {
	n := len(*errs)
	var rw row
	d, err := date.Parse(rec[0])
	if err == nil && (d.Year() < minYear || d.Year() > maxYear) {
		err = fmt.Errorf("%q is out of range (years %d to %d)", rec[0], minYear, maxYear)
	}
	if err != nil {
		errs.Add(pos, "date", "%v", err)
	}
	rw.currency = rec[1]
	switch {
	case !isCurrency(rec[1]):
		errs.Add(pos, "currency", "%q is not an ISO 4217 code (three capital letters)", rec[1])
	case rec[1] == base:
		errs.Add(pos, "currency", "%s is the table's base currency: its rate is 1 by definition", rec[1])
	}
	switch q, ok := exact.ParseString(rec[2]); {
	case !ok:
		errs.Add(pos, "rate", "%q is not a decimal (use a dot, no thousands separators)", rec[2])
	case q.Sign() <= 0:
		errs.Add(pos, "rate", "%q is not positive", rec[2])
	default:
		rw.rate = q
	}
	rw.period = rec[3]
	switch rec[3] {
	case PeriodDay, PeriodWeek:
	case PeriodMonth:
		if err == nil && d.Day() != 1 {
			errs.Add(pos, "period", "a monthly rate applies from the 1st of its month; the date is %s", d)
		}
	default:
		errs.Add(pos, "period", "%q is not day, week or month", rec[3])
	}
	rw.published = d
	if len(rec) > 4 && rec[4] != "" {
		p, perr := date.Parse(rec[4])
		if perr != nil {
			errs.Add(pos, "published", "%v", perr)
		}
		rw.published = p
	}
	if len(rec) > 5 {
		rw.source = rec[5]
	}
	if len(*errs) > n {
		return row{}, false
	}
	rw.from = dayOf(d)
	switch rw.period {
	case PeriodDay:
		rw.to = rw.from
	case PeriodWeek:
		rw.to = rw.from + 6
	case PeriodMonth:
		rw.to = lastOfMonth(rw.from)
	}
	rw.fromDate, rw.toDate = dateOf(rw.from), dateOf(rw.to)
	rw.currency = strings.Clone(rec[1]) // the record is reused
	rw.source = strings.Clone(rw.source)
	return rw, true
}

// buildIndex sorts each currency's rows by their first day and reports two
// rows whose periods overlap.
func (t *Table) buildIndex(errs *problem.List) {
	for i := range t.rows {
		c := t.rows[i].currency
		k, ok := t.index[c]
		if !ok {
			k = len(t.series)
			t.index[c] = k
			t.series = append(t.series, series{})
		}
		t.series[k].rows = append(t.series[k].rows, int32(i))
	}
	for k := range t.series {
		s := &t.series[k]
		slices.SortFunc(s.rows, func(a, b int32) int { return int(t.rows[a].from - t.rows[b].from) })
		s.starts = make([]day, len(s.rows))
		for j, i := range s.rows {
			s.starts[j] = t.rows[i].from
			if j == 0 {
				continue
			}
			prev, cur := &t.rows[s.rows[j-1]], &t.rows[i]
			if prev.to >= cur.from {
				a, b := prev, cur
				if a.line > b.line {
					a, b = b, a
				}
				errs.Add(problem.Pos{File: t.Path, Line: int(b.line)}, "date",
					"%s %s (%s, to %s) overlaps line %d (%s %s, %s, to %s)",
					b.currency, dateOf(b.from), b.period, dateOf(b.to), a.line, a.currency, dateOf(a.from), a.period, dateOf(a.to))
			}
		}
	}
	lo, hi := t.rows[0].from, t.rows[0].to
	for _, rw := range t.rows {
		lo, hi = min(lo, rw.from), max(hi, rw.to)
	}
	first, last := monthIndex(lo)-12, monthIndex(hi)+12
	t.wedFirst = first
	t.wednesdays = make([]ruleDay, last-first+1)
	for i := range t.wednesdays {
		y, m := (first+i)/12, (first+i)%12+1
		pw := penultimateWednesday(daysFromCivil(y, m, 1) - 1) // of the month before
		t.wednesdays[i] = ruleDay{pw, dateOf(pw)}
	}
	slices.SortStableFunc(*errs, func(a, b *problem.Error) int { return a.Pos.Line - b.Pos.Line })
}

// Currencies returns the currencies the table has rates for, sorted.
func (t *Table) Currencies() []string {
	cs := make([]string, 0, len(t.index))
	for c := range t.index {
		cs = append(cs, c)
	}
	slices.Sort(cs)
	return cs
}

// Span returns the first and the last day the table has a rate of currency
// for; both are zero when it has none.
func (t *Table) Span(currency string) (first, last date.Date) {
	k, ok := t.index[currency]
	if !ok {
		return date.Date{}, date.Date{}
	}
	s := t.series[k]
	lastRow := t.rows[s.rows[len(s.rows)-1]]
	return dateOf(s.starts[0]), dateOf(lastRow.to)
}

func validHeader(h []string) bool {
	if len(h) < 4 || len(h) > len(columns) {
		return false
	}
	for i, c := range h {
		if c != columns[i] {
			return false
		}
	}
	return true
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

func tableName(p string) string {
	p = strings.ReplaceAll(p, `\`, "/")
	return strings.TrimSuffix(path.Base(p), ".csv")
}

// csvLine returns the line of a csv.ParseError, or def.
func csvLine(err error, def int) int {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return pe.Line
	}
	return def
}

// csvMessage returns the reason of a csv.ParseError without its position,
// which the problem carries.
func csvMessage(err error) string {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return fmt.Sprintf("column %d: %v", pe.Column, pe.Err)
	}
	return err.Error()
}

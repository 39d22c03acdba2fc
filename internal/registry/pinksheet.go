package registry

import (
	"io/fs"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/suggest"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Series is one monthly price series of the World Bank Commodity Price Data
// (the Pink Sheet), in nominal US dollars.
type Series struct {
	Code   string  // as the workbook spells it: "COPPER", "Tin", "IRON_ORE"
	Name   string  // "Copper"
	Unit   string  // "$/mt", "$/troy oz", "$/dmtu"
	Points []Point // in month order
}

// Point is one month's price.
type Point struct {
	Month string // YYYY-MM
	Value dec.Decimal
}

const pinkSheetFile = "worldbank-pinksheet/pinksheet_metals_minerals_monthly.csv"

func (r *Registry) loadPinkSheet(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, pinkSheetFile, errs, "period", "code", "commodity", "unit", "value")
	if err != nil {
		return err
	}
	r.pink = make(map[string]*Series)
	for row, ok := f.next(); ok; row, ok = f.next() {
		code := row.str("code")
		key := strings.ToUpper(code)
		s := r.pink[key]
		if s == nil {
			s = &Series{Code: code, Name: row.str("commodity"), Unit: row.str("unit"), Points: make([]Point, 0, 800)}
			r.pink[key] = s
		} else if s.Code != code {
			row.errorf("code", "%q differs in case from %q: codes are looked up without case", code, s.Code)
			continue
		}
		p := row.str("period") // 1960M01
		if len(p) != 7 || p[4] != 'M' || !validMonth(p[:4]+"-"+p[5:]) {
			row.errorf("period", "%q is not a month written YYYYMmm", p)
			continue
		}
		m := p[:4] + "-" + p[5:]
		if n := len(s.Points); n > 0 && s.Points[n-1].Month >= m {
			row.errorf("period", "%s %s is not after %s", code, m, s.Points[n-1].Month)
			continue
		}
		v, ok := row.dec("value")
		if !ok {
			continue
		}
		s.Points = append(s.Points, Point{Month: m, Value: v})
	}
	return nil
}

// PinkSheet returns the series with this code, in any case ("copper", "TIN").
// The file is parsed on first use; its problems, if any, are returned by every
// call. The Series is shared: callers must not change its Points. Only the metals
// and minerals series are shipped; another code is NotFound.
func (r *Registry) PinkSheet(code string) (Series, error) {
	if err := r.pinkOnce.do(r.fsys, r.loadPinkSheet); err != nil {
		return Series{}, err
	}
	if s, ok := r.pink[strings.ToUpper(code)]; ok {
		return *s, nil
	}
	return Series{}, &problem.Error{Code: problem.NotFound, Field: "series",
		Message: "no Pink Sheet series " + strconv.Quote(code) + suggest.DidYouMean(suggest.Near(code, r.PinkSheetCodes()))}
}

// PinkSheetCodes returns the codes of the shipped series, sorted (none if the
// file cannot be read: PinkSheet reports why).
func (r *Registry) PinkSheetCodes() []string {
	_ = r.pinkOnce.do(r.fsys, r.loadPinkSheet)
	out := make([]string, 0, len(r.pink))
	for _, s := range r.pink {
		out = append(out, s.Code)
	}
	slices.Sort(out)
	return out
}

// Price returns the value of the series for a month (YYYY-MM); a month without
// a price is reported as not ok, never as zero.
func (s Series) Price(month string) (dec.Decimal, bool) {
	i, ok := slices.BinarySearchFunc(s.Points, month, func(p Point, m string) int { return strings.Compare(p.Month, m) })
	if !ok {
		return dec.Zero, false
	}
	return s.Points[i].Value, true
}

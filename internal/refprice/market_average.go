package refprice

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// marketAverage is the trailing average of a benchmark series over the months
// complete by the data cut-off, times a factor, less a discount. A month
// missing from the window is an error: a floor is never computed from partial
// data.
func (c *calc) marketAverage() (dec.Decimal, error) {
	p := c.rule.Price
	s, err := c.series(p.Series)
	if err != nil {
		return dec.Zero, c.fail("series "+p.Series, "%v", err)
	}
	if s.Illustrative {
		c.f.Illustrative = true
	}
	if p.Months <= 0 {
		return dec.Zero, c.fail("months", "must be > 0, got %d", p.Months)
	}
	window, err := publishedMonths(s, c.f.CutOff, p.Months)
	if err != nil {
		return dec.Zero, c.fail("series "+p.Series, "%v", err)
	}
	var sum dec.Decimal
	var missing []string
	for _, m := range window {
		v, ok := s.Points[m]
		if !ok {
			missing = append(missing, m)
			continue
		}
		sum = sum.Add(v)
	}
	if len(missing) > 0 {
		return dec.Zero, c.fail("series "+p.Series, "no value for %s (the %d months to %s are needed for the revision of %s; the series has %s)",
			listMonths(missing), p.Months, window[len(window)-1], c.f.ValidFrom, s.span())
	}
	c.input(s.quality(), "series", dec.FromInt(int64(len(window))), "months", fmt.Sprintf("%s: %s (%s per %s)", s.ID, s.Source, s.Currency, s.Unit), window[0]+" to "+window[len(window)-1])
	for _, m := range window {
		c.input(s.quality(), s.ID+" "+m, s.Points[m], s.Currency+"/"+s.Unit, s.Source, m)
		c.f.Inputs[len(c.f.Inputs)-1].inSeries = true
		if s.Released != nil {
			on, err := s.Released(m)
			if err != nil {
				return dec.Zero, c.fail("series "+p.Series, "%v", err)
			}
			if err := c.released(on, s.ID+" "+m); err != nil {
				return dec.Zero, err
			}
		}
	}
	avg := c.step("average", map[string]string{"sum": sum.String(), "months": fmt.Sprint(p.Months)}, "sum of the monthly values / months", sum.Quo(dec.FromInt(int64(p.Months))))
	avg, err = c.perUnit(avg, s.Unit, "series "+p.Series)
	if err != nil {
		return dec.Zero, err
	}
	avg, err = c.inCurrency(avg, s.Currency, "series "+p.Series)
	if err != nil {
		return dec.Zero, err
	}
	factor := p.Factor
	if factor.IsZero() {
		factor = dec.One
	}
	c.input(Agreed, "factor", factor, "", "agreement, "+p.Basis, "")
	out := c.step("factor", map[string]string{"average": avg.String(), "factor": factor.String()}, "average × factor", avg.Mul(factor))
	if p.Discount.Sign() > 0 {
		c.input(Agreed, "discount", p.Discount, c.f.Currency+"/"+c.f.Unit, "agreement, "+p.Basis, "")
		out = c.step("discount", map[string]string{"price": out.String(), "discount": p.Discount.String()}, "price − discount", out.Sub(p.Discount))
	}
	if out.Sign() <= 0 {
		return dec.Zero, c.fail("discount", "the discount %s leaves no positive price (%s)", p.Discount, out)
	}
	return out, nil
}

// publishedMonths returns the n months, oldest first, ending with the last
// month whose value was public at cutOff: the last complete month, or, for a
// series whose months have release dates (the Pink Sheet's: early in the next
// month), the last one released on or before cutOff.
func publishedMonths(s *MonthlySeries, cutOff date.Date, n int) ([]string, error) {
	window := completeMonths(cutOff, n)
	if s.Released == nil {
		return window, nil
	}
	last := date.New(cutOff.Year(), cutOff.Month(), 1).AddMonths(-1)
	for {
		on, err := s.Released(last.MonthKey())
		if err != nil {
			return nil, err
		}
		if !on.After(cutOff) {
			break
		}
		last = last.AddMonths(-1)
	}
	return completeMonths(last.AddMonths(1), n), nil
}

// completeMonths returns the n months, oldest first, that ended on or before
// cutOff: a month counts once the first day of the next month is not after it.
func completeMonths(cutOff date.Date, n int) []string {
	last := date.New(cutOff.Year(), cutOff.Month(), 1).AddMonths(-1)
	out := make([]string, n)
	for i := 0; i < n; i++ {
		out[n-1-i] = last.AddMonths(-i).MonthKey()
	}
	return out
}

func listMonths(ms []string) string {
	if len(ms) > 6 {
		return strings.Join(ms[:3], ", ") + fmt.Sprintf(" … %s (%d months)", ms[len(ms)-1], len(ms))
	}
	return strings.Join(ms, ", ")
}

func (s *MonthlySeries) span() string {
	first, last := "", ""
	for m := range s.Points {
		if first == "" || m < first {
			first = m
		}
		if m > last {
			last = m
		}
	}
	if first == "" {
		return "no values"
	}
	return "values from " + first + " to " + last
}

// series finds a benchmark series: "pinksheet:CODE" from the registry, any
// other id from the engine's Series source.
func (c *calc) series(id string) (*MonthlySeries, error) {
	if code, ok := strings.CutPrefix(id, "pinksheet:"); ok {
		return c.e.pinkSheet(code)
	}
	if c.e.src.Series == nil {
		return nil, fmt.Errorf("unknown series %q (the registry has pinksheet:CODE series; others come from the store)", id)
	}
	return c.e.src.Series(id)
}

// pinkSheetUnits maps the Pink Sheet's units to registry units.
var pinkSheetUnits = map[string]string{"$/mt": "t", "$/troy oz": "troy_oz", "$/dmtu": "dmtu", "$/kg": "kg"}

func (e *Engine) pinkSheet(code string) (*MonthlySeries, error) {
	key := "pinksheet:" + code
	e.mu.Lock()
	s, ok := e.series[key]
	e.mu.Unlock()
	if ok {
		return s, nil
	}
	ps, err := e.src.Registry.PinkSheet(code)
	if err != nil {
		return nil, err
	}
	unit, ok := pinkSheetUnits[ps.Unit]
	if !ok {
		return nil, fmt.Errorf("series %s is quoted in %q, which has no registry unit", key, ps.Unit)
	}
	s = &MonthlySeries{ID: key, Name: ps.Name, Unit: unit, Currency: "USD",
		Source: "World Bank Commodity Price Data (Pink Sheet), " + ps.Name + ", nominal " + ps.Unit, Points: make(map[string]dec.Decimal, len(ps.Points)),
		Released: registry.PinkSheetReleased, ReleaseRule: registry.PinkSheetCitation}
	for _, pt := range ps.Points {
		s.Points[pt.Month] = pt.Value
	}
	e.mu.Lock()
	e.series[key] = s
	e.mu.Unlock()
	return s, nil
}

package refprice

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// calc is the derivation of one floor in progress: the methods record their
// inputs and steps on it as they go.
type calc struct {
	e     *Engine
	f     *Floor
	rule  *agreement.StageScope
	basis string
	// inherited is the provenance of the floors this one depends on (an
	// upstream stage, a binding collar's previous floor).
	inherited []Provenance
	// late names the inputs used although released after the cut-off (by
	// an engine whose agreement says later_vintages: flag).
	late []string
}

// released records when the last input recorded became public, and checks
// it against the data cut-off: a vintage released after it is a problem that
// names the input, the release and the cut-off, or, where the agreement says
// later_vintages: flag (and StrictVintages does not override it), is flagged
// after_cut_off in the floor's provenance. A zero date is a
// figure with no recorded release (one supplied directly, e.g. by a test).
func (c *calc) released(on date.Date, what string) error {
	if on.IsZero() {
		return nil
	}
	in := &c.f.Inputs[len(c.f.Inputs)-1]
	in.Released = on.String()
	if !on.After(c.f.CutOff) {
		return nil
	}
	if !c.e.strict {
		c.late = append(c.late, in.Name)
		return nil
	}
	return c.fail(in.Name, "%s was released on %s, after the data cut-off %s of the revision of %s, and no earlier vintage ships: the floor would use data nobody had on its date",
		what, on, c.f.CutOff, c.f.ValidFrom)
}

func (c *calc) method() (dec.Decimal, error) {
	switch c.rule.Price.Method {
	case agreement.CostCurve:
		return c.costCurve()
	case agreement.MarketAverage:
		return c.marketAverage()
	case agreement.StageChain:
		return c.stageChain()
	case agreement.Negotiated:
		return c.negotiated()
	case agreement.Band:
		return c.band()
	}
	return dec.Zero, fmt.Errorf("unknown price method %q", c.rule.Price.Method)
}

// input records a figure the floor depends on, with its quality.
func (c *calc) input(q Quality, name string, v dec.Decimal, unit, source, when string) {
	c.f.Inputs = append(c.f.Inputs, Input{Name: name, Value: v.String(), Unit: unit, Source: source, Date: when, Quality: q})
}

// step records one step of the derivation and returns its output.
func (c *calc) step(name string, in map[string]string, formula string, out dec.Decimal) dec.Decimal {
	c.f.Steps = append(c.f.Steps, Step{Step: name, Inputs: in, Formula: formula, Output: out.String(), Basis: c.basis})
	return out
}

// fail is an input problem of this floor, named by mineral, stage and input.
func (c *calc) fail(input, format string, args ...any) error {
	return &problem.Error{Code: problem.Invalid, Field: c.f.Mineral + "/" + c.f.Stage,
		Message: input + ": " + fmt.Sprintf(format, args...)}
}

// collar limits the move from the previous revision's price to ±share of it.
// When it binds, the floor inherits the previous floor's provenance.
func (c *calc) collar(price dec.Decimal, prev *Floor, share dec.Decimal, prevFrom date.Date) dec.Decimal {
	lo := prev.Price.Mul(dec.One.Sub(share))
	hi := prev.Price.Mul(dec.One.Add(share))
	out := dec.Min(dec.Max(price, lo), hi)
	if out.Cmp(price) != 0 {
		c.inherited = append(c.inherited, prev.Provenance...)
		if c.f.MarginalCost == "" {
			c.f.MarginalCost = prev.MarginalCost
		}
	}
	c.input("", "previous floor", prev.Price, c.f.Currency+"/"+c.f.Unit, "publication of "+prevFrom.String(), prevFrom.String())
	return c.step("collar", map[string]string{"price": price.String(), "previous": prev.Price.String(), "collar": share.String()},
		"min(max(price, previous × (1 − collar)), previous × (1 + collar))", out)
}

// perUnit converts a price per fromUnit into a price per the floor's unit,
// exactly: price × (kg per floor unit) ÷ (kg per fromUnit).
func (c *calc) perUnit(price dec.Decimal, fromUnit, what string) (dec.Decimal, error) {
	if fromUnit == c.f.Unit {
		return price, nil
	}
	reg := c.e.src.Registry
	from, err := reg.Unit(fromUnit)
	if err != nil {
		return dec.Zero, c.fail(what, "unit %q: %v", fromUnit, err)
	}
	to, err := reg.Unit(c.f.Unit)
	if err != nil {
		return dec.Zero, c.fail(what, "unit %q: %v", c.f.Unit, err)
	}
	out := price.Mul(to.PerKg).Quo(from.PerKg)
	return c.step("convert unit", map[string]string{"price": price.String(), "from": fromUnit, "to": c.f.Unit},
		fmt.Sprintf("price × %s kg/%s ÷ %s kg/%s", to.PerKg, c.f.Unit, from.PerKg, fromUnit), out), nil
}

// inCurrency converts an amount in currency into the agreement currency at the
// rate of the last month whose FRED rate was public at the data cut-off (the
// month before the cut-off's, or the one before it early in a month).
func (c *calc) inCurrency(amount dec.Decimal, currency, what string) (dec.Decimal, error) {
	if currency == c.f.Currency {
		return amount, nil
	}
	month := c.f.CutOff.FirstOfMonth().AddMonths(-1).MonthKey()
	if on, err := registry.FREDReleased(month); err == nil && on.After(c.f.CutOff) {
		month = c.f.CutOff.FirstOfMonth().AddMonths(-2).MonthKey()
	}
	out, quotes, err := c.e.src.Registry.Convert(amount, currency, c.f.Currency, month)
	if err != nil {
		return dec.Zero, c.fail(what, "converting %s to %s for %s: %v", currency, c.f.Currency, month, err)
	}
	for _, q := range quotes {
		c.input(Reported, "exchange rate "+q.Currency, q.Value, q.Quotation, q.Source, q.Month)
		on, _ := registry.FREDReleased(q.Month)
		if err := c.released(on, "the FRED rate of "+q.Month); err != nil {
			return dec.Zero, err
		}
	}
	return c.step("convert currency", map[string]string{"amount": amount.String(), "from": currency, "to": c.f.Currency, "month": month},
		"amount at the FRED monthly rate of the last month public at the cut-off", out), nil
}

func (c *calc) negotiated() (dec.Decimal, error) {
	p := c.rule.Price
	c.input(Agreed, "negotiated price", p.Price, c.f.Currency+"/"+c.f.Unit, "agreement "+c.e.ag.ID+", "+p.Basis, p.AgreedOn.String())
	if err := c.released(p.AgreedOn, "the price agreed on "+p.AgreedOn.String()); err != nil {
		return dec.Zero, err
	}
	return c.step("negotiated", map[string]string{"price": p.Price.String()}, "price as agreed", p.Price), nil
}

// band publishes the band's floor as the reference price and the ceiling with
// the International Tin Agreement's sectors: the range split in three equal
// parts, as the ITA's buffer-stock provisions do (the manager may buy in the
// lower sector, must buy at the floor, may sell in the upper sector and must
// sell at the ceiling; see docs/prices.md).
func (c *calc) band() (dec.Decimal, error) {
	p := c.rule.Price
	c.input(Agreed, "band floor", p.Floor, c.f.Currency+"/"+c.f.Unit, "agreement "+c.e.ag.ID+", "+p.Basis, "")
	c.input(Agreed, "band ceiling", p.Ceiling, c.f.Currency+"/"+c.f.Unit, "agreement "+c.e.ag.ID+", "+p.Basis, "")
	third := p.Ceiling.Sub(p.Floor).Quo(dec.FromInt(3))
	b := &Band{Floor: p.Floor, Ceiling: p.Ceiling, LowerTop: p.Floor.Add(third), UpperBottom: p.Ceiling.Sub(third)}
	c.step("sectors", map[string]string{"floor": p.Floor.String(), "ceiling": p.Ceiling.String()},
		"lower sector [floor, floor + (ceiling − floor)/3); upper sector [ceiling − (ceiling − floor)/3, ceiling]", third)
	c.f.Band = b
	return c.step("band floor", map[string]string{"floor": p.Floor.String()}, "reference price = band floor", p.Floor), nil
}

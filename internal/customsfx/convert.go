package customsfx

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// A Conversion is one amount converted by a table, with the rates it used,
// for the trace. Its Formula and Basis are text rendered on demand, so that
// converting costs no allocation.
type Conversion struct {
	Amount exact.Q // the amount converted, in From
	From   string
	To     string
	Result exact.Q // exact, in To: nothing is rounded here
	Base   string  // the table's base
	Table  string  // the table's name
	Cross  bool    // neither currency is Base: the conversion went through it
	// Rates holds the quotes used, NRates of them: none when From is To,
	// one when either is Base, two (From's, then To's) for a cross rate.
	Rates  [2]Quote
	NRates int
}

// Quotes returns the quotes the conversion used.
func (c *Conversion) Quotes() []Quote { return c.Rates[:c.NRates] }

// Convert converts amount from one currency to another on day under rule,
// exactly. It is direct when one of them is the table's Base (a specific duty
// stated in EUR, applied by a GBP service, uses the EUR rate of its own
// table: amount ÷ rate); between two other currencies it goes through Base
// (amount ÷ rate of from × rate of to) only when cross is true, as a party's
// rules allow it or not, and is otherwise an error, of code invalid, saying
// that the party does not allow cross rates.
func (t *Table) Convert(amount exact.Q, from, to string, on date.Date, rule Rule, cross bool) (exact.Q, Conversion, error) {
	c := Conversion{Amount: amount, From: from, To: to, Base: t.Base, Table: t.Name}
	switch {
	case from == to:
		c.Result = amount
	case to == t.Base:
		q, err := t.Rate(from, on, rule)
		if err != nil {
			return exact.Q{}, c, err
		}
		c.Rates[0], c.NRates = q, 1
		c.Result = amount.Quo(q.Rate)
	case from == t.Base:
		q, err := t.Rate(to, on, rule)
		if err != nil {
			return exact.Q{}, c, err
		}
		c.Rates[0], c.NRates = q, 1
		c.Result = amount.Mul(q.Rate)
	case !cross:
		return exact.Q{}, c, &problem.Error{Code: problem.Invalid, Field: "currency",
			Message: fmt.Sprintf("converting %s to %s needs a cross rate through %s, the base of table %s, and the party does not allow cross rates",
				from, to, t.Base, t.Name)}
	default:
		qf, err := t.Rate(from, on, rule)
		if err != nil {
			return exact.Q{}, c, err
		}
		qt, err := t.Rate(to, on, rule)
		if err != nil {
			return exact.Q{}, c, err
		}
		c.Rates, c.NRates, c.Cross = [2]Quote{qf, qt}, 2, true
		c.Result = amount.Quo(qf.Rate).Mul(qt.Rate)
	}
	return c.Result, c, nil
}

// Formula renders the arithmetic: "12.50 EUR ÷ 1.1853 EUR/GBP =
// 10.545853... GBP", where "EUR/GBP" reads "EUR per GBP" and "..." marks a
// result shown to six places whose exact value goes on.
func (c *Conversion) Formula() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s %s", show(c.Amount), c.From)
	switch {
	case c.NRates == 0:
	case c.Cross:
		fmt.Fprintf(&b, " ÷ %s %s/%s × %s %s/%s", show(c.Rates[0].Rate), c.From, c.Base, show(c.Rates[1].Rate), c.To, c.Base)
	case c.To == c.Base:
		fmt.Fprintf(&b, " ÷ %s %s/%s", show(c.Rates[0].Rate), c.From, c.Base)
	default:
		fmt.Fprintf(&b, " × %s %s/%s", show(c.Rates[0].Rate), c.To, c.Base)
	}
	fmt.Fprintf(&b, " = %s %s", show(c.Result), c.To)
	return b.String()
}

// Basis renders where each rate came from, one quote after the other:
// "(1.1853 EUR per GBP, monthly rate of 2025-03 (uk-hmrc-monthly-illustrative
// line 14))".
func (c *Conversion) Basis() string {
	if c.NRates == 0 {
		return "(same currency: no rate)"
	}
	parts := make([]string, c.NRates)
	for i, q := range c.Quotes() {
		parts[i] = q.String()
	}
	s := "(" + strings.Join(parts, "; ")
	if c.Cross {
		s += "; cross rate through " + c.Base + ", which the party allows"
	}
	return s + ")"
}

// show renders x exactly, with the places it was written with ("12.50"),
// when it is a decimal of at most 18 places, else truncated to 6 places
// followed by "...".
func show(x exact.Q) string {
	for p := 0; p <= 18; p++ {
		if _, cond := x.Round(p, dec.HalfEven); !cond.Rounded() {
			return string(x.AppendMoney(nil, p))
		}
	}
	return string(x.AppendPlaces(nil, 6, dec.Down, false)) + "..."
}

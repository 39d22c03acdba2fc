package duty

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/customsfx"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// A party that names its own rate table (exchange_rate source customs_table,
// docs/customs-rates.md) converts with the rates its customs service
// published, by its rule (the day of acceptance, the month, the EU's
// penultimate Wednesday), not with FRED's monthly averages. The engine keeps
// its conversions as units per US dollar (fxEntry), so a table's rates,
// which are units per unit of the party's currency, are brought to that
// form: units of c per USD = rate(c) ÷ rate(USD); the party's own currency
// has rate 1. Converting x from c to the party's currency is then
// x × perUSD(party) ÷ perUSD(c) = x ÷ rate(c), the table's own conversion.

type tableKey struct {
	cp  *cparty
	cur string
	on  date.Date
}

// rateOf returns the rate of cur the party applies to a declaration
// accepted on the day of as: its table's, or FRED's of the month its rule
// names.
func (a *Assessor) rateOf(as *Assessment, cur string) (fxEntry, error) {
	if as.party.table == nil {
		return a.perUSD(cur, as.fxMonth)
	}
	return a.tableRate(as.party, cur, as.On)
}

// tableRate is the rate of cur, in units per US dollar, from cp's table on
// day on.
func (a *Assessor) tableRate(cp *cparty, cur string, on date.Date) (fxEntry, error) {
	k := tableKey{cp, cur, on}
	if e, ok := a.tableFx.load(k); ok {
		return e, e.err
	}
	e := a.tableEntry(cp, cur, on)
	a.tableFx.store(k, e)
	return e, e.err
}

func (a *Assessor) tableEntry(cp *cparty, cur string, on date.Date) fxEntry {
	t := cp.table
	usd := exact.Int(1)
	var usdQ *customsfx.Quote
	if t.Base != "USD" {
		q, err := t.Rate("USD", on, cp.rule)
		if err != nil {
			return fxEntry{err: fmt.Errorf("the party's table has no USD rate, which the agreement's figures need: %w", err)}
		}
		usd, usdQ = q.Rate, &q
	}
	switch cur {
	case t.Base:
		return fxEntry{perUSD: usd.Inv()} // the base: no rate of its own
	case "USD":
		return fxEntry{perUSD: exact.Int(1), table: usdQ}
	}
	q, err := t.Rate(cur, on, cp.rule)
	if err != nil {
		return fxEntry{err: err}
	}
	return fxEntry{perUSD: q.Rate.Quo(usd), table: &q}
}

// tableText describes the table rate of an entry for the trace.
func (e fxEntry) tableText() string {
	if e.table == nil {
		return "base currency"
	}
	return e.table.String()
}

// tableRates is step 4 for a party with its own table: the rates of the
// declared, the party's and the agreement's currencies on the day of
// acceptance, by the party's rule; a missing rate is a problem with the
// declaration's date or currency.
func (a *Assessor) tableRates(dy *day, cp *cparty, x *decl, as *Assessment) (*fxTriple, *problem.Error) {
	var err error
	if as.fxDecl, err = a.tableRate(cp, x.cur, x.on); err != nil {
		return nil, fieldErr("currency", x.cur, "%v", err)
	}
	if as.fxParty, err = a.tableRate(cp, cp.currency, x.on); err != nil {
		return nil, fieldErr("accepted_on", x.on.String(), "%v", err)
	}
	if as.fxAg, err = a.tableRate(cp, a.ag.Currency, x.on); err != nil {
		return nil, fieldErr("accepted_on", x.on.String(), "agreement currency %s: %v", a.ag.Currency, err)
	}
	return x.c.keepFx(a, dy, cp, x.cur, as), nil
}

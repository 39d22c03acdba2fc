package refprice

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// deflator brings a cost curve's costs, stated in the money of the curve's
// cost year Y, to the money of the floor: factor = CPI-U of the latest month
// public at the data cut-off ÷ CPI-U annual average of Y (BLS series
// CUUR0000SA0; docs/prices.md, "Provenance"). It records the factor as the
// input "deflator" with both CPI figures and a step, and returns it.
//
// Where no factor can be formed from data public at the cut-off (costs not in
// USD, a cost year whose twelve months are not all published or not all public
// by the cut-off, no CPI month public yet), it returns ok false and records the
// input "cost basis" of quality not_deflated saying why: the costs are then
// used as stated and the floor is flagged, never deflated with a guess.
func (c *calc) deflator(cc *CostCurve) (factor dec.Decimal, ok bool) {
	notDeflated := func(why string) (dec.Decimal, bool) {
		c.input(NotDeflated, "cost basis", dec.FromInt(int64(cc.Year)), cc.Currency+" of the year",
			fmt.Sprintf("costs in %d %s, not deflated: %s; the cash cost is used in the money the curve states", cc.Year, cc.Currency, why), fmt.Sprint(cc.Year))
		return dec.One, false
	}
	if cc.Currency != "USD" {
		return notDeflated("the deflator that ships is the US CPI-U, for costs in USD")
	}
	reg := c.e.src.Registry
	avg, err := reg.CPIAnnualAverage(cc.Year)
	if err != nil {
		return notDeflated(err.Error())
	}
	avgOn, err := registry.CPIReleased(fmt.Sprintf("%04d-12", cc.Year))
	if err != nil {
		return notDeflated(err.Error())
	}
	if avgOn.After(c.f.CutOff) {
		return notDeflated(fmt.Sprintf("the CPI-U annual average of %d was public only on %s (with its December), after the data cut-off %s", cc.Year, avgOn, c.f.CutOff))
	}
	now, nowOn, err := reg.CPILatest(c.f.CutOff)
	if err != nil {
		return notDeflated(err.Error())
	}
	factor = now.Index.Quo(avg)
	c.input(Reported, "deflator", factor, fmt.Sprintf("USD of %s per USD of %d", now.Month, cc.Year),
		fmt.Sprintf("%s: %s (%s, the latest month public at the cut-off, released %s) / %s (%d annual average, the mean of its 12 months, released %s); costs in %d USD brought to %s USD",
			registry.CPISeries, now.Index, now.Month, nowOn, avg, cc.Year, avgOn, cc.Year, now.Month), now.Month)
	// Both months are public at the cut-off by construction; the input names
	// the later release.
	_ = c.released(nowOn, "the CPI-U of "+now.Month)
	return c.step("deflator", map[string]string{"CPI-U " + now.Month: now.Index.String(), fmt.Sprintf("CPI-U %d annual average", cc.Year): avg.String()},
		fmt.Sprintf("CPI-U of %s (latest month public at the cut-off) / CPI-U annual average of %d (the costs' year)", now.Month, cc.Year), factor), true
}

package refprice

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/annuity"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// sortedCurve is a cost curve sorted by cost, kept once per engine.
type sortedCurve struct {
	curve     *CostCurve
	producers []Producer
}

func (e *Engine) sortedCurve(name, mineral, stage string) (*sortedCurve, error) {
	key := name + "\x00" + mineral + "\x00" + stage
	e.mu.Lock()
	sc, ok := e.curve[key]
	e.mu.Unlock()
	if ok {
		return sc, nil
	}
	if e.src.Curves == nil {
		return nil, fmt.Errorf("no cost curves are available to this engine")
	}
	cc, err := e.src.Curves(name, mineral, stage)
	if err != nil {
		return nil, err
	}
	ps := slices.Clone(cc.Producers)
	slices.SortStableFunc(ps, func(a, b Producer) int {
		if c := a.Cost.Cmp(b.Cost); c != 0 {
			return c
		}
		return strings.Compare(a.ID, b.ID)
	})
	sc = &sortedCurve{curve: cc, producers: ps}
	e.mu.Lock()
	e.curve[key] = sc
	e.mu.Unlock()
	return sc, nil
}

// costCurve sets the floor at the price where the marginal market-economy
// project earns its risk-adjusted return: the cash cost at percentile p of
// cumulative production of the producers that count, plus a capital charge
// (capital intensity × capital recovery factor at the risk-adjusted rate).
// Formula and sources: docs/prices.md, "cost_curve".
func (c *calc) costCurve() (dec.Decimal, error) {
	p := c.rule.Price
	sc, err := c.e.sortedCurve(p.Curve, c.f.Mineral, c.f.Stage)
	if err != nil {
		return dec.Zero, c.fail("cost curve "+p.Curve, "%v", err)
	}
	cc := sc.curve
	if cc.Illustrative {
		c.f.Illustrative = true
	}
	counts, who, err := c.whoCounts(p)
	if err != nil {
		return dec.Zero, err
	}
	var total dec.Decimal
	var kept []Producer
	for _, pr := range sc.producers {
		if counts(pr.Country) && pr.Capacity.Sign() > 0 {
			kept = append(kept, pr)
			total = total.Add(pr.Capacity)
		}
	}
	if total.Sign() <= 0 {
		return dec.Zero, c.fail("cost curve "+p.Curve, "no production counts (%s): the curve has %d producers, none with capacity among the producers that count", who, len(sc.producers))
	}
	if p.Percentile.Sign() <= 0 || p.Percentile.Cmp(dec.FromInt(100)) > 0 {
		return dec.Zero, c.fail("percentile", "must be in (0, 100], got %s", p.Percentile)
	}
	source := fmt.Sprintf("%s (%s, %d costs): %s", cc.Name, illustrative(cc.Illustrative), cc.Year, cc.Source)
	if cc.VintageName != "" {
		source += "; vintage: " + cc.VintageName + ", released " + cc.Released.String()
	}
	c.input(cc.quality(), "cost curve", dec.FromInt(int64(len(kept))), "producers", source, "")
	if err := c.released(cc.Released, "its vintage, "+cc.VintageName+","); err != nil {
		return dec.Zero, err
	}
	c.input(cc.capacityQuality(), "production that counts", total, cc.Unit+"/year", who, "")
	c.input(Agreed, "percentile", p.Percentile, "%", "agreement, "+p.Basis, "")

	target := total.Mul(p.Percentile).Quo(dec.FromInt(100))
	c.step("percentile production", map[string]string{"total": total.String(), "percentile": p.Percentile.String()}, "total × percentile / 100", target)
	var cum dec.Decimal
	var marginal Producer
	for _, pr := range kept {
		cum = cum.Add(pr.Capacity)
		if cum.Cmp(target) >= 0 {
			marginal = pr
			break
		}
	}
	c.f.MarginalCost = marginalCostSource(cc, marginal)
	c.input(marginal.quality(cc), "marginal producer", marginal.Capacity, cc.Unit+"/year", fmt.Sprintf("%s (%s), cash cost %s %s/%s; cost: %s", marginal.Name, marginal.Country, marginal.Cost, cc.Currency, cc.Unit, costSourceText(cc, marginal)), "")
	cash := c.step("cash cost at percentile", map[string]string{"cumulative production": cum.String(), "target": target.String(), "producer": marginal.ID},
		"cost of the first producer, in order of cost, at which cumulative production reaches the target", marginal.Cost)
	if factor, deflate := c.deflator(cc); deflate {
		cash = c.step("deflated cash cost", map[string]string{"cash cost": cash.String(), "deflator": factor.String()},
			fmt.Sprintf("cash cost in %d %s × deflator", cc.Year, cc.Currency), cash.Mul(factor))
	}

	rate, err := c.riskRate(p, marginal.Country)
	if err != nil {
		return dec.Zero, err
	}
	crf, err := c.recoveryFactor(rate, p.LifeYears)
	if err != nil {
		return dec.Zero, err
	}
	c.input(Agreed, "capital intensity", p.CapitalIntensity, c.f.Currency+" per "+c.f.Unit+"/year of capacity", "agreement, "+p.Basis, "")
	charge := c.step("capital charge", map[string]string{"capital intensity": p.CapitalIntensity.String(), "crf": crf.String()}, "capital intensity × CRF", p.CapitalIntensity.Mul(crf))

	cashHere, err := c.perUnit(cash, cc.Unit, "cost curve "+p.Curve)
	if err != nil {
		return dec.Zero, err
	}
	cashHere, err = c.inCurrency(cashHere, cc.Currency, "cost curve "+p.Curve)
	if err != nil {
		return dec.Zero, err
	}
	return c.step("cost-curve floor", map[string]string{"cash cost": cashHere.String(), "capital charge": charge.String()}, "cash cost at percentile + capital charge", cashHere.Add(charge)), nil
}

// marginalCostSource names the marginal producer, the quality of its cost and
// where the cost comes from.
func marginalCostSource(cc *CostCurve, p Producer) string {
	return fmt.Sprintf("%s (%s), %s: %s", p.Name, p.Country, p.quality(cc), costSourceText(cc, p))
}

// costSourceText says where a producer's cost comes from.
func costSourceText(cc *CostCurve, p Producer) string {
	switch {
	case cc.Illustrative:
		return "a producer of a generated curve (no real mine, no real cost)"
	case p.CostSource != "":
		return p.CostSource
	}
	return "as the curve's source"
}

func illustrative(b bool) string {
	if b {
		return "illustrative"
	}
	return "published data"
}

// whoCounts returns the test of which producers' countries count, and a
// description of it for the trace.
func (c *calc) whoCounts(p agreement.PriceRule) (func(string) bool, string, error) {
	switch p.Producers {
	case agreement.PartyProducers:
		in, err := c.e.inForce(c.f.ValidFrom)
		if err != nil {
			return nil, "", err
		}
		zone, err := in.Zone(c.e.src.Registry)
		if err != nil {
			return nil, "", err
		}
		return zone.Contains, "producers in the parties in force on " + c.f.ValidFrom.String() + ": " + strings.Join(zone.Parties, ", "), nil
	case agreement.MarketEconomies, "":
		ex := map[string]bool{}
		for _, x := range p.Exclude {
			ex[x] = true
		}
		desc := "all producers"
		if len(p.Exclude) > 0 {
			desc = "all producers except " + strings.Join(p.Exclude, ", ") + " (non-market)"
		}
		return func(cc string) bool { return !ex[cc] }, desc, nil
	}
	return nil, "", c.fail("producers", "unknown rule %q", p.Producers)
}

// riskRate is the base rate plus the country risk premium of the marginal
// producer's country: min(max, slope × max(0, reference − WGI score)).
func (c *calc) riskRate(p agreement.PriceRule, country string) (dec.Decimal, error) {
	c.input(Agreed, "base rate", p.BaseRate, "per year", "agreement, "+p.Basis, "")
	if p.Risk == nil {
		return c.step("risk-adjusted rate", map[string]string{"base rate": p.BaseRate.String()}, "base rate (no country risk premium in the rule)", p.BaseRate), nil
	}
	r := p.Risk
	// The premium is the agreement's rule (agreement.RiskRule.Premium), which
	// the projects engine asks too; the trace records what it rests on.
	rp := r.Premium(c.e.src.Registry, country)
	premium := rp.Premium
	if !rp.Scored {
		// A country without a score (e.g. the "other countries" of a generated
		// curve) gets the largest premium: no score is no assurance.
		c.input(Agreed, "WGI "+r.Indicator+" "+country, dec.Zero, "score", fmt.Sprintf("no score (%v): the maximum premium applies", rp.Missing), fmt.Sprint(r.Year))
	} else {
		c.input(Reported, "WGI "+r.Indicator+" "+country, rp.Score, "score (−2.5 to 2.5)", "World Bank Worldwide Governance Indicators, 2023 update", fmt.Sprint(r.Year))
		v, err := registry.VintageOf(registry.VintageWGI2023)
		if err != nil {
			return dec.Zero, err
		}
		if err := c.released(v.Released, "the "+v.Edition+","); err != nil {
			return dec.Zero, err
		}
		c.step("country risk premium", map[string]string{"reference": r.Reference.String(), "score": rp.Score.String(), "slope": r.Slope.String(), "max": r.Max.String()},
			"min(max, slope × max(0, reference − score))", premium)
	}
	return c.step("risk-adjusted rate", map[string]string{"base rate": p.BaseRate.String(), "premium": premium.String()}, "base rate + premium", p.BaseRate.Add(premium)), nil
}

// recoveryFactor is the capital recovery factor r(1+r)^n / ((1+r)^n − 1): the
// share of a capital cost that a level annual payment over n years at rate r
// must return each year (1/n when r is 0), computed by annuity and recorded
// as a step.
func (c *calc) recoveryFactor(r dec.Decimal, n int) (dec.Decimal, error) {
	if n <= 0 {
		return dec.Zero, c.fail("life_years", "must be > 0, got %d", n)
	}
	c.input(Agreed, "project life", dec.FromInt(int64(n)), "years", "agreement", "")
	crf, g := annuity.RecoveryFactor(r, n)
	if r.IsZero() {
		return c.step("capital recovery factor", map[string]string{"r": "0", "n": fmt.Sprint(n)}, "1 / n", crf), nil
	}
	return c.step("capital recovery factor", map[string]string{"r": r.String(), "n": fmt.Sprint(n), "(1+r)^n": g.String()}, "r (1+r)^n / ((1+r)^n − 1)", crf), nil
}

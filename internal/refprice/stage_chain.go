package refprice

import "github.com/mineralpact/mineralpact/internal/dec"

// stageChain derives a downstream floor from the upstream floor in force on
// the same date: (upstream floor × input per output + conversion cost) ×
// (1 + margin). Input per output is the stoichiometric ratio divided by the
// yield, in units of upstream contained mineral per unit of output.
func (c *calc) stageChain() (dec.Decimal, error) {
	p := c.rule.Price
	from := string(p.From)
	up, err := c.e.Floor(c.f.Mineral, from, c.f.ValidFrom)
	if err != nil {
		return dec.Zero, c.fail("upstream "+from, "%v", err)
	}
	if up.Illustrative {
		c.f.Illustrative = true
	}
	c.inherited = append(c.inherited, inheritFrom(up)...)
	if up.MarginalCost != "" {
		c.f.MarginalCost = up.Mineral + "/" + up.Stage + ": " + up.MarginalCost
		if isQualified(up.MarginalCost) {
			c.f.MarginalCost = up.MarginalCost
		}
	}
	c.input("", "upstream floor "+c.f.Mineral+"/"+from, up.Price, up.Currency+"/"+up.Unit, "floor published "+up.ValidFrom.String()+", inputs "+up.InputsHash[:12], up.ValidFrom.String())
	c.input(Agreed, "input per output", p.InputPerOutput, up.Unit+" per "+c.f.Unit, "agreement, "+p.Basis, "")
	c.input(Agreed, "conversion cost", p.ConversionCost, c.f.Currency+"/"+c.f.Unit, "agreement, "+p.Basis, "")
	c.input(Agreed, "margin", p.Margin, "", "agreement, "+p.Basis, "")
	upstream := c.step("upstream cost", map[string]string{"upstream floor": up.Price.String(), "input per output": p.InputPerOutput.String()}, "upstream floor × input per output", up.Price.Mul(p.InputPerOutput))
	cost := c.step("conversion", map[string]string{"upstream cost": upstream.String(), "conversion cost": p.ConversionCost.String()}, "upstream cost + conversion cost", upstream.Add(p.ConversionCost))
	return c.step("margin", map[string]string{"cost": cost.String(), "margin": p.Margin.String()}, "cost × (1 + margin)", cost.Mul(dec.One.Add(p.Margin))), nil
}

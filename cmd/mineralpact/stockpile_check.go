package main

import (
	"context"
	"flag"
	"fmt"

	"github.com/mineralpact/mineralpact/internal/stockpile"
)

// stockpileCheckOptions are `stockpile check`: every party's obligation,
// countable holdings, shortfall and days of cover on a date, and the zone's
// (docs/stockpile.md).
type stockpileCheckOptions struct {
	in      stockpileInputs
	asOf    dateOption
	mineral string
	format  formatOption
}

func (o *stockpileCheckOptions) bind(fs *flag.FlagSet) {
	o.in.bind(fs)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the check: the holdings declared by then, the flows of the year before")
	fs.StringVar(&o.mineral, "mineral", "", "only this mineral")
	o.format.bind(fs, "table", "json", "csv")
}

func (o *stockpileCheckOptions) validate(pos []string) error {
	return firstError(noArgs(pos), o.format.validate(), o.asOf.validate())
}

func (o *stockpileCheckOptions) run(_ context.Context, s streams) error {
	env, flows, hs, err := o.in.load()
	if err != nil {
		return err
	}
	in, err := env.agreement.AsOf(o.asOf.date)
	if err != nil {
		return err
	}
	c := stockpile.Check(in, flows, hs)
	if o.mineral != "" {
		var keep []stockpile.RegimeCompliance
		for _, r := range c.Regimes {
			if r.Mineral == o.mineral {
				keep = append(keep, r)
			}
		}
		if keep == nil {
			return usagef("--mineral %q: agreement %s has no stockholding regime for it", o.mineral, c.Agreement)
		}
		c.Regimes = keep
	}
	if o.format.name == "json" {
		return writeJSON(s.out, c)
	}
	t := complianceTable(c)
	if o.format.name == "csv" {
		return t.writeCSV(s.out)
	}
	fmt.Fprintf(s.out, "stockpile compliance, agreement %s, as of %s (tonnes of contained mineral; flows of %d)\n", c.Agreement, c.AsOf, c.AsOf.Year()-1)
	t.header = upper(t.header)
	if err := t.write(s); err != nil {
		return err
	}
	for _, r := range c.Regimes {
		fmt.Fprintf(s.out, "%s/%s: %d of %d parties with an obligation comply; zone obligation %s t, countable %s t, shortfall %s t; %s days of net imports, %s days of consumption\n",
			r.Mineral, r.Stage, r.PartiesCompliant, r.PartiesWithObligations, r.Obligation.Tonnes(), r.Countable.Tonnes(), r.Shortfall.Tonnes(), orDash(r.DaysOfNetImports), orDash(r.DaysOfConsumption))
	}
	fmt.Fprintln(s.out, "flows marked * are ILLUSTRATIVE (generated, docs/stockpile.md); the shipped holdings are ILLUSTRATIVE")
	return nil
}

// complianceTable is one row per regime and party.
func complianceTable(c *stockpile.Compliance) *table {
	t := &table{header: []string{"mineral", "stage", "party", "measure", "days", "flow_year", "base_t", "exempt", "obligation_t", "public_obligation_t", "held_t", "countable_t", "public_countable_t", "shortfall_t", "public_shortfall_t", "days_of_cover", "compliant", "illustrative"}}
	for _, r := range c.Regimes {
		for _, p := range r.Parties {
			ill := ""
			if p.Illustrative {
				ill = "*"
			}
			t.add(r.Mineral, string(r.Stage), p.Party, string(p.Measure), fmt.Sprint(p.Days), fmt.Sprint(p.FlowYear), p.Base.Tonnes(), p.Exempt,
				p.Obligation.Tonnes(), p.PublicObligation.Tonnes(), p.Held.Tonnes(), p.Countable.Tonnes(), p.PublicCountable.Tonnes(),
				p.Shortfall.Tonnes(), p.PublicShortfall.Tonnes(), p.DaysOfCover, fmt.Sprint(p.Compliant), ill)
		}
	}
	return t
}

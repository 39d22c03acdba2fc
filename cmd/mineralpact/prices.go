package main

import (
	"flag"
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// priceSources wires the reference-price engine to the shipped data: the
// registry and the cost curves under data/.
func priceSources(reg *registry.Registry) refprice.Sources {
	return refprice.Sources{
		Registry: reg,
		Curves: func(name, mineral, stage string) (*refprice.CostCurve, error) {
			c, err := costcurve.Load(data.FS, name, mineral, stage)
			if err != nil {
				return nil, err
			}
			out := &refprice.CostCurve{Name: c.Name, Unit: c.Unit, Currency: c.Currency, Year: c.Year, Illustrative: c.Illustrative, Source: c.Source}
			for _, p := range c.Producers {
				out.Producers = append(out.Producers, refprice.Producer{ID: p.ID, Name: p.Name, Country: p.Country, Capacity: p.Capacity, Cost: p.Cost})
			}
			return out, nil
		},
	}
}

// priceFlags are the flags every prices verb shares.
type priceFlags struct {
	agreement *string
	backcast  *bool
}

func addPriceFlags(fs *flag.FlagSet) priceFlags {
	return priceFlags{
		agreement: fs.String("agreement", "example", "agreement file (example: the shipped examples/pact-2026.yaml)"),
		backcast:  fs.Bool("backcast", false, "allow dates before the entry into force, computed with the rules as they enter into force"),
	}
}

// engine loads the agreement and returns a reference-price engine over it.
func (p priceFlags) engine() (*refprice.Engine, *agreement.Agreement, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, nil, err
	}
	a, _, err := loadAgreement(*p.agreement)
	if err != nil {
		return nil, nil, err
	}
	var opts []refprice.Option
	if *p.backcast {
		opts = append(opts, refprice.Backcast())
	}
	return refprice.New(a, priceSources(reg), opts...), a, nil
}

// requireDate parses a required date flag.
func requireDate(name, value string) (date.Date, error) {
	if value == "" {
		return date.Date{}, usagef("--%s is required (YYYY-MM-DD): engines never read the clock", name)
	}
	return agreement.ParseAsOf(value)
}

// splitMineralStage reads MINERAL/STAGE.
func splitMineralStage(s string) (string, string, error) {
	m, st, ok := strings.Cut(s, "/")
	if !ok || m == "" || st == "" {
		return "", "", usagef("want MINERAL/STAGE, e.g. lithium/processed, got %q", s)
	}
	return m, st, nil
}

func flagTag(f *refprice.Floor) string {
	var tags []string
	if f.Illustrative {
		tags = append(tags, "illustrative")
	}
	if f.Backcast {
		tags = append(tags, "backcast")
	}
	return strings.Join(tags, ",")
}

func validTo(f *refprice.Floor) string {
	if f.ValidTo.IsZero() {
		return "-"
	}
	return f.ValidTo.String()
}

func priceRow(f *refprice.Floor) []string {
	return []string{f.Mineral, f.Stage, f.Price.String(), f.Currency + "/" + f.Unit, f.Method, f.ValidFrom.String(), validTo(f), flagTag(f), fmt.Sprint(f.InputsHash[:12])}
}

var priceHeader = []string{"mineral", "stage", "price", "per", "method", "valid_from", "valid_to", "flags", "inputs_sha256"}

package costcurve

import (
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// PriceSources is the data the reference-price methods read: the registry,
// and the cost curves of the data directory fsys (data.FS in the binary),
// loaded by Load. It is the one adapter from this package's curves to the
// reference-price engine's.
func PriceSources(reg *registry.Registry, fsys fs.FS) refprice.Sources {
	return refprice.Sources{
		Registry: reg,
		Curves: func(name, mineral, stage string) (*refprice.CostCurve, error) {
			c, err := Load(fsys, name, mineral, stage)
			if err != nil {
				return nil, err
			}
			out := &refprice.CostCurve{Name: c.Name, Unit: c.Unit, Currency: c.Currency, Year: c.Year, Illustrative: c.Illustrative, Source: c.Source}
			if c.Name == Busch {
				// prod_rate2025 is Busch et al.'s modelled production rate for
				// 2025, published in 2024: a projection, not a reported figure.
				out.Capacity = refprice.Estimated
			}
			// A curve's vintage: Busch et al.'s file as shipped; a generated
			// curve, the MCS 2026 figures it is calibrated to.
			source := registry.VintageMCS2026
			if c.Name == Busch {
				source = registry.VintageBusch
			}
			v, err := registry.VintageOf(source)
			if err != nil {
				return nil, err
			}
			out.Released, out.VintageName = v.Released, v.Edition
			if c.Illustrative {
				out.VintageName = "the vintage of its calibration data, " + v.Edition
			}
			out.Vintage = out.VintageName + ", released " + v.Released.String() + ": " + v.Citation
			for _, p := range c.Producers {
				rp := refprice.Producer{ID: p.ID, Name: p.Name, Country: p.Country, Capacity: p.Capacity, Cost: p.Cost}
				if cs, ok := BuschCostSources[p.CostSource]; ok {
					rp.CostQuality = refprice.Reported
					if cs.Imputed {
						rp.CostQuality = refprice.Imputed
					}
					rp.CostSource = "Busch et al. (2024) cost_source " + p.CostSource + ": " + cs.Meaning
				}
				out.Producers = append(out.Producers, rp)
			}
			return out, nil
		},
	}
}

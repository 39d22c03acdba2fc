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
			for _, p := range c.Producers {
				out.Producers = append(out.Producers, refprice.Producer{ID: p.ID, Name: p.Name, Country: p.Country, Capacity: p.Capacity, Cost: p.Cost})
			}
			return out, nil
		},
	}
}

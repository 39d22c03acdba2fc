package market

import (
	"fmt"
	"math/rand/v2"
)

// Generated says what RandomInstance adds beyond specific tariffs and linear
// demand.
type Generated struct {
	AdValorem          bool // ad valorem tariffs on some routes
	Floors             bool // price floors in some importers
	ConstantElasticity bool // constant-elasticity demand in some regions
}

// RandomInstance returns a reproducible instance for tests and benchmarks:
// regions with linear demand, producers spread over them with costs between
// 20 and 120, most pairs of regions linked by transport, and specific tariffs
// on some routes; opt adds the other instruments. The same seed gives the
// same instance.
func RandomInstance(seed uint64, regions, producers int, opt Generated) *Instance {
	rng := rand.New(rand.NewPCG(seed, 0x6d696e6572616c))
	in := &Instance{Currency: "USD", Unit: "t"}
	perRegion := float64(producers) / float64(regions) * 10 // average capacity 10
	for i := 0; i < regions; i++ {
		id := fmt.Sprintf("R%02d", i)
		d := Demand{Kind: Linear}
		if opt.ConstantElasticity && rng.IntN(3) == 0 {
			d = Demand{Kind: ConstantElasticity, RefPrice: ptr(60 + 40*rng.Float64()), RefQuantity: ptr(perRegion * (0.5 + rng.Float64())), Elasticity: ptr(-0.3 - 1.2*rng.Float64())}
		} else {
			choke := 150 + 150*rng.Float64()
			a := perRegion * (1 + rng.Float64())
			d.Intercept, d.Slope = ptr(a), ptr(a/choke)
		}
		in.Regions = append(in.Regions, Region{ID: id, Demand: d})
	}
	for j := 0; j < producers; j++ {
		in.Producers = append(in.Producers, Producer{
			ID:       fmt.Sprintf("P%04d", j),
			Region:   in.Regions[rng.IntN(regions)].ID,
			Capacity: 1 + 18*rng.Float64(),
			UnitCost: 20 + 100*rng.Float64(),
		})
	}
	for a := 0; a < regions; a++ {
		for b := 0; b < regions; b++ {
			if a == b || rng.IntN(5) == 0 {
				continue
			}
			in.Transport = append(in.Transport, Route{From: in.Regions[a].ID, To: in.Regions[b].ID, Cost: 2 + 30*rng.Float64()})
			if k := rng.IntN(3); k == 0 || (k == 1 && opt.AdValorem) {
				t := Tariff{Importer: in.Regions[b].ID, Exporter: in.Regions[a].ID}
				if k == 0 {
					t.Specific = 15 * rng.Float64()
				} else {
					t.AdValorem = 0.2 * rng.Float64()
				}
				in.Tariffs = append(in.Tariffs, t)
			}
		}
	}
	if opt.Floors {
		for b := 0; b < regions; b++ {
			if rng.IntN(3) != 0 {
				continue
			}
			f := Floor{Importer: in.Regions[b].ID, Price: 60 + 60*rng.Float64()}
			for a := 0; a < regions; a++ {
				if a != b && rng.IntN(3) == 0 {
					f.Exempt = append(f.Exempt, in.Regions[a].ID)
				}
			}
			in.Floors = append(in.Floors, f)
		}
	}
	return in
}

func ptr(x float64) *float64 { return &x }

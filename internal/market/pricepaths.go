package market

import (
	"context"
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The Monte Carlo's paths one by one, for an engine that values something on
// them (the projects engine, issue 17): MonteCarlo keeps only percentiles,
// which cannot be valued path by path.

// PricePaths runs opts.Paths Monte Carlo paths of the design and, from the
// same random stream (PCG(seed, i): the same demand and cost noise and the
// same outages), of the no-agreement baseline, and calls visit once for each
// path with the producer price (the netback a producer in the region is
// paid) of each region named, month by month: design[k][t] is region
// regions[k] in month t. Paths run on opts.Workers goroutines, so visit is
// called from several at once, each path once; the slices are reused once
// it returns. It stops early when ctx is cancelled.
func (pl *Plan) PricePaths(ctx context.Context, opts Options, regions []string, visit func(path int, design, baseline [][]float64)) error {
	if pl.Scenario.Kind == KindReplay {
		return problem.Errorf(problem.Invalid, "scenario %s replays a recorded series: it has no Monte Carlo paths", pl.Scenario.ID)
	}
	N, n := opts.Paths, len(pl.Months)
	if N <= 0 || N > MaxPaths {
		return problem.Errorf(problem.Invalid, "paths must be 1 to %d, got %d", MaxPaths, N)
	}
	idx := make([]int, len(regions))
	for k, id := range regions {
		if idx[k] = pl.regionIndex(id); idx[k] < 0 {
			return &problem.Error{Code: problem.NotFound, Field: "region", Message: fmt.Sprintf("scenario %s has no region %q (regions: %v)", pl.Scenario.ID, id, pl.regionNames())}
		}
	}
	return pl.eachPath(ctx, opts, func() func(int) error {
		runners := [2]*runner{newRunner(pl, true, true), newRunner(pl, false, true)}
		out := [2][][]float64{make([][]float64, len(idx)), make([][]float64, len(idx))}
		for c := range out {
			for k := range idx {
				out[c][k] = make([]float64, n)
			}
		}
		s := newPathStream()
		return func(i int) error {
			for c, r := range runners {
				if err := s.run(r, opts.Seed, i, func(t int) {
					for k, g := range idx {
						out[c][k][t] = r.pprice[g]
					}
				}); err != nil {
					return err
				}
			}
			visit(i, out[0], out[1])
			return nil
		}
	})
}

// RegionOf returns the region whose producer price a producer in country is
// paid: the region that names the country (or its group), else the zone if
// the country belongs to a party in force on the design's date, else the
// rest of the world; false when no region takes it. zone is the agreement's
// answer for Design.AsOf.
func (pl *Plan) RegionOf(country string, zone *agreement.Zone) (string, bool) {
	if g := pl.regionOf(country, zone); g >= 0 {
		return pl.regions[g].id, true
	}
	return "", false
}

// Floors returns the design's floor in each month (0: none), as the plan
// read it from its floor source and scaled by design.floor_scale, in the
// scenario's currency and unit.
func (pl *Plan) Floors() []float64 { return slices.Clone(pl.floor) }

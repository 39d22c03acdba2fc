package market

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// RegionPaths runs opts.Paths Monte Carlo paths of the design, as MonteCarlo
// does (the same streams: path i of one is path i of the other), and hands
// each path's monthly price and consumption in one region to visit, for an
// engine that needs more than the fan charts (package stockpile counts the
// months of shortage of each path). visit is called from the workers, each
// path once, with slices it may keep; it must be safe for concurrent use.
func (pl *Plan) RegionPaths(ctx context.Context, opts Options, region string, visit func(path int, price, consumption []float64)) error {
	N, n := opts.Paths, len(pl.Months)
	if N <= 0 || N > MaxPaths {
		return problem.Errorf(problem.Invalid, "paths must be 1 to %d, got %d", MaxPaths, N)
	}
	g := pl.regionIndex(region)
	if g < 0 {
		return problem.Errorf(problem.Invalid, "scenario %s has no region %q", pl.Scenario.ID, region)
	}
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, N)
	var next, done atomic.Int64
	var mu sync.Mutex
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := 0; w < workers; w++ {
		wg.Go(func() {
			r := newRunner(pl, true, true)
			pcg := rand.NewPCG(0, 0)
			rng := rand.New(pcg)
			for {
				i := int(next.Add(1) - 1)
				if i >= N {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				pcg.Seed(opts.Seed, uint64(i))
				r.reset(rng)
				price, cons := make([]float64, n), make([]float64, n)
				for t := 0; t < n; t++ {
					if err := r.step(t); err != nil {
						errs[w] = err
						return
					}
					price[t], cons[t] = r.price[g], r.cons[g]
				}
				visit(i, price, cons)
				if d := int(done.Add(1)); opts.Progress != nil && (d%max(1, N/200) == 0 || d == N) {
					mu.Lock()
					opts.Progress(d, N)
					mu.Unlock()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return nil
}

// Zone returns the id of the region made of the parties, "" if none.
func (pl *Plan) Zone() string {
	if pl.zone < 0 {
		return ""
	}
	return pl.regions[pl.zone].id
}

// AgreementReleases runs the central path of the design and returns, month
// by month, how much of the agreement's stockpile releases (by: agreement)
// the market took.
func (pl *Plan) AgreementReleases() ([]float64, error) {
	r := newRunner(pl, true, false)
	r.reset(rand.New(rand.NewPCG(0, 0)))
	out := make([]float64, len(pl.Months))
	for t := range out {
		if err := r.step(t); err != nil {
			return nil, err
		}
		for k, rl := range pl.releases {
			if !rl.market {
				out[t] += r.out[r.ownRelease(k)]
			}
		}
	}
	return out, nil
}

package market

import (
	"context"
	"math/rand/v2"
	"runtime"
	"sync"
	"sync/atomic"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// eachPath runs paths 0 … opts.Paths−1 on opts.Workers goroutines (default
// runtime.GOMAXPROCS), each worker making its own state once with newWorker,
// whose function runs one path; it reports progress to opts.Progress at most
// 200 times, stops early when ctx is cancelled, and returns the first error.
// MonteCarlo, PricePaths and RegionPaths run their paths through it.
func (pl *Plan) eachPath(ctx context.Context, opts Options, newWorker func() func(path int) error) error {
	N := opts.Paths
	workers := opts.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	workers = min(workers, N)
	var next, done atomic.Int64
	var mu sync.Mutex
	errs := make([]error, workers)
	var wg sync.WaitGroup
	for w := range workers {
		wg.Go(func() {
			run := newWorker()
			for {
				i := int(next.Add(1) - 1)
				if i >= N {
					return
				}
				if err := ctx.Err(); err != nil {
					errs[w] = err
					return
				}
				if err := run(i); err != nil {
					errs[w] = err
					return
				}
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

// pathStream is a worker's random stream, re-seeded for each path: path i
// of every run draws PCG(seed, i), so that the design and the baseline, and
// MonteCarlo and PricePaths, see the same shocks on path i.
type pathStream struct {
	pcg *rand.PCG
	rng *rand.Rand
}

func newPathStream() pathStream {
	pcg := rand.NewPCG(0, 0)
	return pathStream{pcg: pcg, rng: rand.New(pcg)}
}

// run resets r on path i of seed and steps it through every month, calling
// each after month t.
func (s pathStream) run(r *runner, seed uint64, i int, each func(t int)) error {
	s.pcg.Seed(seed, uint64(i))
	r.reset(s.rng)
	for t := range r.pl.Months {
		if err := r.step(t); err != nil {
			return err
		}
		each(t)
	}
	return nil
}

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
	return pl.eachPath(ctx, opts, func() func(int) error {
		r, s := newRunner(pl, true, true), newPathStream()
		return func(i int) error {
			price, cons := make([]float64, n), make([]float64, n)
			if err := s.run(r, opts.Seed, i, func(t int) { price[t], cons[t] = r.price[g], r.cons[g] }); err != nil {
				return err
			}
			visit(i, price, cons)
			return nil
		}
	})
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
	out := make([]float64, len(pl.Months))
	err := newPathStream().run(r, 0, 0, func(t int) {
		for k, rl := range pl.releases {
			if !rl.market {
				out[t] += r.out[r.ownRelease(k)]
			}
		}
	})
	return out, err
}

package market

import (
	"context"
	"slices"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// MonteCarloResult is the fan charts of N paths with seeded shocks: for each
// month the 5th, 50th and 95th percentiles (and the mean) of the report
// region's price, the zone's tariff revenue and the buffer stock, and the
// probability that the buffer stock is exhausted.
//
// Path i draws from PCG(seed, i) alone and writes only its own slot, and the
// percentiles are taken after every path has finished, in path order: the
// same seed gives the same result bit for bit whatever the number of workers.
type MonteCarloResult struct {
	Paths  int    `json:"paths"`
	Seed   uint64 `json:"seed"`
	Region string `json:"region"`
	Price  Fan    `json:"price"`
	// Revenue is the zone's tariff revenue a month (every instrument).
	Revenue Fan `json:"revenue"`
	// BufferTonnes is the buffer stock's holding at the end of each month.
	BufferTonnes *Fan `json:"buffer_tonnes,omitempty"`
	BufferMoney  *Fan `json:"buffer_money,omitempty"`
	// ExhaustionProbability is the share of paths in which the buffer stock
	// could not hold the floor for want of money or space at least once;
	// ExhaustedBy is that share by each month (cumulative).
	ExhaustionProbability float64   `json:"exhaustion_probability"`
	ExhaustedBy           []float64 `json:"exhausted_by,omitempty"`
	StockOutProbability   float64   `json:"stock_out_probability"`
}

// Fan is a series of percentiles by month.
type Fan struct {
	P5   []float64 `json:"p5"`
	P50  []float64 `json:"p50"`
	P95  []float64 `json:"p95"`
	Mean []float64 `json:"mean"`
}

// MonteCarlo runs opts.Paths paths of the design with the scenario's random
// shocks, on opts.Workers goroutines (default runtime.GOMAXPROCS), and
// returns their fan charts. It stops early when ctx is cancelled.
func (pl *Plan) MonteCarlo(ctx context.Context, opts Options) (*MonteCarloResult, error) {
	N, n := opts.Paths, len(pl.Months)
	if N <= 0 || N > MaxPaths {
		return nil, problem.Errorf(problem.Invalid, "paths must be 1 to %d, got %d", MaxPaths, N)
	}
	hasBuf := pl.buffer != nil
	price, rev := make([]float64, N*n), make([]float64, N*n)
	var bst, bsm []float64
	if hasBuf {
		bst, bsm = make([]float64, N*n), make([]float64, N*n)
	}
	exh, so := make([]int32, N), make([]int32, N)
	err := pl.eachPath(ctx, opts, func() func(int) error {
		r, s := newRunner(pl, true, true), newPathStream()
		return func(i int) error {
			err := s.run(r, opts.Seed, i, func(t int) {
				price[i*n+t] = r.price[pl.report]
				rev[i*n+t] = r.revZone
				if hasBuf {
					bst[i*n+t], bsm[i*n+t] = r.bsT, r.bsM
				}
			})
			exh[i], so[i] = int32(r.exhausted), int32(r.stockOut)
			return err
		}
	})
	if err != nil {
		return nil, err
	}
	res := &MonteCarloResult{Paths: N, Seed: opts.Seed, Region: pl.regions[pl.report].id, Price: fan(price, N, n), Revenue: fan(rev, N, n)}
	if hasBuf {
		f, g := fan(bst, N, n), fan(bsm, N, n)
		res.BufferTonnes, res.BufferMoney = &f, &g
		res.ExhaustedBy = make([]float64, n)
		var ne, ns int
		for i := 0; i < N; i++ {
			if exh[i] >= 0 {
				ne++
				res.ExhaustedBy[exh[i]]++
			}
			if so[i] >= 0 {
				ns++
			}
		}
		for t := 1; t < n; t++ {
			res.ExhaustedBy[t] += res.ExhaustedBy[t-1]
		}
		for t := range res.ExhaustedBy {
			res.ExhaustedBy[t] /= float64(N)
		}
		res.ExhaustionProbability = float64(ne) / float64(N)
		res.StockOutProbability = float64(ns) / float64(N)
	}
	return res, nil
}

// fan takes the percentiles of x (paths × months, path-major) month by month.
func fan(x []float64, N, n int) Fan {
	f := Fan{P5: make([]float64, n), P50: make([]float64, n), P95: make([]float64, n), Mean: make([]float64, n)}
	col := make([]float64, N)
	for t := 0; t < n; t++ {
		var sum float64
		for i := 0; i < N; i++ {
			col[i] = x[i*n+t]
			sum += col[i]
		}
		slices.Sort(col)
		f.P5[t], f.P50[t], f.P95[t] = quantile(col, 0.05), quantile(col, 0.5), quantile(col, 0.95)
		f.Mean[t] = sum / float64(N)
	}
	return f
}

// quantile is the q-quantile of sorted x by linear interpolation between
// order statistics (Hyndman and Fan's type 7, R's default).
func quantile(x []float64, q float64) float64 {
	if len(x) == 1 {
		return x[0]
	}
	h := q * float64(len(x)-1)
	lo := int(h)
	if lo >= len(x)-1 {
		return x[len(x)-1]
	}
	return x[lo] + (h-float64(lo))*(x[lo+1]-x[lo])
}

package main

import (
	"context"
	"flag"
	"fmt"
	"maps"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// benchmarks are the figures `mineralpact bench` reports; each engine's Go
// benchmark measures the same operation.
var benchmarks = map[string]struct {
	what   string
	target time.Duration
	setup  func() (func() error, error)
}{
	"agreement":      {"decode + validate + AsOf of examples/pact-2026.yaml", 5 * time.Millisecond, benchAgreement},
	"prices":         {"all floors of the example on one date (fresh engine)", 20 * time.Millisecond, benchPrices},
	"prices-history": {"ten years of revisions of every floor of the example, backcast 2016-2025 (fresh engine)", 200 * time.Millisecond, benchPricesHistory},

	"simulate":   {"spatial equilibrium, seeded 10 regions / 500 producers", time.Millisecond, benchSimulate},
	"montecarlo": {"Monte Carlo, 100 paths × 120 months of cobalt-drc-2025 (target: 10,000 paths in 10 s on 2 cores)", 100 * time.Millisecond, benchMonteCarlo},
	"assess":     {"one declaration assessed against examples/pact-2026.yaml (caches warm)", 2 * time.Microsecond, benchAssess},
	"members":    {"membership what-if: CN added, MX removed, the example's 16 minerals in scope before and after, and China's accession criteria (2027-07-01)", 20 * time.Millisecond, benchMembers},
	"scope":      {"every indicator of the 60 minerals on the world, U.S. and zone bases, economic importance included, for the example's zone on 2027-07-01 (snapshot gathered once)", 50 * time.Millisecond, benchScope},

	"heterogeneity": {"regulatory heterogeneity of the example's parties in force on 2027-07-01, every pair and mineral-stage (the /members page computes it per request)", 20 * time.Millisecond, benchHeterogeneity},

	"projects":      {"one project's NPV without the agreement, under the design and with the floor, over 10,000 paths of cobalt-drc-2025's Monte Carlo (simulated once before timing, a few seconds)", 200 * time.Millisecond, benchProjectsValue},
	"projects-rank": {"500 projects ranked on 1,000 paths of cobalt-drc-2025's Monte Carlo (simulated once before timing); name it with --n 5", 5 * time.Second, benchProjectsRank},

	"monitor": {"a generated BACI year of 1,000,000 rows read and scanned by every detector (the issue's target: 10 million in 20 s, docs/monitor.md)", 2 * time.Second, benchMonitor},

	"ownership": {"effective interests and control of a generated register of 1,000,000 relationship statements (ownership.Generate, seed 1, made before timing, about 5 s); name it with --n 3", 10 * time.Second, benchOwnership},

	"stockpile":            {"a 10-year monthly response plan for 20 parties and 10 minerals (stockpile.NewWorkload, seed 1), each run through 120 months of cobalt-drc-2025's dynamics (target 1 s)", time.Second, benchStockpilePlan},
	"stockpile-montecarlo": {"10,000 paths of cobalt-drc-2025 with the coordinated response, every party holding its obligation; the probability of shortage (target 20 s on 2 cores); name it with --n 1", 20 * time.Second, benchStockpileMonteCarlo},
}

func benchAgreement() (func() error, error) {
	reg, err := registry.Default()
	if err != nil {
		return nil, err
	}
	cat := agreement.RegistryCatalog(reg)
	on := date.MustParse("2027-06-30")
	return func() error {
		a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, cat)
		if err != nil {
			return err
		}
		_, err = a.AsOf(on)
		return err
	}, nil
}

func benchPrices() (func() error, error) {
	reg, a, err := benchExample()
	if err != nil {
		return nil, err
	}
	on := date.MustParse("2026-01-01")
	return func() error {
		_, err := refprice.New(a, priceSources(reg)).Compute(on)
		return err
	}, nil
}

func benchPricesHistory() (func() error, error) {
	reg, a, err := benchExample()
	if err != nil {
		return nil, err
	}
	from, to := date.MustParse("2016-01-01"), date.MustParse("2025-12-31")
	return func() error {
		e := refprice.New(a, priceSources(reg), refprice.Backcast())
		for _, m := range a.Minerals {
			for _, s := range m.Stages {
				if _, err := e.History(m.ID, string(s.Stage), from, to); err != nil {
					return err
				}
			}
		}
		return nil
	}, nil
}

func benchExample() (*registry.Registry, *agreement.Agreement, error) {
	env, err := loadEnv("example")
	if err != nil {
		return nil, nil, err
	}
	return env.reg, env.agreement, nil
}

type benchResult struct {
	Name      string  `json:"name"`
	What      string  `json:"what"`
	N         int     `json:"n"`
	MeanMs    float64 `json:"mean_ms"`
	MedianMs  float64 `json:"median_ms"`
	P95Ms     float64 `json:"p95_ms"`
	AllocsOp  uint64  `json:"allocs_per_op"`
	BytesOp   uint64  `json:"bytes_per_op"`
	TargetMs  float64 `json:"target_ms"`
	MeetsGoal bool    `json:"meets_target"`
}

// benchOptions are `bench [NAME...]`: the engines measured on this machine.
type benchOptions struct {
	names  []string
	n      int
	format formatOption
}

func (o *benchOptions) bind(fs *flag.FlagSet) {
	fs.IntVar(&o.n, "n", 200, "iterations")
	o.format.bind(fs, "table", "json")
}

func (o *benchOptions) validate(pos []string) error {
	if err := o.format.validate(); err != nil {
		return err
	}
	if o.n < 1 {
		return usagef("--n must be at least 1")
	}
	known := slices.Sorted(maps.Keys(benchmarks))
	o.names = pos
	if len(o.names) == 0 {
		o.names = known
	}
	for _, name := range o.names {
		if _, ok := benchmarks[name]; !ok {
			return usagef("unknown benchmark %q (known: %s)", name, strings.Join(known, ", "))
		}
	}
	return nil
}

func (o *benchOptions) run(ctx context.Context, s streams) error {
	var results []benchResult
	for _, name := range o.names {
		b := benchmarks[name]
		op, err := b.setup()
		if err != nil {
			return err
		}
		r, err := measure(ctx, o.n, op)
		if err != nil {
			return fmt.Errorf("bench %s: %w", name, err)
		}
		r.Name, r.What = name, b.what
		r.TargetMs = float64(b.target) / float64(time.Millisecond)
		r.MeetsGoal = r.MedianMs <= r.TargetMs
		results = append(results, r)
	}
	if o.format.name == "json" {
		return writeJSON(s.out, results)
	}
	human := forPeople(s, o.format.name)
	count := func(n uint64) string {
		if human {
			return groupDigits(strconv.FormatUint(n, 10))
		}
		return strconv.FormatUint(n, 10)
	}
	t := table{header: []string{"BENCHMARK", "N", "MEDIAN", "MEAN", "P95", "ALLOCS/OP", "BYTES/OP", "TARGET", "MEETS", "WHAT"}, right: []int{1, 2, 3, 4, 5, 6, 7}}
	for _, r := range results {
		t.add(r.Name, count(uint64(r.N)), ms(r.MedianMs), ms(r.MeanMs), ms(r.P95Ms), count(r.AllocsOp), count(r.BytesOp), ms(r.TargetMs), fmt.Sprint(r.MeetsGoal), r.What)
	}
	return t.write(s)
}

func ms(x float64) string { return fmt.Sprintf("%.3f ms", x) }

// measure runs op once to warm up, then n times, and reports the timing
// distribution and the allocations per operation.
func measure(ctx context.Context, n int, op func() error) (benchResult, error) {
	if err := op(); err != nil {
		return benchResult{}, err
	}
	times := make([]time.Duration, 0, n)
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	for range n {
		if ctx.Err() != nil {
			return benchResult{}, ctx.Err()
		}
		start := time.Now()
		if err := op(); err != nil {
			return benchResult{}, err
		}
		times = append(times, time.Since(start))
	}
	runtime.ReadMemStats(&after)
	slices.Sort(times)
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	toMs := func(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }
	return benchResult{
		N:        n,
		MeanMs:   toMs(sum / time.Duration(n)),
		MedianMs: toMs(times[n/2]),
		P95Ms:    toMs(times[min(n-1, n*95/100)]),
		AllocsOp: (after.Mallocs - before.Mallocs) / uint64(n),
		BytesOp:  (after.TotalAlloc - before.TotalAlloc) / uint64(n),
	}, nil
}

package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/design"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/scenarios"
)

// benchDesignOptions are `bench design`: the design loop's figure (issue
// 18): one changed line of the example (lithium's mined-stage percentile),
// a year of declarations, every floor of the year, the shipped scenarios at
// --paths paths. cold: a fresh process's work (the declarations file
// decoded, both versions computed); warm: the old version kept, each
// iteration a new edit.
type benchDesignOptions struct {
	declarations string
	n            int
	iterations   int
	paths        int
	format       formatOption
}

func (o *benchDesignOptions) bind(fs *flag.FlagSet) {
	fs.StringVar(&o.declarations, "declarations", "", "declarations file (CSV); default: --n generated ILLUSTRATIVE declarations (kept in the user cache)")
	fs.IntVar(&o.n, "n", design.DefaultDeclarations, "declarations generated when --declarations is not given")
	fs.IntVar(&o.iterations, "iterations", 5, "warm iterations (each a new edit)")
	fs.IntVar(&o.paths, "paths", 1000, "Monte Carlo paths of each scenario")
	o.format.bind(fs, "table", "json")
}

func (o *benchDesignOptions) validate(pos []string) error {
	if err := noArgs(pos); err != nil {
		return err
	}
	if o.n < 1 {
		return usagef("--n must be at least 1")
	}
	if o.iterations < 1 {
		return usagef("--iterations must be at least 1")
	}
	if o.paths < 0 || o.paths > market.MaxPaths {
		return usagef("--paths must be 0 to %d", market.MaxPaths)
	}
	return o.format.validate()
}

// designBenchResult is one figure of `bench design`.
type designBenchResult struct {
	Name       string  `json:"name"`
	What       string  `json:"what"`
	N          int     `json:"n"`
	MedianMs   float64 `json:"median_ms"`
	MeanMs     float64 `json:"mean_ms"`
	MaxMs      float64 `json:"max_ms"`
	CPUMs      float64 `json:"cpu_ms"` // user + system CPU time of the process per operation (mean)
	TargetMs   float64 `json:"target_ms"`
	MeetsGoal  bool    `json:"meets_target"`
	Reassessed int     `json:"declarations_reassessed"`
}

// benchEdit is the example with lithium's mined-stage percentile set to p.
func benchEdit(reg *registry.Registry, p int) (*agreement.Agreement, error) {
	old := []byte("          curve: busch-lithium-2024\n          percentile: 75\n")
	text := strings.Replace(string(examples.Pact2026), string(old), "          curve: busch-lithium-2024\n          percentile: "+strconv.Itoa(p)+"\n", 1)
	a, _, err := agreement.Load(examples.Pact2026Name, []byte(text), agreement.RegistryCatalog(reg))
	return a, err
}

func (o *benchDesignOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	old, _, err := loadAgreementWith(reg, "example")
	if err != nil {
		return err
	}
	opt := design.Options{Registry: reg, Prices: priceSources(reg), Data: data.FS}
	file := o.declarations
	if file == "" {
		// The cached generated file: made once (about a minute), outside
		// the figures, and not read before the cold figure is taken.
		h, _ := old.Hash()
		dir, err := os.UserCacheDir()
		if err != nil {
			return fmt.Errorf("bench design: no user cache directory for the generated declarations: give --declarations")
		}
		file = filepath.Join(dir, "mineralpact", declarationsCacheName(h, o.n, design.DefaultSeed, old.EntryIntoForce))
		if _, err := os.Stat(file); err != nil {
			if _, _, err := generatedDeclarations(s, old, opt, o.n, design.DefaultSeed, old.EntryIntoForce); err != nil {
				return err
			}
		}
	}
	var scs []*market.Scenario
	for _, name := range scenarios.Names() {
		sc, err := readScenario(name)
		if err != nil {
			return err
		}
		scs = append(scs, sc)
	}
	edits := make([]*agreement.Agreement, o.iterations+1)
	for i := range edits {
		if edits[i], err = benchEdit(reg, 50+i%45); err != nil {
			return err
		}
	}
	from := date.MustParse("2026-01-01")
	runtime.GC()

	// Cold: what a fresh `design compare --declarations FILE` does after
	// loading the agreements.
	start, cpu0 := time.Now(), cpuTime()
	f, err := os.Open(file)
	if err != nil {
		return err
	}
	ds, _, err := duty.DecodeCSV(f, 0)
	f.Close()
	if err != nil {
		return err
	}
	decoded, decodedCPU := time.Since(start), cpuTime()-cpu0
	w := design.Workload{From: from, To: from.AddDays(364), Declarations: ds, DeclarationsSource: file, Scenarios: scs, Paths: o.paths}
	c, err := design.NewComparer(w, opt)
	if err != nil {
		return err
	}
	cmp, err := c.Compare(ctx, old, edits[0])
	if err != nil {
		return err
	}
	cold, coldCPU := time.Since(start), cpuTime()-cpu0
	what := fmt.Sprintf("one changed line (lithium mined percentile), %d declarations, %d floor revisions, %d scenarios × %d paths", len(ds), len(cmp.Floors), len(scs), o.paths)
	results := []designBenchResult{
		{Name: "design/decode", What: "decode the declarations file (part of cold)", N: 1, MedianMs: msOf(decoded), MeanMs: msOf(decoded), MaxMs: msOf(decoded), CPUMs: msOf(decodedCPU)},
		{Name: "design/cold", What: what + ": decode, both versions computed", N: 1, MedianMs: msOf(cold), MeanMs: msOf(cold), MaxMs: msOf(cold), CPUMs: msOf(coldCPU), TargetMs: 5000, Reassessed: cmp.Work.Reassessed},
	}
	var times []time.Duration
	reassessed := 0
	cpu0 = cpuTime()
	for i := 1; i <= o.iterations; i++ {
		if ctx.Err() != nil {
			return ctx.Err()
		}
		t0 := time.Now()
		cmp, err := c.Compare(ctx, old, edits[i])
		if err != nil {
			return err
		}
		times = append(times, time.Since(t0))
		reassessed = cmp.Work.Reassessed
	}
	warmCPU := (cpuTime() - cpu0) / time.Duration(len(times))
	slices.Sort(times)
	var sum time.Duration
	for _, t := range times {
		sum += t
	}
	results = append(results, designBenchResult{Name: "design/warm", What: what + ": the old version kept, a new edit each time", N: len(times),
		MedianMs: msOf(times[len(times)/2]), MeanMs: msOf(sum / time.Duration(len(times))), MaxMs: msOf(times[len(times)-1]), CPUMs: msOf(warmCPU), TargetMs: 2000, Reassessed: reassessed})
	for i := range results {
		r := &results[i]
		r.MeetsGoal = r.TargetMs == 0 || r.MedianMs <= r.TargetMs
	}
	if o.format.name == "json" {
		return writeJSON(s.out, results)
	}
	t := table{header: []string{"BENCHMARK", "N", "MEDIAN", "MEAN", "MAX", "CPU/OP", "TARGET", "MEETS", "REASSESSED", "WHAT"}, right: []int{1, 2, 3, 4, 5, 6, 8}}
	for _, r := range results {
		target := "-"
		if r.TargetMs > 0 {
			target = ms(r.TargetMs)
		}
		t.add(r.Name, strconv.Itoa(r.N), ms(r.MedianMs), ms(r.MeanMs), ms(r.MaxMs), ms(r.CPUMs), target, fmt.Sprint(r.MeetsGoal), strconv.Itoa(r.Reassessed), r.What)
	}
	return t.write(s)
}

func msOf(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// cpuTime is the user and system CPU time the process has used: on a
// shared machine, what the figures cost whatever else runs.
func cpuTime() time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_SELF, &ru); err != nil {
		return 0
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

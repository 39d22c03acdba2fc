package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"math"
	"os"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/scenarios"
)

// simOptions are the flags of `simulate` and `simulate compare`.
type simOptions struct {
	agreements []string
	scenario   string
	paths      int
	seed       uint64
	workers    int
	floorScale float64 // simulate: the design's floor × this; compare: design B's
	format     string
	pathsSet   bool
	seedSet    bool
}

// multiFlag collects a repeated flag.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

func parseSimFlags(name string, args []string, compare bool) (*simOptions, error) {
	fs := newFlags(name)
	var ags multiFlag
	fs.Var(&ags, "agreement", "agreement file (example: the shipped example); compare takes two")
	scen := fs.String("scenario", "", "scenario file, or the name of a shipped scenario ("+strings.Join(scenarios.Names(), ", ")+")")
	paths := fs.Int("paths", -1, "Monte Carlo paths (default: the scenario's)")
	seed := fs.String("seed", "", "seed of the Monte Carlo paths (default: the scenario's)")
	workers := fs.Int("workers", 0, "parallel workers (default: every core)")
	scaleName, scaleDoc := "floor-scale", "multiply the design's floor (a variant)"
	if compare {
		scaleName, scaleDoc = "floor-scale-b", "multiply design B's floor (compare a design with a variant of itself)"
	}
	scale := fs.Float64(scaleName, 1, scaleDoc)
	allowed := []string{"table", "json", "csv"}
	if compare {
		allowed = []string{"table", "json"}
	}
	format := formatFlag(fs, allowed...)
	pos, err := parseFlags(fs, args)
	if err != nil {
		return nil, err
	}
	if len(pos) > 0 {
		return nil, usagef("unexpected argument %q (name the scenario with --scenario)", pos[0])
	}
	o := &simOptions{agreements: ags, scenario: *scen, paths: *paths, workers: *workers, floorScale: *scale}
	if o.format, err = chooseFormat(*format, allowed...); err != nil {
		return nil, err
	}
	if o.scenario == "" {
		return nil, usagef("--scenario is required (a file, or one of %s)", strings.Join(scenarios.Names(), ", "))
	}
	if len(o.agreements) == 0 {
		o.agreements = []string{"example"}
	}
	switch {
	case !compare && len(o.agreements) > 1:
		return nil, usagef("one --agreement (simulate compare takes two)")
	case compare && len(o.agreements) > 2:
		return nil, usagef("at most two --agreement")
	case compare && len(o.agreements) == 1 && o.floorScale == 1:
		return nil, usagef("compare needs a second --agreement, or --floor-scale-b to vary the first")
	}
	if o.paths != -1 {
		o.pathsSet = true
		if o.paths < 0 || o.paths > market.MaxPaths {
			return nil, usagef("--paths must be 0 to %d", market.MaxPaths)
		}
	}
	if *seed != "" {
		v, err := strconv.ParseUint(*seed, 10, 64)
		if err != nil {
			return nil, usagef("--seed %q: want a whole number ≥ 0", *seed)
		}
		o.seed, o.seedSet = v, true
	}
	if o.floorScale <= 0 || math.IsNaN(o.floorScale) || math.IsInf(o.floorScale, 0) {
		return nil, usagef("--%s must be > 0", scaleName)
	}
	if o.workers < 0 {
		return nil, usagef("--workers must be ≥ 0")
	}
	return o, nil
}

// readScenario reads a scenario file, or a shipped scenario by name.
func readScenario(arg string) (*market.Scenario, error) {
	if b, err := os.ReadFile(arg); err == nil {
		return market.DecodeScenario(arg, b)
	} else if !errors.Is(err, os.ErrNotExist) {
		return nil, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: arg}, Message: "cannot read scenario file", Err: err}
	}
	b, file, ok := scenarios.Get(arg)
	if !ok {
		return nil, &problem.Error{Code: problem.NotFound, Field: "scenario",
			Message: fmt.Sprintf("no scenario file %q and no shipped scenario of that name (shipped: %s)", arg, strings.Join(scenarios.Names(), ", "))}
	}
	return market.DecodeScenario(file, b)
}

// simulationEnv loads an agreement and wires the engines a simulation reads:
// the floors are computed live by the reference-price engine (a preview).
func simulationEnv(agreementPath string) (market.Env, error) {
	l, err := loadEnv(agreementPath)
	if err != nil {
		return market.Env{}, err
	}
	return market.Env{Registry: l.reg, Agreement: l.agreement, Floors: l.floors(), Data: data.FS}, nil
}

// simulateOne builds and runs one design of a scenario.
func simulateOne(ctx context.Context, o *simOptions, agreementPath string, scale float64, progress func(int, int)) (*market.Result, error) {
	sc, err := readScenario(o.scenario)
	if err != nil {
		return nil, err
	}
	if scale != 1 {
		base := sc.Design.FloorScale
		if base == 0 {
			base = 1
		}
		sc.Design.FloorScale = base * scale
	}
	env, err := simulationEnv(agreementPath)
	if err != nil {
		return nil, err
	}
	pl, err := market.Build(sc, env)
	if err != nil {
		return nil, err
	}
	opts := market.Options{Paths: sc.MonteCarlo.Paths, Seed: sc.MonteCarlo.Seed, Workers: o.workers, Progress: progress}
	if o.pathsSet {
		opts.Paths = o.paths
	}
	if o.seedSet {
		opts.Seed = o.seed
	}
	return market.Run(ctx, pl, opts)
}

func runSimulate(ctx context.Context, args []string, s streams) error {
	o, err := parseSimFlags("simulate", args, false)
	if err != nil {
		return err
	}
	bar := newProgress(s, "simulating", "paths")
	res, err := simulateOne(ctx, o, o.agreements[0], o.floorScale, bar.step)
	bar.done()
	if err != nil {
		return err
	}
	switch o.format {
	case "json":
		return writeJSON(s.out, res)
	case "csv":
		return simulationCSV(s.out, res)
	}
	return simulationTable(s.out, res, simFigures{human: s.outTTY})
}

// simulationTable is the human summary of a run, its figures written by f.
func simulationTable(w io.Writer, r *market.Result, f simFigures) error {
	writeScenarioHeader(w, r, f)
	if r.Replay != nil {
		return replayTable(w, r, f)
	}
	fmt.Fprintf(w, "\nyearly averages (%s per %s; quantities in %s a month; design, and the no-agreement baseline)\n", r.Currency, r.Unit, r.Unit)
	t := table{header: []string{"YEAR", "REGION", "PRICE", "BASELINE", "CONSUMPTION", "BASELINE", "PRODUCTION", "IMPORTS", "TARIFF REV/MONTH"}}
	for _, y := range years(r.Months) {
		for g, id := range r.Regions {
			var p, pb, c, cb, pr, im, rv float64
			for _, m := range y.idx {
				d, b := r.Central.Months[m].Regions[g], r.Baseline.Months[m].Regions[g]
				p += d.Price
				pb += b.Price
				c += d.Consumption
				cb += b.Consumption
				pr += d.Production
				im += d.Imports
				rv += d.TariffRevenue.Total
			}
			k := float64(len(y.idx))
			t.add(y.year, id, f.price(p/k), f.price(pb/k), f.quantity(c/k), f.quantity(cb/k), f.quantity(pr/k), f.quantity(im/k), f.money(rv/k))
		}
	}
	if err := t.writeText(w); err != nil {
		return err
	}
	c := r.Comparison
	fmt.Fprintf(w, "\ndesign against the baseline, summed over %d months\n", len(r.Months))
	ct := table{header: []string{"REGION", "MEAN PRICE", "BASELINE", "Δ CONSUMER SURPLUS", "Δ PRODUCER SURPLUS", "TARIFF REVENUE", "Δ WELFARE", "Δ PRODUCTION"}}
	for _, d := range c.Regions {
		ct.add(d.ID, f.price(d.MeanPrice), f.price(d.MeanPriceBaseline), f.money(d.ConsumerSurplus), f.money(d.ProducerSurplus), f.money(d.TariffRevenue), f.money(d.Welfare), f.quantity(d.ProductionDelta))
	}
	if err := ct.writeText(w); err != nil {
		return err
	}
	fmt.Fprintf(w, "\ncost to consumers in the zone: %s %s (loss of consumer surplus); Σ (p − p₀)·q = %s\n", f.money(c.ZoneConsumerCost), r.Currency, f.money(c.ZonePricePremiumPaid))
	for _, p := range c.Parties {
		fmt.Fprintf(w, "  %s (share %s, assumed): tariff revenue %s, consumer cost %s\n", p.Party, f.share(p.Share), f.money(p.TariffRevenue), f.money(p.ConsumerCost))
	}
	fmt.Fprintf(w, "investment: %d projects committed (baseline %d); closures: %d producers (baseline %d)\n", c.ProjectsCommitted, c.ProjectsBaseline, c.ClosedDesign, c.ClosedBaseline)
	for i, p := range r.Central.Producers {
		b := r.Baseline.Producers[i]
		if p.Committed != "" || p.Closed != "" || b.Committed != "" || b.Closed != "" {
			fmt.Fprintf(w, "  %s (%s, cost %s): committed %s (no agreement %s), closed %s (no agreement %s)\n", p.ID, p.Region, f.price(p.Cost),
				dash(p.Committed), dash(b.Committed), dash(p.Closed), dash(b.Closed))
		}
	}
	if b := r.Central.Buffer; b != nil {
		ex := dash(b.Exhausted)
		if b.ExhaustedBy != "" {
			ex += " (out of " + b.ExhaustedBy + ")"
		}
		fmt.Fprintf(w, "buffer stock: bought %s, sold %s (%d months buying, %d selling); holds %s %s and %s %s at the end; exhausted: %s; out of stock: %s\n",
			f.quantity(b.Bought), f.quantity(b.Sold), b.MonthsBuying, b.MonthsSelling, f.quantity(b.FinalTonnes), r.Unit, f.money(b.FinalMoney), r.Currency, ex, dash(b.StockOut))
	}
	var worst float64
	for _, m := range r.Central.Months {
		worst = math.Max(worst, math.Abs(m.Balance.Residual))
	}
	// A residual is evidence of precision, not an amount: its exponent is the point.
	fmt.Fprintf(w, "balance: production = consumption + stock change in every month (largest residual %.3g)\n", worst)
	if mc := r.MonteCarlo; mc != nil {
		fmt.Fprintf(w, "\nMonte Carlo: %d paths, seed %d; %s price, zone tariff revenue a month, buffer stock (end of each year)\n", mc.Paths, mc.Seed, mc.Region)
		mt := table{header: []string{"MONTH", "PRICE P5", "P50", "P95", "REVENUE P5", "P50", "P95", "STOCK P5", "P50", "P95", "P(EXHAUSTED BY)"}}
		for _, y := range years(r.Months) {
			m := y.idx[len(y.idx)-1]
			row := []string{r.Months[m], f.price(mc.Price.P5[m]), f.price(mc.Price.P50[m]), f.price(mc.Price.P95[m]), f.money(mc.Revenue.P5[m]), f.money(mc.Revenue.P50[m]), f.money(mc.Revenue.P95[m])}
			if mc.BufferTonnes != nil {
				row = append(row, f.quantity(mc.BufferTonnes.P5[m]), f.quantity(mc.BufferTonnes.P50[m]), f.quantity(mc.BufferTonnes.P95[m]), f.share(mc.ExhaustedBy[m]))
			} else {
				row = append(row, "-", "-", "-", "-")
			}
			mt.add(row...)
		}
		if err := mt.writeText(w); err != nil {
			return err
		}
		if mc.BufferTonnes != nil {
			fmt.Fprintf(w, "probability that the buffer stock is exhausted: %s; out of stock at the ceiling: %s\n", f.share(mc.ExhaustionProbability), f.share(mc.StockOutProbability))
		}
	}
	return nil
}

func writeScenarioHeader(w io.Writer, r *market.Result, f simFigures) {
	sc := r.Scenario
	fmt.Fprintf(w, "scenario %s: %s\n", sc.ID, sc.Title)
	if sc.Illustrative {
		fmt.Fprintf(w, "ILLUSTRATIVE: %s\n", oneLine(sc.Notice))
	}
	if sc.Kind == market.KindReplay {
		return
	}
	d := r.Design
	il := ""
	if d.AgreementIllus {
		il = " (illustrative)"
	}
	fmt.Fprintf(w, "design: agreement %s%s as in force on %s; parties %s\n", d.Agreement, il, d.AsOf, strings.Join(d.Parties, " "))
	fl := make([]string, 0, len(d.Floors))
	for _, st := range d.Floors {
		s := st.From + " " + f.price(st.Floor)
		if st.Ceiling > 0 {
			s += "–" + f.price(st.Ceiling)
		}
		fl = append(fl, s)
	}
	fi := ""
	if d.FloorIllustrative {
		fi = ", illustrative"
	}
	fmt.Fprintf(w, "floor %s/%s (%s%s, × %s): %s %s/%s\n", sc.Mineral, sc.Stage, d.FloorMethod, fi, f.param(d.FloorScale), strings.Join(fl, "; "), r.Currency, r.Unit)
	fmt.Fprintf(w, "variable duty %s", d.VariableDuty)
	if d.HS != "" {
		fmt.Fprintf(w, " (tariff line %s)", d.HS)
	}
	if d.CapAdValorem != nil {
		fmt.Fprintf(w, ", cap %s ad valorem (a rate on the floor)", f.param(*d.CapAdValorem))
	}
	if d.CapSpecific != nil {
		fmt.Fprintf(w, ", cap %s %s/%s", f.price(*d.CapSpecific), r.Currency, r.Unit)
	}
	if d.PartyOrigin != "" {
		fmt.Fprintf(w, ", party origin %s", d.PartyOrigin)
	}
	if d.PhaseIn != "" {
		fmt.Fprintf(w, ", phase-in %s", d.PhaseIn)
	}
	fmt.Fprintf(w, "; non-party surcharge %s", f.param(d.Surcharge))
	if d.SurchargeSource != "" {
		fmt.Fprintf(w, " (%s)", d.SurchargeSource)
	}
	fmt.Fprintln(w)
	for _, n := range d.Notes {
		fmt.Fprintf(w, "note: %s\n", n)
	}
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

func dash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

type yearIdx struct {
	year string
	idx  []int
}

// years groups month indices by calendar year.
func years(months []string) []yearIdx {
	var out []yearIdx
	for i, m := range months {
		y := m[:4]
		if len(out) == 0 || out[len(out)-1].year != y {
			out = append(out, yearIdx{year: y})
		}
		out[len(out)-1].idx = append(out[len(out)-1].idx, i)
	}
	return out
}

func replayTable(w io.Writer, r *market.Result, f simFigures) error {
	rp := r.Replay
	fmt.Fprintf(w, "replay of %s (USD per %s) against the band; %s\n\n", rp.Series, rp.Unit, oneLine(rp.Source))
	t := table{header: []string{"FROM", "FLOOR", "CEILING", "AS WRITTEN", "CONVERSION"}}
	for _, g := range rp.Ranges {
		t.add(g.From, f.price(g.Floor), f.price(g.Ceiling), g.Original, g.Conversion)
	}
	if err := t.writeText(w); err != nil {
		return err
	}
	fmt.Fprintln(w, "\nwhat the buffer stock would have done")
	et := table{header: []string{"FROM", "TO", "ACTION", "TONNES"}}
	for _, e := range rp.Episodes {
		et.add(e.From, e.To, e.Action, f.quantity(e.Tonnes))
	}
	if err := et.writeText(w); err != nil {
		return err
	}
	var secs []string
	for _, k := range []string{"below_floor", "at_floor", "lower", "middle", "upper", "above_ceiling"} {
		secs = append(secs, fmt.Sprintf("%s %d", k, rp.Sectors[k]))
	}
	fmt.Fprintf(w, "\nmonths by sector: %s\n", strings.Join(secs, ", "))
	last := rp.Months[len(rp.Months)-1]
	ex := dash(rp.Exhausted)
	if rp.ExhaustedBy != "" {
		ex += " (out of " + rp.ExhaustedBy + ")"
	}
	fmt.Fprintf(w, "bought %s, sold %s; holds %s %s and %s USD at %s; exhausted (had to buy at the floor and could not): %s; out of stock at the ceiling: %s\n",
		f.quantity(rp.TotalBought), f.quantity(rp.TotalSold), f.quantity(last.Tonnes), rp.Unit, f.money(last.Money), last.Month, ex, dash(rp.StockOut))
	return nil
}

// simulationCSV writes one row per month and region, with the Monte Carlo
// percentiles on the report region's rows.
func simulationCSV(w io.Writer, r *market.Result) error {
	f := func(x float64) string { return strconv.FormatFloat(x, 'g', -1, 64) }
	if rp := r.Replay; rp != nil {
		t := table{header: []string{"month", "price", "floor", "ceiling", "sector", "bought", "sold", "tonnes", "money", "short"}}
		for _, m := range rp.Months {
			t.add(m.Month, f(m.Price), f(m.Floor), f(m.Ceiling), m.Sector, f(m.Bought), f(m.Sold), f(m.Tonnes), f(m.Money), f(m.Short))
		}
		return t.writeCSV(w)
	}
	t := table{header: []string{"month", "region", "price", "baseline_price", "producer_price", "consumption", "baseline_consumption", "production", "imports", "exports",
		"tariff_revenue", "floor_levy", "floor", "buffer_tonnes", "buffer_money", "mc_price_p5", "mc_price_p50", "mc_price_p95"}}
	for i, m := range r.Central.Months {
		b := r.Baseline.Months[i]
		for g, x := range m.Regions {
			row := []string{m.Month, x.ID, f(x.Price), f(b.Regions[g].Price), f(x.ProducerPrice), f(x.Consumption), f(b.Regions[g].Consumption),
				f(x.Production), f(x.Imports), f(x.Exports), f(x.TariffRevenue.Total), f(x.TariffRevenue.FloorLevy), f(m.Floor)}
			if m.Buffer != nil {
				row = append(row, f(m.Buffer.Tonnes), f(m.Buffer.Money))
			} else {
				row = append(row, "", "")
			}
			if mc := r.MonteCarlo; mc != nil && mc.Region == x.ID {
				row = append(row, f(mc.Price.P5[i]), f(mc.Price.P50[i]), f(mc.Price.P95[i]))
			} else {
				row = append(row, "", "", "")
			}
			t.add(row...)
		}
	}
	return t.writeCSV(w)
}

package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/design"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/scenarios"
)

// designCompareOptions are `design compare --agreement OLD --agreement NEW`:
// two agreement versions side by side over a workload (docs/design.md).
type designCompareOptions struct {
	agreements   listFlag
	declarations string
	n            int
	seed         uint64
	scenarios    listFlag
	paths        int
	from, to     dateOption
	top          int
	workers      int
	full         bool
	all          bool
	format       formatOption
	out          string
}

// listFlag is a flag that may be given several times.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func (o *designCompareOptions) bind(fs *flag.FlagSet) {
	fs.Var(&o.agreements, "agreement", "agreement file (\"example\": the shipped example); give it twice, OLD then NEW")
	fs.StringVar(&o.declarations, "declarations", "", "declarations file (CSV, as assess reads) to re-assess; default: --n generated ILLUSTRATIVE declarations")
	fs.IntVar(&o.n, "n", design.DefaultDeclarations, "how many declarations to generate when --declarations is not given")
	fs.Uint64Var(&o.seed, "seed", design.DefaultSeed, "seed of the generated declarations")
	fs.Var(&o.scenarios, "scenario", "market scenario (a file or a shipped name: "+strings.Join(scenarios.Names(), ", ")+"); repeat it; default every shipped scenario")
	fs.IntVar(&o.paths, "paths", 0, "Monte Carlo paths of each scenario (0: the scenario's own)")
	o.from.bind(fs, "from", "first date of the floors compared (default: NEW's entry into force)")
	o.to.bind(fs, "to", "last date of the floors compared (default: a year after --from)")
	fs.IntVar(&o.top, "top", 10, "how many of the largest duty changes to list")
	fs.IntVar(&o.workers, "workers", 0, "assessment workers (0: one per CPU)")
	fs.BoolVar(&o.full, "full", false, "recompute everything under NEW instead of what the change reaches")
	fs.BoolVar(&o.all, "all", false, "table: list unchanged floors and duty lines too")
	o.format.bind(fs, "table", "json", "xlsx", "parquet")
	fs.StringVar(&o.out, "out", "", "xlsx: the workbook to write (default standard output); parquet: the directory to write one file a table into")
}

func (o *designCompareOptions) validate(pos []string) error {
	if err := noArgs(pos); err != nil {
		return err
	}
	if len(o.agreements) != 2 {
		return usagef("--agreement: give it twice, OLD then NEW (got %d)", len(o.agreements))
	}
	if o.n < 1 {
		return usagef("--n must be at least 1")
	}
	if o.paths < 0 || o.paths > market.MaxPaths {
		return usagef("--paths must be 0 to %d", market.MaxPaths)
	}
	if o.top < 0 {
		return usagef("--top must be 0 or more")
	}
	if o.workers < 0 {
		return usagef("--workers must be 0 or more")
	}
	if err := firstError(o.format.validate(), o.from.optional(), o.to.optional()); err != nil {
		return err
	}
	if o.format.name == "parquet" && o.out == "" {
		return usagef("--format parquet writes one file a table: give --out DIR")
	}
	if o.out != "" && o.format.name != "xlsx" && o.format.name != "parquet" {
		return usagef("--out is for --format xlsx or parquet")
	}
	if o.from.given != "" && o.to.given != "" && o.to.date.Before(o.from.date) {
		return usagef("--to %s is before --from %s", o.to.date, o.from.date)
	}
	return nil
}

func (o *designCompareOptions) run(ctx context.Context, s streams) error {
	reg, err := registry.Default()
	if err != nil {
		return err
	}
	old, err := loadDesignAgreement(reg, o.agreements[0], "OLD")
	if err != nil {
		return err
	}
	nw, err := loadDesignAgreement(reg, o.agreements[1], "NEW")
	if err != nil {
		return err
	}
	opt := design.Options{Registry: reg, Prices: priceSources(reg), Data: data.FS, Top: o.top, Workers: o.workers, Full: o.full}
	w, err := o.workload(s, reg, old, nw, opt)
	if err != nil {
		return err
	}
	c, err := design.Compare(ctx, old, nw, w, opt)
	if err != nil {
		return err
	}
	switch o.format.name {
	case "json":
		return writeJSON(s.out, c)
	case "xlsx", "parquet":
		return o.writeDesignExport(s, c)
	}
	return writeComparison(s, c, o.all)
}

// loadDesignAgreement loads one of the two versions; an error names the
// flag and which version.
func loadDesignAgreement(reg *registry.Registry, path, which string) (*agreement.Agreement, error) {
	a, _, err := loadAgreementWith(reg, path)
	if err != nil {
		if pe, ok := err.(*problem.Error); ok && pe.Field == "" && pe.Pos.File == "" {
			pe.Field = "agreement"
		}
		return nil, fmt.Errorf("--agreement %s (%s): %w", path, which, err)
	}
	return a, nil
}

// workload reads or generates the declarations and reads the scenarios.
func (o *designCompareOptions) workload(s streams, reg *registry.Registry, old, nw *agreement.Agreement, opt design.Options) (design.Workload, error) {
	w := design.Workload{From: o.from.date, To: o.to.date, Paths: o.paths}
	if w.From.IsZero() {
		w.From = nw.EntryIntoForce
	}
	if w.To.IsZero() {
		w.To = w.From.AddDays(364)
	}
	names := []string(o.scenarios)
	if len(names) == 0 {
		names = scenarios.Names()
	}
	for _, n := range names {
		sc, err := readScenario(n)
		if err != nil {
			return w, fmt.Errorf("--scenario %s: %w", n, err)
		}
		w.Scenarios = append(w.Scenarios, sc)
	}
	if o.declarations != "" {
		f, err := os.Open(o.declarations)
		if err != nil {
			return w, &problem.Error{Code: problem.Invalid, Field: "declarations", Message: "cannot read the declarations file", Err: err}
		}
		defer f.Close()
		ds, bad, err := duty.DecodeCSV(f, o.workers)
		if err != nil {
			return w, &problem.Error{Code: problem.Invalid, Field: "declarations", Message: o.declarations + ": " + err.Error()}
		}
		if len(bad) > 0 {
			fmt.Fprintf(s.err, "warning: --declarations %s: %d rows could not be read and are left out (first: %v)\n", o.declarations, len(bad), bad[0])
		}
		w.Declarations, w.DeclarationsSource = ds, o.declarations
	} else {
		ds, src, err := generatedDeclarations(s, old, opt, o.n, o.seed, w.From)
		if err != nil {
			return w, err
		}
		w.Declarations, w.DeclarationsSource, w.DeclarationsIllustrative = ds, src, true
	}
	return w, nil
}

// writeComparison writes the comparison as tables a negotiator reads: the
// changes, the floors that moved, the duty by party and mineral, the
// largest changes, the quotas and the scenarios, old → new.
func writeComparison(s streams, c *design.Comparison, all bool) error {
	human := forPeople(s, "table")
	ts := c.Tables()
	byName := map[string]design.Table{}
	for _, t := range ts {
		byName[t.Name] = t
	}
	illus := ""
	if c.New.Illustrative || c.Old.Illustrative {
		illus = " (ILLUSTRATIVE)"
	}
	fmt.Fprintf(s.out, "Design comparison%s: %s %s -> %s %s\n", illus, c.Old.ID, c.Old.Hash[:12], c.New.ID, c.New.Hash[:12])
	fmt.Fprintf(s.out, "Floors %s to %s; %d declarations: %s\n", c.Range[0], c.Range[1], c.Duty.Declarations, c.Duty.Source)

	section := func(title string) { fmt.Fprintf(s.out, "\n%s\n", title) }
	money := func(x string) string {
		if human && x != "" {
			return formatDecimal(x, 2)
		}
		return x
	}
	section(fmt.Sprintf("What changed (%d paths of the agreement diff)", len(c.Changes)))
	if len(c.Changes) == 0 {
		fmt.Fprintln(s.out, "no differences")
	} else {
		t := table{header: []string{"CHANGE", "PATH", "OLD", "NEW"}}
		for _, d := range c.Changes {
			t.add(d.Kind, d.Path, brief(d.Old, s.outTTY), brief(d.New, s.outTTY))
		}
		if err := t.write(s); err != nil {
			return err
		}
	}

	changed := 0
	for _, f := range c.Floors {
		if f.Changed {
			changed++
		}
	}
	section(fmt.Sprintf("Floors: %d of %d revisions changed", changed, len(c.Floors)))
	if changed > 0 || all {
		t := table{header: []string{"MINERAL", "STAGE", "VALID FROM", "OLD", "NEW", "CHANGE", "PER", "WHY"}, right: []int{3, 4, 5}}
		for _, f := range c.Floors {
			if !f.Changed && !all {
				continue
			}
			old, nw := money(f.Old), money(f.New)
			if f.OldError != "" {
				old = "error: " + f.OldError
			}
			if f.NewError != "" {
				nw = "error: " + f.NewError
			}
			t.add(f.Mineral, f.Stage, f.ValidFrom.String(), old, nw, money(f.Delta), f.Currency+"/"+f.Unit, strings.Join(f.Why, "; "))
		}
		if err := t.write(s); err != nil {
			return err
		}
	}

	d := c.Duty
	section(fmt.Sprintf("Duty: %d of %d declarations changed (could not be assessed: %d old, %d new)", d.Changed, d.Declarations, d.OldFailed, d.NewFailed))
	{
		t := table{header: []string{"PARTY", "MINERAL", "OLD", "NEW", "CHANGE", "CURRENCY", "WHY"}, right: []int{2, 3, 4}}
		for _, x := range d.ByPartyMineral {
			if !x.Changed && !all {
				continue
			}
			t.add(x.Party, x.Mineral, money(x.Old), money(x.New), money(x.Delta), x.Currency, strings.Join(x.Why, "; "))
		}
		if len(t.rows) == 0 {
			fmt.Fprintln(s.out, "no party's duty on any mineral changed")
		} else if err := t.write(s); err != nil {
			return err
		}
	}
	if all {
		section("Duty by stage and measure")
		t := table{header: []string{"PARTY", "MINERAL", "STAGE", "TYPE", "MEASURE", "OLD", "NEW", "CHANGE", "CURRENCY"}, right: []int{5, 6, 7}}
		for _, x := range d.Lines {
			t.add(x.Party, x.Mineral, x.Stage, x.Type, x.Measure, money(x.Old), money(x.New), money(x.Delta), x.Currency)
		}
		if err := t.write(s); err != nil {
			return err
		}
	} else {
		t := table{header: []string{"PARTY", "MINERAL", "STAGE", "TYPE", "MEASURE", "OLD", "NEW", "CHANGE", "CURRENCY"}, right: []int{5, 6, 7}}
		for _, x := range d.Lines {
			if x.Changed {
				t.add(x.Party, x.Mineral, x.Stage, x.Type, x.Measure, money(x.Old), money(x.New), money(x.Delta), x.Currency)
			}
		}
		if len(t.rows) > 0 {
			section("Duty lines that changed, by stage and measure")
			if err := t.write(s); err != nil {
				return err
			}
		}
	}
	if len(d.Largest) > 0 {
		section(fmt.Sprintf("The %d largest changes (traces: --format json)", len(d.Largest)))
		t := table{header: []string{"#", "DECLARATION", "PARTY", "MINERAL", "STAGE", "OLD", "NEW", "CHANGE", "CURRENCY"}, right: []int{0, 5, 6, 7}}
		for i, x := range d.Largest {
			old, nw := money(x.Old), money(x.New)
			if x.OldError != "" {
				old = "not assessed"
			}
			if x.NewError != "" {
				nw = "not assessed"
			}
			t.add(strconv.Itoa(i+1), x.ID, x.Party, x.Mineral, x.Stage, old, nw, money(x.Delta), x.Currency)
		}
		if err := t.write(s); err != nil {
			return err
		}
	}
	if len(d.Quotas) > 0 {
		section("Quota periods exhausted")
		t := table{header: []string{"QUOTA", "PERIOD", "OLD", "NEW"}}
		for _, q := range d.Quotas {
			t.add(q.Quota, q.PeriodStart.String(), exhaustedCell(q.OldExhausted), exhaustedCell(q.NewExhausted))
		}
		if err := t.write(s); err != nil {
			return err
		}
	}
	if sc := byName["scenarios"]; len(sc.Rows) > 0 {
		section("Market scenarios (central path against no agreement; buffer stock from the Monte Carlo)")
		t := table{header: []string{"SCENARIO", "MEASURE", "OLD", "NEW", "CHANGE"}, right: []int{2, 3, 4}}
		for _, r := range sc.Rows {
			// scenario, mineral, stage, measure, old, new, delta, changed, why
			t.add(r[0], r[3], figureCell(r[4], human), figureCell(r[5], human), figureCell(r[6], human))
		}
		if err := t.write(s); err != nil {
			return err
		}
	}
	{
		t := table{header: []string{"MINERAL", "STAGE", "EU SUPPLY RISK OLD", "NEW", "USGS SUPPLY RISK OLD", "NEW", "WHY"}, right: []int{2, 3, 4, 5}}
		for _, x := range c.Scope {
			if x.Changed || all {
				t.add(x.Mineral, x.Stage, riskCell(x.OldEUSR), riskCell(x.NewEUSR), riskCell(x.OldUSGS), riskCell(x.NewUSGS), strings.Join(x.Why, "; "))
			}
		}
		switch {
		case c.ScopeError != "":
			section("Scope indicators: " + c.ScopeError)
		case len(t.rows) == 0:
			section(fmt.Sprintf("Scope indicators (zone basis, in force on %s): none changed", c.Range[1]))
		default:
			section(fmt.Sprintf("Scope indicators that changed (zone basis, in force on %s)", c.Range[1]))
			if err := t.write(s); err != nil {
				return err
			}
		}
	}
	w := c.Work
	section("What was recomputed for NEW")
	switch {
	case w.Cached:
		fmt.Fprintln(s.out, "nothing: NEW was found whole under its hash")
	case w.Full:
		fmt.Fprintln(s.out, "everything (--full)")
	default:
		fmt.Fprintf(s.out, "floors of %s; %d declarations re-assessed; scenarios %s\n", orNone(w.Floors), w.Reassessed, orNone(w.Scenarios))
	}
	return nil
}

func exhaustedCell(d date.Date) string {
	if d.IsZero() {
		return "not exhausted"
	}
	return d.String()
}

func orNone(xs []string) string {
	if len(xs) == 0 {
		return "none"
	}
	return strings.Join(xs, ", ")
}

// figureCell shows a model figure: on a terminal with two decimals (a
// probability with three), else exact.
func figureCell(x string, human bool) string {
	if !human || x == "" {
		return x
	}
	f, err := strconv.ParseFloat(x, 64)
	if err != nil {
		return x
	}
	if f > -1 && f < 1 && f != 0 {
		return strconv.FormatFloat(f, 'f', 3, 64)
	}
	return formatDecimal(strconv.FormatFloat(f, 'f', 2, 64), 2)
}

// generatedDeclarations returns the generated declarations of the default
// workload, decoded. Generating a million takes the generator about a
// minute, so the CSV is kept in the user's cache directory under the
// agreement's hash, the count, the seed and the first date, and read from
// there next time (decoding it takes about a second). Without a cache
// directory they are generated in memory each time.
func generatedDeclarations(s streams, ag *agreement.Agreement, opt design.Options, n int, seed uint64, from date.Date) ([]duty.Declaration, string, error) {
	src := design.GeneratedSource(ag.ID, n, seed, from)
	h, err := ag.Hash()
	if err != nil {
		return nil, "", err
	}
	dir, err := os.UserCacheDir()
	if err != nil {
		ds, src, err := design.Generate(ag, opt, n, seed, from)
		return ds, src, err
	}
	dir = filepath.Join(dir, "mineralpact")
	path := filepath.Join(dir, declarationsCacheName(h, n, seed, from))
	if f, err := os.Open(path); err == nil {
		defer f.Close()
		ds, bad, err := duty.DecodeCSV(f, opt.Workers)
		if err == nil && len(bad) == 0 && len(ds) == n {
			return ds, src, nil
		}
	}
	if n >= 100_000 {
		fmt.Fprintf(s.err, "generating %d ILLUSTRATIVE declarations (once; kept in %s)\n", n, dir)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return design.Generate(ag, opt, n, seed, from)
	}
	tmp, err := os.CreateTemp(dir, "declarations-*.tmp")
	if err != nil {
		return design.Generate(ag, opt, n, seed, from)
	}
	defer os.Remove(tmp.Name())
	bw := bufio.NewWriterSize(tmp, 1<<20)
	if _, err := design.GenerateCSV(bw, ag, opt, n, seed, from); err != nil {
		tmp.Close()
		return nil, "", err
	}
	if err := bw.Flush(); err != nil {
		tmp.Close()
		return nil, "", err
	}
	if err := tmp.Close(); err != nil {
		return nil, "", err
	}
	if err := os.Rename(tmp.Name(), path); err != nil {
		return nil, "", err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, "", err
	}
	defer f.Close()
	ds, bad, err := duty.DecodeCSV(f, opt.Workers)
	if err != nil {
		return nil, "", err
	}
	if len(bad) > 0 {
		return nil, "", fmt.Errorf("generated declarations: %v", bad[0])
	}
	return ds, src, nil
}

// declarationsCacheName is the cache file of generated declarations.
func declarationsCacheName(agreementHash string, n int, seed uint64, from date.Date) string {
	// The generator's version: a file another version wrote holds other
	// rows, and is not reused.
	return fmt.Sprintf("declarations-v%d-%s-n%d-seed%d-%s.csv", declgen.Version, agreementHash[:16], n, seed, from)
}

func riskCell(x *float64) string {
	if x == nil {
		return "-"
	}
	return strconv.FormatFloat(*x, 'f', 4, 64)
}

package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io/fs"
	"os"
	"strconv"
	"strings"

	shipped "github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/projects"
)

// examplePipeline is the name the embedded example pipeline is loaded and
// reported under.
const examplePipeline = "examples/projects-2026.yaml"

// projectsOptions are what every projects verb shares: the pipeline, the
// agreement whose floor applies, the price paths and the discount rates.
type projectsOptions struct {
	pipeline, agreement string
	asOf                dateOption
	paths               countOption
	seed                uint64
	seedGiven           bool
	rate, publicRate    float64
	baseRate            float64 // --rate as given (0: the pipeline's)
	floorGiven          bool    // --floor: no date is needed for the floor
	scenario            string  // --scenario: prices from the market simulation's Monte Carlo
	// hurdles are the projects' hurdle rates (set by load): the base rate
	// and, where the pipeline says so, the agreement's country risk premium.
	hurdles map[string]projects.Hurdle
}

func (o *projectsOptions) bind(fs *flag.FlagSet, paths int) {
	fs.StringVar(&o.pipeline, "pipeline", "", "pipeline file, or a shipped pipeline: example (the illustrative examples/projects-2026.yaml), busch-lithium-2024, scenario-projects")
	agreementFlag(fs, &o.agreement)
	o.asOf.bind(fs, "as-of", "date (YYYY-MM-DD) of the agreement's floor")
	o.paths.n, o.seed = paths, 1
	fs.Var(&o.paths, "paths", fmt.Sprintf("price paths (default %d; with --scenario %d)", paths, defaultScenarioPaths))
	fs.Func("seed", "seed of the price paths (default 1; with --scenario the scenario's)", func(v string) error {
		n, err := strconv.ParseUint(v, 10, 64)
		if err != nil {
			return fmt.Errorf("want a whole number ≥ 0, got %q", v)
		}
		o.seed, o.seedGiven = n, true
		return nil
	})
	fs.StringVar(&o.scenario, "scenario", "", "take the price paths from this market scenario's Monte Carlo (a file or a shipped scenario's name), without and with the agreement")
	fs.Float64Var(&o.rate, "rate", 0, "the projects' hurdle rate (default: the pipeline's discount_rate)")
	fs.Float64Var(&o.publicRate, "public-rate", 0, "the public purse's discount rate (default: the pipeline's public_discount_rate)")
}

func (o *projectsOptions) validate() error {
	if o.pipeline == "" {
		return usagef("--pipeline FILE is required (example: the shipped illustrative pipeline)")
	}
	if o.scenario != "" && !o.paths.set {
		o.paths.n = defaultScenarioPaths
	}
	if o.paths.n < 1 || o.paths.n > 1_000_000 {
		return usagef("--paths must be 1 to 1,000,000, got %d", o.paths.n)
	}
	return nil
}

// load reads the pipeline, checked against the registry, and the agreement;
// the as-of date defaults to the agreement's entry into force (said on
// standard error: engines never read the clock). The rates come from the
// flags or else the pipeline.
func (o *projectsOptions) load(s streams) (*loaded, *projects.Pipeline, error) {
	env, err := loadEnv(o.agreement)
	if err != nil {
		return nil, nil, err
	}
	name, data := o.pipeline, []byte(nil)
	if name == "example" || name == examplePipeline {
		name, data = examplePipeline, examples.Projects2026
	} else if data, err = os.ReadFile(name); errors.Is(err, os.ErrNotExist) && !strings.ContainsAny(name, "/\\") {
		// A shipped pipeline by its id: data/projects/ID.yaml.
		if data, err = fs.ReadFile(shipped.FS, "projects/"+name+".yaml"); err == nil {
			name = "data/projects/" + name + ".yaml"
		}
	}
	if err != nil {
		return nil, nil, &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("pipeline: %v (a file, example, or a shipped pipeline: busch-lithium-2024, scenario-projects)", err)}
	}
	p, err := projects.DecodePipeline(name, data)
	if err != nil {
		return nil, nil, err
	}
	if err := p.CheckRegistry(env.reg); err != nil {
		return nil, nil, err
	}
	if o.asOf.given == "" && !o.floorGiven && o.scenario == "" {
		o.asOf.date = env.agreement.EntryIntoForce
		fmt.Fprintf(s.err, "as of %s, the entry into force of %s (give --as-of for another date)\n", o.asOf.date, env.agreement.ID)
	}
	o.baseRate = o.rate
	if o.rate == 0 {
		o.rate = p.DiscountRate
	}
	if o.publicRate == 0 {
		o.publicRate = p.PublicDiscountRate
	}
	if o.rate == 0 || o.publicRate == 0 {
		return nil, nil, &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("pipeline %s gives no discount_rate or public_discount_rate: give --rate and --public-rate", p.ID)}
	}
	// The country risk premium is the agreement's as in force on the date
	// of the floor (its entry into force when none is given).
	on := o.asOf.date
	if on.IsZero() {
		on = env.agreement.EntryIntoForce
	}
	in, err := env.agreement.AsOf(on)
	if err != nil {
		return nil, nil, err
	}
	if o.hurdles, err = p.HurdleRates(o.rate, in.Agreement, env.reg); err != nil {
		return nil, nil, err
	}
	return env, p, nil
}

// oneProject is what value and offtake share: one project of the pipeline,
// the floor it is valued under (--floor, else the agreement's floor of its
// mineral and stage on --as-of) and its price paths.
type oneProject struct {
	projectsOptions
	project string
	floor   optionalFloat
}

func (o *oneProject) bind(fs *flag.FlagSet) {
	o.projectsOptions.bind(fs, 10_000)
	fs.StringVar(&o.project, "project", "", "id of the project in the pipeline")
	fs.Var(&o.floor, "floor", "floor price per unit of the project's output (default: the agreement's floor of its mineral and stage on --as-of)")
}

// value is the one valuation path of `projects value` and `projects
// offtake` (with its contract c): the project on the paths with the floor —
// --floor, or the agreement's — from the pipeline's GBM or, with
// --scenario, the market's Monte Carlo, whose progress it shows.
func (o *oneProject) value(ctx context.Context, s streams, env *loaded, p *projects.Pipeline, c *projects.Offtake) (*projects.Valuation, error) {
	req := projects.ValueRequest{Project: o.project, AsOf: o.asOf.date, Paths: o.paths.n, Seed: o.seed, SeedGiven: o.seedGiven, Rate: o.baseRate, PublicRate: o.publicRate, Offtake: c}
	if o.floor.set {
		req.Floor = &o.floor.v
	}
	var bar *progress
	if o.scenario != "" {
		var err error
		if req.Scenario, err = readScenario(o.scenario); err != nil {
			return nil, err
		}
		bar = newProgress(s, "simulating "+req.Scenario.ID, "paths")
		req.Progress = bar.step
	}
	v, err := p.Value(ctx, projects.Env{Registry: env.reg, Agreement: env.agreement, Floors: env.floors(), Data: shipped.FS}, req)
	if bar != nil {
		bar.done()
	}
	return v, err
}

// project returns the pipeline's project id or a not-found error.
func project(p *projects.Pipeline, id string) (*projects.Project, error) {
	pr := p.Project(id)
	if pr == nil {
		return nil, &problem.Error{Code: problem.NotFound, Field: "project", Message: fmt.Sprintf("no project %q in pipeline %s", id, p.ID)}
	}
	return pr, nil
}

// optionalFloat is a float flag that knows whether it was given.
type optionalFloat struct {
	set bool
	v   float64
}

func (f *optionalFloat) String() string {
	if !f.set {
		return ""
	}
	return strconv.FormatFloat(f.v, 'g', -1, 64)
}

func (f *optionalFloat) Set(s string) error {
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || !(v >= 0) {
		return fmt.Errorf("want a number ≥ 0, got %q", s)
	}
	f.set, f.v = true, v
	return nil
}

// fig renders a figure: for people with thousands separators and places
// decimals; otherwise exact (the shortest text that reads back the same).
func fig(people bool, x float64, places int) string {
	if people {
		return formatFloat(x, places)
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// pctFig renders a probability or rate: for people as a percentage with one
// decimal; otherwise exact.
func pctFig(people bool, x float64) string {
	if people {
		return formatFloat(100*x, 1) + "%"
	}
	return strconv.FormatFloat(x, 'f', -1, 64)
}

// notice is the line every projects output carries for an illustrative
// pipeline, or one whose notice says what is derived and what assumed.
func notice(p *projects.Pipeline) string {
	switch {
	case p.Illustrative:
		return "ILLUSTRATIVE pipeline " + p.ID + ": " + p.Notice
	case p.Notice != "":
		return "pipeline " + p.ID + ": " + p.Notice
	}
	return ""
}

package market

import (
	"io/fs"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Env is what a scenario is built against: the registry, the agreement whose
// design it simulates, the floors of that agreement, and the data directory
// the cost curves come from. Agreement and Floors may be nil for a replay
// (which reads no design).
type Env struct {
	Registry  *registry.Registry
	Agreement *agreement.Agreement
	Floors    FloorSource
	Data      fs.FS
}

// FloorSource gives the floor of a mineral at a stage in force on a date:
// the floors the secretariat published (what a design is judged against),
// or *refprice.Engine's live computation for a preview.
type FloorSource interface {
	Floor(mineral, stage string, on date.Date) (*refprice.Floor, error)
}

var _ FloorSource = (*refprice.Engine)(nil)

// floors returns the environment's floor source, nil if it has none (a
// FloorSource holding a nil pointer is none).
func (env Env) floors() FloorSource {
	if e, ok := env.Floors.(*refprice.Engine); ok && e == nil {
		return nil
	}
	return env.Floors
}

// Plan is a scenario compiled against its environment: every month's floor,
// shocks and design, the producers by region, ready to simulate. A Plan is
// read-only once built and safe to share between goroutines.
type Plan struct {
	Scenario *Scenario
	Design   DesignSummary
	Months   []string // YYYY-MM of each step

	regions   []planRegion
	zone      int // region index of the zone, −1 if none
	report    int // region whose price the fan charts show
	producers []planProducer
	projects  []planProject
	transport []float64 // R×R; NaN: no route
	backstop  float64
	qscale    float64

	// design, by month
	floor, ceiling  []float64                 // 0: none
	levyShare       []float64                 // phase-in share of the levy and surcharge
	enforced        bool                      // a variable duty enforces the floor at the zone's border
	capRate         *agreement.Rate           // the variable duty's cap; nil: none
	capUnit         []float64                 // by month: the cap on a unit at the month's floor
	partyOrigin     agreement.OriginTreatment // the levy on regions made only of parties
	partyShare      float64                   // the share of the levy they pay (agreement.OriginShare)
	surchargeExempt []string                  // origins exempt from the surcharge

	// shocks, by month
	blocked   []bool    // months × R × R: route closed by an export ban
	extra     []float64 // months × R × R: extra cost per unit on a route (export_cost)
	capFactor []float64 // months × producers: scheduled outages
	demFactor []float64 // months × regions
	growthAt  []float64 // months × regions: growth^t
	quotas    []planQuota

	buffer   *planBuffer
	releases []planRelease
	window   int
	closure  int

	replay *replayPlan
}

// MaxPaths bounds the Monte Carlo paths of one run.
const MaxPaths = 1_000_000

// Build compiles sc against env. It checks what needs the registry and the
// agreement — countries, the floor of the mineral and stage, the duty party,
// the cost curve — and reports every problem it finds at its line in the
// scenario file.
func Build(sc *Scenario, env Env) (*Plan, error) {
	if env.Registry == nil {
		return nil, problem.Errorf(problem.Internal, "market: Build needs a registry")
	}
	p := &problems{sc: sc}
	pl := &Plan{Scenario: sc, zone: -1}
	start := sc.Start.FirstOfMonth()
	n := sc.Months
	if sc.Kind == KindReplay && n == 0 {
		n = start.MonthsUntil(sc.Replay.To) + 1
	}
	for m := 0; m < n; m++ {
		pl.Months = append(pl.Months, start.AddMonths(m).MonthKey())
	}
	if _, err := env.Registry.Mineral(sc.Mineral); err != nil {
		p.add("mineral", "%s", messageOf(err))
	}
	if _, err := env.Registry.Unit(sc.Unit); err != nil {
		p.add("unit", "%s", messageOf(err))
	}
	if sc.Kind == KindReplay {
		pl.buildReplay(p, env)
		return pl, p.l.Err()
	}
	if env.Agreement == nil || env.floors() == nil {
		return nil, problem.Errorf(problem.Invalid, "scenario %s simulates a design: an agreement is required", sc.ID)
	}
	zone := pl.buildDesign(p, env, start)
	pl.buildRegions(p, env, zone)
	if len(p.l) > 0 {
		return nil, p.l.Err()
	}
	pl.buildSupply(p, env, zone)
	pl.buildShocks(p)
	pl.buildStocks(p)
	if len(p.l) > 0 {
		return nil, p.l.Err()
	}
	return pl, nil
}

func messageOf(err error) string {
	if pe, ok := err.(*problem.Error); ok {
		return pe.Message
	}
	return err.Error()
}

// monthIndex returns the step of the month containing d (may be < 0 or ≥ len).
func (pl *Plan) monthIndex(d date.Date) int {
	return pl.Scenario.Start.MonthsUntil(d)
}

package market

import (
	"context"
	"encoding/json"
	"flag"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/docref"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// sharedEnv is built once for the tests that only read it.
var sharedEnv = sync.OnceValues(func() (Env, error) { return newEnv(registry.Default) })

// testEnv is the shipped registry, the example agreement and its floors.
func testEnv(t testing.TB) Env {
	t.Helper()
	env, err := sharedEnv()
	if err != nil {
		t.Fatal(err)
	}
	return env
}

// newEnv builds an environment of its own over the registry load returns:
// the example agreement and a reference-price engine over it.
func newEnv(load func() (*registry.Registry, error)) (Env, error) {
	reg, err := load()
	if err != nil {
		return Env{}, err
	}
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		return Env{}, err
	}
	return Env{Registry: reg, Agreement: a, Floors: refprice.New(a, priceSources(reg)), Data: data.FS}, nil
}

// priceSources is what the reference prices read: the registry and the
// shipped cost curves.
func priceSources(reg *registry.Registry) refprice.Sources {
	return refprice.Sources{Registry: reg, Curves: func(name, mineral, stage string) (*refprice.CostCurve, error) {
		c, err := costcurve.Load(data.FS, name, mineral, stage)
		if err != nil {
			return nil, err
		}
		out := &refprice.CostCurve{Name: c.Name, Unit: c.Unit, Currency: c.Currency, Year: c.Year, Illustrative: c.Illustrative, Source: c.Source}
		for _, p := range c.Producers {
			out.Producers = append(out.Producers, refprice.Producer{ID: p.ID, Name: p.Name, Country: p.Country, Capacity: p.Capacity, Cost: p.Cost})
		}
		return out, nil
	}}
}

func decodeFile(t testing.TB, path string) *Scenario {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := DecodeScenario(filepath.Base(path), b)
	if err != nil {
		t.Fatalf("DecodeScenario(%s) = %v", path, err)
	}
	return sc
}

func loadPlan(t testing.TB, path string) *Plan {
	t.Helper()
	pl, err := Build(decodeFile(t, path), testEnv(t))
	if err != nil {
		t.Fatalf("Build(%s) = %v", path, err)
	}
	return pl
}

func run(t testing.TB, pl *Plan, opts Options) *Result {
	t.Helper()
	res, err := Run(context.Background(), pl, opts)
	if err != nil {
		t.Fatalf("Run(%s) = %v", pl.Scenario.ID, err)
	}
	return res
}

// scenarioFiles are the test scenarios and the shipped ones.
func scenarioFiles(t *testing.T) []string {
	a, _ := filepath.Glob("testdata/scenarios/*.yaml")
	b, _ := filepath.Glob("../../scenarios/*.yaml")
	if len(b) == 0 {
		t.Fatal("no scenarios in ../../scenarios")
	}
	return append(a, b...)
}

// TestConservation checks every month of every scenario, design and
// baseline: production + substitutes = consumption + stock change,
// recomputed here from the producers' outputs rather than taken from the
// engine's own balance.
func TestConservation(t *testing.T) {
	for _, f := range scenarioFiles(t) {
		pl := loadPlan(t, f)
		if pl.Scenario.Kind != KindEquilibrium {
			continue
		}
		res := run(t, pl, Options{})
		for _, pr := range []*PathResult{res.Central, res.Baseline} {
			for i, m := range pr.Months {
				var prod, cons float64
				for _, p := range pr.Producers {
					prod += p.Output[i]
				}
				var regProd float64
				for _, r := range m.Regions {
					cons += r.Consumption
					regProd += r.Production
				}
				stock := 0.0
				if m.Buffer != nil {
					stock = m.Buffer.Bought - m.Buffer.Sold
				}
				stock -= m.Released
				got := prod + m.Substitutes - cons - stock
				if tol := Tolerance * pl.qscale; math.Abs(got) > tol || math.Abs(prod-regProd) > tol {
					t.Errorf("%s %s: production %g + substitutes %g − consumption %g − stock change %g = %g, want 0 (tolerance %g)",
						pl.Scenario.ID, m.Month, prod, m.Substitutes, cons, stock, got, tol)
				}
				// Each region: what it produces and imports, less what it
				// exports and what its stocks take, is what it consumes.
				var regStock, regSubs float64
				for _, r := range m.Regions {
					regStock += r.StockChange
					regSubs += r.Substitutes
					got := r.Production + r.Substitutes + r.Imports - r.Exports - r.StockChange
					if math.Abs(got-r.Consumption) > Tolerance*pl.qscale {
						t.Errorf("%s %s region %s: production + substitutes + imports − exports − stock change = %g, consumption %g", pl.Scenario.ID, m.Month, r.ID, got, r.Consumption)
					}
				}
				if math.Abs(regStock-stock) > Tolerance*pl.qscale || math.Abs(regSubs-m.Substitutes) > Tolerance*pl.qscale {
					t.Errorf("%s %s: regions' stock change %g and substitutes %g, want %g and %g", pl.Scenario.ID, m.Month, regStock, regSubs, stock, m.Substitutes)
				}
			}
		}
	}
}

// TestFloorBinds is two-region-floor.yaml: the band floor 38,000 is above
// the free price, so the zone pays the floor, its own mine (cost 34,000)
// runs, and imports pay the levy floor − (20,000 + 1,000) = 17,000.
func TestFloorBinds(t *testing.T) {
	res := run(t, loadPlan(t, "testdata/scenarios/two-region-floor.yaml"), Options{})
	m := res.Central.Months[0]
	zone, row := m.Regions[0], m.Regions[1]
	wantCons := 50 * math.Pow(38000.0/30000, -0.5)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"zone price", zone.Price, 38000},
		{"zone consumption", zone.Consumption, wantCons},
		{"zone production", zone.Production, 20},
		{"zone imports", zone.Imports, wantCons - 20},
		{"floor levy", zone.TariffRevenue.FloorLevy, (wantCons - 20) * 17000},
		{"ROW price", row.Price, 20000},
		{"baseline zone price", res.Baseline.Months[0].Regions[0].Price, solveBaseline()},
	}
	for _, c := range checks {
		if math.Abs(c.got-c.want) > 1e-6*math.Max(1, math.Abs(c.want)) {
			t.Errorf("%s = %.9g, want %.9g", c.name, c.got, c.want)
		}
	}
	if res.Comparison.ZoneConsumerCost <= 0 {
		t.Errorf("zone consumer cost = %g, want > 0 under a binding floor", res.Comparison.ZoneConsumerCost)
	}
}

// solveBaseline solves the two-region baseline by bisection, independently
// of the engine: the ROW mine (100 t a month) serves both regions at
// p_ROW + 1,000 = p_zone: 50(p/30000)^−½ + 50((p−1000)/30000)^−½ = 100.
func solveBaseline() float64 {
	lo, hi := 21000.0, 60000.0
	for i := 0; i < 200; i++ {
		p := (lo + hi) / 2
		if 50*math.Pow(p/30000, -0.5)+50*math.Pow((p-1000)/30000, -0.5) > 100 {
			lo = p
		} else {
			hi = p
		}
	}
	return (lo + hi) / 2
}

// TestFloorDoesNotBind halves the floor (19,000, below the free price): the
// design then changes nothing.
func TestFloorDoesNotBind(t *testing.T) {
	sc := decodeFile(t, "testdata/scenarios/two-region-floor.yaml")
	sc.Design.FloorScale = 0.5
	pl, err := Build(sc, testEnv(t))
	if err != nil {
		t.Fatal(err)
	}
	res := run(t, pl, Options{})
	for i, m := range res.Central.Months {
		b := res.Baseline.Months[i]
		for g := range m.Regions {
			if got, want := m.Regions[g].Price, b.Regions[g].Price; math.Abs(got-want) > 1e-9*want {
				t.Errorf("%s %s price = %v, want the baseline's %v", m.Month, m.Regions[g].ID, got, want)
			}
			if rv := m.Regions[g].TariffRevenue.Total; rv != 0 {
				t.Errorf("%s %s revenue = %v, want 0", m.Month, m.Regions[g].ID, rv)
			}
		}
	}
	if c := res.Comparison.ZoneConsumerCost; math.Abs(c) > 1e-6 {
		t.Errorf("zone consumer cost = %v, want 0", c)
	}
}

// TestBufferStockExhaustion is buffer-exhaustion.yaml, worked in
// buffer-exhaustion.md.
func TestBufferStockExhaustion(t *testing.T) {
	res := run(t, loadPlan(t, "testdata/scenarios/buffer-exhaustion.yaml"), Options{})
	c := res.Central
	buy := 100 - 100*math.Pow(38000.0/30000, -0.5)
	money3 := 1e6 - 2*buy*38000
	q3 := money3 / 38000
	p3 := 30000 * math.Pow(100/(100-q3), 2)
	checks := []struct {
		name      string
		got, want float64
	}{
		{"2026-01 price", c.Months[0].Regions[0].Price, 38000},
		{"2026-01 bought", c.Months[0].Buffer.Bought, buy},
		{"2026-02 price", c.Months[1].Regions[0].Price, 38000},
		{"2026-02 money", c.Months[1].Buffer.Money, money3},
		{"2026-03 bought", c.Months[2].Buffer.Bought, q3},
		{"2026-03 price", c.Months[2].Regions[0].Price, p3},
		{"2026-03 money", c.Months[2].Buffer.Money, money3 - q3*p3},
		{"baseline price", res.Baseline.Months[0].Regions[0].Price, 30000},
	}
	for _, ck := range checks {
		if math.Abs(ck.got-ck.want) > 1e-6*math.Max(1, math.Abs(ck.want)) {
			t.Errorf("%s = %.9g, want %.9g", ck.name, ck.got, ck.want)
		}
	}
	if c.Buffer == nil || c.Buffer.Exhausted != "2026-03" {
		t.Errorf("buffer stock exhausted = %+v, want 2026-03", c.Buffer)
	}
	if !c.Months[2].Buffer.FloorBroken || c.Months[1].Buffer.FloorBroken {
		t.Errorf("floor broken in 2026-02, 2026-03 = %v, %v; want false, true", c.Months[1].Buffer.FloorBroken, c.Months[2].Buffer.FloorBroken)
	}
}

// mcChildEnv names the file a child process of TestMonteCarloDeterminism
// writes its result to.
const mcChildEnv = "MARKET_MONTE_CARLO_CHILD_OUT"

// independentMonteCarlo builds its own registry, agreement, floors and plan
// from the files, as a process starting afresh would, and runs 64 paths of
// bench-cobalt.yaml with the given seed on the given number of workers.
func independentMonteCarlo(t *testing.T, seed uint64, workers int) *MonteCarloResult {
	t.Helper()
	env, err := newEnv(func() (*registry.Registry, error) { return registry.Load(data.FS) })
	if err != nil {
		t.Fatal(err)
	}
	pl, err := Build(decodeFile(t, "testdata/scenarios/bench-cobalt.yaml"), env)
	if err != nil {
		t.Fatal(err)
	}
	res, err := pl.MonteCarlo(context.Background(), Options{Paths: 64, Seed: seed, Workers: workers})
	if err != nil {
		t.Fatal(err)
	}
	return res
}

// TestMonteCarloDeterminism: the same seed gives the same result bit for bit
// in runs that share nothing — plans built separately from the files, one on
// one worker in this process and one on three workers in a child process —
// and a different seed does not.
func TestMonteCarloDeterminism(t *testing.T) {
	if out := os.Getenv(mcChildEnv); out != "" {
		b, err := json.Marshal(independentMonteCarlo(t, 7, 3))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(out, b, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	out := filepath.Join(t.TempDir(), "child.json")
	cmd := exec.Command(os.Args[0], "-test.run=^TestMonteCarloDeterminism$", "-test.count=1")
	cmd.Env = append(os.Environ(), mcChildEnv+"="+out)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("child process: %v\n%s", err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	var child MonteCarloResult
	if err := json.Unmarshal(b, &child); err != nil {
		t.Fatal(err)
	}
	one := independentMonteCarlo(t, 7, 1)
	if !reflect.DeepEqual(one, &child) {
		t.Errorf("MonteCarlo(seed 7): one worker here and three in a child process differ")
	}
	for m := range one.Price.P50 {
		if a, b := one.Price.P50[m], child.Price.P50[m]; math.Float64bits(a) != math.Float64bits(b) {
			t.Fatalf("month %d: P50 %v here and %v in the child are not the same bits", m, a, b)
		}
	}
	other := independentMonteCarlo(t, 8, 2)
	if reflect.DeepEqual(one.Price, other.Price) {
		t.Errorf("MonteCarlo with seeds 7 and 8 gave the same prices")
	}
	if p := one.Price; !(p.P5[60] <= p.P50[60] && p.P50[60] <= p.P95[60]) {
		t.Errorf("month 60: P5 %v, P50 %v, P95 %v not in order", p.P5[60], p.P50[60], p.P95[60])
	}
}

func TestMonteCarloCancel(t *testing.T) {
	pl := loadPlan(t, "testdata/scenarios/bench-cobalt.yaml")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := pl.MonteCarlo(ctx, Options{Paths: 100, Seed: 1}); err == nil {
		t.Error("MonteCarlo with a cancelled context = nil error")
	}
}

// TestGeneralLink checks the capped, shared levy's landed price and its
// inverse on a grid: netback(landed(π)) = π wherever landed is not flat; and
// that, untilted, the levy is the agreement's rule
// (agreement.VariableDutyPerUnit).
func TestGeneralLink(t *testing.T) {
	for _, l := range []link{
		{transport: 100, floor: 1000, hasFloor: true, share: 1, hasCap: true, cap: 500, tilt: capTilt},
		{transport: 100, floor: 1000, hasFloor: true, share: 0.25},
		{transport: 0, floor: 1000, hasFloor: true, share: 1, hasCap: true, cap: 400, tilt: capTilt},
		{transport: 0, floor: 1000, hasFloor: true, share: 1, hasCap: true, cap: 400, adValorem: 0.25},
		{transport: 50, floor: 1000, hasFloor: true, share: 0.5, hasCap: true, cap: 230, adValorem: 0.1, specific: 5},
		{transport: 50, floor: 1000, hasFloor: true, share: 0.5, hasCap: true, cap: 0},
		{transport: 50, floor: 1000, hasFloor: true, share: 0.5, hasCap: true, cap: 5000},
	} {
		l.prepare()
		prev := math.Inf(-1)
		for pi := -200.0; pi <= 2000; pi += 7.5 {
			b := pi + l.transport
			levy := (1 - l.tilt) * math.Max(0, l.floor-b)
			if l.hasCap {
				levy = math.Min(levy, l.cap)
			}
			levy *= l.share
			if got := l.levyAt(b); l.tilt == 0 {
				rule := agreement.VariableDutyPerUnit(decimal(l.floor), decimal(b), decimal(l.cap), l.hasCap, decimal(l.share)).Float64()
				if math.Abs(got-rule) > 1e-12*l.floor {
					t.Fatalf("%+v: levy at %v = %v, the agreement's rule gives %v", l, b, got, rule)
				}
			}
			want := b + levy + l.adValorem*b + l.specific
			got := l.landed(pi)
			if math.Abs(got-want) > 1e-9*math.Abs(want) {
				t.Fatalf("%+v: landed(%v) = %v, want %v", l, pi, got, want)
			}
			if got < prev-1e-9 {
				t.Fatalf("%+v: landed decreases at %v", l, pi)
			}
			prev = got
			if !l.flat(pi) {
				if back := l.netback(got); math.Abs(back-pi) > 1e-6 {
					t.Errorf("%+v: netback(landed(%v)) = %v", l, pi, back)
				}
			} else if back := l.netback(got); back < pi-1e-9 || l.landed(back) > got+1e-9 {
				t.Errorf("%+v: at a flat π %v, netback = %v is not the greatest π with that landed price", l, pi, back)
			}
		}
	}
}

// TestScenarioErrors decodes testdata/scenarios/bad/*.yaml; each file's first
// lines say, as comments "# want: ...", the messages it must produce.
func TestScenarioErrors(t *testing.T) {
	files, _ := filepath.Glob("testdata/scenarios/bad/*.yaml")
	if len(files) == 0 {
		t.Fatal("no bad scenarios")
	}
	for _, f := range files {
		b, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var wants []string
		for _, line := range strings.Split(string(b), "\n") {
			if w, ok := strings.CutPrefix(line, "# want: "); ok {
				wants = append(wants, w)
			}
		}
		sc, err := DecodeScenario(filepath.Base(f), b)
		if err == nil {
			_, err = Build(sc, testEnv(t))
		}
		if err == nil {
			t.Errorf("%s: no error, want %q", f, wants)
			continue
		}
		for _, w := range wants {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: error\n%v\nwant it to contain %q", f, err, w)
			}
		}
	}
}

var update = flag.Bool("update", false, "rewrite the generated part of docs/market.md")

const (
	refStart = "<!-- scenario reference: generated by `go test ./internal/market -run TestScenarioReferenceInDocs -update`; do not edit below -->\n"
	refEnd   = "<!-- end of the scenario reference -->\n"
)

// TestScenarioReferenceInDocs holds docs/market.md's field reference to the
// scenario types' tags; -update rewrites it.
func TestScenarioReferenceInDocs(t *testing.T) {
	docref.Check(t, "../../docs/market.md", refStart, refEnd, "\n"+ScenarioReference(), *update)
}

package market

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadInstance(t testing.TB, name string) *Instance {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	in, err := DecodeInstance(name, b)
	if err != nil {
		t.Fatalf("DecodeInstance(%s) = %v", name, err)
	}
	return in
}

// solveChecked solves in and fails the test unless every residual is within
// tolerance.
func solveChecked(t testing.TB, name string, in *Instance) *Equilibrium {
	t.Helper()
	eq, err := Solve(in)
	if err != nil {
		t.Fatalf("Solve(%s) = %v", name, err)
	}
	if c := CheckEquilibrium(in, eq); !c.OK {
		t.Fatalf("CheckEquilibrium(%s) = %+v, want ok", name, c)
	}
	return eq
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestRandomAgainstQP(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		in := RandomInstance(seed, 2+int(seed%9), 10+int(seed*7%120), Generated{})
		eq := solveChecked(t, "random", in)
		p, dem := marketQP(in)
		_, y, _, err := p.solve()
		if err != nil {
			t.Fatalf("seed %d: qp.solve() = %v", seed, err)
		}
		for r, rr := range eq.Regions {
			if rr.Consumption == 0 {
				continue // above the choke price the price is not unique
			}
			if got, want := rr.Price, y[dem[r]]; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("seed %d: Solve price of %s = %v, want %v (QP)", seed, rr.ID, got, want)
			}
		}
	}
}

// twoRegion is testdata/two-region.json (worked in two-region.md) with
// changes applied.
func twoRegion(t *testing.T, change func(*Instance)) *Instance {
	in := loadInstance(t, "two-region.json")
	if change != nil {
		change(in)
	}
	if err := in.Validate("two-region.json"); err != nil {
		t.Fatal(err)
	}
	return in
}

func TestHandCases(t *testing.T) {
	tests := []struct {
		name   string
		change func(*Instance)
		// want: prices of A and B, flow A→B, B's specific and levy revenue,
		// and the output of producer 0 (a1).
		pA, pB, flow, specific, levy, a1 float64
	}{
		{"two-region by hand", nil, 60, 80, 20, 200, 0, 60},
		// Floor 75 in B: the border price 50+10 is below it, the levy 15
		// lifts the landed price to 75+10 = 85; B buys 30, 20 of its own
		// and 10 from A; A consumes 50 at 50.
		{"floor binds", func(in *Instance) { in.Floors = []Floor{{Importer: "B", Price: 75}} }, 50, 85, 10, 100, 150, 60},
		// Floor 65 is below the border price 70: no levy, as without it.
		{"floor does not bind", func(in *Instance) { in.Floors = []Floor{{Importer: "B", Price: 65}} }, 60, 80, 20, 200, 0, 60},
		// A exempt from the floor: as without it.
		{"floor with exemption", func(in *Instance) { in.Floors = []Floor{{Importer: "B", Price: 75, Exempt: []string{"A"}}} }, 60, 80, 20, 200, 0, 60},
		// No route: each region in autarky, A at 40 (100 − P = 60), B at 90.
		{"no trade", func(in *Instance) { in.Transport = nil }, 40, 90, 0, 0, 0, 60},
		// A second producer in A at cost 45 and A alone: 100 − P = 40 + x
		// at P = 45 gives x = 15 from the marginal producer a2; a1 capacity 40.
		{"producer at the margin", func(in *Instance) {
			in.Transport = nil
			in.Producers[0].Capacity = 40
			in.Producers = append(in.Producers, Producer{ID: "a2", Region: "A", Capacity: 50, UnitCost: 45})
		}, 45, 90, 0, 0, 0, 40},
	}
	for _, tt := range tests {
		in := twoRegion(t, tt.change)
		eq := solveChecked(t, tt.name, in)
		var flow float64
		for _, f := range eq.Flows {
			if f.From == "A" && f.To == "B" {
				flow = f.Quantity
			}
		}
		rv := eq.Regions[1].TariffRevenue
		got := []float64{eq.Regions[0].Price, eq.Regions[1].Price, flow, rv.Specific, rv.FloorLevy, eq.Producers[0].Output}
		want := []float64{tt.pA, tt.pB, tt.flow, tt.specific, tt.levy, tt.a1}
		for i := range got {
			if !near(got[i], want[i]) {
				t.Errorf("Solve(%s) = [pA pB flow specific levy a1] %v, want %v", tt.name, got, want)
				break
			}
		}
	}
}

func TestMarginalProducerOutput(t *testing.T) {
	in := twoRegion(t, func(in *Instance) {
		in.Transport = nil
		in.Producers[0].Capacity = 40
		in.Producers = append(in.Producers, Producer{ID: "a2", Region: "A", Capacity: 50, UnitCost: 45})
	})
	eq := solveChecked(t, "margin", in)
	if p := eq.Producers[2]; !near(p.Output, 15) || p.Status != "margin" {
		t.Errorf("Solve(margin).producers[a2] = %+v, want output 15 at the margin", p)
	}
}

// TestRandomWithInstruments solves instances with ad valorem tariffs,
// floors and constant-elasticity demand, which no QP represents; the
// residual check is the proof.
func TestRandomWithInstruments(t *testing.T) {
	for seed := uint64(1); seed <= 60; seed++ {
		in := RandomInstance(seed, 2+int(seed%11), 10+int(seed*13%300), Generated{AdValorem: true, Floors: true, ConstantElasticity: seed%2 == 0})
		if err := in.Validate("random"); err != nil {
			continue // a constant-elasticity region out of reach
		}
		solveChecked(t, "random with instruments", in)
	}
}

func TestInvalidInstances(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10,"slope":1}}],"producers":[{"id":"p","region":"A","capacity":-1,"unit_cost":1}],"transport":[]}`, "producers[0].capacity: must be ≥ 0"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10}}],"producers":[],"transport":[]}`, "regions[0].demand.slope: required for kind linear"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10,"slope":1,"elasticity":-1}}],"producers":[],"transport":[]}`, "regions[0].demand.elasticity: not a field of kind linear"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"constant_elasticity","ref_price":1,"ref_quantity":1,"elasticity":-1}}],"producers":[],"transport":[]}`, "no producer with capacity can reach A"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10,"slope":1}}],"producers":[],"transport":[{"from":"A","to":"B","cost":1}]}`, `transport[0].to: unknown region "B"`},
		{`{"currency":"USD","unit":"t","regions":[],"producers":[],"transport":[],"extra":1}`, "unknown field"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10,"slope":1}}],"producers":[],"transport":[]} {}`, "data after"},
		{`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"linear","intercept":10,"slope":1}}],"producers":[],"transport":[],"tariffs":[{"importer":"A","exporter":"*","ad_valorem":-0.1}]}`, "tariffs[0].ad_valorem: must be ≥ 0"},
	}
	for _, tt := range tests {
		_, err := DecodeInstance("i.json", []byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeInstance(%s) = %v, want an error containing %q", tt.json, err, tt.want)
		}
	}
}

package projects

import (
	"context"
	"math"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/scenarios"
)

// cobaltProject is a small cobalt mine in the United States, valued from
// the start of cobalt-drc-2025 (illustrative).
func cobaltProject() *Project {
	return &Project{ID: "co-test", Name: "test mine", Mineral: "cobalt", Stage: "mined", Country: "US",
		Capacity: Capacity{PerYear: 2000, Unit: "t"}, Capital: Capital{Total: 150e6}, UnitOpex: 24000, LifeYears: 6, LeadTimeYears: 1,
		Royalty: Royalty{AdValorem: 0.03}, Tax: Tax{Rate: 0.25, DepreciationYears: 5}}
}

// cobaltTail is the price model the years past cobalt-drc-2025 follow in
// the tests (illustrative).
var cobaltTail = &PriceModel{Mineral: "cobalt", Stage: "mined", Spot: 26100, Drift: 0.01, Volatility: 0.35}

// marketPlan builds a shipped scenario against the example agreement and
// the agreement's zone on its design date.
func marketPlan(t testing.TB, name string) (*market.Plan, *agreement.Zone) {
	t.Helper()
	reg, a := exampletest.Load(t)
	b, file, ok := scenarios.Get(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	sc, err := market.DecodeScenario(file, b)
	if err != nil {
		t.Fatal(err)
	}
	pl, err := market.Build(sc, market.Env{Registry: reg, Agreement: a, Floors: refprice.NewInProcess(refprice.New(a, exampletest.Sources(reg))), Data: data.FS})
	if err != nil {
		t.Fatal(err)
	}
	in, err := a.AsOf(pl.Design.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	zone, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	return pl, zone
}

// TestFeed checks the market feed: a year's price is the mean of its
// months' producer prices, without the agreement from the baseline, under
// the design from the design, and with the floor the monthly max(P, F);
// past the scenario the three follow one draw of the tail model, the floor
// held; and the agreement's value splits into its market effect and the
// guarantee.
func TestFeed(t *testing.T) {
	pr := cobaltProject()
	pl, zone := marketPlan(t, "cobalt-drc-2025")
	opts := market.Options{Paths: 40, Seed: 5}
	m, err := Feed(context.Background(), pl, zone, []*Project{pr}, opts, cobaltTail)
	if err != nil {
		t.Fatal(err)
	}
	mp, err := m.For(pr)
	if err != nil {
		t.Fatal(err)
	}
	if mp.Region != "zone" || mp.Start != "2025-01" || mp.Without.N != 40 || mp.Without.Years != pr.Horizon() {
		t.Fatalf("For(%s) = region %s, start %s, %d paths of %d years", pr.ID, mp.Region, mp.Start, mp.Without.N, mp.Without.Years)
	}
	floors := pl.Floors()
	err = pl.PricePaths(context.Background(), market.Options{Paths: 40, Seed: 5, Workers: 1}, []string{"zone"}, func(i int, design, baseline [][]float64) {
		if i != 7 {
			return
		}
		if mp.ScenarioYears != 4 || pr.Horizon() != 7 {
			t.Fatalf("ScenarioYears = %d, horizon %d; want the scenario's 4 years of a 7-year horizon", mp.ScenarioYears, pr.Horizon())
		}
		last := floors[len(floors)-1]
		for y := mp.ScenarioYears; y < pr.Horizon(); y++ {
			rb := mp.Without.Path(7)[y] / mp.Without.Path(7)[y-1]
			rd := mp.Design.Path(7)[y] / mp.Design.Path(7)[y-1]
			if math.Abs(rb-rd) > 1e-12 || mp.With.Path(7)[y] != math.Max(mp.Design.Path(7)[y], last) || mp.Floor[y] != last {
				t.Errorf("path 7 year %d past the scenario: steps %g and %g (want one draw), with %g, floor %g (last %g)", y, rb, rd, mp.With.Path(7)[y], mp.Floor[y], last)
			}
		}
		for y := range mp.ScenarioYears {
			var d, b, w float64
			for k := 12 * y; k < 12*y+12; k++ {
				d += design[0][k] / 12
				b += baseline[0][k] / 12
				w += math.Max(design[0][k], floors[k]) / 12
			}
			for _, c := range []struct {
				name      string
				got, want float64
			}{{"design", mp.Design.Path(7)[y], d}, {"without", mp.Without.Path(7)[y], b}, {"with", mp.With.Path(7)[y], w}} {
				if math.Abs(c.got-c.want) > 1e-9*c.want {
					t.Errorf("path 7 year %d %s = %g, want the mean of its months %g", y, c.name, c.got, c.want)
				}
			}
			if mp.With.Path(7)[y] < mp.Floor[y]-1e-9 || mp.With.Path(7)[y] < mp.Design.Path(7)[y]-1e-9 {
				t.Errorf("path 7 year %d: with the floor %g, below the floor %g or the design %g", y, mp.With.Path(7)[y], mp.Floor[y], mp.Design.Path(7)[y])
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	v, err := pr.ValueMarket(mp, 0.08)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(v.Value-(v.MarketEffect+v.Guarantee)) > 1e-6*math.Abs(v.Value)+1e-6 || v.Guarantee < 0 || !(v.StdErr >= 0) {
		t.Errorf("ValueMarket = value %g, market effect %g, guarantee %g, std err %g: want value = effect + guarantee, guarantee ≥ 0", v.Value, v.MarketEffect, v.Guarantee, v.StdErr)
	}

	li := cobaltProject()
	li.Mineral = "lithium"
	if _, err := Feed(context.Background(), pl, zone, []*Project{li}, opts, cobaltTail); err == nil || !strings.Contains(err.Error(), "simulates cobalt/mined") {
		t.Errorf("Feed(a lithium project on a cobalt scenario) = %v, want an error naming the scenario's mineral", err)
	}
}

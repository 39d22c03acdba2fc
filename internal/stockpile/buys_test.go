package stockpile

import (
	"context"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/scenarios"
)

// scenarioRun wires a shipped scenario with the example agreement, the
// shipped flows, and every party holding its obligation (or, with days > 0,
// that many days of the measure).
func scenarioRun(t testing.TB, name string, days int) ScenarioRun {
	t.Helper()
	reg, a := exampletest.Load(t)
	if days > 0 {
		for i := range a.Stockpiles {
			a.Stockpiles[i].Obligation.Days = days
			a.Stockpiles[i].Parties = nil
		}
	}
	b, file, ok := scenarios.Get(name)
	if !ok {
		t.Fatalf("no scenario %s", name)
	}
	sc, err := market.DecodeScenario(file, b)
	if err != nil {
		t.Fatal(err)
	}
	in, err := a.AsOf(sc.Design.AsOf)
	if err != nil {
		t.Fatal(err)
	}
	flows, err := ReadShipped(data.FS, a)
	if err != nil {
		t.Fatal(err)
	}
	env := market.Env{Registry: reg, Agreement: a, Floors: refprice.New(a, exampletest.Sources(reg)), Data: data.FS}
	return ScenarioRun{Scenario: sc, Env: env, In: in, Flows: flows, Production: MCSProduction(reg, sc.Mineral), Initial: "obligation"}
}

// TestSimulateCobalt runs the DRC's 2025 ban against the example's regime:
// the ban fires the collective trigger from its first month, the parties
// release, and the release lowers the zone's peak price and its shortage
// against no response, with stocks that balance.
func TestSimulateCobalt(t *testing.T) {
	sr := scenarioRun(t, "cobalt-drc-2025", 0)
	sr.Alone = true
	sim, err := Simulate(context.Background(), sr)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(strings.Join(sim.Notes, "\n"), "the 2024 flows of MX, JP, EU") {
		t.Errorf("notes %q do not label the illustrative flows", sim.Notes)
	}
	m := sim.Assessment.Months
	if m[0].Collective || !m[1].Collective || !m[2].Collective {
		t.Errorf("collective trigger by month = %v %v %v, want false true true (the ban from 22 February 2025)", m[0].Collective, m[1].Collective, m[2].Collective)
	}
	c, w := sim.Coordinated, sim.Without
	if c.Plan.Released <= 0 {
		t.Fatalf("coordinated plan releases nothing")
	}
	checkBalance(t, c.Plan)
	checkBalance(t, sim.Alone.Plan)
	if !(c.MeanPrice < w.MeanPrice) || c.PeakPrice > w.PeakPrice {
		t.Errorf("price with the response mean %.0f peak %.0f, without %.0f %.0f: want lower", c.MeanPrice, c.PeakPrice, w.MeanPrice, w.PeakPrice)
	}
	if !(c.ShortageTonneMonths < w.ShortageTonneMonths) {
		t.Errorf("shortage with the response %.0f, without %.0f: want less", c.ShortageTonneMonths, w.ShortageTonneMonths)
	}
	var sold float64
	for _, x := range c.Sold {
		sold += x
	}
	if sold <= 0 || sold > c.Plan.Released.Float()*1.000001 {
		t.Errorf("the market took %.1f t of %s t released", sold, c.Plan.Released.Tonnes())
	}
	for i := 0; i < 14; i++ {
		t.Logf("%s price without %.0f with %.0f; short %.0f %.0f; release %s sold %.0f", sim.Months[i], w.Price[i], c.Price[i], w.Shortage[i], c.Shortage[i], c.Plan.Months[i].Release.Tonnes(), c.Sold[i])
	}
	t.Logf("ref %.0f; peak without %.0f with %.0f alone %.0f; shortage t-months without %.0f with %.0f alone %.0f; released %s t, uncovered %s t",
		sim.RefPrice, w.PeakPrice, c.PeakPrice, sim.Alone.PeakPrice, w.ShortageTonneMonths, c.ShortageTonneMonths, sim.Alone.ShortageTonneMonths, c.Plan.Released.Tonnes(), c.Plan.Uncovered.Tonnes())
}

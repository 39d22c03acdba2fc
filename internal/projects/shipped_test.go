package projects

import (
	"bytes"
	"math"
	"os"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/scenarios"
)

// TestShippedPipelines holds data/projects to what the conversions make of
// their sources (-update rewrites them), and checks that each decodes,
// passes the registry and values.
func TestShippedPipelines(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	csv, err := os.ReadFile("../../data/busch-lithium-deposits/Deposit.csv")
	if err != nil {
		t.Fatal(err)
	}
	busch, err := BuschPipelineFile(csv, reg)
	if err != nil {
		t.Fatal(err)
	}
	var scs []*market.Scenario
	for _, n := range scenarios.Names() {
		b, file, _ := scenarios.Get(n)
		sc, err := market.DecodeScenario(file, b)
		if err != nil {
			t.Fatal(err)
		}
		scs = append(scs, sc)
	}
	scen, err := ScenarioPipelineFile(scs)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range []struct {
		name string
		want []byte
	}{{BuschFile, busch}, {ScenariosFile, scen}} {
		path := "../../data/" + f.name
		if *update {
			if err := os.WriteFile(path, f.want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, f.want) {
			t.Errorf("data/%s is not what the conversion makes of its source: rerun with -update and review the diff", f.name)
		}
	}
	ps, err := LoadShipped(data.FS, reg)
	if err != nil {
		t.Fatalf("LoadShipped: %v", err)
	}
	if len(ps) != 2 || ps[0].ID != "busch-lithium-2024" || ps[1].ID != "scenario-projects" || ps[0].Illustrative || !ps[1].Illustrative {
		t.Fatalf("LoadShipped = %d pipelines", len(ps))
	}
	b := ps[0]
	if n := len(b.Projects); n < 100 || n > 160 {
		t.Errorf("busch-lithium-2024 has %d projects, want one per deposit that can grow (100 to 160)", n)
	}
	// Deposit 1, Salar de Atacama (SQM), worked by hand from its row:
	// 324 − 39.4514371594965 kt; opening 0 + 56,955.8377136237 × capacity;
	// royalty (51,066.2005 − 21,238.77 − 0.27 × (106,460 − 21,238.77)) /
	// 106,460 = 0.064040; open: lead max(1, 2022 + 3 − 2026) = 1; life
	// min(30, 10,800 / 324 = 33) = 30.
	at := b.Project("busch-1")
	if at == nil {
		t.Fatal("no project busch-1")
	}
	added := 324000 - 39451.4371594965
	for _, c := range []struct {
		name      string
		got, want float64
	}{
		{"capacity", at.Capacity.PerYear, math.Round(added*1000) / 1000},
		{"capital", at.Capital.Total, math.Round(56955.8377136237 * math.Round(added*1000) / 1000)},
		{"royalty", at.Royalty.AdValorem, 0.06404},
		{"opex", at.UnitOpex, 21238.77},
		{"tax", at.Tax.Rate, 0.27},
		{"lead", float64(at.LeadTimeYears), 1},
		{"life", float64(at.LifeYears), 30},
		{"first ramp-up share", at.Capacity.RampUp[0], math.Round(81000/added*1e6) / 1e6},
	} {
		if math.Abs(c.got-c.want) > 1e-6*math.Max(1, math.Abs(c.want)) {
			t.Errorf("busch-1 %s = %v, want %v", c.name, c.got, c.want)
		}
	}
	if at.Country != "CL" || at.Mineral != "lithium" || at.Stage != "mined" {
		t.Errorf("busch-1 = %s %s/%s", at.Country, at.Mineral, at.Stage)
	}
	s := ps[1]
	hp := s.Project("cobalt-drc-2025-id-hpal-1")
	if hp == nil || hp.Capital.Total != 35000*15000 || hp.LeadTimeYears != 2 || hp.DiscountRate != 0.12 || hp.LifeYears != 15 {
		t.Errorf("cobalt-drc-2025-id-hpal-1 = %+v", hp)
	}
	// A scenario project at the price that just commits it in the market
	// (cash cost + capex × CRF(rate, life)) is worth zero at its rate when it
	// produces from year 1.
	one := *hp
	one.LeadTimeYears = 1
	crf := hp.DiscountRate / (1 - math.Pow(1+hp.DiscountRate, -float64(hp.LifeYears)))
	cf, err := one.CashFlows(Flat(hp.UnitOpex+35000*crf, one.Horizon()), hp.DiscountRate)
	if err != nil || math.Abs(cf.NPV) > 1e-3 {
		t.Errorf("NPV at the market's commitment price = %v, %v; want 0", cf.NPV, err)
	}
}

package market

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func loadGSIM(t *testing.T, name string) *GSIMResult {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	g, err := DecodeGSIM(name, b)
	if err != nil {
		t.Fatalf("DecodeGSIM(%s) = %v", name, err)
	}
	r, err := SolveGSIM(g)
	if err != nil {
		t.Fatalf("SolveGSIM(%s) = %v", name, err)
	}
	if r.Residual > 1e-12 {
		t.Errorf("SolveGSIM(%s).Residual = %g, want ≤ 1e-12", name, r.Residual)
	}
	return r
}

// TestGSIMByHand checks the case worked in testdata/gsim-two.md.
func TestGSIMByHand(t *testing.T) {
	r := loadGSIM(t, "gsim-two.json")
	want := []GSIMCountry{
		{ID: "A", WorldPriceChange: -0.05, ProducerSurplus: -4.875, Welfare: -4.875},
		{ID: "B", CompositePriceChange: 0.045, ConsumerSurplus: -4.60125, TariffRevenue: 9.025, Welfare: 4.42375},
	}
	for i, w := range want {
		g := r.Countries[i]
		for _, f := range []struct {
			name      string
			got, want float64
		}{
			{"world_price_change", g.WorldPriceChange, w.WorldPriceChange},
			{"composite_import_price_change", g.CompositePriceChange, w.CompositePriceChange},
			{"producer_surplus_change", g.ProducerSurplus, w.ProducerSurplus},
			{"consumer_surplus_change", g.ConsumerSurplus, w.ConsumerSurplus},
			{"tariff_revenue_change", g.TariffRevenue, w.TariffRevenue},
			{"welfare_change", g.Welfare, w.Welfare},
		} {
			if math.Abs(f.got-f.want) > 1e-12 {
				t.Errorf("SolveGSIM(gsim-two).%s[%s] = %v, want %v", f.name, w.ID, f.got, f.want)
			}
		}
	}
}

// TestGSIMFrancoisHall runs the 4-region example of Francois and Hall's GSIM
// workbook (US, JP, EU, RW; E_m −1.25, E_s 5, E_x 1.5) with a US–EU free
// trade agreement; the world-price changes published with it are 0.0792,
// −0.0316, 0.0480 and −0.0184.
func TestGSIMFrancoisHall(t *testing.T) {
	r := loadGSIM(t, "gsim-fh4.json")
	for i, want := range []float64{0.0792, -0.0316, 0.0480, -0.0184} {
		if got := r.Countries[i].WorldPriceChange; math.Abs(got-want) > 0.00005 {
			t.Errorf("SolveGSIM(gsim-fh4).world_price_change[%s] = %.5f, want %.4f", r.Countries[i].ID, got, want)
		}
	}
}

func TestGSIMInvalid(t *testing.T) {
	tests := []struct{ json, want string }{
		{`{"countries":["A"],"trade":[[1]],"tariff_before":[[1]],"tariff_after":[[1]],"import_demand_elasticity":[1],"substitution_elasticity":[1],"export_supply_elasticity":[1]}`, "import_demand_elasticity[0]: must be < 0"},
		{`{"countries":["A","B"],"trade":[[1]],"tariff_before":[[1]],"tariff_after":[[1]],"import_demand_elasticity":[-1],"substitution_elasticity":[1],"export_supply_elasticity":[1]}`, "trade: must have 2 rows"},
		{`{"countries":["A"],"trade":[[1]],"tariff_before":[[0]],"tariff_after":[[1]],"import_demand_elasticity":[-1],"substitution_elasticity":[1],"export_supply_elasticity":[1]}`, "tariff_before[0][0]: must be a factor"},
		{`{"countries":["A"],"bogus":1}`, "unknown field"},
	}
	for _, tt := range tests {
		_, err := DecodeGSIM("g.json", []byte(tt.json))
		if err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("DecodeGSIM(%s) = %v, want an error containing %q", tt.json, err, tt.want)
		}
	}
}

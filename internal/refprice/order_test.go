package refprice_test

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

func orderFloor(mineral, stage, price, unit string) *refprice.Floor {
	return &refprice.Floor{Mineral: mineral, Stage: stage, Price: dec.MustParse(price), Currency: "USD", Unit: unit,
		ValidFrom: date.MustParse("2026-01-01")}
}

func TestStageOrder(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := date.MustParse("2026-02-01")
	type pair struct{ mineral, rule, up, down, compared string }
	for _, tc := range []struct {
		name   string
		floors []*refprice.Floor
		want   []pair
	}{
		{"in order", []*refprice.Floor{
			orderFloor("nickel", "mined", "11000", "t"), orderFloor("nickel", "processed", "15000", "t"),
			orderFloor("nickel", "scrap", "10000", "t"), orderFloor("lithium", "processed", "90000", "t"),
			orderFloor("lithium", "derivative", "300000", "t")}, nil},
		{"equal is in order", []*refprice.Floor{
			orderFloor("copper", "mined", "7000", "t"), orderFloor("copper", "processed", "7000", "t"), orderFloor("copper", "scrap", "7000", "t")}, nil},
		{"mined above processed", []*refprice.Floor{
			orderFloor("nickel", "mined", "17392.23", "t"), orderFloor("nickel", "processed", "15489.59", "t")},
			[]pair{{"nickel", refprice.OrderDownstream, "mined", "processed", "15489.59"}}},
		{"scrap above processed", []*refprice.Floor{
			orderFloor("copper", "processed", "7733.75", "t"), orderFloor("copper", "scrap", "7766.58", "t")},
			[]pair{{"copper", refprice.OrderScrap, "scrap", "processed", "7733.75"}}},
		{"processed above derivative, each pair once", []*refprice.Floor{
			orderFloor("lithium", "mined", "100", "t"), orderFloor("lithium", "processed", "90", "t"), orderFloor("lithium", "derivative", "80", "t")},
			[]pair{{"lithium", refprice.OrderDownstream, "mined", "processed", "90"}, {"lithium", refprice.OrderDownstream, "processed", "derivative", "80"}}},
		{"no processed stage: mined and scrap against derivative", []*refprice.Floor{
			orderFloor("x", "mined", "100", "t"), orderFloor("x", "derivative", "90", "t"), orderFloor("x", "scrap", "95", "t")},
			[]pair{{"x", refprice.OrderDownstream, "mined", "derivative", "90"}, {"x", refprice.OrderScrap, "scrap", "derivative", "90"}}},
		{"mined and scrap alone are not compared", []*refprice.Floor{
			orderFloor("x", "mined", "100", "t"), orderFloor("x", "scrap", "200", "t")}, nil},
		// 30 USD/kg is 30000 USD/t: above 25000 USD/t, in order.
		{"units converted, in order", []*refprice.Floor{
			orderFloor("x", "mined", "25000", "t"), orderFloor("x", "processed", "30", "kg")}, nil},
		// 900 USD/troy_oz is 900 × 1 ÷ 0.0311034768 USD/kg = 28935.67... USD/kg.
		{"units converted, out of order", []*refprice.Floor{
			orderFloor("platinum", "mined", "30000", "kg"), orderFloor("platinum", "processed", "900", "troy_oz")},
			[]pair{{"platinum", refprice.OrderDownstream, "mined", "processed", dec.MustParse("900").Quo(dec.MustParse("0.0311034768")).String()}}},
		{"different currencies are not compared", []*refprice.Floor{
			orderFloor("x", "mined", "100", "t"), func() *refprice.Floor { f := orderFloor("x", "processed", "90", "t"); f.Currency = "EUR"; return f }()}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := refprice.StageOrder(reg, d, tc.floors)
			if len(got) != len(tc.want) {
				t.Fatalf("%d warnings, want %d: %v", len(got), len(tc.want), got)
			}
			for i, w := range got {
				p := tc.want[i]
				if w.Mineral != p.mineral || w.Rule != p.rule || w.Upstream.Stage != p.up || w.Downstream.Stage != p.down || w.Downstream.Compared.String() != p.compared {
					t.Errorf("warning %d = %s %s %s→%s compared %s; want %v", i, w.Mineral, w.Rule, w.Upstream.Stage, w.Downstream.Stage, w.Downstream.Compared, p)
				}
				if w.Date != d || w.Unit != w.Upstream.Unit || w.Message == "" {
					t.Errorf("warning %d: date %s, unit %s, message %q", i, w.Date, w.Unit, w.Message)
				}
			}
		})
	}
}

func TestStageOrderMessage(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := date.MustParse("2026-01-01")
	got := refprice.StageOrder(reg, d, []*refprice.Floor{
		orderFloor("platinum", "mined", "30000", "kg"), orderFloor("platinum", "processed", "900", "troy_oz"),
		orderFloor("copper", "processed", "7733.75", "t"), orderFloor("copper", "scrap", "7766.58", "t")})
	want := []string{
		"stage order: platinum on 2026-01-01: the processed floor 900 USD/troy_oz = 28935.67 USD/kg (valid from 2026-01-01) is below the mined floor 30000 USD/kg (valid from 2026-01-01) per kg of contained platinum; a floor chain that pays more for platinum mined than processed rewards exporting it unprocessed",
		"stage order: copper on 2026-01-01: the processed floor 7733.75 USD/t (valid from 2026-01-01) is below the scrap floor 7766.58 USD/t (valid from 2026-01-01) per t of contained copper; scrap is a secondary feed to refining, so a scrap floor above the processed one invites exporting scrap rather than refining it",
	}
	if len(got) != len(want) {
		t.Fatalf("%d warnings, want %d: %v", len(got), len(want), got)
	}
	for i := range want {
		if got[i].Message != want[i] {
			t.Errorf("message %d =\n%s\nwant\n%s", i, got[i].Message, want[i])
		}
	}
}

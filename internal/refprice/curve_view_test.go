package refprice

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// TestCurveView reads the hand curve as cc1 of testdata/hand_cases.txt works
// it: CN (B) excluded, counted production 500 t, the 75th percentile at 375 t
// reached by D, which sits from 800 to 900 t on the axis of all producers.
func TestCurveView(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	v, err := e.CurveView("cobalt", "mined", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatalf("CurveView(cobalt/mined) error: %v", err)
	}
	var order, counted string
	for _, s := range v.Producers {
		order += s.ID
		if s.Counted {
			counted += s.ID
		}
	}
	if order != "BACDE" || counted != "ACDE" {
		t.Errorf("CurveView producers = %s (counted %s), want BACDE (counted ACDE)", order, counted)
	}
	checks := []struct{ name, got, want string }{
		{"total", v.Total.String(), "500"},
		{"target", v.Target.Normalize().String(), "375"},
		{"target_x", v.TargetX.Normalize().String(), "875"},
		{"marginal", v.Marginal, "D"},
		{"cash cost", v.CashCost.String(), "30000"},
		{"D from", v.Producers[3].From.String(), "800"},
		{"D to", v.Producers[3].To.String(), "900"},
		{"floor", v.Floor.Price.String(), "35761.90"},
		{"cash + charge", round2(v.CashCost.Add(v.CapitalCharge)), "35761.90"},
	}
	for _, c := range checks {
		if c.got != c.want {
			t.Errorf("CurveView(cobalt/mined).%s = %s, want %s", c.name, c.got, c.want)
		}
	}
	if _, err := e.CurveView("copper", "processed", date.MustParse("2026-02-01")); problem.CodeOf(err) != problem.Invalid {
		t.Errorf("CurveView(copper/processed, a market average) error = %v, want invalid", err)
	}
}

func TestMarketView(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	on, from, to := date.MustParse("2026-02-01"), date.MustParse("2025-01-01"), date.MustParse("2026-12-01")
	v, err := e.MarketView("copper", "processed", on, from, to)
	if err != nil {
		t.Fatalf("MarketView(copper/processed) error: %v", err)
	}
	if !v.Input || v.Series != "store:HAND" || len(v.Points) != 5 || v.Points[0].Month != "2025-09" || v.Points[4].Value.String() != "12000" {
		t.Errorf("MarketView(copper/processed) = %s input %t, %d points %v; want store:HAND, the input, 5 points 2025-09 … 12000", v.Series, v.Input, len(v.Points), v.Points)
	}
	tin, err := e.MarketView("tin", "mined", on, from, to)
	if err != nil {
		t.Fatalf("MarketView(tin/mined, a band) error: %v", err)
	}
	if tin.Input || tin.Series != "pinksheet:tin" || len(tin.Points) != 11 { // the Pink Sheet ends in 2025-11
		t.Errorf("MarketView(tin/mined) = %s input %t, %d points; want the Pink Sheet's tin for comparison, 11 points", tin.Series, tin.Input, len(tin.Points))
	}
	if _, err := e.MarketView("cobalt", "mined", on, from, to); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("MarketView(cobalt/mined) error = %v, want not_found (no Pink Sheet cobalt)", err)
	}
}

func round2(x dec.Decimal) string {
	r, _, _ := x.Round(2, dec.HalfUp)
	return r.String()
}

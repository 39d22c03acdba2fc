package stockpile

import (
	"fmt"
	"math/big"
	"math/rand/v2"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// randomRegime is a regime for cobalt/processed with random parameters.
func randomRegime(rng *rand.Rand, parties []string) agreement.Stockpile {
	share := func(lo, hi int) dec.Decimal { return dec.New(int64(lo+rng.IntN(hi-lo+1)), -2) }
	s := agreement.Stockpile{
		Mineral: "cobalt", Stage: registry.Processed,
		Obligation: agreement.StockObligation{Measure: agreement.NetImports, Days: 30 + rng.IntN(150), Basis: "Art. 10"},
		Forms:      []agreement.StockForm{{Form: "metal", Counts: dec.One}},
		Triggers:   agreement.CrisisTriggers{Collective: share(1, 30), Single: share(0, 30), Basis: "Art. 11"},
		Response:   agreement.CrisisResponse{Key: agreement.ResponseKeys[rng.IntN(2)], DemandRestraint: share(0, 15), Allocation: rng.IntN(2) == 0, Basis: "Art. 11"},
		Release:    agreement.ReleaseLimits{MaxMonthly: share(1, 100), Keep: share(0, 30), Of: []string{"", "current"}[rng.IntN(2)], Basis: "Art. 11"},
		Basis:      "Art. 10",
	}
	if rng.IntN(2) == 0 {
		s.Response.RestraintSteps = []agreement.RestraintStep{{From: share(10, 20), Restraint: share(5, 20)}}
	}
	if rng.IntN(3) > 0 {
		s.Replenish = &agreement.Replenishment{AfterMonths: rng.IntN(6), MaxMonthly: share(1, 50), PriceCeiling: dec.FromInt(int64(20000 + rng.IntN(30000)))}
	}
	if rng.IntN(4) == 0 {
		s.Response.Key = agreement.ByFixedShares
		left := 100
		for i, p := range parties[:3] {
			x := rng.IntN(left + 1)
			if i == 2 {
				x = left
			}
			left -= x
			s.Response.Shares = append(s.Response.Shares, agreement.ResponseShare{Party: p, Share: dec.New(int64(x), -2)})
		}
	}
	return s
}

// TestConservation runs random regimes, flows, stocks and disruptions, in
// both modes, and checks that stocks, releases and replenishments balance to
// the kilogram in every month, that no release exceeds its due, its monthly
// limit or the stock above the kept reserve, and that allocation rights and
// obligations sum to zero.
func TestConservation(t *testing.T) {
	base := exampleAgreement(t)
	in, err := base.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	parties := make([]string, len(in.Agreement.Parties))
	for i, p := range in.Agreement.Parties {
		parties[i] = p.ID
	}
	rng := rand.New(rand.NewPCG(15, 2026))
	for run := 0; run < 300; run++ {
		a := *in.Agreement
		a.Stockpiles = []agreement.Stockpile{randomRegime(rng, parties)}
		s := &a.Stockpiles[0]
		ain := &agreement.InForce{AsOf: in.AsOf, Agreement: &a}
		flows := &Flows{}
		var hs []Holding
		for _, p := range parties {
			if rng.IntN(4) == 0 {
				continue
			}
			imp := Kg(rng.Int64N(50_000_000))
			flows.Years = append(flows.Years, FlowYear{Party: p, Mineral: "cobalt", Stage: registry.Processed, Year: 2026, Imports: imp, Exports: Kg(rng.Int64N(10_000_000)), Consumption: imp + Kg(rng.Int64N(5_000_000))})
			flows.Exposures = append(flows.Exposures, Exposure{Party: p, Mineral: "cobalt", Stage: registry.Processed, Origin: "CD", Share: dec.New(int64(rng.IntN(101)), -2)})
			hs = append(hs, Holding{Party: p, Mineral: "cobalt", Stage: registry.Processed, Date: date.MustParse("2026-12-01"), Form: "metal", Tonnes: Kg(rng.Int64N(20_000_000)), Holder: Public})
		}
		start := date.MustParse("2027-01-01")
		months := 12 + rng.IntN(48)
		var ds []Disruption
		for k := 0; k < 1+rng.IntN(4); k++ {
			from := start.AddDays(rng.IntN(months * 30))
			d := Disruption{Origin: "CD", Mineral: "cobalt", Stage: registry.Processed, From: from, To: from.AddDays(rng.IntN(400))}
			if rng.IntN(2) == 0 {
				d.Cut = dec.New(int64(rng.IntN(101)), -2)
			} else {
				d.Tonnes = Kg(rng.Int64N(5_000_000))
			}
			ds = append(ds, d)
		}
		prices := make([]float64, months)
		for i := range prices {
			prices[i] = 15000 + 40000*rng.Float64()
		}
		as, err := Assess(ain, flows, "cobalt", registry.Processed, ds, start, months)
		if err != nil {
			t.Fatal(err)
		}
		for _, mode := range []Mode{Coordinated, Alone} {
			t.Run(fmt.Sprintf("run%d/%s", run, mode), func(t *testing.T) {
				pl, err := Respond(as, StocksAt(hs, as.Parties, "cobalt", registry.Processed, start), mode, prices)
				if err != nil {
					t.Fatal(err)
				}
				checkBalance(t, pl)
				startStock := map[string]Kg{}
				for i, m := range pl.Months {
					var alloc Kg
					for _, pm := range m.Parties {
						alloc += pm.Allocation
						if i == 0 || !crisisMonth(pl.Months[i-1], pm.Party, mode, as, s) {
							startStock[pm.Party] = pm.Open
						}
						cap := mulDecFloor(startStock[pm.Party], s.Release.MaxMonthly)
						if pm.Release > pm.Due || pm.Release > cap || pm.Release > pm.Open {
							t.Fatalf("%s %s: release %s beyond due %s, cap %s or stock %s", m.Month, pm.Party, pm.Release.Tonnes(), pm.Due.Tonnes(), cap.Tonnes(), pm.Open.Tonnes())
						}
						if pm.Release > 0 && pm.Replenish > 0 {
							t.Fatalf("%s %s: releases and buys in one month", m.Month, pm.Party)
						}
					}
					if alloc != 0 {
						t.Fatalf("%s: allocations sum to %s, want 0", m.Month, alloc.Tonnes())
					}
				}
			})
		}
	}
}

func crisisMonth(m PlanMonth, party string, mode Mode, as *Assessment, s *agreement.Stockpile) bool {
	if mode == Coordinated {
		return m.Collective
	}
	for _, pm := range m.Parties {
		if pm.Party == party {
			return aloneFires(s, pm.Loss, pm.Supply)
		}
	}
	return false
}

func mulDecFloor(x Kg, d dec.Decimal) Kg {
	n, m := ratio(d)
	return Kg(new(bigInt).Quo(new(bigInt).Mul(bigOf(int64(x)), n), m).Int64())
}

type bigInt = big.Int

func bigOf(x int64) *big.Int { return big.NewInt(x) }

package refprice

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The rules StageOrder checks (docs/prices.md, "Stage order").
const (
	// OrderDownstream: along mined → processed → derivative, a stage's floor
	// per unit of contained mineral is at least the floor of the stage before
	// it. A processed floor below the mined one rewards exporting ore rather
	// than processing it, the opposite of what the agreement is for.
	OrderDownstream = "downstream_below_upstream"
	// OrderScrap: a scrap floor is at most the floor of the stage its scrap
	// feeds (processed, or derivative when the mineral has no processed
	// stage). Scrap is a secondary feed to refining, like concentrate: a scrap
	// floor above the refined metal's invites exporting scrap rather than
	// refining it.
	OrderScrap = "scrap_above_refined"
)

// StageOrderWarning is a pair of floors of one mineral in force on one date
// whose order rewards exporting the less processed good: the Downstream
// floor, per unit of contained mineral, is below the Upstream one. It is a
// warning, not an error: the floors stand as computed.
type StageOrderWarning struct {
	Mineral    string      `json:"mineral"`
	Rule       string      `json:"rule"` // OrderDownstream or OrderScrap
	Date       date.Date   `json:"date"` // the floors are in force on it
	Currency   string      `json:"currency"`
	Unit       string      `json:"unit"` // the unit both are compared in: the upstream floor's
	Upstream   OrderFigure `json:"upstream"`
	Downstream OrderFigure `json:"downstream"`
	Message    string      `json:"message"`
}

// OrderFigure is one floor of a StageOrderWarning: as published, and per the
// warning's unit.
type OrderFigure struct {
	Stage     string      `json:"stage"`
	Price     dec.Decimal `json:"price"`
	Unit      string      `json:"unit"`
	ValidFrom date.Date   `json:"valid_from"`
	Compared  dec.Decimal `json:"compared"` // Price per the warning's unit, converted exactly by the registry's factors
}

// String is the warning's message.
func (w StageOrderWarning) String() string { return w.Message }

// orderChain is the chain of stages above the feeds (mined, scrap): each
// feed is compared with the first one the mineral has, and each with the
// next.
var orderChain = []string{string(registry.Processed), string(registry.Derivative)}

// StageOrder checks the floors of each mineral in floors, all in force on d,
// against the stage order: mined ≤ processed ≤ derivative per unit of
// contained mineral (each stage against the next one the mineral has), and
// scrap ≤ the first of processed and derivative it has. Floors in different
// units are compared in the upstream floor's unit through the registry's
// exact factors. It returns one warning per pair out of order, in the order
// of floors; none when every pair is in order. A pair in different
// currencies, or in a unit the registry does not know, is not compared (an
// agreement's floors share its currency and validated units).
//
// It is the one place the order is checked: prices compute and publish,
// serve, the API and the portal all call it.
func StageOrder(reg *registry.Registry, d date.Date, floors []*Floor) []StageOrderWarning {
	type key struct{ mineral, stage string }
	by := map[key]*Floor{}
	var minerals []string
	seen := map[string]bool{}
	for _, f := range floors {
		if f == nil {
			continue
		}
		k := key{f.Mineral, f.Stage}
		if _, ok := by[k]; ok {
			continue
		}
		if !seen[f.Mineral] {
			seen[f.Mineral] = true
			minerals = append(minerals, f.Mineral)
		}
		by[k] = f
	}
	var out []StageOrderWarning
	for _, m := range minerals {
		var chain []*Floor
		for _, st := range orderChain {
			if f := by[key{m, st}]; f != nil {
				chain = append(chain, f)
			}
		}
		if len(chain) == 0 {
			continue
		}
		// mined → the first of the chain, then along the chain.
		if up := by[key{m, string(registry.Mined)}]; up != nil {
			out = appendIfOut(out, reg, d, OrderDownstream, up, chain[0])
		}
		for i := 1; i < len(chain); i++ {
			out = appendIfOut(out, reg, d, OrderDownstream, chain[i-1], chain[i])
		}
		if up := by[key{m, string(registry.Scrap)}]; up != nil {
			out = appendIfOut(out, reg, d, OrderScrap, up, chain[0])
		}
	}
	return out
}

// appendIfOut appends a warning when down's floor, per up's unit, is below
// up's.
func appendIfOut(out []StageOrderWarning, reg *registry.Registry, d date.Date, rule string, up, down *Floor) []StageOrderWarning {
	if up.Currency != down.Currency {
		return out
	}
	compared, ok := convertPrice(reg, down.Price, down.Unit, up.Unit)
	if !ok || compared.Cmp(up.Price) >= 0 {
		return out
	}
	w := StageOrderWarning{Mineral: up.Mineral, Rule: rule, Date: d, Currency: up.Currency, Unit: up.Unit,
		Upstream:   OrderFigure{Stage: up.Stage, Price: up.Price, Unit: up.Unit, ValidFrom: up.ValidFrom, Compared: up.Price},
		Downstream: OrderFigure{Stage: down.Stage, Price: down.Price, Unit: down.Unit, ValidFrom: down.ValidFrom, Compared: compared}}
	w.Message = orderMessage(w)
	return append(out, w)
}

// convertPrice converts a price per unit from into a price per unit to:
// price × (kg per to) ÷ (kg per from), as the methods convert (calc.perUnit).
func convertPrice(reg *registry.Registry, price dec.Decimal, from, to string) (dec.Decimal, bool) {
	if from == to {
		return price, true
	}
	if reg == nil {
		return dec.Zero, false
	}
	fu, err := reg.Unit(from)
	if err != nil {
		return dec.Zero, false
	}
	tu, err := reg.Unit(to)
	if err != nil || fu.Dimension != tu.Dimension {
		return dec.Zero, false
	}
	return price.Mul(tu.PerKg).Quo(fu.PerKg), true
}

func orderMessage(w StageOrderWarning) string {
	fig := func(f OrderFigure) string {
		s := fmt.Sprintf("%s %s/%s", f.Price, w.Currency, f.Unit)
		if f.Unit != w.Unit {
			s += fmt.Sprintf(" = %s %s/%s", roundShow(f.Compared), w.Currency, w.Unit)
		}
		return fmt.Sprintf("%s (valid from %s)", s, f.ValidFrom)
	}
	why := fmt.Sprintf("a floor chain that pays more for %s %s than %s rewards exporting it unprocessed", w.Mineral, w.Upstream.Stage, w.Downstream.Stage)
	if w.Rule == OrderScrap {
		why = fmt.Sprintf("scrap is a secondary feed to refining, so a scrap floor above the %s one invites exporting scrap rather than refining it", w.Downstream.Stage)
	}
	return fmt.Sprintf("stage order: %s on %s: the %s floor %s is below the %s floor %s per %s of contained %s; %s",
		w.Mineral, w.Date, w.Downstream.Stage, fig(w.Downstream), w.Upstream.Stage, fig(w.Upstream), w.Unit, w.Mineral, why)
}

// roundShow rounds a converted figure for the message, as a price that
// states no precision is published (to the cent, half up); the warning's
// data keep it exact.
func roundShow(x dec.Decimal) dec.Decimal {
	r, _, err := agreement.DefaultPrecision.Round(x)
	if err != nil {
		return x
	}
	return r
}

// FloorRefs returns pointers to the floors of a slice, for StageOrder.
func FloorRefs(floors []Floor) []*Floor {
	out := make([]*Floor, len(floors))
	for i := range floors {
		out[i] = &floors[i]
	}
	return out
}

// StageOrder checks floors, all in force on d, with the engine's registry
// (see the function StageOrder).
func (e *Engine) StageOrder(d date.Date, floors []*Floor) []StageOrderWarning {
	return StageOrder(e.src.Registry, d, floors)
}

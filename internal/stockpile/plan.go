package stockpile

import (
	"math/big"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// Mode is how the parties respond.
type Mode string

// The modes.
const (
	// Coordinated is the agreement's response: demand restraint, a collective
	// release shared by the key, allocation rights.
	Coordinated Mode = "coordinated"
	// Alone is each party on its own: it draws its own stock against its own
	// loss when its loss passes the trigger (aloneFires), with no sharing.
	Alone Mode = "alone"
)

// PartyMonth is one party's month in a plan. Stocks balance exactly:
// Close = Open − Release + Replenish.
type PartyMonth struct {
	Party     string `json:"party"`
	Supply    Kg     `json:"supply"`
	Loss      Kg     `json:"loss"`
	Restraint Kg     `json:"restraint"`
	Due       Kg     `json:"due"` // its share of the collective release (or, alone, its own loss)
	Release   Kg     `json:"release"`
	// Allocation is its allocation right (> 0: supplies it receives from the
	// other parties) or obligation (< 0: supplies it gives up to them).
	Allocation Kg   `json:"allocation"`
	Uncovered  Kg   `json:"uncovered"` // due − release: what the limits or its stock left uncovered
	Replenish  Kg   `json:"replenish"`
	Open       Kg   `json:"open"`
	Close      Kg   `json:"close"`
	Capped     bool `json:"capped,omitempty"` // the monthly limit bound the release
}

// PlanMonth is one month of a plan: the zone's totals and each party's.
type PlanMonth struct {
	Month      string       `json:"month"`
	Collective bool         `json:"collective"`
	Single     []string     `json:"single,omitempty"`
	Loss       Kg           `json:"loss"`
	Restraint  Kg           `json:"restraint"`
	Release    Kg           `json:"release"`
	Uncovered  Kg           `json:"uncovered"`
	Replenish  Kg           `json:"replenish"`
	Stock      Kg           `json:"stock"` // at the month's close
	Price      float64      `json:"price,omitempty"`
	Parties    []PartyMonth `json:"parties"`
}

// Plan is a response plan, month by month.
type Plan struct {
	Mode      Mode        `json:"mode"`
	Mineral   string      `json:"mineral"`
	Stage     string      `json:"stage"`
	Parties   []string    `json:"parties"`
	Months    []PlanMonth `json:"months"`
	Released  Kg          `json:"released"`
	Restraint Kg          `json:"restraint"`
	Uncovered Kg          `json:"uncovered"`
	Bought    Kg          `json:"replenished"`
	Basis     []string    `json:"basis"`
}

// Respond plans the response to an assessment from the stocks each party
// holds at its start (initial, in the order of the assessment's parties),
// month by month, within the regime's limits. prices, if given, is the market
// price of each month (agreement currency per tonne): replenishment buys only
// in months at or below the regime's ceiling.
//
// Coordinated, in a month the collective trigger fires: demand restraint
// (the regime's share of each party's supply, at most the zone's loss,
// shared by supply); the rest of the loss is the collective release, shared
// by the key; each party releases its due up to its monthly limit (a share of
// its stock when the crisis began) and above its kept reserve; with
// allocation, each party's allocation right is its loss − its restraint − its
// due (IEP Art. 7: supply right less available supply), which sum to zero. In
// a month only single triggers fire, each such party's loss above the
// threshold is its allocation right, supplied by the other parties by the
// key. Replenishment starts the regime's months after the last month of
// crisis and buys back toward each party's stock before the crisis.
func Respond(as *Assessment, initial []Kg, mode Mode, prices []float64) (*Plan, error) {
	s := as.regime
	n := len(as.Parties)
	if len(initial) != n {
		return nil, problemf("%d initial stocks for %d parties", len(initial), n)
	}
	pl := &Plan{Mode: mode, Mineral: as.Mineral, Stage: string(as.Stage), Parties: as.Parties,
		Basis: []string{s.Triggers.Basis, s.Response.Basis, s.Release.Basis}}
	stock := append([]Kg(nil), initial...)
	start := append([]Kg(nil), initial...) // stock when the current crisis began
	inCrisis := make([]bool, n)            // alone: by party; coordinated: index 0 for the zone
	quiet := make([]int, n)                // months since the last month of crisis
	for p := range quiet {
		quiet[p] = -1 // no crisis yet
	}
	maxM, keepR := decRat(s.Release.MaxMonthly), decRat(s.Release.Keep)
	supplyW := make([]*big.Rat, n)
	for p := range n {
		supplyW[p] = ratK(as.supply[p])
	}
	for m, ml := range as.Months {
		pm := PlanMonth{Month: ml.Month, Collective: ml.Collective, Single: ml.Single, Loss: ml.Loss, Parties: make([]PartyMonth, n)}
		if m < len(prices) {
			pm.Price = prices[m]
		}
		for p := range n {
			pm.Parties[p] = PartyMonth{Party: as.Parties[p], Supply: as.supply[p], Loss: ml.PartyLoss[p], Open: stock[p]}
		}
		// which parties are in crisis this month
		crisis := make([]bool, n)
		for p := range n {
			if mode == Coordinated {
				crisis[p] = ml.Collective
			} else {
				crisis[p] = aloneFires(s, ml.PartyLoss[p], as.supply[p])
			}
			if crisis[p] && !inCrisis[p] {
				start[p] = stock[p]
			}
			inCrisis[p] = crisis[p]
			if crisis[p] {
				quiet[p] = 0
			} else if quiet[p] >= 0 {
				quiet[p]++
			}
		}
		limit := func(p int) (Kg, Kg) {
			base := start[p]
			if s.Release.Of == "current" {
				base = stock[p]
			}
			c := floorRat(new(big.Rat).Mul(ratK(base), maxM))
			keep := ceilRat(new(big.Rat).Mul(ratK(start[p]), keepR))
			return c, max(0, stock[p]-keep)
		}
		switch {
		case mode == Coordinated && ml.Collective:
			zone := Total(as.supply)
			restraint := min(ml.Loss, mulDec(zone, s.Response.RestraintAt(ml.Loss.Decimal(), zone.Decimal())))
			rs := split(restraint, supplyW)
			due := split(ml.Loss-restraint, positiveOr(as.key, supplyW))
			for p := range n {
				pp := &pm.Parties[p]
				pp.Restraint, pp.Due = rs[p], due[p]
				c, avail := limit(p)
				pp.Release = min(due[p], c, avail)
				pp.Capped = pp.Release == c && c < due[p] && c <= avail
				pp.Uncovered = due[p] - pp.Release
				if s.Response.Allocation {
					pp.Allocation = pp.Loss - pp.Restraint - pp.Due
				}
			}
		case mode == Coordinated && len(ml.Single) > 0 && s.Response.Allocation:
			// the others supply by the key (by supply if the key gives
			// them nothing); with no other party to supply, no rights
			others, othersS := make([]*big.Rat, n), make([]*big.Rat, n)
			for p := range n {
				others[p], othersS[p] = as.key[p], supplyW[p]
				if contains(ml.Single, as.Parties[p]) {
					others[p], othersS[p] = new(big.Rat), new(big.Rat)
				}
			}
			w := positiveOr(others, othersS)
			if sumRat(w).Sign() == 0 {
				break
			}
			var rights Kg
			for p := range n {
				if contains(ml.Single, as.Parties[p]) {
					pp := &pm.Parties[p]
					pp.Allocation = pp.Loss - mulDec(as.supply[p], s.Triggers.Single)
					rights += pp.Allocation
				}
			}
			for p, x := range split(rights, w) {
				pm.Parties[p].Allocation -= x
			}
		case mode == Alone:
			for p := range n {
				if !crisis[p] {
					continue
				}
				pp := &pm.Parties[p]
				pp.Due = pp.Loss
				c, avail := limit(p)
				pp.Release = min(pp.Due, c, avail)
				pp.Capped = pp.Release == c && c < pp.Due && c <= avail
				pp.Uncovered = pp.Due - pp.Release
			}
		}
		// replenishment after the crisis, toward the stock before it
		if rp := s.Replenish; rp != nil && (rp.PriceCeiling.IsZero() || m >= len(prices) || prices[m] <= rp.PriceCeiling.Float64()) {
			for p := range n {
				if crisis[p] || quiet[p] <= rp.AfterMonths || stock[p] >= start[p] {
					continue
				}
				c := floorRat(new(big.Rat).Mul(ratK(start[p]), decRat(rp.MaxMonthly)))
				pm.Parties[p].Replenish = min(c, start[p]-stock[p])
			}
		}
		for p := range n {
			pp := &pm.Parties[p]
			stock[p] = stock[p] - pp.Release + pp.Replenish
			pp.Close = stock[p]
			pm.Restraint += pp.Restraint
			pm.Release += pp.Release
			pm.Uncovered += pp.Uncovered
			pm.Replenish += pp.Replenish
			pm.Stock += pp.Close
		}
		pl.Released += pm.Release
		pl.Restraint += pm.Restraint
		pl.Uncovered += pm.Uncovered
		pl.Bought += pm.Replenish
		pl.Months = append(pl.Months, pm)
	}
	return pl, nil
}

// PartyTotal is a party's plan in sum: its stock at the start and the end,
// what it released, left uncovered, received (or gave, < 0) by allocation
// and bought back.
type PartyTotal struct {
	Party       string `json:"party"`
	Start       Kg     `json:"start"`
	Released    Kg     `json:"released"`
	Uncovered   Kg     `json:"uncovered"`
	Allocation  Kg     `json:"allocation"`
	Replenished Kg     `json:"replenished"`
	End         Kg     `json:"end"`
}

// PartyTotals sums the plan by party.
func (pl *Plan) PartyTotals() []PartyTotal {
	out := make([]PartyTotal, len(pl.Parties))
	if len(pl.Months) == 0 {
		return out
	}
	for p, id := range pl.Parties {
		c := PartyTotal{Party: id, Start: pl.Months[0].Parties[p].Open, End: pl.Months[len(pl.Months)-1].Parties[p].Close}
		for _, m := range pl.Months {
			c.Released += m.Parties[p].Release
			c.Uncovered += m.Parties[p].Uncovered
			c.Allocation += m.Parties[p].Allocation
			c.Replenished += m.Parties[p].Replenish
		}
		out[p] = c
	}
	return out
}

// aloneFires says whether a party acting alone draws its stock: its loss
// is above the single-party trigger (strictly, as Art. 17), or, with none,
// at least the collective one (as Art. 13).
func aloneFires(s *agreement.Stockpile, loss, supply Kg) bool {
	if loss <= 0 || supply <= 0 {
		return false
	}
	if s.Triggers.Single.Sign() > 0 {
		return above(loss, s.Triggers.Single, supply)
	}
	return atLeast(loss, s.Triggers.Collective, supply)
}

// positiveOr returns w, or fallback when w has no positive weight.
func positiveOr(w, fallback []*big.Rat) []*big.Rat {
	if sumRat(w).Sign() > 0 {
		return w
	}
	return fallback
}

func sumRat(w []*big.Rat) *big.Rat {
	s := new(big.Rat)
	for _, x := range w {
		s.Add(s, x)
	}
	return s
}

// Total is the sum of xs.
func Total(xs []Kg) Kg {
	var t Kg
	for _, x := range xs {
		t += x
	}
	return t
}

func floorRat(r *big.Rat) Kg {
	q := new(big.Int).Quo(r.Num(), r.Denom())
	return Kg(q.Int64())
}

func ceilRat(r *big.Rat) Kg {
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return Kg(q.Int64())
}

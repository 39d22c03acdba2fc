package stockpile

import (
	"math/big"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Disruption is a cut in the supply of a mineral from one origin between two
// dates (both included). Either Tonnes is the zone's loss per month, shared
// among the parties in proportion to their imports exposed to the origin
// (a loss entered by hand), or Cut is the share of the origin's supply cut
// (a scenario's export ban is 1), each party losing that share of its imports
// exposed to the origin. A month the disruption covers only in part counts
// its days.
type Disruption struct {
	Origin  string         `json:"origin"`
	Mineral string         `json:"mineral"`
	Stage   registry.Stage `json:"stage"`
	Tonnes  Kg             `json:"tonnes_per_month,omitzero"`
	Cut     dec.Decimal    `json:"cut,omitzero"`
	From    date.Date      `json:"from"`
	To      date.Date      `json:"to"`
	Note    string         `json:"note,omitempty"`
	// Parties, if any, are the only parties that lose (a ban on exports to
	// some destinations); every exposed party when empty.
	Parties []string `json:"parties,omitempty"`
}

// Assessment is the supply loss of every party, month by month, and the
// triggers that fire.
type Assessment struct {
	Mineral  string         `json:"mineral"`
	Stage    registry.Stage `json:"stage"`
	BaseYear int            `json:"base_year"` // the flows year of normal supply
	Parties  []string       `json:"parties"`
	Months   []MonthLoss    `json:"months"`
	Triggers []TriggerEvent `json:"triggers"`
	Basis    string         `json:"basis"`
	regime   *agreement.Stockpile
	supply   []Kg // normal monthly supply by party
	key      []*big.Rat
	flows    []FlowYear
}

// MonthLoss is one month's loss: by party and for the zone, with the
// triggers that fire.
type MonthLoss struct {
	Month      string   `json:"month"`
	Supply     Kg       `json:"supply"` // the zone's normal monthly supply
	Loss       Kg       `json:"loss"`
	LossShare  string   `json:"loss_share"` // loss ÷ supply, percent to two decimals
	Collective bool     `json:"collective"`
	Single     []string `json:"single,omitempty"` // parties whose own trigger fires
	PartyLoss  []Kg     `json:"party_loss"`       // by party, in the order of Parties
}

// TriggerEvent is a trigger's firing: which, for whom, from which month to
// which (inclusive).
type TriggerEvent struct {
	Trigger string `json:"trigger"` // collective or single
	Party   string `json:"party,omitempty"`
	From    string `json:"from"`
	To      string `json:"to"`
	Peak    string `json:"peak_loss_share"` // percent
	Basis   string `json:"basis"`
}

// Assess computes the monthly supply loss of each party in force under the
// regime for mineral/stage over months months from start (the first of a
// month), and which triggers fire. A party's normal supply is its consumption
// of the year before start ÷ 12; its loss from a disruption is its share of
// the disruption as Disruption says. in is the agreement in force at start.
func Assess(in *agreement.InForce, flows *Flows, mineral string, stage registry.Stage, ds []Disruption, start date.Date, months int) (*Assessment, error) {
	a := in.Agreement
	s := a.StockRegime(mineral, stage)
	if s == nil {
		return nil, problemf("agreement %s has no stockholding regime for %s/%s", a.ID, mineral, stage)
	}
	if months <= 0 || months > 1200 {
		return nil, problemf("months must be 1 to 1200, got %d", months)
	}
	start = start.FirstOfMonth()
	as := &Assessment{Mineral: mineral, Stage: stage, BaseYear: start.Year() - 1, regime: s, Basis: s.Triggers.Basis}
	for _, p := range a.Parties {
		y, _ := flows.Year(p.ID, mineral, stage, as.BaseYear)
		as.Parties = append(as.Parties, p.ID)
		as.flows = append(as.flows, y)
		as.supply = append(as.supply, mulRatio(y.Consumption, big.NewInt(1), big.NewInt(12)))
	}
	as.key = responseKey(s, as.Parties, as.flows)
	var zoneSupply Kg
	for _, x := range as.supply {
		zoneSupply += x
	}
	n := len(as.Parties)
	for i, d := range ds {
		if d.Mineral != mineral || d.Stage != stage {
			return nil, problemf("disruptions[%d]: %s/%s, but the assessment is of %s/%s", i, d.Mineral, d.Stage, mineral, stage)
		}
		if d.To.Before(d.From) {
			return nil, problemf("disruptions[%d]: to %s is before from %s", i, d.To, d.From)
		}
		if d.Tonnes < 0 || d.Cut.Sign() < 0 || d.Cut.Cmp(dec.One) > 0 {
			return nil, problemf("disruptions[%d]: tonnes must be ≥ 0 and cut a share between 0 and 1", i)
		}
	}
	for m := 0; m < months; m++ {
		first := start.AddMonths(m)
		next := first.AddMonths(1)
		ml := MonthLoss{Month: first.MonthKey(), Supply: zoneSupply, PartyLoss: make([]Kg, n)}
		for _, d := range ds {
			lo, hi := maxDate(d.From, first), minDate(d.To.AddDays(1), next)
			if !lo.Before(hi) {
				continue
			}
			days, dim := big.NewInt(int64(lo.DaysUntil(hi))), big.NewInt(int64(first.DaysUntil(next)))
			exposed := make([]*big.Rat, n) // monthly imports exposed to the origin
			for p := range n {
				e := decRat(flows.Exposure(as.Parties[p], mineral, stage, d.Origin))
				if len(d.Parties) > 0 && !contains(d.Parties, as.Parties[p]) {
					e = new(big.Rat)
				}
				exposed[p] = new(big.Rat).Mul(e, big.NewRat(int64(as.flows[p].Imports), 12))
			}
			if d.Tonnes > 0 {
				// the zone's loss, shared by exposed imports, prorated by days
				t := mulRatio(d.Tonnes, days, dim)
				for p, x := range split(t, exposed) {
					ml.PartyLoss[p] += x
				}
				continue
			}
			cut := decRat(d.Cut)
			for p := range n {
				x := new(big.Rat).Mul(exposed[p], cut)
				x.Mul(x, new(big.Rat).SetFrac(days, dim))
				ml.PartyLoss[p] += roundRat(x)
			}
		}
		for p, x := range ml.PartyLoss {
			ml.Loss += x
			if s.Triggers.Single.Sign() > 0 && x > 0 && as.supply[p] > 0 && above(x, s.Triggers.Single, as.supply[p]) {
				ml.Single = append(ml.Single, as.Parties[p])
			}
		}
		ml.Collective = ml.Loss > 0 && zoneSupply > 0 && atLeast(ml.Loss, s.Triggers.Collective, zoneSupply)
		ml.LossShare = percent(ml.Loss, zoneSupply)
		as.Months = append(as.Months, ml)
	}
	as.Triggers = events(as)
	return as, nil
}

// atLeast reports whether loss ≥ share × supply, exactly.
func atLeast(loss Kg, share dec.Decimal, supply Kg) bool {
	r := new(big.Rat).Mul(decRat(share), ratK(supply))
	return ratK(loss).Cmp(r) >= 0
}

// above reports whether loss > share × supply, exactly.
func above(loss Kg, share dec.Decimal, supply Kg) bool {
	r := new(big.Rat).Mul(decRat(share), ratK(supply))
	return ratK(loss).Cmp(r) > 0
}

// percent renders x ÷ of as a percentage to two decimals, half up.
func percent(x, of Kg) string {
	if of <= 0 {
		return ""
	}
	return daysOf(new(big.Rat).Mul(ratK(x), big.NewRat(100, 1)), ratK(of))
}

func events(as *Assessment) []TriggerEvent {
	var out []TriggerEvent
	run := func(trigger, party string, on func(MonthLoss) bool, share func(MonthLoss) *big.Rat, basis string) {
		for i := 0; i < len(as.Months); i++ {
			if !on(as.Months[i]) {
				continue
			}
			j, peak := i, share(as.Months[i])
			for j+1 < len(as.Months) && on(as.Months[j+1]) {
				j++
				if s := share(as.Months[j]); s.Cmp(peak) > 0 {
					peak = s
				}
			}
			out = append(out, TriggerEvent{Trigger: trigger, Party: party, From: as.Months[i].Month, To: as.Months[j].Month, Peak: peak.FloatString(2), Basis: basis})
			i = j
		}
	}
	b := as.regime.Triggers.Basis
	run("collective", "", func(m MonthLoss) bool { return m.Collective },
		func(m MonthLoss) *big.Rat { return shareRat(m.Loss, m.Supply) }, b)
	for p, id := range as.Parties {
		run("single", id, func(m MonthLoss) bool { return contains(m.Single, id) },
			func(m MonthLoss) *big.Rat { return shareRat(m.PartyLoss[p], as.supply[p]) }, b)
	}
	return out
}

func shareRat(x, of Kg) *big.Rat {
	if of <= 0 {
		return new(big.Rat)
	}
	return new(big.Rat).SetFrac(big.NewInt(int64(x)*100), big.NewInt(int64(of)))
}

func contains(xs []string, x string) bool {
	for _, y := range xs {
		if y == x {
			return true
		}
	}
	return false
}

// responseKey returns each party's weight in a collective release: its
// consumption or net imports of the base year (negative counts 0), or its
// fixed share.
func responseKey(s *agreement.Stockpile, parties []string, flows []FlowYear) []*big.Rat {
	w := make([]*big.Rat, len(parties))
	for p, id := range parties {
		switch s.Response.Key {
		case agreement.ByFixedShares:
			w[p] = decRat(s.FixedShare(id))
		case agreement.ByNetImports:
			w[p] = ratK(max(0, flows[p].NetImports()))
		default:
			w[p] = ratK(flows[p].Consumption)
		}
	}
	return w
}

func maxDate(a, b date.Date) date.Date {
	if a.After(b) {
		return a
	}
	return b
}

func minDate(a, b date.Date) date.Date {
	if a.Before(b) {
		return a
	}
	return b
}

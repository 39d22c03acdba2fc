package stockpile

import (
	"fmt"
	"math/big"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Step is one step of a computed figure: what was done, the formula with its
// inputs, the result and the article it applies.
type Step struct {
	Step    string `json:"step"`
	Formula string `json:"formula"`
	Output  string `json:"output"`
	Basis   string `json:"basis,omitempty"`
}

// PartyCompliance is one party's position under one regime on a date.
type PartyCompliance struct {
	Party      string                 `json:"party"`
	Measure    agreement.StockMeasure `json:"measure"`
	Days       int                    `json:"days"`
	FlowYear   int                    `json:"flow_year"`
	HasFlows   bool                   `json:"has_flows"`
	Base       Kg                     `json:"base"` // the year's net imports or consumption
	Exempt     string                 `json:"exempt,omitempty"`
	Obligation Kg                     `json:"obligation"`
	// PublicObligation is the part of the obligation to be held publicly.
	PublicObligation Kg `json:"public_obligation"`
	Held             Kg `json:"held"`      // physical tonnes declared, every form
	Countable        Kg `json:"countable"` // after the forms' discounts and the unavailable deduction
	PublicCountable  Kg `json:"public_countable"`
	Shortfall        Kg `json:"shortfall"`
	PublicShortfall  Kg `json:"public_shortfall"`
	// DaysOfCover is countable ÷ the measure's daily rate, to two decimals
	// (half up); empty when the rate is not positive.
	DaysOfCover  string   `json:"days_of_cover,omitempty"`
	Compliant    bool     `json:"compliant"`
	Illustrative bool     `json:"illustrative,omitempty"` // the flows are illustrative
	Notes        []string `json:"notes,omitempty"`
	Steps        []Step   `json:"steps"`
}

// RegimeCompliance is every party's position under one regime, and the zone's.
type RegimeCompliance struct {
	Mineral string            `json:"mineral"`
	Stage   registry.Stage    `json:"stage"`
	Basis   string            `json:"basis"`
	Parties []PartyCompliance `json:"parties"`
	// Zone totals: the obligations, the countable stocks, and the zone's days
	// of cover of each measure (net importers only for net imports, as the
	// IEA's regional totals).
	Obligation             Kg     `json:"obligation"`
	Countable              Kg     `json:"countable"`
	Shortfall              Kg     `json:"shortfall"`
	DaysOfNetImports       string `json:"days_of_net_imports,omitempty"`
	DaysOfConsumption      string `json:"days_of_consumption,omitempty"`
	PartiesCompliant       int    `json:"parties_compliant"`
	PartiesWithObligations int    `json:"parties_with_obligations"`
}

// Compliance is the compliance of every party under every regime on a date.
type Compliance struct {
	Agreement string             `json:"agreement"`
	AsOf      date.Date          `json:"as_of"`
	Regimes   []RegimeCompliance `json:"regimes"`
}

// Check computes, for every regime of the agreement in force on asOf and every
// party in force, the obligation (days of the previous calendar year's
// measure, at least the minimum; nothing for an exempt party), the countable
// holdings on asOf after discounts, the shortfalls, and the days of cover; and
// the zone's totals. in is the agreement in force on asOf.
func Check(in *agreement.InForce, flows *Flows, holdings []Holding) *Compliance {
	a := in.Agreement
	held := HeldOn(holdings, in.AsOf)
	out := &Compliance{Agreement: a.ID, AsOf: in.AsOf}
	for i := range a.Stockpiles {
		s := &a.Stockpiles[i]
		rc := RegimeCompliance{Mineral: s.Mineral, Stage: s.Stage, Basis: s.Basis}
		var ni, niRate, cons, consRate big.Rat
		for _, p := range a.Parties {
			pc := comply(s, p.ID, in.AsOf, flows, held)
			if pc.HasFlows {
				y, _ := flows.Year(p.ID, s.Mineral, s.Stage, pc.FlowYear)
				yd := big.NewRat(int64(daysIn(pc.FlowYear)), 1)
				if y.NetImports() > 0 {
					ni.Add(&ni, ratK(pc.Countable))
					niRate.Add(&niRate, new(big.Rat).Quo(ratK(y.NetImports()), yd))
				}
				if y.Consumption > 0 {
					cons.Add(&cons, ratK(pc.Countable))
					consRate.Add(&consRate, new(big.Rat).Quo(ratK(y.Consumption), yd))
				}
			}
			rc.Obligation += pc.Obligation
			rc.Countable += pc.Countable
			rc.Shortfall += pc.Shortfall
			if pc.Obligation > 0 || pc.PublicObligation > 0 {
				rc.PartiesWithObligations++
				if pc.Compliant {
					rc.PartiesCompliant++
				}
			}
			rc.Parties = append(rc.Parties, pc)
		}
		rc.DaysOfNetImports = daysOf(&ni, &niRate)
		rc.DaysOfConsumption = daysOf(&cons, &consRate)
		out.Regimes = append(out.Regimes, rc)
	}
	return out
}

func ratK(k Kg) *big.Rat { return new(big.Rat).SetInt64(int64(k)) }

// daysIn returns the number of days of a calendar year.
func daysIn(year int) int {
	return date.New(year, 1, 1).DaysUntil(date.New(year+1, 1, 1))
}

// daysOf renders stock ÷ daily rate to two decimals, half up; "" if the rate
// is not positive.
func daysOf(stock, rate *big.Rat) string {
	if rate.Sign() <= 0 {
		return ""
	}
	q := new(big.Rat).Quo(stock, rate)
	q.Mul(q, big.NewRat(100, 1))
	n := roundQuo(new(big.Int).Set(q.Num()), q.Denom())
	return fmt.Sprintf("%d.%02d", n/100, n%100)
}

// comply computes one party's position under regime s on d.
func comply(s *agreement.Stockpile, party string, d date.Date, flows *Flows, held []Holding) PartyCompliance {
	rule := s.ObligationOf(party)
	pc := PartyCompliance{Party: party, Measure: rule.Measure, Days: rule.Days, FlowYear: d.Year() - 1}
	y, ok := flows.Year(party, s.Mineral, s.Stage, pc.FlowYear)
	pc.HasFlows, pc.Illustrative = ok, y.Illustrative
	yd := daysIn(pc.FlowYear)
	switch {
	case rule.Exempt:
		pc.Exempt = "own_entry"
		pc.Steps = append(pc.Steps, Step{Step: "exemption", Formula: "the party's entry exempts it", Output: "0", Basis: rule.Basis})
	case !ok:
		pc.Notes = append(pc.Notes, fmt.Sprintf("no flows for %d: the days-based obligation cannot be computed; only the minimum applies", pc.FlowYear))
	case rule.ExemptNetExporters && y.NetImports() <= 0:
		pc.Exempt = "net_exporter"
		pc.Base = measureOf(y, rule.Measure)
		pc.Steps = append(pc.Steps, Step{Step: "exemption", Formula: fmt.Sprintf("net imports %d = imports %s − exports %s = %s t ≤ 0", pc.FlowYear, y.Imports.Tonnes(), y.Exports.Tonnes(), y.NetImports().Tonnes()), Output: "exempt: net exporter", Basis: rule.Basis})
	default:
		pc.Base = measureOf(y, rule.Measure)
		days := Kg(0)
		if pc.Base > 0 {
			days = mulRatio(pc.Base, big.NewInt(int64(rule.Days)), big.NewInt(int64(yd)))
		}
		pc.Steps = append(pc.Steps, Step{Step: "days of the measure",
			Formula: fmt.Sprintf("%d days × %s %d %s t ÷ %d days, to the kilogram (half up)", rule.Days, rule.Measure, pc.FlowYear, pc.Base.Tonnes(), yd),
			Output:  days.Tonnes(), Basis: rule.Basis})
		pc.Obligation = days
		if rule.ConsumptionDays > 0 {
			c := mulRatio(y.Consumption, big.NewInt(int64(rule.ConsumptionDays)), big.NewInt(int64(yd)))
			pc.Steps = append(pc.Steps, Step{Step: "days of consumption, whichever is greater",
				Formula: fmt.Sprintf("max(%s, %d days × consumption %d %s t ÷ %d days)", days.Tonnes(), rule.ConsumptionDays, pc.FlowYear, y.Consumption.Tonnes(), yd),
				Output:  max(days, c).Tonnes(), Basis: rule.Basis})
			pc.Obligation = max(days, c)
		}
	}
	if pc.Exempt == "" {
		if m, err := KgOf(rule.Minimum); err == nil && m > pc.Obligation {
			pc.Steps = append(pc.Steps, Step{Step: "minimum", Formula: fmt.Sprintf("max(%s, minimum %s)", pc.Obligation.Tonnes(), m.Tonnes()), Output: m.Tonnes(), Basis: rule.Basis})
			pc.Obligation = m
		}
		pc.PublicObligation = ceilDec(pc.Obligation, rule.PublicShare)
		if !rule.PublicShare.IsZero() {
			pc.Steps = append(pc.Steps, Step{Step: "public part", Formula: fmt.Sprintf("%s × public share %s, rounded up to the kilogram", pc.Obligation.Tonnes(), rule.PublicShare), Output: pc.PublicObligation.Tonnes(), Basis: rule.Basis})
		}
	}
	// Countable stocks: each form's tonnes times its share counted, less the
	// unavailable share, summed exactly and rounded once (half up).
	keep := new(big.Rat).Sub(big.NewRat(1, 1), decRat(s.Unavailable))
	var all, pub big.Rat
	for _, h := range held {
		if h.Party != party || h.Mineral != s.Mineral || h.Stage != s.Stage {
			continue
		}
		pc.Held += h.Tonnes
		c, ok := s.FormCounts(h.Form)
		if !ok {
			pc.Notes = append(pc.Notes, fmt.Sprintf("%s t of form %q declared on %s do not count: the agreement lists no such form", h.Tonnes.Tonnes(), h.Form, h.Date))
			continue
		}
		x := new(big.Rat).Mul(ratK(h.Tonnes), decRat(c))
		all.Add(&all, x)
		if h.Holder == Public {
			pub.Add(&pub, x)
		}
	}
	all.Mul(&all, keep)
	pub.Mul(&pub, keep)
	pc.Countable = roundRat(&all)
	pc.PublicCountable = roundRat(&pub)
	pc.Steps = append(pc.Steps, Step{Step: "countable stocks",
		Formula: fmt.Sprintf("Σ tonnes × the form's share counted × (1 − unavailable %s) over %s t held, to the kilogram (half up)", s.Unavailable, pc.Held.Tonnes()),
		Output:  pc.Countable.Tonnes(), Basis: s.Basis})
	pc.Shortfall = max(0, pc.Obligation-pc.Countable)
	pc.PublicShortfall = max(0, pc.PublicObligation-pc.PublicCountable)
	pc.Compliant = pc.Shortfall == 0 && pc.PublicShortfall == 0
	if pc.HasFlows && pc.Base > 0 {
		pc.DaysOfCover = daysOf(ratK(pc.Countable), new(big.Rat).Quo(ratK(pc.Base), big.NewRat(int64(yd), 1)))
	}
	return pc
}

func measureOf(y FlowYear, m agreement.StockMeasure) Kg {
	if m == agreement.Consumption {
		return y.Consumption
	}
	return y.NetImports()
}

func decRat(d interface{ String() string }) *big.Rat {
	r, ok := new(big.Rat).SetString(d.String())
	if !ok {
		return new(big.Rat)
	}
	return r
}

func roundRat(r *big.Rat) Kg {
	return roundQuo(new(big.Int).Set(r.Num()), r.Denom())
}

// ceilDec returns x·d rounded up to the kilogram (x ≥ 0, d ≥ 0).
func ceilDec(x Kg, d interface{ String() string }) Kg {
	r := new(big.Rat).Mul(ratK(x), decRat(d))
	q, m := new(big.Int).QuoRem(r.Num(), r.Denom(), new(big.Int))
	if m.Sign() > 0 {
		q.Add(q, big.NewInt(1))
	}
	return Kg(q.Int64())
}

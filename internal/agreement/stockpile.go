package agreement

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Stockpile is the agreement's stockholding and crisis-response regime for
// one mineral at one stage, on the model of the IEA's International Energy
// Program (IEP Agreement 1974, Arts. 2, 5–6, 13–14, 17): each party holds
// stocks of a number of days of its previous year's net imports (or of its
// consumption), counted after a discount for the forms that count less; a
// collective supply loss of a threshold share of the zone's supply, or a
// single party's, triggers a coordinated response — demand restraint, a
// release shared among the parties by a key, allocation rights for a party
// hit harder — within monthly limits, followed by replenishment. Every
// quantity is tonnes of contained mineral; package stockpile applies it
// (docs/stockpile.md).
type Stockpile struct {
	Mineral      string            `yaml:"mineral" json:"mineral" required:"true" doc:"Mineral in scope."`
	Stage        registry.Stage    `yaml:"stage" json:"stage" required:"true" enum:"mined|processed|derivative|scrap" doc:"Stage of the stocked material; holdings and flows are tonnes of contained mineral."`
	Obligation   StockObligation   `yaml:"obligation" json:"obligation" required:"true" doc:"What each party must hold, unless its own entry in parties says otherwise."`
	Parties      []PartyObligation `yaml:"parties" json:"parties,omitzero" doc:"A party's own obligation where it differs from the common one (e.g. Japan's 60 days of consumption), or its exemption."`
	Forms        []StockForm       `yaml:"forms" json:"forms" required:"true" doc:"The stock forms that count toward the obligation and the share of each that counts; a form not listed does not count."`
	Unavailable  dec.Decimal       `yaml:"unavailable" json:"unavailable,omitzero" doc:"Share of the countable stock deducted as unavailable (the IEA deducts 10% for tank bottoms); 0 when omitted."`
	Triggers     CrisisTriggers    `yaml:"triggers" json:"triggers" required:"true" doc:"The supply losses that trigger the response."`
	Response     CrisisResponse    `yaml:"response" json:"response" required:"true" doc:"The coordinated response once triggered."`
	Release      ReleaseLimits     `yaml:"release" json:"release" required:"true" doc:"Limits on releases."`
	Replenish    *Replenishment    `yaml:"replenishment" json:"replenishment,omitzero" doc:"How stocks are rebuilt after a crisis; none when omitted."`
	CarryingCost dec.Decimal       `yaml:"carrying_cost" json:"carrying_cost,omitzero" doc:"Yearly cost of holding the stock (storage, insurance and capital) as a share of its value at the reference price, e.g. 0.06."`
	Basis        string            `yaml:"basis" json:"basis" required:"true" doc:"Article that creates the regime."`
	Note         string            `yaml:"note" json:"note,omitzero" doc:"Free-text note, e.g. the published rule the regime follows."`
}

// StockObligation is what a party must hold: days of a measure of its
// previous calendar year's flows, at least a minimum, with a share held
// publicly.
type StockObligation struct {
	Measure            StockMeasure `yaml:"measure" json:"measure" required:"true" enum:"net_imports|consumption" doc:"net_imports: days of the previous calendar year's net imports (imports − exports), as the IEP (Art. 2); consumption: days of its apparent consumption (production + imports − exports), as JOGMEC and KOMIR."`
	Days               int          `yaml:"days" json:"days" required:"true" doc:"Days of the measure to hold; a day is the year's measure ÷ the days of that year (365, or 366 in a leap year), as the IEA's methodology divides net imports by the number of days in the year."`
	Minimum            dec.Decimal  `yaml:"minimum" json:"minimum,omitzero" doc:"Least tonnes held whatever the days give (none when omitted)."`
	PublicShare        dec.Decimal  `yaml:"public_share" json:"public_share,omitzero" doc:"Least share of the obligation held in public (government or agency) stocks; the rest may be private (industry) stocks."`
	ConsumptionDays    int          `yaml:"consumption_days" json:"consumption_days,omitzero" doc:"If set, the obligation is also at least this many days of the previous year's consumption, whichever is greater (the EU's 90 days of net imports or 61 days of inland consumption, Directive 2009/119/EC, Art. 3(1))."`
	ExemptNetExporters bool         `yaml:"exempt_net_exporters" json:"exempt_net_exporters,omitzero" doc:"True: a party whose previous-year net imports are zero or negative owes nothing (the IEP's net exporters)."`
	Basis              string       `yaml:"basis" json:"basis" required:"true" doc:"Article that creates the obligation."`
}

// PartyObligation is a party's own obligation, or its exemption; fields left
// out take the common obligation's.
type PartyObligation struct {
	Party           string       `yaml:"party" json:"party" required:"true" doc:"Party."`
	Exempt          bool         `yaml:"exempt" json:"exempt,omitzero" doc:"True: the party owes nothing."`
	Measure         StockMeasure `yaml:"measure" json:"measure,omitzero" enum:"net_imports|consumption" doc:"Its measure, if not the common one."`
	Days            int          `yaml:"days" json:"days,omitzero" doc:"Its days, if not the common ones."`
	ConsumptionDays int          `yaml:"consumption_days" json:"consumption_days,omitzero" doc:"Its days of consumption that the obligation must also reach, if not the common ones."`
	Minimum         dec.Decimal  `yaml:"minimum" json:"minimum,omitzero" doc:"Its minimum in tonnes, if not the common one."`
	PublicShare     dec.Decimal  `yaml:"public_share" json:"public_share,omitzero" doc:"Its public share, if not the common one."`
	Basis           string       `yaml:"basis" json:"basis" required:"true" doc:"Article (or schedule) that sets the party's own obligation."`
}

// StockForm is a form of stock (metal, an intermediate, a compound) and the
// share of its contained tonnes that counts.
type StockForm struct {
	Form   string      `yaml:"form" json:"form" required:"true" doc:"Name of the form as written in holdings files, e.g. metal, hydroxide."`
	Counts dec.Decimal `yaml:"counts" json:"counts" required:"true" doc:"What a tonne of the form counts for, above 0 and at most 10: a share (0.96: the IEA's 4% naphtha deduction from crude stocks; 0.9: a 10% discount) or a conversion factor (1.065: the IEA's crude-oil equivalent of product stocks)."`
	Basis  string      `yaml:"basis" json:"basis,omitzero" doc:"Article or rule that sets the discount."`
}

// CrisisTriggers are the supply losses, as shares of supply (0.07 is 7%),
// from which the response starts.
type CrisisTriggers struct {
	Collective dec.Decimal `yaml:"collective" json:"collective" required:"true" doc:"The zone's supply loss, as a share of its supply (monthly consumption), at or above which the collective response starts (the IEP's 7%, Art. 13)."`
	Single     dec.Decimal `yaml:"single" json:"single,omitzero" doc:"A single party's loss, as a share of its supply, above which (strictly: the IEP's 'exceeding 7 per cent', Art. 17, where Art. 13's collective trigger is 'at least equal to') it receives allocation rights even without a collective crisis; none when omitted."`
	Basis      string      `yaml:"basis" json:"basis" required:"true" doc:"Article that sets the triggers."`
}

// CrisisResponse is the coordinated response: the key that shares a
// collective release, demand restraint and allocation rights.
type CrisisResponse struct {
	Key             ResponseKey     `yaml:"key" json:"key" required:"true" enum:"consumption|net_imports|fixed" doc:"How a collective release is shared: by each party's share of the zone's consumption (the IEA's collective actions), of its net imports, or by fixed shares."`
	Shares          []ResponseShare `yaml:"shares" json:"shares,omitzero" doc:"key fixed: each party's share; they must sum to 1."`
	DemandRestraint dec.Decimal     `yaml:"demand_restraint" json:"demand_restraint,omitzero" doc:"Share of each party's normal monthly consumption given up in a collective crisis (the IEP's 7%, Art. 13), before stocks are drawn; none when omitted."`
	RestraintSteps  []RestraintStep `yaml:"restraint_steps" json:"restraint_steps,omitzero" doc:"Deeper restraint in deeper crises: from a zone loss of at least from, the share restraint (the IEP's 10% from a 12% loss, Art. 14); in increasing order of from."`
	Allocation      bool            `yaml:"allocation" json:"allocation,omitzero" doc:"True: allocation rights and obligations between parties so that each bears the same share of the uncovered loss (IEP Arts. 7–10), and, on a single party's trigger, its loss above the threshold is supplied by the others."`
	Basis           string          `yaml:"basis" json:"basis" required:"true" doc:"Article that sets the response."`
}

// RestraintStep is a level of demand restraint and the zone loss from
// which it applies.
type RestraintStep struct {
	From      dec.Decimal `yaml:"from" json:"from" required:"true" doc:"The zone's loss, as a share of its supply, from which the step applies (0.12 is 12%)."`
	Restraint dec.Decimal `yaml:"restraint" json:"restraint" required:"true" doc:"The share of each party's supply given up."`
}

// RestraintAt returns the share of supply restrained when the zone loses
// loss of supply: the last step whose from it reaches, else the base level.
func (r *CrisisResponse) RestraintAt(loss, supply dec.Decimal) dec.Decimal {
	out := r.DemandRestraint
	for _, st := range r.RestraintSteps {
		if loss.Cmp(st.From.Mul(supply)) >= 0 {
			out = st.Restraint
		}
	}
	return out
}

// ResponseShare is a party's fixed share of a collective release.
type ResponseShare struct {
	Party string      `yaml:"party" json:"party" required:"true" doc:"Party."`
	Share dec.Decimal `yaml:"share" json:"share" required:"true" doc:"Its share, between 0 and 1."`
}

// ReleaseLimits bound what a party may release.
type ReleaseLimits struct {
	MaxMonthly dec.Decimal `yaml:"max_monthly" json:"max_monthly" required:"true" doc:"Most a party releases in one month, as a share of its stock (0.25: a quarter a month): the stock it held when the crisis began, or, with of: current, the stock at the start of the month."`
	Of         string      `yaml:"of" json:"of,omitzero" enum:"crisis_start|current" doc:"Which stock max_monthly is a share of: crisis_start (the default) or current."`
	Keep       dec.Decimal `yaml:"keep" json:"keep,omitzero" doc:"Share of that stock never released (a strategic reserve); none when omitted."`
	Basis      string      `yaml:"basis" json:"basis" required:"true" doc:"Article that sets the limits."`
}

// Replenishment rebuilds stocks after a crisis.
type Replenishment struct {
	AfterMonths  int         `yaml:"after_months" json:"after_months" required:"true" doc:"Months after the last month of crisis before purchases start."`
	MaxMonthly   dec.Decimal `yaml:"max_monthly" json:"max_monthly" required:"true" doc:"Most bought in one month, as a share of the stock held when the crisis began."`
	PriceCeiling dec.Decimal `yaml:"price_ceiling" json:"price_ceiling,omitzero" doc:"Bought only in months whose market price (agreement currency per tonne) is at or below this; no ceiling when omitted."`
	Basis        string      `yaml:"basis" json:"basis" required:"true" doc:"Article that sets replenishment."`
}

// StockMeasure is the flow an obligation counts days of.
type StockMeasure string

// The measures.
const (
	NetImports  StockMeasure = "net_imports"
	Consumption StockMeasure = "consumption"
)

// StockMeasures lists every measure.
var StockMeasures = []StockMeasure{NetImports, Consumption}

// ResponseKey is how a collective release is shared.
type ResponseKey string

// The keys.
const (
	ByConsumption ResponseKey = "consumption"
	ByNetImports  ResponseKey = "net_imports"
	ByFixedShares ResponseKey = "fixed"
)

// ResponseKeys lists every key.
var ResponseKeys = []ResponseKey{ByConsumption, ByNetImports, ByFixedShares}

// StockRegime returns the stockholding regime of a mineral at a stage, or
// nil if the agreement has none.
func (a *Agreement) StockRegime(mineral string, stage registry.Stage) *Stockpile {
	for i := range a.Stockpiles {
		if s := &a.Stockpiles[i]; s.Mineral == mineral && s.Stage == stage {
			return s
		}
	}
	return nil
}

// ObligationRule is a party's obligation under a regime, its own entry
// merged over the common one.
type ObligationRule struct {
	Party              string       `json:"party"`
	Exempt             bool         `json:"exempt,omitzero"`
	Measure            StockMeasure `json:"measure"`
	Days               int          `json:"days"`
	ConsumptionDays    int          `json:"consumption_days,omitzero"`
	Minimum            dec.Decimal  `json:"minimum"`
	PublicShare        dec.Decimal  `json:"public_share"`
	ExemptNetExporters bool         `json:"exempt_net_exporters,omitzero"`
	Basis              string       `json:"basis"`
}

// ObligationOf returns party's obligation under s: the common obligation,
// overridden field by field by the party's own entry.
func (s *Stockpile) ObligationOf(party string) ObligationRule {
	o := s.Obligation
	r := ObligationRule{Party: party, Measure: o.Measure, Days: o.Days, ConsumptionDays: o.ConsumptionDays, Minimum: o.Minimum, PublicShare: o.PublicShare,
		ExemptNetExporters: o.ExemptNetExporters, Basis: o.Basis}
	for _, p := range s.Parties {
		if p.Party != party {
			continue
		}
		r.Exempt, r.Basis = p.Exempt, p.Basis
		if p.Measure != "" {
			r.Measure = p.Measure
		}
		if p.Days != 0 {
			r.Days = p.Days
		}
		if p.ConsumptionDays != 0 {
			r.ConsumptionDays = p.ConsumptionDays
		}
		if !p.Minimum.IsZero() {
			r.Minimum = p.Minimum
		}
		if !p.PublicShare.IsZero() {
			r.PublicShare = p.PublicShare
		}
	}
	return r
}

// FormCounts returns the share of a form's tonnes that counts, and false if
// the form does not count at all.
func (s *Stockpile) FormCounts(form string) (dec.Decimal, bool) {
	for _, f := range s.Forms {
		if f.Form == form {
			return f.Counts, true
		}
	}
	return dec.Zero, false
}

// FixedShare returns party's fixed share of a collective release (key fixed).
func (s *Stockpile) FixedShare(party string) dec.Decimal {
	for _, sh := range s.Response.Shares {
		if sh.Party == party {
			return sh.Share
		}
	}
	return dec.Zero
}

// stockpiles checks the regimes: one per mineral and stage in scope, parties
// of the agreement, shares between 0 and 1, fixed shares summing to one.
func (v *validator) stockpiles() {
	seen := map[string]bool{}
	for i, s := range v.a.Stockpiles {
		p := fmt.Sprintf("stockpiles[%d]", i)
		v.inScope(p, s.Mineral, s.Stage, true)
		if k := s.Mineral + "/" + string(s.Stage); s.Mineral != "" && seen[k] {
			v.add(p+".stage", "a second regime for %s: one per mineral and stage", k)
		} else {
			seen[k] = true
		}
		v.basis(p+".basis", s.Basis)
		o := s.Obligation
		v.basis(p+".obligation.basis", o.Basis)
		if o.Days < 0 || o.ConsumptionDays < 0 {
			v.add(p+".obligation.days", "days and consumption_days must be ≥ 0, got %d and %d", o.Days, o.ConsumptionDays)
		}
		v.nonNegative(p+".obligation.minimum", o.Minimum)
		v.share(p+".obligation.public_share", o.PublicShare, true)
		parties := map[string]bool{}
		for j, po := range s.Parties {
			pp := fmt.Sprintf("%s.parties[%d]", p, j)
			v.partyOnce(pp+".party", po.Party, parties, "entries")
			if po.Days < 0 || po.ConsumptionDays < 0 {
				v.add(pp+".days", "days and consumption_days must be ≥ 0, got %d and %d", po.Days, po.ConsumptionDays)
			}
			v.nonNegative(pp+".minimum", po.Minimum)
			v.share(pp+".public_share", po.PublicShare, true)
			v.basis(pp+".basis", po.Basis)
		}
		forms := map[string]bool{}
		for j, f := range s.Forms {
			fp := fmt.Sprintf("%s.forms[%d]", p, j)
			if forms[f.Form] {
				v.add(fp+".form", "form %q is listed twice", f.Form)
			}
			forms[f.Form] = true
			if f.Counts.Sign() <= 0 || f.Counts.Cmp(dec.FromInt(10)) > 0 {
				v.add(fp+".counts", "must be above 0 and at most 10 (0.9 counts 90%%; 1.065 converts to an equivalent), got %s", f.Counts)
			}
			v.basis(fp+".basis", f.Basis)
		}
		v.share(p+".unavailable", s.Unavailable, false)
		t := s.Triggers
		v.basis(p+".triggers.basis", t.Basis)
		v.positiveShare(p+".triggers.collective", t.Collective, " of supply", "0.07 is 7%")
		if !t.Single.IsZero() {
			v.positiveShare(p+".triggers.single", t.Single, " of supply", "0.07 is 7%")
		}
		r := s.Response
		v.basis(p+".response.basis", r.Basis)
		v.share(p+".response.demand_restraint", r.DemandRestraint, false)
		for j, st := range r.RestraintSteps {
			sp := fmt.Sprintf("%s.response.restraint_steps[%d]", p, j)
			v.positiveShare(sp+".from", st.From, " of supply", "0.12 is 12%")
			v.share(sp+".restraint", st.Restraint, false)
			if j > 0 && st.From.Cmp(r.RestraintSteps[j-1].From) <= 0 {
				v.add(sp+".from", "steps must be in increasing order of from: %s after %s", st.From, r.RestraintSteps[j-1].From)
			}
		}
		if r.Key == ByFixedShares {
			sum := dec.Zero
			named := map[string]bool{}
			for j, sh := range r.Shares {
				sp := fmt.Sprintf("%s.response.shares[%d]", p, j)
				v.partyOnce(sp+".party", sh.Party, named, "shares")
				v.share(sp+".share", sh.Share, true)
				sum = sum.Add(sh.Share)
			}
			if sum.Cmp(dec.One) != 0 {
				v.add(p+".response.shares", "release shares sum to %s, want 1", sum)
			}
		} else if len(r.Shares) > 0 {
			v.add(p+".response.shares", "shares are for key fixed; key %s computes them", r.Key)
		}
		l := s.Release
		v.basis(p+".release.basis", l.Basis)
		v.positiveShare(p+".release.max_monthly", l.MaxMonthly, " of stock", "0.25 is a quarter a month")
		v.share(p+".release.keep", l.Keep, false)
		if rp := s.Replenish; rp != nil {
			v.basis(p+".replenishment.basis", rp.Basis)
			if rp.AfterMonths < 0 {
				v.add(p+".replenishment.after_months", "must be ≥ 0, got %d", rp.AfterMonths)
			}
			v.positiveShare(p+".replenishment.max_monthly", rp.MaxMonthly, " of stock", "0.05 is a twentieth a month")
			v.nonNegative(p+".replenishment.price_ceiling", rp.PriceCeiling)
		}
		v.nonNegative(p+".carrying_cost", s.CarryingCost)
	}
}

// positiveShare checks that x is a share above 0 and at most 1.
func (v *validator) positiveShare(path string, x dec.Decimal, of, example string) {
	if x.Sign() <= 0 || x.Cmp(dec.One) > 0 {
		v.add(path, "must be a share%s above 0 and at most 1 (%s), got %s", of, example, x)
	}
}

// partyOnce checks a party named in a list: a party of the agreement, named
// once (seen records the names so far).
func (v *validator) partyOnce(path, id string, seen map[string]bool, what string) {
	v.party(path, id)
	if seen[id] {
		v.add(path, "party %q has two %s", id, what)
	}
	seen[id] = true
}

func (v *validator) party(path, id string) {
	if id != "" && !v.parties[id] {
		v.add(path, "party %q is not a party to the agreement%s", id, didYouMean(id, keys(v.parties)))
	}
}

func (v *validator) nonNegative(path string, x dec.Decimal) {
	if x.Sign() < 0 {
		v.add(path, "must be ≥ 0, got %s", x)
	}
}

// share checks that x is a share: 0 to 1 (above 0 if positive).
func (v *validator) share(path string, x dec.Decimal, inclusiveOne bool) {
	if x.Sign() < 0 || x.Cmp(dec.One) > 0 || !inclusiveOne && x.Cmp(dec.One) == 0 {
		want := "between 0 and 1"
		if !inclusiveOne {
			want = "at least 0 and below 1"
		}
		v.add(path, "must be a share %s, got %s", want, x)
	}
}

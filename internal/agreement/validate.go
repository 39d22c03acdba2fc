package agreement

import (
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Validate checks everything decoding cannot: cross-references (an instrument
// names a mineral and stage in scope, a basis names an article, countries,
// currencies, units and HS codes exist), ranges and the order of dates. It
// reports every problem at once, each at the place src records for its path.
func Validate(a *Agreement, src *Source, cat Catalog) problem.List {
	v := &validator{a: a, src: src, cat: cat, articles: map[string]bool{}, scope: map[string]map[registry.Stage]bool{}}
	v.run()
	return v.errs
}

type validator struct {
	a        *Agreement
	src      *Source
	cat      Catalog
	errs     problem.List
	articles map[string]bool
	scope    map[string]map[registry.Stage]bool // mineral → stage → in scope
	parties  map[string]bool
}

func (v *validator) add(path, format string, args ...any) {
	v.errs.Add(v.src.Pos(path), path, format, args...)
}

// check adds err (from the catalog) at path, if any.
func (v *validator) check(path string, err error) {
	if err != nil {
		msg := err.Error()
		var pe *problem.Error
		if errors.As(err, &pe) {
			msg = pe.Message
		}
		v.add(path, "%s", msg)
	}
}

func (v *validator) run() {
	a := v.a
	if a.Version != 0 && a.Version != FormatVersion {
		v.add("version", "version %d is not supported: this build reads version %d", a.Version, FormatVersion)
	}
	if a.Currency != "" {
		v.check("currency", v.cat.Currency(a.Currency))
	}
	if !a.SignedOn.IsZero() && !a.EntryIntoForce.IsZero() && a.EntryIntoForce.Before(a.SignedOn) {
		v.add("entry_into_force", "entry into force %s is before signature %s", a.EntryIntoForce, a.SignedOn)
	}
	for i, art := range a.Articles {
		p := fmt.Sprintf("articles[%d]", i)
		if art.ID != "" && v.articles[art.ID] {
			v.add(p+".id", "duplicate article id %q", art.ID)
		}
		v.articles[art.ID] = true
	}
	v.minerals()
	v.groups()
	v.partyList()
	v.stockpiles()
	v.screening()
	v.membership()
	v.amendments()
}

func (v *validator) basis(path, id string) {
	if id != "" && !v.articles[id] {
		v.add(path, "basis %q names no article of the agreement%s", id, didYouMean(id, keys(v.articles)))
	}
}

func (v *validator) minerals() {
	for i, m := range v.a.Minerals {
		p := fmt.Sprintf("minerals[%d]", i)
		if m.ID == "" {
			continue
		}
		if v.scope[m.ID] != nil {
			v.add(p+".id", "mineral %q is in scope twice", m.ID)
			continue
		}
		v.check(p+".id", v.cat.Mineral(m.ID))
		v.scope[m.ID] = map[registry.Stage]bool{}
		for j, s := range m.Stages {
			sp := fmt.Sprintf("%s.stages[%d]", p, j)
			if v.scope[m.ID][s.Stage] {
				v.add(sp+".stage", "stage %q of %s is in scope twice", s.Stage, m.ID)
			}
			v.scope[m.ID][s.Stage] = true
			for k, code := range s.HS {
				v.hsOf(fmt.Sprintf("%s.hs[%d]", sp, k), code, m.ID, string(s.Stage))
			}
			if s.Unit != "" {
				v.check(sp+".unit", v.cat.Unit(s.Unit))
			}
		}
		for j, s := range m.Stages {
			v.price(fmt.Sprintf("%s.stages[%d].price", p, j), m, s.Price)
		}
		v.chainCycles(p, m)
	}
}

func (v *validator) price(p string, m Mineral, r PriceRule) {
	v.basis(p+".basis", r.Basis)
	v.precision(p, r)
	need := func(name string, ok bool) {
		if !ok {
			v.add(p+"."+name, "method %s needs %s", r.Method, name)
		}
	}
	nonNegative := func(name string, x dec.Decimal) {
		if x.Sign() < 0 {
			v.add(p+"."+name, "must be ≥ 0, got %s", x)
		}
	}
	switch r.Method {
	case CostCurve:
		need("curve", r.Curve != "")
		need("percentile", !r.Percentile.IsZero())
		if r.Percentile.Sign() < 0 || r.Percentile.Cmp(dec.FromInt(100)) > 0 {
			v.add(p+".percentile", "percentile must be between 0 and 100, got %s", r.Percentile)
		}
		need("producers", r.Producers != "")
		need("life_years", r.LifeYears > 0)
		nonNegative("base_rate", r.BaseRate)
		nonNegative("capital_intensity", r.CapitalIntensity)
		for k, c := range r.Exclude {
			v.check(fmt.Sprintf("%s.exclude[%d]", p, k), v.cat.Country(c))
		}
		if r.Risk != nil {
			nonNegative("risk.slope", r.Risk.Slope)
			nonNegative("risk.max", r.Risk.Max)
		}
	case MarketAverage:
		need("series", r.Series != "")
		need("months", r.Months > 0)
		need("factor", r.Factor.Sign() > 0)
		nonNegative("discount", r.Discount)
		if r.Months < 0 || r.Months > 240 {
			v.add(p+".months", "months must be between 1 and 240, got %d", r.Months)
		}
	case StageChain:
		need("from", r.From != "")
		if r.From != "" && v.scope[m.ID] != nil && !v.scope[m.ID][r.From] {
			v.add(p+".from", "upstream stage %q of %s is not in scope", r.From, m.ID)
		}
		need("input_per_output", r.InputPerOutput.Sign() > 0)
		nonNegative("conversion_cost", r.ConversionCost)
		nonNegative("margin", r.Margin)
	case Negotiated:
		need("price", r.Price.Sign() > 0)
		need("agreed_on", !r.AgreedOn.IsZero())
	case Band:
		need("floor", r.Floor.Sign() > 0)
		need("ceiling", r.Ceiling.Sign() > 0)
		if r.Floor.Sign() > 0 && r.Ceiling.Cmp(r.Floor) <= 0 {
			v.add(p+".ceiling", "ceiling %s must be above the floor %s", r.Ceiling, r.Floor)
		}
	}
	rv := r.Revision
	if rv.Collar.Sign() < 0 || rv.Collar.Cmp(dec.One) > 0 {
		v.add(p+".revision.collar", "collar must be between 0 and 1, got %s", rv.Collar)
	}
	nonNegative("revision.minimum", rv.Minimum)
	if rv.LagDays < 0 || rv.LagDays > 366 {
		v.add(p+".revision.lag_days", "lag_days must be between 0 and 366, got %d", rv.LagDays)
	}
}

// hsOf checks that code is a known tariff line that carries mineral at stage,
// so that an instrument or a stage never names another mineral's goods.
func (v *validator) hsOf(path, code, mineral, stage string) {
	if err := v.cat.HS(code); err != nil {
		v.check(path, err)
		return
	}
	if mineral != "" && v.scope[mineral] != nil && !v.cat.Carries(code, mineral, stage) {
		at := mineral
		if stage != "" {
			at += " at stage " + stage
		}
		v.add(path, "HS code %s does not carry %s in the registry's HS map", code, at)
	}
}

// chainCycles reports stage chains that lead back to themselves: a floor
// derived, however indirectly, from itself has no value.
func (v *validator) chainCycles(p string, m Mineral) {
	from := map[registry.Stage]registry.Stage{}
	for _, s := range m.Stages {
		if s.Price.Method == StageChain && s.Price.From != "" {
			from[s.Stage] = s.Price.From
		}
	}
	for j, s := range m.Stages {
		seen := map[registry.Stage]bool{s.Stage: true}
		for at := from[s.Stage]; at != ""; at = from[at] {
			if seen[at] {
				v.add(fmt.Sprintf("%s.stages[%d].price.from", p, j), "stage chain of %s/%s leads back to stage %s: a floor cannot derive from itself", m.ID, s.Stage, at)
				break
			}
			seen[at] = true
		}
	}
}

func (v *validator) groups() {
	for i, g := range v.a.MineralGroups {
		for j, m := range g.Minerals {
			if v.scope[m] == nil {
				v.add(fmt.Sprintf("mineral_groups[%d].minerals[%d]", i, j), "mineral %q is not in scope", m)
			}
		}
	}
}

func (v *validator) inScope(path, mineral string, stage registry.Stage, stageRequired bool) {
	if mineral == "" {
		return
	}
	st := v.scope[mineral]
	if st == nil {
		v.add(path+".mineral", "mineral %q is not in scope of the agreement%s", mineral, didYouMean(mineral, keys(v.scope)))
		return
	}
	if stage == "" {
		if stageRequired {
			v.add(path+".stage", "missing stage")
		}
		return
	}
	if !st[stage] {
		v.add(path+".stage", "stage %q of %s is not in scope", stage, mineral)
	}
}

func (v *validator) partyList() {
	v.parties = map[string]bool{}
	for i, p := range v.a.Parties {
		pp := fmt.Sprintf("parties[%d]", i)
		if p.ID == "" {
			continue
		}
		if v.parties[p.ID] {
			v.add(pp+".id", "party %q is listed twice", p.ID)
		}
		v.parties[p.ID] = true
		v.check(pp+".id", v.cat.Country(p.ID))
		if p.Currency != "" {
			if err := v.cat.Currency(p.Currency); err != nil {
				v.check(pp+".currency", err)
			} else if p.ExchangeRate.Source != "" {
				v.check(pp+".currency", v.cat.Rates(string(p.ExchangeRate.Source), p.Currency))
			}
		}
		v.basis(pp+".basis", p.Basis)
		v.basis(pp+".valuation.basis", p.Valuation.Basis)
		if !p.Accession.IsZero() && !v.a.EntryIntoForce.IsZero() && p.Accession.Before(v.a.EntryIntoForce) {
			v.add(pp+".accession", "accession %s is before the entry into force %s", p.Accession, v.a.EntryIntoForce)
		}
		if !p.Withdrawal.IsZero() && !p.Withdrawal.After(p.Accession) {
			v.add(pp+".withdrawal", "withdrawal %s is not after accession %s", p.Withdrawal, p.Accession)
		}
		if fi := p.Valuation.DefaultFreightInsurance; fi.Sign() < 0 || fi.Cmp(dec.One) > 0 {
			v.add(pp+".valuation.default_freight_insurance", "must be between 0 and 1, got %s", fi)
		}
		v.roundRule(pp+".rounding.places", p.Rounding.Places)
		if r := p.Rounding.Value; r != nil {
			v.roundRule(pp+".rounding.value.places", r.Places)
		}
		if r := p.Rounding.PerUnit; r != nil {
			v.roundRule(pp+".rounding.per_unit.places", r.Places)
		}
		v.exchangeRule(pp+".exchange_rate", p.ExchangeRate)
		for k, t := range p.Order {
			if slices.Index(p.Order, t) < k {
				v.add(fmt.Sprintf("%s.order[%d]", pp, k), "%s is listed twice in the order", t)
			}
		}
		ids := map[string]bool{}
		for j, in := range p.Instruments {
			ip := fmt.Sprintf("%s.instruments[%d]", pp, j)
			if ids[in.ID] {
				v.add(ip+".id", "instrument id %q is used twice in party %s", in.ID, p.ID)
			}
			if strings.ContainsAny(in.ID, ";:=,\"") {
				// The CSV form of the duty lines (type:measure=amount;...) must read back.
				v.add(ip+".id", "instrument id %q has one of ; : = , \" which the duty lines' CSV form uses as separators", in.ID)
			}
			ids[in.ID] = true
			v.instrument(ip, in)
			if in.Type == Safeguard && in.Quota != "" && !slices.ContainsFunc(p.Instruments, func(q Instrument) bool { return q.ID == in.Quota && q.Type == TariffRateQuota }) {
				v.add(ip+".quota", "%q is not a tariff_rate_quota of party %s", in.Quota, p.ID)
			}
		}
		v.duplicates(pp, p)
		v.profile(pp, p)
	}
}

// roundRule checks the places of a rounding rule: -6 (to a million) to 6.
func (v *validator) roundRule(path string, places int) {
	if places < -6 || places > 6 {
		v.add(path, "places must be between -6 and 6, got %d (-2 rounds to 100 units, 2 to the cent)", places)
	}
}

// exchangeRule checks that a party's exchange-rate rule has what its source needs.
func (v *validator) exchangeRule(p string, r ExchangeRule) {
	switch r.Source {
	case FREDMonthly:
		if r.Month == "" {
			v.add(p+".month", "fred_monthly needs month: acceptance or previous")
		}
		if r.Table != "" || r.Rule != "" {
			v.add(p+".table", "table and rule belong to source customs_table")
		}
	case CustomsTable:
		if r.Table == "" {
			v.add(p+".table", "customs_table needs the path of the party's rate table (docs/customs-rates.md)")
		}
		if r.Rule == "" {
			v.add(p+".rule", "customs_table needs a rule: day, month or penultimate_wednesday")
		}
		if r.Month != "" {
			v.add(p+".month", "month belongs to source fred_monthly; customs_table has rule")
		}
	}
}

// duplicates rejects two measures of a party that are the same measure twice
// (every field equal but the id and the article, in force on a common day),
// which stacking would charge twice, and two phase-ins on the same lines at
// once, which would leave the share of the duties undecided. Two different
// variable duties both apply (duty stacks them, each its own line).
func (v *validator) duplicates(pp string, p Party) {
	for j := range p.Instruments {
		a := &p.Instruments[j]
		for k := range j {
			b := &p.Instruments[k]
			if a.Type != b.Type || a.Mineral != b.Mineral || a.Stage != b.Stage || !overlap(a, b) || !sameLines(a.HS, b.HS) {
				continue
			}
			ip := fmt.Sprintf("%s.instruments[%d]", pp, j)
			switch {
			case sameMeasure(a, b):
				v.add(ip, "instrument %s repeats instrument %s (same type, lines, origins and duty, in force on common days): stacked, it would be charged twice; remove one", a.ID, b.ID)
			case a.Type == PhaseIn:
				v.add(ip, "instrument %s is a second phase_in on the lines of %s in force on common days: a line has one share of its duties; merge them or separate their lines or dates", a.ID, b.ID)
			}
		}
	}
}

// overlap reports whether two instruments are in force on a common day
// (open bounds default to the party's accession and to never).
func overlap(a, b *Instrument) bool {
	before := func(until, from date.Date) bool { return !until.IsZero() && !from.IsZero() && !until.After(from) }
	return !before(a.Until, b.From) && !before(b.Until, a.From)
}

func sameLines(a, b []string) bool {
	x, y := slices.Clone(a), slices.Clone(b)
	slices.Sort(x)
	slices.Sort(y)
	return slices.Equal(x, y)
}

// sameMeasure reports whether a and b differ only by id, article and dates.
func sameMeasure(a, b *Instrument) bool {
	x, y := *a, *b
	x.ID, y.ID, x.Basis, y.Basis = "", "", "", ""
	x.From, y.From, x.Until, y.Until = date.Date{}, date.Date{}, date.Date{}, date.Date{}
	x.HS, y.HS = nil, nil
	jx, errx := json.Marshal(x)
	jy, erry := json.Marshal(y)
	return errx == nil && erry == nil && string(jx) == string(jy)
}

// fieldsByType lists the optional fields each instrument type may set; any
// other set field is an error, so a misplaced parameter never goes unnoticed.
var fieldsByType = map[InstrumentType][]string{
	MFN:               {"rate", "duty"},
	VariableDuty:      {"cap", "party_origin"},
	NonPartySurcharge: {"rate", "duty", "exempt"},
	TariffRateQuota:   {"rate", "duty", "volume", "period", "allocation", "critical_at", "origins"},
	Preference:        {"rate", "duty", "origins", "scheme"},
	AdditionalDuty:    {"rate", "duty", "origins", "exempt"},
	AntiDumping:       {"origins", "exporters", "all_others"},
	Countervailing:    {"origins", "exporters", "all_others"},
	Safeguard:         {"origins", "exempt", "schedule", "quota"},
	Fee:               {"rate", "duty", "exempt", "entry_minimum", "entry_maximum"},
	Undertaking:       {"exporter", "minimum_price"},
	PhaseIn:           {"steps"},
}

func setFields(in Instrument) []string {
	var s []string
	if in.Rate != nil {
		s = append(s, "rate")
	}
	if in.Cap != nil {
		s = append(s, "cap")
	}
	if in.PartyOrigin != nil {
		s = append(s, "party_origin")
	}
	if len(in.Exempt) > 0 {
		s = append(s, "exempt")
	}
	if in.Volume != nil {
		s = append(s, "volume")
	}
	if in.Period != nil {
		s = append(s, "period")
	}
	if in.Allocation != "" {
		s = append(s, "allocation")
	}
	if !in.CriticalAt.IsZero() {
		s = append(s, "critical_at")
	}
	if len(in.Origins) > 0 {
		s = append(s, "origins")
	}
	if in.Exporter != nil {
		s = append(s, "exporter")
	}
	if in.MinimumPrice != nil {
		s = append(s, "minimum_price")
	}
	if len(in.Steps) > 0 {
		s = append(s, "steps")
	}
	for _, f := range []struct {
		name string
		set  bool
	}{{"duty", in.Duty != ""}, {"scheme", in.Scheme != ""}, {"exporters", len(in.Exporters) > 0}, {"all_others", in.AllOthers != ""},
		{"schedule", len(in.Schedule) > 0}, {"quota", in.Quota != ""}, {"entry_minimum", in.EntryMinimum != nil}, {"entry_maximum", in.EntryMaximum != nil}} {
		if f.set {
			s = append(s, f.name)
		}
	}
	return s
}

func (v *validator) instrument(p string, in Instrument) {
	v.basis(p+".basis", in.Basis)
	allowed, known := fieldsByType[in.Type]
	if known {
		for _, f := range setFields(in) {
			if !slices.Contains(allowed, f) {
				v.add(p+"."+f, "field %q does not apply to a %s instrument (it takes: %s)", f, in.Type, strings.Join(allowed, ", "))
			}
		}
	}
	lineBased := in.Type.LineBased()
	switch {
	case in.Mineral == "" && in.Type == Fee && len(in.HS) == 0:
		// A fee without mineral or lines is charged on every entry.
	case in.Mineral == "" && !(lineBased && len(in.HS) > 0):
		v.add(p+".mineral", "a %s instrument needs a mineral (a measure that stacks, a preference or a quota may name tariff lines instead)", in.Type)
	case in.Mineral == "" && in.Stage != "":
		v.add(p+".stage", "a stage needs a mineral")
	}
	stageRequired := in.Type != PhaseIn && in.Type != NonPartySurcharge && !in.Type.Stacks() && in.Type != Preference
	v.inScope(p, in.Mineral, in.Stage, stageRequired)
	for k, code := range in.HS {
		if in.Mineral == "" {
			v.check(fmt.Sprintf("%s.hs[%d]", p, k), v.cat.HS(code))
			continue
		}
		v.hsOf(fmt.Sprintf("%s.hs[%d]", p, k), code, in.Mineral, string(in.Stage))
	}
	if !in.From.IsZero() && !in.Until.IsZero() && !in.Until.After(in.From) {
		v.add(p+".until", "until %s is not after from %s", in.Until, in.From)
	}
	if in.Rate != nil && in.Duty != "" {
		v.add(p+".duty", "a %s instrument has a rate or a duty, not both", in.Type)
	}
	for k, c := range in.Exempt {
		v.check(fmt.Sprintf("%s.exempt[%d]", p, k), v.cat.Country(c))
	}
	for k, c := range in.Origins {
		v.origin(fmt.Sprintf("%s.origins[%d]", p, k), c)
	}
	v.duty(p+".duty", in.Duty)
	switch in.Type {
	case MFN, NonPartySurcharge, AdditionalDuty, Fee, Preference:
		if in.Rate == nil && in.Duty == "" {
			v.add(p+".rate", "a %s instrument needs a rate or a duty", in.Type)
		}
		if in.Type == Preference && len(in.Origins) == 0 {
			v.add(p+".origins", "a preference needs the origins it is granted to")
		}
		if in.Type == Fee {
			v.fee(p, in)
		}
	case AntiDumping, Countervailing:
		if len(in.Origins) == 0 {
			v.add(p+".origins", "a%s %s duty needs the origins of the proceeding", map[bool]string{true: "n", false: ""}[in.Type == AntiDumping], in.Type)
		}
		if len(in.Exporters) == 0 && in.AllOthers == "" {
			v.add(p+".all_others", "a %s duty needs exporters or an all_others duty", in.Type)
		}
		seen := map[string]bool{}
		for k, e := range in.Exporters {
			ep := fmt.Sprintf("%s.exporters[%d]", p, k)
			if seen[e.ID] {
				v.add(ep+".id", "exporter %q is listed twice", e.ID)
			}
			seen[e.ID] = true
			v.duty(ep+".duty", e.Duty)
		}
		v.duty(p+".all_others", in.AllOthers)
	case Safeguard:
		if len(in.Schedule) == 0 {
			v.add(p+".schedule", "a safeguard needs a schedule: its duty from each date")
		}
		for k, st := range in.Schedule {
			sp := fmt.Sprintf("%s.schedule[%d]", p, k)
			if k > 0 && !st.From.After(in.Schedule[k-1].From) {
				v.add(sp+".from", "steps must be in date order: %s is not after %s", st.From, in.Schedule[k-1].From)
			}
			v.duty(sp+".duty", st.Duty)
		}
	case VariableDuty:
		if o := in.PartyOrigin; o != nil {
			if o.Treatment == "reduced" && (o.Factor.Sign() <= 0 || o.Factor.Cmp(dec.One) >= 0) {
				v.add(p+".party_origin.factor", "a reduced treatment needs a factor between 0 and 1 (exclusive), got %s", o.Factor)
			}
			if o.Treatment != "reduced" && !o.Factor.IsZero() {
				v.add(p+".party_origin.factor", "factor applies only to treatment reduced")
			}
		}
	case TariffRateQuota:
		if in.Rate == nil && in.Duty == "" {
			v.add(p+".rate", "a tariff_rate_quota needs its in-quota rate")
		}
		if in.Volume == nil {
			v.add(p+".volume", "a tariff_rate_quota needs a volume")
		} else if in.Volume.Value.Sign() <= 0 {
			v.add(p+".volume.value", "volume must be > 0, got %s", in.Volume.Value)
		}
		if in.Period == nil {
			v.add(p+".period", "a tariff_rate_quota needs a period")
		}
		if in.Allocation == "" {
			v.add(p+".allocation", "a tariff_rate_quota needs an allocation rule (first_come or pro_rata_same_day)")
		}
		if c := in.CriticalAt; c.Sign() < 0 || c.Cmp(dec.One) >= 0 {
			v.add(p+".critical_at", "critical_at must be a share between 0 and 1, got %s", c)
		}
	case Undertaking:
		if in.Exporter == nil {
			v.add(p+".exporter", "an undertaking needs its exporter")
		} else if in.Exporter.Country != "" {
			v.check(p+".exporter.country", v.cat.Country(in.Exporter.Country))
		}
		if in.MinimumPrice == nil {
			v.add(p+".minimum_price", "an undertaking needs a minimum price")
		} else {
			v.money(p+".minimum_price", in.MinimumPrice.Amount, in.MinimumPrice.Currency, in.MinimumPrice.Per, true)
		}
	case PhaseIn:
		if len(in.Steps) == 0 {
			v.add(p+".steps", "a phase_in needs at least one step")
		}
		var last date.Date
		lastShare := dec.Zero
		for k, s := range in.Steps {
			sp := fmt.Sprintf("%s.steps[%d]", p, k)
			if s.Share.Sign() < 0 || s.Share.Cmp(dec.One) > 0 {
				v.add(sp+".share", "share must be between 0 and 1, got %s", s.Share)
			}
			if k > 0 && !s.From.After(last) {
				v.add(sp+".from", "steps must be in date order: %s is not after %s", s.From, last)
			}
			if k > 0 && s.Share.Cmp(lastShare) < 0 {
				v.add(sp+".share", "a phase-in may not fall back: %s is below the previous %s", s.Share, lastShare)
			}
			last, lastShare = s.From, s.Share
		}
	}
	if in.Rate != nil {
		v.rate(p+".rate", *in.Rate)
	}
	if in.Cap != nil {
		v.rate(p+".cap", *in.Cap)
	}
}

// fee checks a fee's bounds per entry.
func (v *validator) fee(p string, in Instrument) {
	for _, m := range []struct {
		name string
		m    *Money
	}{{"entry_minimum", in.EntryMinimum}, {"entry_maximum", in.EntryMaximum}} {
		if m.m != nil {
			v.money(p+"."+m.name, m.m.Amount, m.m.Currency, "", false)
		}
	}
	if lo, hi := in.EntryMinimum, in.EntryMaximum; lo != nil && hi != nil && lo.Currency == hi.Currency && lo.Amount.Cmp(hi.Amount) > 0 {
		v.add(p+".entry_minimum", "entry_minimum %s is above entry_maximum %s", lo.Amount, hi.Amount)
	}
}

// origin checks an origin of a measure: a country, a customs union or a party.
func (v *validator) origin(path, c string) {
	if !v.parties[c] {
		v.check(path, v.cat.Country(c))
	}
}

func (v *validator) rate(p string, r Rate) {
	hasAV, hasSp := !r.AdValorem.IsZero() || r.Kind == "ad_valorem", r.Specific != nil
	switch r.Kind {
	case "ad_valorem":
		if hasSp {
			v.add(p+".specific", "an ad_valorem rate has no specific part (use kind compound or mixed)")
		}
	case "specific":
		if !hasSp {
			v.add(p+".specific", "a specific rate needs specific")
		}
		if !r.AdValorem.IsZero() {
			v.add(p+".ad_valorem", "a specific rate has no ad valorem part (use kind compound or mixed)")
		}
	case "compound", "mixed":
		if !hasSp {
			v.add(p+".specific", "a %s rate needs specific", r.Kind)
		}
		if !hasAV {
			v.add(p+".ad_valorem", "a %s rate needs ad_valorem", r.Kind)
		}
	}
	if r.Kind == "mixed" && r.Combine == "" {
		v.add(p+".combine", "a mixed rate needs combine: higher or lower")
	}
	if r.Kind != "mixed" && r.Combine != "" {
		v.add(p+".combine", "combine applies only to a mixed rate")
	}
	if r.AdValorem.Sign() < 0 {
		v.add(p+".ad_valorem", "must be ≥ 0, got %s", r.AdValorem)
	}
	if r.AdValorem.Cmp(dec.FromInt(10)) > 0 {
		v.add(p+".ad_valorem", "%s is a fraction above 10 (1000%%): write 0.05 for 5%%", r.AdValorem)
	}
	if r.Specific != nil {
		v.money(p+".specific", r.Specific.Amount, r.Specific.Currency, r.Specific.Per, false)
	}
	if r.Minimum != nil {
		v.money(p+".minimum", r.Minimum.Amount, r.Minimum.Currency, r.Minimum.Per, false)
	}
	if r.Maximum != nil {
		v.money(p+".maximum", r.Maximum.Amount, r.Maximum.Currency, r.Maximum.Per, false)
	}
	if r.Minimum != nil && r.Maximum != nil && r.Minimum.Per == r.Maximum.Per && r.Minimum.On == r.Maximum.On &&
		r.Minimum.Currency == r.Maximum.Currency && r.Minimum.Amount.Cmp(r.Maximum.Amount) > 0 {
		v.add(p+".minimum", "minimum %s is above maximum %s", r.Minimum.Amount, r.Maximum.Amount)
	}
}

func (v *validator) money(p string, amount dec.Decimal, currency, per string, positive bool) {
	if amount.Sign() < 0 || (positive && amount.Sign() == 0) {
		want := "≥ 0"
		if positive {
			want = "> 0"
		}
		v.add(p+".amount", "must be %s, got %s", want, amount)
	}
	if currency != "" {
		v.check(p+".currency", v.cat.Currency(currency))
	}
	if per != "" {
		v.check(p+".per", v.cat.Unit(per))
	}
}

func (v *validator) amendments() {
	var last date.Date
	ids := map[string]bool{}
	for i, am := range v.a.Amendments {
		p := fmt.Sprintf("amendments[%d]", i)
		if ids[am.ID] {
			v.add(p+".id", "duplicate amendment id %q", am.ID)
		}
		ids[am.ID] = true
		v.basis(p+".basis", am.Basis)
		if !am.Effective.IsZero() {
			if !v.a.EntryIntoForce.IsZero() && am.Effective.Before(v.a.EntryIntoForce) {
				v.add(p+".effective", "effective %s is before the entry into force %s", am.Effective, v.a.EntryIntoForce)
			}
			if !last.IsZero() && am.Effective.Before(last) {
				v.add(p+".effective", "amendments must be in order of effect: %s is before %s", am.Effective, last)
			}
			last = am.Effective
		}
		if !am.Adopted.IsZero() && am.Effective.Before(am.Adopted) {
			v.add(p+".effective", "effective %s is before adoption %s", am.Effective, am.Adopted)
		}
		for j, c := range am.Changes {
			if (c.Op == "set" || c.Op == "add") && c.Value == nil {
				v.add(fmt.Sprintf("%s.changes[%d].value", p, j), "op %s needs a value", c.Op)
			}
		}
	}
}

func keys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return out
}

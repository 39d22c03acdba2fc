package market

import (
	"fmt"
	"io/fs"
	"math"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// Env is what a scenario is built against: the registry, the agreement whose
// design it simulates and that agreement's reference-price engine, and the
// data directory the cost curves come from. Agreement may be nil for a
// replay (which reads no design).
type Env struct {
	Registry  *registry.Registry
	Agreement *agreement.Agreement
	Prices    *refprice.Engine
	Data      fs.FS
}

// Plan is a scenario compiled against its environment: every month's floor,
// shocks and design, the producers by region, ready to simulate. A Plan is
// read-only once built and safe to share between goroutines.
type Plan struct {
	Scenario *Scenario
	Design   DesignSummary
	Months   []string // YYYY-MM of each step

	regions   []planRegion
	zone      int // region index of the zone, −1 if none
	report    int // region whose price the fan charts show
	producers []planProducer
	projects  []planProject
	transport []float64 // R×R; NaN: no route
	backstop  float64
	qscale    float64

	// design, by month
	floor, ceiling  []float64 // 0: none
	levyShare       []float64 // phase-in share of the levy and surcharge
	enforced        bool      // a variable duty enforces the floor at the zone's border
	capAdv          float64
	capSpec         float64
	hasCap          bool
	partyOrigin     string   // exempt, reduced or full: the levy on regions made only of parties
	partyFactor     float64  // reduced: the share of the levy they pay
	surchargeExempt []string // origins exempt from the surcharge

	// shocks, by month
	blocked   []bool    // months × R × R: route closed by an export ban
	extra     []float64 // months × R × R: extra cost per unit on a route (export_cost)
	capFactor []float64 // months × producers: scheduled outages
	demFactor []float64 // months × regions
	growthAt  []float64 // months × regions: growth^t
	quotas    []planQuota

	buffer   *planBuffer
	releases []planRelease
	window   int
	closure  int

	replay *replayPlan
}

type planRegion struct {
	id        string
	countries []string
	parties   bool    // the zone
	allParty  bool    // every country a party
	q0        float64 // monthly demand at the reference price, month 0
	p0, e     float64 // reference price, elasticity
	growth    float64 // monthly growth factor
	partyShr  map[string]float64
}

type planProducer struct {
	id, country string
	region      int
	capacity    float64 // monthly
	cost        float64
	online      int // first month producing
	offline     int // first month not producing
	project     int // index into projects, −1 if an existing producer
}

type planProject struct {
	producer int
	charge   float64 // capital charge per unit: capex × CRF(rate, life)
	lead     int
	earliest int
}

type planQuota struct {
	producers []int
	from, to  int     // months [from, to)
	monthly   float64 // tonnes a month
}

type planBuffer struct {
	region              int
	floor, ceiling      float64 // 0 floor: the month's design floor
	tonnes, money, maxT float64
	maxMonthly          float64
	lowerBuy, upperSell float64
	fromBand            bool
}

type planRelease struct {
	market         bool // by the market: in the baseline too
	region         int
	from           int
	monthly, total float64
	trigger        float64
}

// MaxPaths bounds the Monte Carlo paths of one run.
const MaxPaths = 1_000_000

// Build compiles sc against env. It checks what needs the registry and the
// agreement — countries, the floor of the mineral and stage, the duty party,
// the cost curve — and reports every problem it finds at its line in the
// scenario file.
func Build(sc *Scenario, env Env) (*Plan, error) {
	if env.Registry == nil {
		return nil, problem.Errorf(problem.Internal, "market: Build needs a registry")
	}
	p := &problems{sc: sc}
	pl := &Plan{Scenario: sc, zone: -1}
	start := date.New(sc.Start.Year(), sc.Start.Month(), 1)
	n := sc.Months
	if sc.Kind == KindReplay && n == 0 {
		to := sc.Replay.To
		n = (to.Year()-start.Year())*12 + int(to.Month()) - int(start.Month()) + 1
	}
	for m := 0; m < n; m++ {
		pl.Months = append(pl.Months, start.AddMonths(m).MonthKey())
	}
	if _, err := env.Registry.Mineral(sc.Mineral); err != nil {
		p.add("mineral", "%s", messageOf(err))
	}
	if _, err := env.Registry.Unit(sc.Unit); err != nil {
		p.add("unit", "%s", messageOf(err))
	}
	if sc.Kind == KindReplay {
		pl.buildReplay(p, env)
		return pl, p.l.Err()
	}
	if env.Agreement == nil || env.Prices == nil {
		return nil, problem.Errorf(problem.Invalid, "scenario %s simulates a design: an agreement is required", sc.ID)
	}
	parties := pl.buildDesign(p, env, start)
	pl.buildRegions(p, env, parties)
	if len(p.l) > 0 {
		return nil, p.l.Err()
	}
	pl.buildSupply(p, env, start)
	pl.buildShocks(p, start)
	pl.buildStocks(p, start)
	if len(p.l) > 0 {
		return nil, p.l.Err()
	}
	return pl, nil
}

func messageOf(err error) string {
	if pe, ok := err.(*problem.Error); ok {
		return pe.Message
	}
	return err.Error()
}

// monthIndex returns the step of the month containing d (may be < 0 or ≥ len).
func (pl *Plan) monthIndex(d date.Date) int {
	s := pl.Scenario.Start
	return (d.Year()-s.Year())*12 + int(d.Month()) - int(s.Month())
}

// DesignSummary says what the simulation read from the agreement file, and
// from where: the figures a negotiator would check.
type DesignSummary struct {
	Agreement         string      `json:"agreement"`
	AgreementIllus    bool        `json:"agreement_illustrative"`
	AsOf              date.Date   `json:"as_of"`
	Counterfactual    bool        `json:"counterfactual"` // the scenario starts before the entry into force
	Parties           []string    `json:"parties"`
	Zone              string      `json:"zone,omitempty"`
	FloorMethod       string      `json:"floor_method"`
	FloorScale        float64     `json:"floor_scale"`
	FloorIllustrative bool        `json:"floor_illustrative"`
	Floors            []FloorStep `json:"floors"`
	DutyParty         string      `json:"duty_party,omitempty"`
	VariableDuty      string      `json:"variable_duty"` // instrument id, "scenario (hypothetical)", or "none"
	CapAdValorem      *float64    `json:"cap_ad_valorem,omitempty"`
	CapSpecific       *float64    `json:"cap_specific,omitempty"`
	PartyOrigin       string      `json:"party_origin,omitempty"`
	Surcharge         float64     `json:"non_party_surcharge"`
	SurchargeSource   string      `json:"non_party_surcharge_source,omitempty"`
	PhaseIn           string      `json:"phase_in,omitempty"`
	Notes             []string    `json:"notes,omitempty"`
}

// FloorStep is a floor (and ceiling, for a band) in force from a month.
type FloorStep struct {
	From    string  `json:"from"`
	Floor   float64 `json:"floor"`
	Ceiling float64 `json:"ceiling,omitempty"`
}

// buildDesign reads the floor of every month, the parties and the duty
// party's instruments. It returns the parties in force (groups expanded).
func (pl *Plan) buildDesign(p *problems, env Env, start date.Date) map[string]bool {
	sc, ag := pl.Scenario, env.Agreement
	ds := &pl.Design
	ds.Agreement, ds.AgreementIllus = ag.ID, ag.Illustrative
	asOf := sc.Design.AsOf
	if asOf.IsZero() {
		asOf = start
		if asOf.Before(ag.EntryIntoForce) {
			asOf = ag.EntryIntoForce
		}
	}
	if asOf.Before(ag.EntryIntoForce) {
		p.add("design.as_of", "agreement %s enters into force on %s; as_of %s is before it", ag.ID, ag.EntryIntoForce, asOf)
		return nil
	}
	ds.AsOf = asOf
	ds.Counterfactual = start.Before(ag.EntryIntoForce)
	if ds.Counterfactual {
		ds.Notes = append(ds.Notes, fmt.Sprintf("the scenario starts %s, before the agreement's entry into force on %s: the design is applied as in force on %s (a counterfactual)", start, ag.EntryIntoForce, asOf))
	}
	in, err := ag.AsOf(asOf)
	if err != nil {
		p.add("design.as_of", "%s", messageOf(err))
		return nil
	}
	parties := map[string]bool{}
	for _, pt := range in.Agreement.Parties {
		ds.Parties = append(ds.Parties, pt.ID)
		if env.Registry.IsGroup(pt.ID) {
			ms, _ := env.Registry.Group(pt.ID)
			for _, c := range ms {
				parties[c] = true
			}
		} else {
			parties[pt.ID] = true
		}
	}
	scale := sc.Design.FloorScale
	if scale == 0 {
		scale = 1
	}
	ds.FloorScale = scale
	n := len(pl.Months)
	pl.floor, pl.ceiling, pl.levyShare = make([]float64, n), make([]float64, n), make([]float64, n)
	var unit string
	for m := 0; m < n; m++ {
		d := start.AddMonths(m)
		if d.Before(asOf) {
			d = asOf
		}
		f, err := env.Prices.Floor(sc.Mineral, sc.Stage, d)
		if err != nil {
			p.add("stage", "the floor of %s/%s on %s: %s", sc.Mineral, sc.Stage, d, messageOf(err))
			return nil
		}
		unit = f.Unit
		ds.FloorMethod, ds.FloorIllustrative = string(f.Method), ds.FloorIllustrative || f.Illustrative
		pl.floor[m] = f.Price.Float64() * scale
		if f.Band != nil {
			pl.ceiling[m] = f.Band.Ceiling.Float64() * scale
		}
		if k := len(ds.Floors); k == 0 || ds.Floors[k-1].Floor != pl.floor[m] || ds.Floors[k-1].Ceiling != pl.ceiling[m] {
			ds.Floors = append(ds.Floors, FloorStep{From: pl.Months[m], Floor: pl.floor[m], Ceiling: pl.ceiling[m]})
		}
	}
	if unit != sc.Unit {
		p.add("unit", "the floor of %s/%s is per %s; the scenario's unit must be %s, got %s", sc.Mineral, sc.Stage, unit, unit, sc.Unit)
	}
	if ag.Currency != sc.Currency {
		p.add("currency", "the agreement's currency is %s, got %s", ag.Currency, sc.Currency)
	}
	pl.readDuties(p, env, in.Agreement, start)
	return parties
}

// readDuties reads the duty party's variable duty, non-party surcharge and
// phase-in for the mineral and stage.
func (pl *Plan) readDuties(p *problems, env Env, ag *agreement.Agreement, start date.Date) {
	sc, ds := pl.Scenario, &pl.Design
	party := sc.Design.DutyParty
	var vd, nps *agreement.Instrument
	var phase *agreement.Instrument
	find := func(pt *agreement.Party) {
		vd, nps, phase = nil, nil, nil
		for i := range pt.Instruments {
			ins := &pt.Instruments[i]
			if ins.Mineral != sc.Mineral || (ins.Stage != "" && ins.Stage != sc.Stage) {
				continue
			}
			switch ins.Type {
			case agreement.VariableDuty:
				if ins.Stage == sc.Stage && vd == nil {
					vd = ins
				}
			case agreement.NonPartySurcharge:
				if nps == nil {
					nps = ins
				}
			case agreement.PhaseIn:
				if phase == nil {
					phase = ins
				}
			}
		}
	}
	if party == "" {
		for i := range ag.Parties {
			find(&ag.Parties[i])
			if vd != nil {
				party = ag.Parties[i].ID
				break
			}
		}
	} else if pt, ok := ag.Party(party); ok {
		find(pt)
	} else {
		p.add("design.duty_party", "%s is not a party of %s in force on %s", party, ag.ID, ds.AsOf)
		return
	}
	ds.DutyParty = party
	origin := "exempt"
	reduced := 1.0
	switch {
	case vd != nil:
		ds.VariableDuty = party + ":" + vd.ID
		pl.enforced = true
		if vd.Cap != nil {
			pl.readCap(p, env, vd.Cap)
		}
		if vd.PartyOrigin != nil {
			origin = string(vd.PartyOrigin.Treatment)
			if origin == "reduced" {
				reduced = vd.PartyOrigin.Factor.Float64()
			}
		}
		if sc.Design.VariableDuty != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("design.variable_duty is ignored: the agreement has %s", ds.VariableDuty))
		}
	case sc.Design.VariableDuty != nil:
		v := sc.Design.VariableDuty
		ds.VariableDuty = "scenario (hypothetical)"
		pl.enforced = true
		if v.CapAdValorem != nil || v.CapSpecific != nil {
			pl.hasCap = true
			if v.CapAdValorem != nil {
				pl.capAdv = *v.CapAdValorem
			}
			if v.CapSpecific != nil {
				pl.capSpec = *v.CapSpecific
			}
		}
		if v.PartyOrigin != "" {
			origin = v.PartyOrigin
		}
		ds.Notes = append(ds.Notes, fmt.Sprintf("the agreement has no variable duty for %s/%s; the scenario's hypothetical one enforces the floor", sc.Mineral, sc.Stage))
	default:
		ds.VariableDuty = "none"
		ds.Notes = append(ds.Notes, fmt.Sprintf("no variable duty for %s/%s: the floor is not enforced at the zone's border (it still sets the buffer stock's floor and investors' expectations where a buffer stock defends it)", sc.Mineral, sc.Stage))
	}
	if pl.hasCap {
		if pl.capAdv != 0 || vd == nil {
			x := pl.capAdv
			ds.CapAdValorem = &x
		}
		if pl.capSpec != 0 {
			x := pl.capSpec
			ds.CapSpecific = &x
		}
	}
	ds.PartyOrigin = origin
	pl.partyOrigin, pl.partyFactor = origin, reduced
	switch {
	case sc.Design.Surcharge != nil:
		ds.Surcharge, ds.SurchargeSource = *sc.Design.Surcharge, "scenario"
	case nps != nil && nps.Rate != nil:
		ds.Surcharge, ds.SurchargeSource = nps.Rate.AdValorem.Float64(), party+":"+nps.ID
		pl.surchargeExempt = nps.Exempt
		if nps.Rate.Specific != nil {
			ds.Notes = append(ds.Notes, fmt.Sprintf("the specific part of %s is left out: the simulation applies the ad valorem part", nps.ID))
		}
	}
	share := 1.0
	if v := sc.Design.VariableDuty; v != nil && vd == nil && v.Share > 0 {
		share = v.Share
	}
	for m := range pl.levyShare {
		pl.levyShare[m] = share
	}
	if phase != nil {
		ds.PhaseIn = party + ":" + phase.ID
		for m := range pl.levyShare {
			d := start.AddMonths(m)
			if d.Before(ds.AsOf) {
				d = ds.AsOf
			}
			s := 0.0
			for _, st := range phase.Steps {
				if !st.From.After(d) {
					s = st.Share.Float64()
				}
			}
			pl.levyShare[m] = share * s
		}
	}
}

// readCap converts a variable duty's cap to the scenario's unit.
func (pl *Plan) readCap(p *problems, env Env, r *agreement.Rate) {
	pl.hasCap = true
	switch r.Kind {
	case "ad_valorem", "compound":
		pl.capAdv = r.AdValorem.Float64()
	case "mixed":
		p.add("design.duty_party", "the variable duty's cap is a mixed rate, which the simulation does not model")
		return
	}
	if r.Specific != nil && (r.Kind == "specific" || r.Kind == "compound") {
		sp := r.Specific
		if sp.On != "contained" {
			p.add("design.duty_party", "the variable duty's specific cap is per %s of gross product; the simulation needs it per unit of contained mineral", sp.Per)
			return
		}
		from, err1 := env.Registry.Unit(sp.Per)
		to, err2 := env.Registry.Unit(pl.Scenario.Unit)
		if err1 != nil || err2 != nil {
			p.add("unit", "cannot convert the cap per %s to per %s", sp.Per, pl.Scenario.Unit)
			return
		}
		// amount per `from` unit → per `to` unit: × (kg per to) / (kg per from)
		pl.capSpec = sp.Amount.Float64() * to.PerKg.Float64() / from.PerKg.Float64()
	}
}

// buildRegions assigns countries to regions and calibrates demand.
func (pl *Plan) buildRegions(p *problems, env Env, parties map[string]bool) {
	sc := pl.Scenario
	d := sc.Demand
	pl.backstop = d.BackstopPrice
	if pl.backstop == 0 {
		pl.backstop = 10 * d.RefPrice
	}
	for i, r := range sc.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		pr := planRegion{id: r.ID, p0: d.RefPrice, e: d.Elasticity, partyShr: r.PartyShares}
		if r.Elasticity != 0 {
			pr.e = r.Elasticity
		}
		g := d.Growth
		if r.Growth != nil {
			g = *r.Growth
		}
		pr.growth = math.Pow(1+g, 1.0/12)
		pr.q0 = d.RefQuantity * r.Share / 12
		all := true
		for k, c := range r.Countries {
			switch c {
			case CountriesParties:
				pr.parties = true
				pl.zone = i
			case CountriesRest:
				all = false
			default:
				members := []string{c}
				if env.Registry.IsGroup(c) {
					members, _ = env.Registry.Group(c)
				} else if _, err := env.Registry.Country(c); err != nil {
					p.add(fmt.Sprintf("%s.countries[%d]", f, k), "%s", messageOf(err))
					continue
				}
				for _, m := range members {
					pr.countries = append(pr.countries, m)
					if !parties[m] {
						all = false
					}
				}
			}
		}
		pr.allParty = pr.parties || (all && len(pr.countries) > 0)
		for _, k := range sortedKeys(r.PartyShares) {
			if !parties[k] && !env.Registry.IsGroup(k) {
				if _, ok := slices.BinarySearch(pl.Design.Parties, k); !ok && !slices.Contains(pl.Design.Parties, k) {
					p.add(f+".party_shares."+k, "%s is not a party in force on %s", k, pl.Design.AsOf)
				}
			}
		}
		pl.regions = append(pl.regions, pr)
		if sc.Report == r.ID {
			pl.report = i
		}
	}
	if pl.zone >= 0 {
		pl.Design.Zone = pl.regions[pl.zone].id
		if sc.Report == "" {
			pl.report = pl.zone
		}
	} else {
		pl.Design.Notes = append(pl.Design.Notes, "no region is the parties (countries: [parties]): the design's border instruments apply nowhere")
	}
	R := len(pl.regions)
	pl.transport = make([]float64, R*R)
	for i := range pl.transport {
		pl.transport[i] = sc.Transport.Default
	}
	idx := pl.regionIndex
	for _, rt := range sc.Transport.Routes {
		pl.transport[idx(rt.From)*R+idx(rt.To)] = rt.Cost
	}
}

func (pl *Plan) regionIndex(id string) int {
	for i := range pl.regions {
		if pl.regions[i].id == id {
			return i
		}
	}
	return -1
}

// regionOf returns the region of a producer's country: the region that names
// it (or its group), else the zone if it is a party, else the rest.
func (pl *Plan) regionOf(country string, parties map[string]bool) int {
	rest := -1
	for i, r := range pl.regions {
		if slices.Contains(r.countries, country) {
			return i
		}
		if slices.Contains(pl.Scenario.Regions[i].Countries, CountriesRest) {
			rest = i
		}
	}
	if pl.zone >= 0 && parties[country] {
		return pl.zone
	}
	return rest
}

// buildSupply loads the cost curve and places every producer and project in
// its region.
func (pl *Plan) buildSupply(p *problems, env Env, start date.Date) {
	sc := pl.Scenario
	parties := map[string]bool{}
	for _, id := range pl.Design.Parties {
		if env.Registry.IsGroup(id) {
			ms, _ := env.Registry.Group(id)
			for _, c := range ms {
				parties[c] = true
			}
		} else {
			parties[id] = true
		}
	}
	n := len(pl.Months)
	capScale, costScale := sc.Supply.CapacityScale, sc.Supply.CostScale
	if capScale == 0 {
		capScale = 1
	}
	if costScale == 0 {
		costScale = 1
	}
	add := func(field, id, country string, capacity, cost float64, online, offline, project int) {
		r := pl.regionOf(country, parties)
		if r < 0 {
			p.add(field, "country %s of producer %s is in no region (add it to a region, or add a region with countries: [rest])", country, id)
			return
		}
		pl.producers = append(pl.producers, planProducer{id: id, country: country, region: r, capacity: capacity / 12, cost: cost,
			online: max(0, online), offline: min(n, offline), project: project})
	}
	if sc.Supply.Curve != "" {
		if env.Data == nil {
			p.add("supply.curve", "no data directory to load cost curve %s from", sc.Supply.Curve)
			return
		}
		c, err := costcurve.LoadWith(env.Data, env.Registry, sc.Supply.Curve, sc.Mineral, curveStage(sc))
		if err != nil {
			p.add("supply.curve", "%s", messageOf(err))
			return
		}
		if c.Unit != sc.Unit {
			p.add("supply.curve", "cost curve %s is per %s, the scenario per %s", c.Name, c.Unit, sc.Unit)
		}
		if c.Illustrative {
			pl.Design.Notes = append(pl.Design.Notes, fmt.Sprintf("supply: cost curve %s %s/%s is ILLUSTRATIVE (generated, not real mine data)", c.Name, c.Mineral, c.Stage))
		}
		for _, pr := range c.Sorted() {
			cs := 1.0
			if v, ok := sc.Supply.CountryScale[pr.Country]; ok {
				cs = v
			}
			add("supply.curve", pr.ID, pr.Country, pr.Capacity.Float64()*capScale*cs, pr.Cost.Float64()*costScale, 0, n, -1)
		}
	}
	for i, pr := range sc.Supply.Producers {
		on, off := 0, n
		if !pr.Online.IsZero() {
			on = pl.monthIndex(pr.Online)
		}
		if !pr.Offline.IsZero() {
			off = pl.monthIndex(pr.Offline)
		}
		add(fmt.Sprintf("supply.producers[%d].country", i), pr.ID, pr.Country, pr.Capacity, pr.Cost, on, off, -1)
	}
	if in := sc.Investment; in != nil {
		pl.window, pl.closure = in.WindowMonths, in.ClosureMonths
		if pl.window == 0 {
			pl.window = 12
		}
		for i, pj := range in.Projects {
			life := pj.LifeYears
			if life == 0 {
				life = 15
			}
			earliest := 0
			if !pj.Earliest.IsZero() {
				earliest = max(0, pl.monthIndex(pj.Earliest))
			}
			pl.projects = append(pl.projects, planProject{producer: len(pl.producers), charge: pj.Capex * crf(pj.Rate, life), lead: pj.LeadMonths, earliest: earliest})
			add(fmt.Sprintf("investment.projects[%d].country", i), pj.ID, pj.Country, pj.Capacity, pj.Cost, n, n, len(pl.projects)-1)
		}
	}
	if len(pl.producers) == 0 {
		p.add("supply", "the scenario has no producers: name a curve or list producers")
	}
	for i := range pl.producers {
		if _, err := env.Registry.Country(pl.producers[i].country); err != nil && pl.producers[i].country != costcurve.OtherCountries {
			p.add("supply", "producer %s: %s", pl.producers[i].id, messageOf(err))
		}
	}
	// Quantity scale: every producer's capacity and the demand at the end.
	var capTotal, dem float64
	for _, pr := range pl.producers {
		capTotal += pr.capacity
	}
	for _, r := range pl.regions {
		dem += r.q0 * math.Pow(r.growth, float64(n)) * 4
	}
	pl.qscale = math.Max(1, math.Max(capTotal, dem))
}

// curveStage is the stage of the cost curve: the busch curve is mined.
func curveStage(sc *Scenario) string {
	if sc.Supply.Curve == costcurve.Busch {
		return "mined"
	}
	return sc.Stage
}

// crf is the capital recovery factor r(1+r)^n/((1+r)^n − 1), 1/n at r = 0
// (docs/prices.md, cost_curve step 4).
func crf(r float64, n int) float64 {
	if r == 0 {
		return 1 / float64(n)
	}
	x := math.Pow(1+r, float64(n))
	return r * x / (x - 1)
}

// buildShocks lays the scheduled shocks out by month.
func (pl *Plan) buildShocks(p *problems, start date.Date) {
	sc := pl.Scenario
	n, R, P := len(pl.Months), len(pl.regions), len(pl.producers)
	pl.blocked = make([]bool, n*R*R)
	pl.extra = make([]float64, n*R*R)
	pl.capFactor = make([]float64, n*P)
	pl.demFactor = make([]float64, n*R)
	for i := range pl.capFactor {
		pl.capFactor[i] = 1
	}
	for i := range pl.demFactor {
		pl.demFactor[i] = 1
	}
	pl.growthAt = make([]float64, n*R)
	for m := 0; m < n; m++ {
		for g := range pl.regions {
			pl.growthAt[m*R+g] = math.Pow(pl.regions[g].growth, float64(m))
		}
	}
	span := func(s Shock) (int, int) {
		a := pl.monthIndex(s.From)
		return max(0, a), min(n, a+s.Months)
	}
	for i, s := range sc.Shocks {
		f := fmt.Sprintf("shocks[%d]", i)
		a, b := span(s)
		switch s.Type {
		case ShockExportCost:
			own := pl.ownRegion(s.Country)
			if own < 0 {
				p.add(f+".country", "an export cost needs %s to be a region of its own", s.Country)
				continue
			}
			for ti := range pl.regions {
				if ti == own || len(s.To) > 0 && !contains(s.To, pl.regions[ti].id) {
					continue
				}
				for m := a; m < b; m++ {
					pl.extra[(m*R+own)*R+ti] += s.Cost
				}
			}
		case ShockExportBan:
			own := pl.ownRegion(s.Country)
			if own < 0 {
				if len(s.To) > 0 {
					p.add(f+".to", "a ban to particular regions needs %s to be a region of its own", s.Country)
					continue
				}
				// The country's producers can sell to no one outside it; its
				// own consumption is not modelled, so they stop.
				found := false
				for j, pr := range pl.producers {
					if pr.country == s.Country {
						found = true
						for m := a; m < b; m++ {
							pl.capFactor[m*P+j] = 0
						}
					}
				}
				if !found {
					p.add(f+".country", "no producer is in %s", s.Country)
				}
				continue
			}
			to := s.To
			if len(to) == 0 {
				for _, r := range pl.regions {
					to = append(to, r.id)
				}
			}
			for _, t := range to {
				ti := pl.regionIndex(t)
				if ti == own {
					continue
				}
				for m := a; m < b; m++ {
					pl.blocked[(m*R+own)*R+ti] = true
				}
			}
		case ShockExportQuota:
			q := planQuota{from: a, to: b, monthly: s.TonnesPerYear / 12}
			for j, pr := range pl.producers {
				if pr.country == s.Country {
					q.producers = append(q.producers, j)
				}
			}
			if len(q.producers) == 0 {
				p.add(f+".country", "no producer is in %s", s.Country)
			}
			pl.quotas = append(pl.quotas, q)
		case ShockOutage:
			found := false
			for j, pr := range pl.producers {
				if (s.Producer != "" && pr.id == s.Producer) || (s.Country != "" && pr.country == s.Country) {
					found = true
					for m := a; m < b; m++ {
						pl.capFactor[m*P+j] *= 1 - s.Share
					}
				}
			}
			if !found {
				p.add(f, "no producer matches (producer %q, country %q)", s.Producer, s.Country)
			}
		case ShockDemand:
			for r := range pl.regions {
				if s.Region != "" && pl.regions[r].id != s.Region {
					continue
				}
				for m := a; m < b; m++ {
					pl.demFactor[m*R+r] *= s.Factor
				}
			}
		}
	}
}

// ownRegion is the region that is the country alone (by id or by its only
// country), −1 if none.
func (pl *Plan) ownRegion(country string) int {
	if r := pl.regionIndex(country); r >= 0 {
		return r
	}
	for r := range pl.regions {
		if len(pl.regions[r].countries) == 1 && pl.regions[r].countries[0] == country {
			return r
		}
	}
	return -1
}

// buildStocks sets up the buffer stock and the stockpile releases.
func (pl *Plan) buildStocks(p *problems, start date.Date) {
	sc := pl.Scenario
	if b := sc.Buffer; b != nil {
		r := pl.zone
		if b.Region != "" {
			r = pl.regionIndex(b.Region)
		}
		if r < 0 {
			p.add("buffer_stock.region", "no region for the buffer stock: name one, or make a region of the parties")
			return
		}
		pb := &planBuffer{region: r, floor: b.Floor, ceiling: b.Ceiling, tonnes: b.InitialTonnes, money: b.InitialMoney,
			maxT: b.MaxTonnes, maxMonthly: b.MaxMonthly, lowerBuy: b.LowerSectorBuy, upperSell: b.UpperSectorSell}
		if pb.ceiling == 0 {
			if pl.ceiling[0] == 0 {
				p.add("buffer_stock.ceiling", "required: the agreement's rule for %s/%s is not a band, so it sets no ceiling", sc.Mineral, sc.Stage)
				return
			}
			pb.fromBand = true
		}
		if pb.floor > 0 && pb.ceiling > 0 && pb.ceiling <= pb.floor {
			p.add("buffer_stock.ceiling", "must be above the floor")
		}
		pl.buffer = pb
	}
	for i, rs := range sc.Releases {
		r := pl.zone
		if rs.Region != "" {
			r = pl.regionIndex(rs.Region)
		}
		if r < 0 {
			p.add(fmt.Sprintf("stockpile_releases[%d].region", i), "no region for the release: name one, or make a region of the parties")
			continue
		}
		pl.releases = append(pl.releases, planRelease{market: rs.By == "market", region: r, from: max(0, pl.monthIndex(rs.From)), monthly: rs.TonnesPerMonth, total: rs.Total, trigger: rs.TriggerPrice})
	}
}

// bandAt returns the buffer stock's floor and ceiling in month m: its own, or
// the design's floor and band ceiling of the month.
func (pl *Plan) bandAt(m int) (floor, ceiling float64) {
	b := pl.buffer
	floor, ceiling = b.floor, b.ceiling
	if floor == 0 {
		floor = pl.floor[m]
	}
	if ceiling == 0 {
		ceiling = pl.ceiling[m]
	}
	return floor, ceiling
}

// regionNames lists the region ids.
func (pl *Plan) regionNames() []string {
	out := make([]string, len(pl.regions))
	for i, r := range pl.regions {
		out[i] = r.id
	}
	return out
}

var _ = strings.Join

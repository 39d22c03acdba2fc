package market

import (
	"fmt"
	"maps"
	"math"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Limits of a scenario.
const (
	MaxRegions   = 32
	MaxProducers = 2000
	MaxShocks    = 500
)

// Special country names of a region.
const (
	CountriesParties = "parties" // the parties in force
	CountriesRest    = "rest"    // every country no other region names
)

// posOf returns the position of the value at path, or of its nearest
// ancestor that was written.
func (sc *Scenario) posOf(path string) problem.Pos { return sc.src.Pos(path) }

// problems collects problems with their positions in the scenario file.
type problems struct {
	sc *Scenario
	l  problem.List
}

func (p *problems) add(path, format string, args ...any) {
	p.l.Add(p.sc.posOf(path), path, format, args...)
}

// validate checks what the file alone can tell.
func (sc *Scenario) validate() error {
	p := &problems{sc: sc}
	if sc.Version != ScenarioVersion {
		p.add("version", "must be %d, got %d", ScenarioVersion, sc.Version)
	}
	if sc.Kind == "" {
		sc.Kind = KindEquilibrium
	}
	if sc.Currency == "" {
		sc.Currency = "USD"
	}
	if sc.Illustrative && strings.TrimSpace(sc.Notice) == "" {
		p.add("notice", "an illustrative scenario must say in notice what is illustrative")
	}
	switch sc.Kind {
	case KindEquilibrium:
		if sc.Months < 1 || sc.Months > 1200 {
			p.add("months", "must be 1 to 1200, got %d", sc.Months)
		}
		if sc.Replay != nil {
			p.add("replay", "only a scenario of kind replay has a replay section")
		}
		sc.validateMarket(p)
	case KindReplay:
		sc.validateReplay(p)
	}
	return p.l.Err()
}

func (sc *Scenario) validateMarket(p *problems) {
	d := &sc.Demand
	if d.RefPrice <= 0 {
		p.add("demand.ref_price", "must be > 0, got %g", d.RefPrice)
	}
	if d.RefQuantity <= 0 {
		p.add("demand.ref_quantity", "must be > 0, got %g", d.RefQuantity)
	}
	checkElasticity(p, "demand.elasticity", d.Elasticity, true)
	if d.Growth <= -1 || d.Growth > 10 {
		p.add("demand.growth", "must be a yearly fraction above -1 (0.05 is 5%%), got %g", d.Growth)
	}
	if d.BackstopPrice != 0 && d.BackstopPrice <= d.RefPrice {
		p.add("demand.backstop_price", "must be above ref_price %g, got %g", d.RefPrice, d.BackstopPrice)
	}
	if len(sc.Regions) == 0 {
		p.add("regions", "at least one region is required")
	}
	// Bounds that keep a plan's month-by-route tables small.
	if len(sc.Regions) > MaxRegions {
		p.add("regions", "at most %d regions, got %d", MaxRegions, len(sc.Regions))
	}
	if n := len(sc.Supply.Producers); n > MaxProducers {
		p.add("supply.producers", "at most %d producers, got %d", MaxProducers, n)
	}
	if len(sc.Shocks) > MaxShocks {
		p.add("shocks", "at most %d shocks, got %d", MaxShocks, len(sc.Shocks))
	}
	if sc.Investment != nil && len(sc.Investment.Projects) > MaxProducers {
		p.add("investment.projects", "at most %d projects, got %d", MaxProducers, len(sc.Investment.Projects))
	}
	region := map[string]int{}
	country := map[string]string{}
	var sum float64
	parties, rest := -1, -1
	for i, r := range sc.Regions {
		f := fmt.Sprintf("regions[%d]", i)
		switch {
		case r.ID == "":
			p.add(f+".id", "required")
		case r.ID == "*":
			p.add(f+".id", `"*" is reserved`)
		default:
			if j, dup := region[r.ID]; dup {
				p.add(f+".id", "duplicate of regions[%d].id %q", j, r.ID)
			} else {
				region[r.ID] = i
			}
		}
		if r.Share < 0 || r.Share > 1 {
			p.add(f+".share", "must be a share between 0 and 1, got %g", r.Share)
		}
		sum += r.Share
		if r.Elasticity != 0 {
			checkElasticity(p, f+".elasticity", r.Elasticity, false)
		}
		if r.Growth != nil && (*r.Growth <= -1 || *r.Growth > 10) {
			p.add(f+".growth", "must be a yearly fraction above -1, got %g", *r.Growth)
		}
		if len(r.Countries) == 0 {
			p.add(f+".countries", "at least one country (or parties, or rest) is required")
		}
		for k, c := range r.Countries {
			fc := fmt.Sprintf("%s.countries[%d]", f, k)
			switch c {
			case CountriesParties:
				if parties >= 0 {
					p.add(fc, "only one region may be the parties (regions[%d] is)", parties)
				}
				parties = i
			case CountriesRest:
				if rest >= 0 {
					p.add(fc, "only one region may be the rest (regions[%d] is)", rest)
				}
				rest = i
			default:
				if prev, dup := country[c]; dup {
					p.add(fc, "%s is already in region %s", c, prev)
				}
				country[c] = r.ID
			}
		}
		var ps float64
		for _, k := range slices.Sorted(maps.Keys(r.PartyShares)) {
			v := r.PartyShares[k]
			if v < 0 || v > 1 {
				p.add(f+".party_shares."+k, "must be a share between 0 and 1, got %g", v)
			}
			ps += v
		}
		if len(r.PartyShares) > 0 && math.Abs(ps-1) > 1e-6 {
			p.add(f+".party_shares", "must add up to 1, got %g", ps)
		}
	}
	if len(sc.Regions) > 0 && math.Abs(sum-1) > 1e-6 {
		p.add("regions", "the demand shares must add up to 1, got %g", sum)
	}
	known := func(field, id string) bool {
		if _, ok := region[id]; !ok {
			if id == "" {
				p.add(field, "required")
			} else {
				p.add(field, "unknown region %q (regions: %s)", id, strings.Join(slices.Sorted(maps.Keys(region)), ", "))
			}
			return false
		}
		return true
	}
	if sc.Transport.Default < 0 {
		p.add("transport.default", "must be ≥ 0, got %g", sc.Transport.Default)
	}
	type pair struct{ a, b string }
	routes := map[pair]int{}
	for i, r := range sc.Transport.Routes {
		f := fmt.Sprintf("transport.routes[%d]", i)
		okF, okT := known(f+".from", r.From), known(f+".to", r.To)
		if r.Cost < 0 {
			p.add(f+".cost", "must be ≥ 0, got %g", r.Cost)
		}
		if okF && okT {
			if r.From == r.To {
				p.add(f+".to", "a region supplies itself at no cost")
			} else if j, dup := routes[pair{r.From, r.To}]; dup {
				p.add(f, "duplicate of transport.routes[%d]", j)
			} else {
				routes[pair{r.From, r.To}] = i
			}
		}
	}
	if sc.Supply.CapacityScale < 0 {
		p.add("supply.capacity_scale", "must be > 0, got %g", sc.Supply.CapacityScale)
	}
	for _, k := range slices.Sorted(maps.Keys(sc.Supply.CountryScale)) {
		if v := sc.Supply.CountryScale[k]; v < 0 {
			p.add("supply.country_scale."+k, "must be ≥ 0, got %g", v)
		}
	}
	if sc.Supply.CostScale < 0 {
		p.add("supply.cost_scale", "must be > 0, got %g", sc.Supply.CostScale)
	}
	ids := map[string]string{}
	for i, pr := range sc.Supply.Producers {
		f := fmt.Sprintf("supply.producers[%d]", i)
		uniqueID(p, ids, f+".id", pr.ID)
		if pr.Country == "" {
			p.add(f+".country", "required")
		}
		if pr.Capacity < 0 {
			p.add(f+".capacity", "must be ≥ 0, got %g", pr.Capacity)
		}
		if pr.Cost < 0 {
			p.add(f+".cost", "must be ≥ 0, got %g", pr.Cost)
		}
		if !pr.Online.IsZero() && !pr.Offline.IsZero() && !pr.Offline.After(pr.Online) {
			p.add(f+".offline", "must be after online %s", pr.Online)
		}
	}
	for i, s := range sc.Shocks {
		f := fmt.Sprintf("shocks[%d]", i)
		if s.Months < 1 {
			p.add(f+".months", "must be ≥ 1, got %d", s.Months)
		}
		switch s.Type {
		case ShockExportBan, ShockExportQuota, ShockExportCost:
			if s.Type == ShockExportCost && s.Cost <= 0 {
				p.add(f+".cost", "must be > 0, got %g", s.Cost)
			}
			if s.Country == "" {
				p.add(f+".country", "required for %s", s.Type)
			}
			for k, to := range s.To {
				known(fmt.Sprintf("%s.to[%d]", f, k), to)
			}
			if s.Type == ShockExportQuota && s.TonnesPerYear < 0 {
				p.add(f+".tonnes_per_year", "must be ≥ 0, got %g", s.TonnesPerYear)
			}
			if s.Type == ShockExportBan && s.TonnesPerYear != 0 {
				p.add(f+".tonnes_per_year", "not a field of an export_ban (an export_quota has it)")
			}
		case ShockOutage:
			if (s.Country == "") == (s.Producer == "") {
				p.add(f, "an outage names a country or a producer (one of them)")
			}
			if s.Share <= 0 || s.Share > 1 {
				p.add(f+".share", "must be in (0, 1], got %g", s.Share)
			}
		case ShockDemand:
			if s.Region != "" {
				known(f+".region", s.Region)
			}
			if s.Factor <= 0 {
				p.add(f+".factor", "must be > 0, got %g", s.Factor)
			}
		}
		if s.Type != ShockOutage && s.Share != 0 {
			p.add(f+".share", "only an outage has a share")
		}
		if s.Type != ShockDemand && s.Factor != 0 {
			p.add(f+".factor", "only a demand shock has a factor")
		}
		if s.Type != ShockExportCost && s.Cost != 0 {
			p.add(f+".cost", "only an export_cost shock has a cost")
		}
	}
	if in := sc.Investment; in != nil {
		if in.WindowMonths < 0 || in.WindowMonths > 120 {
			p.add("investment.window_months", "must be 0 to 120, got %d", in.WindowMonths)
		}
		if in.ClosureMonths < 0 {
			p.add("investment.closure_months", "must be ≥ 0, got %d", in.ClosureMonths)
		}
		for i, pr := range in.Projects {
			f := fmt.Sprintf("investment.projects[%d]", i)
			uniqueID(p, ids, f+".id", pr.ID)
			if pr.Country == "" {
				p.add(f+".country", "required")
			}
			if pr.Capacity <= 0 {
				p.add(f+".capacity", "must be > 0, got %g", pr.Capacity)
			}
			if pr.Cost < 0 || pr.Capex < 0 {
				p.add(f+".cost", "cost and capex must be ≥ 0")
			}
			if pr.LeadMonths < 0 || pr.LeadMonths > 240 {
				p.add(f+".lead_months", "must be 0 to 240, got %d", pr.LeadMonths)
			}
			if pr.Rate < 0 || pr.Rate >= 1 {
				p.add(f+".rate", "must be a yearly fraction in [0, 1), got %g", pr.Rate)
			}
			if pr.LifeYears < 0 || pr.LifeYears > 100 {
				p.add(f+".life_years", "must be 1 to 100, got %d", pr.LifeYears)
			}
		}
	}
	if b := sc.Buffer; b != nil {
		if b.Region != "" {
			known("buffer_stock.region", b.Region)
		}
		sc.validateBuffer(p)
	}
	for i, r := range sc.Releases {
		f := fmt.Sprintf("stockpile_releases[%d]", i)
		if r.Region != "" {
			known(f+".region", r.Region)
		}
		if r.TonnesPerMonth <= 0 {
			p.add(f+".tonnes_per_month", "must be > 0, got %g", r.TonnesPerMonth)
		}
		if r.Total <= 0 {
			p.add(f+".total", "must be > 0, got %g", r.Total)
		}
		if r.TriggerPrice <= 0 {
			p.add(f+".trigger_price", "must be > 0, got %g", r.TriggerPrice)
		}
	}
	mc := &sc.MonteCarlo
	if mc.Paths < 0 || mc.Paths > MaxPaths {
		p.add("monte_carlo.paths", "must be 0 to %d, got %d", MaxPaths, mc.Paths)
	}
	for _, n := range []struct {
		f string
		s *NoiseSpec
	}{{"monte_carlo.demand_noise", mc.DemandNoise}, {"monte_carlo.cost_noise", mc.CostNoise}} {
		if n.s == nil {
			continue
		}
		if n.s.Sigma < 0 || n.s.Sigma > 1 {
			p.add(n.f+".sigma", "must be 0 to 1, got %g", n.s.Sigma)
		}
		if n.s.Persistence < 0 || n.s.Persistence >= 1 {
			p.add(n.f+".persistence", "must be in [0, 1), got %g", n.s.Persistence)
		}
	}
	if dd := mc.Disruptions; dd != nil {
		if dd.Probability < 0 || dd.Probability > 1 {
			p.add("monte_carlo.disruptions.probability", "must be 0 to 1, got %g", dd.Probability)
		}
		if dd.Share <= 0 || dd.Share > 1 {
			p.add("monte_carlo.disruptions.share", "must be in (0, 1], got %g", dd.Share)
		}
		if dd.Months < 1 {
			p.add("monte_carlo.disruptions.months", "must be ≥ 1, got %d", dd.Months)
		}
	}
	if sc.Report != "" {
		known("report_region", sc.Report)
	}
	if v := sc.Design.VariableDuty; v != nil {
		if v.CapAdValorem != nil && *v.CapAdValorem < 0 {
			p.add("design.variable_duty.cap_ad_valorem", "must be ≥ 0, got %g", *v.CapAdValorem)
		}
		if v.CapSpecific != nil && *v.CapSpecific < 0 {
			p.add("design.variable_duty.cap_specific", "must be ≥ 0, got %g", *v.CapSpecific)
		}
		if v.Share < 0 || v.Share > 1 {
			p.add("design.variable_duty.share", "must be in (0, 1], got %g", v.Share)
		}
	}
	if s := sc.Design.Surcharge; s != nil && (*s < 0 || *s > 10) {
		p.add("design.non_party_surcharge", "must be a fraction from 0 to 10, got %g", *s)
	}
	if sc.Design.FloorScale < 0 {
		p.add("design.floor_scale", "must be > 0, got %g", sc.Design.FloorScale)
	}
	if h := sc.Design.HS; h != "" && (len(h) < 6 || len(h) > 10 || strings.Trim(h, "0123456789") != "") {
		p.add("design.hs", "must be a tariff line of 6 to 10 digits, got %q", h)
	}
}

func (sc *Scenario) validateBuffer(p *problems) {
	b := sc.Buffer
	for _, x := range []struct {
		f string
		v float64
	}{{"floor", b.Floor}, {"ceiling", b.Ceiling}, {"initial_tonnes", b.InitialTonnes}, {"initial_money", b.InitialMoney},
		{"max_tonnes", b.MaxTonnes}, {"max_monthly", b.MaxMonthly}, {"lower_sector_buy", b.LowerSectorBuy},
		{"upper_sector_sell", b.UpperSectorSell}, {"floor_buy", b.FloorBuy}, {"ceiling_sell", b.CeilingSell}} {
		if x.v < 0 {
			p.add("buffer_stock."+x.f, "must be ≥ 0, got %g", x.v)
		}
	}
	if b.Floor > 0 && b.Ceiling > 0 && b.Ceiling <= b.Floor {
		p.add("buffer_stock.ceiling", "must be above the floor %g, got %g", b.Floor, b.Ceiling)
	}
	if b.MaxTonnes > 0 && b.InitialTonnes > b.MaxTonnes {
		p.add("buffer_stock.initial_tonnes", "must be at most max_tonnes %g, got %g", b.MaxTonnes, b.InitialTonnes)
	}
	if sc.Kind == KindEquilibrium && (b.FloorBuy != 0 || b.CeilingSell != 0) {
		p.add("buffer_stock.floor_buy", "floor_buy and ceiling_sell are for a replay; in an equilibrium the buffer stock buys whatever holds the floor")
	}
}

func (sc *Scenario) validateReplay(p *problems) {
	r := sc.Replay
	if r == nil {
		p.add("replay", "a scenario of kind replay needs a replay section")
		return
	}
	if !strings.HasPrefix(r.Series, "pinksheet:") {
		p.add("replay.series", "want pinksheet:CODE, got %q", r.Series)
	}
	if sc.Months == 0 && r.To.IsZero() {
		p.add("months", "a replay needs months or replay.to")
	}
	if sc.Months < 0 || sc.Months > 1200 {
		p.add("months", "must be 1 to 1200, got %d", sc.Months)
	}
	if !r.To.IsZero() && r.To.Before(sc.Start) {
		p.add("replay.to", "must not be before start %s", sc.Start)
	}
	if len(r.Ranges) == 0 {
		p.add("replay.ranges", "at least one range is required")
	}
	for i, rg := range r.Ranges {
		f := fmt.Sprintf("replay.ranges[%d]", i)
		if i > 0 && !rg.From.After(r.Ranges[i-1].From) {
			p.add(f+".from", "must be after ranges[%d].from %s", i-1, r.Ranges[i-1].From)
		}
		if rg.Floor <= 0 {
			p.add(f+".floor", "must be > 0, got %g", rg.Floor)
		}
		if rg.Ceiling <= rg.Floor {
			p.add(f+".ceiling", "must be above the floor %g, got %g", rg.Floor, rg.Ceiling)
		}
		if rg.UsdRate < 0 {
			p.add(f+".usd_rate", "must be > 0, got %g", rg.UsdRate)
		}
	}
	for i, c := range r.Contributions {
		f := fmt.Sprintf("replay.contributions[%d]", i)
		if i > 0 && c.From.Before(r.Contributions[i-1].From) {
			p.add(f+".from", "must not be before contributions[%d].from %s", i-1, r.Contributions[i-1].From)
		}
		if c.Money < 0 || c.Tonnes < 0 || c.MaxTonnes < 0 {
			p.add(f, "money, tonnes and max_tonnes must be ≥ 0")
		}
	}
	if len(r.Ranges) > 0 && r.Ranges[0].From.After(sc.Start) {
		p.add("replay.ranges[0].from", "the first range must be in force at the start %s", sc.Start)
	}
	if sc.Buffer == nil {
		p.add("buffer_stock", "a replay needs a buffer stock to operate")
	} else {
		sc.validateBuffer(p)
		if sc.Buffer.Floor != 0 || sc.Buffer.Ceiling != 0 || sc.Buffer.Region != "" {
			p.add("buffer_stock.floor", "a replay takes floor and ceiling from replay.ranges and has no region")
		}
	}
	if len(sc.Regions) > 0 || len(sc.Shocks) > 0 || sc.Investment != nil || len(sc.Releases) > 0 || len(sc.Supply.Producers) > 0 || sc.Supply.Curve != "" {
		p.add("regions", "a replay runs a price series: regions, supply, shocks, investment and releases do not apply")
	}
}

func checkElasticity(p *problems, field string, e float64, required bool) {
	if e >= 0 || e < -20 {
		if e == 0 && !required {
			return
		}
		p.add(field, "must be < 0 (and ≥ -20), got %g", e)
	}
}

func uniqueID(p *problems, ids map[string]string, field, id string) {
	if id == "" {
		p.add(field, "required")
		return
	}
	if prev, dup := ids[id]; dup {
		p.add(field, "duplicate of %s %q", prev, id)
		return
	}
	ids[id] = field
}

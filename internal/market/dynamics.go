package market

import (
	"math"
	"math/rand/v2"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// A path is the scenario's months simulated one after another: each month the
// runner sets demand, capacities, the design's instruments and the stocks'
// offers and bids, solves the spatial equilibrium (warm-started from the
// previous month's forest), checks that production equals consumption plus the
// change in stocks, and updates investment, closures and the stocks.
//
// A worker keeps one runner and reuses its buffers for every path it runs; the
// solver is reset at the start of each path, so a path's result depends only
// on the plan, the design switch and its random stream.
type runner struct {
	pl     *Plan
	design bool // the agreement's instruments, buffer stock and releases; false: the no-agreement baseline
	noise  bool // Monte Carlo draws; false: the central path
	R, P   int
	nOwn   int // owners of supply steps: producers, stocks, releases, backstops

	m      model
	s      *solver
	linkAt []int  // R×R: link index of a → b
	block  []bool // R×R: the blocked routes the solver was built with

	costF     float64   // cost factor (noise)
	dx        []float64 // demand noise state by region
	capNow    []float64 // capacity this month by owner
	costNow   []float64 // cost this month by owner
	out       []float64 // output this month by owner
	alive     []bool    // producer not closed
	onlineAt  []int     // month a producer first produces (projects: once committed)
	committed []int     // project: month committed, −1 not yet
	below     []int     // months in a row below cash cost
	outUntil  []int     // random outage: first month without it
	outShare  []float64
	hist      []float64 // R × window: producer prices, ring
	histN     int

	bsT, bsM         float64
	exhaustedBy      string // money or space
	bsLimit          string // what limits the buffer stock's bids this month: money, space or monthly
	bsBought, bsSold float64
	exhausted        int // first month the buffer stock could not hold the floor for want of money or space; −1 never
	stockOut         int // first month it could not hold the ceiling for want of stock; −1 never
	relLeft          []float64
	released         float64
	substitutes      float64

	rng *rand.Rand

	// results of the month
	price, pprice, cons, prod []float64 // by region
	imports, exports          []float64
	rev                       []Revenue
	flowQ                     []float64 // R×R
	revZone                   float64   // the zone's tariff revenue this month
	floorBroken               bool
	ceilingBroken             bool
	residual                  float64
}

// capTilt is the share of the gap left unlevied below the cap where a capped
// levy would take the whole gap (share 1, no ad valorem duty on the route).
// There the landed price is flat between floor − cap and the floor, with a
// piece of slope 1 below: its inverse (the netback) jumps at the floor, and a
// tree whose prices cross the jump has no clearing root price in the forest
// method. Levying 99.99% of the gap there keeps a slope of 10⁻⁴ and the
// inverse continuous; the capped levy itself is exact. The solver needs it:
// with 0 nickel-indonesia-surge fails its balance check, and so does it at
// 10⁻⁶ to 10⁻¹² (cobalt-drc-2025 too at 10⁻⁶ and 10⁻⁸), the netback's slope
// of 1/tilt defeating the root finding.
const capTilt = 1e-4

// owner indices beyond the producers.
func (r *runner) ownBSCeiling() int    { return r.P }
func (r *runner) ownBSUpper() int      { return r.P + 1 }
func (r *runner) ownRelease(k int) int { return r.P + 2 + k }
func (r *runner) ownBackstop(g int) int {
	return r.P + 2 + len(r.pl.releases) + g
}

func newRunner(pl *Plan, design, noise bool) *runner {
	R, P := len(pl.regions), len(pl.producers)
	r := &runner{pl: pl, design: design, noise: noise, R: R, P: P}
	r.nOwn = P + 2 + len(pl.releases) + R
	r.capNow, r.costNow, r.out = make([]float64, r.nOwn), make([]float64, r.nOwn), make([]float64, r.nOwn)
	r.alive, r.onlineAt, r.committed, r.below = make([]bool, P), make([]int, P), make([]int, len(pl.projects)), make([]int, P)
	r.outUntil, r.outShare = make([]int, P), make([]float64, P)
	r.dx = make([]float64, R)
	r.hist = make([]float64, R*max(1, pl.window))
	r.relLeft = make([]float64, len(pl.releases))
	r.price, r.pprice, r.cons, r.prod = make([]float64, R), make([]float64, R), make([]float64, R), make([]float64, R)
	r.imports, r.exports, r.rev = make([]float64, R), make([]float64, R), make([]Revenue, R)
	r.flowQ = make([]float64, R*R)
	r.block = make([]bool, R*R)
	r.linkAt = make([]int, R*R)

	// The model: demand and supply by region, the self links first, then
	// every route between two regions.
	in := &Instance{Currency: pl.Scenario.Currency, Unit: pl.Scenario.Unit}
	for _, g := range pl.regions {
		in.Regions = append(in.Regions, Region{ID: g.id})
	}
	r.m = model{in: in, n: R, dem: make([]demandCurve, R), sup: make([]supplyCurve, R)}
	perRegion := make([]int, R)
	for _, p := range pl.producers {
		perRegion[p.region]++
	}
	for g := 0; g < R; g++ {
		k := perRegion[g] + 3 + len(pl.releases)
		r.m.sup[g] = supplyCurve{cost: make([]float64, 0, k), cum: make([]float64, 1, k+1), idx: make([]int, 0, k)}
		r.m.links = append(r.m.links, link{from: g, to: g})
		r.linkAt[g*R+g] = g
	}
	for a := 0; a < R; a++ {
		for b := 0; b < R; b++ {
			if a != b {
				r.linkAt[a*R+b] = len(r.m.links)
				r.m.links = append(r.m.links, link{from: a, to: b, transport: pl.transport[a*R+b], share: 1})
			}
		}
	}
	r.m.pscale = math.Max(pl.backstop, 1)
	for _, f := range pl.floor {
		r.m.pscale = math.Max(r.m.pscale, f)
	}
	r.m.qscale = pl.qscale
	return r
}

// reset prepares the runner for a new path with the given random stream.
func (r *runner) reset(rng *rand.Rand) {
	pl := r.pl
	r.rng = rng
	r.costF = 1
	clear(r.dx)
	for j := range r.alive {
		r.alive[j] = true
		r.below[j] = 0
		r.outUntil[j], r.outShare[j] = 0, 0
		r.onlineAt[j] = pl.producers[j].online
	}
	for k := range r.committed {
		r.committed[k] = -1
	}
	r.histN = 0
	r.bsT, r.bsM = 0, 0
	if pl.buffer != nil {
		r.bsT, r.bsM = pl.buffer.tonnes, pl.buffer.money
	}
	r.exhausted, r.stockOut = -1, -1
	for k, rl := range pl.releases {
		r.relLeft[k] = rl.total
	}
	r.s = nil
}

// draw takes the month's random shocks, always in the same order.
func (r *runner) draw(t int) {
	mc := &r.pl.Scenario.MonteCarlo
	if n := mc.DemandNoise; n != nil {
		for g := range r.dx {
			r.dx[g] = n.Persistence*r.dx[g] + n.Sigma*r.rng.NormFloat64()
		}
	}
	if n := mc.CostNoise; n != nil {
		x := math.Log(r.costF)
		r.costF = math.Exp(n.Persistence*x + n.Sigma*r.rng.NormFloat64())
	}
	if d := mc.Disruptions; d != nil && r.rng.Float64() < d.Probability {
		// One producer, chosen in proportion to its capacity among those
		// that may be hit.
		var total float64
		for j, p := range r.pl.producers {
			if r.eligible(j, d.Countries) {
				total += p.capacity
			}
		}
		u := r.rng.Float64() * total
		for j, p := range r.pl.producers {
			if !r.eligible(j, d.Countries) {
				continue
			}
			if u -= p.capacity; u < 0 {
				r.outUntil[j] = t + d.Months
				r.outShare[j] = d.Share
				break
			}
		}
	}
}

func (r *runner) eligible(j int, countries []string) bool {
	if len(countries) == 0 {
		return true
	}
	return slices.Contains(countries, r.pl.producers[j].country)
}

// invest commits the projects whose expected price pays: the trailing
// average of their region's producer price, or the floor where the design
// holds it (a variable duty or a buffer stock in the zone).
func (r *runner) invest(t int) {
	pl := r.pl
	if t == 0 || len(pl.projects) == 0 {
		return
	}
	n := min(r.histN, pl.window)
	for k, pj := range pl.projects {
		if r.committed[k] >= 0 || t < pj.earliest {
			continue
		}
		p := pl.producers[pj.producer]
		var avg float64
		for i := 1; i <= n; i++ {
			avg += r.hist[p.region*pl.window+(r.histN-i)%pl.window]
		}
		avg /= float64(n)
		expected := avg
		if r.design && pl.regions[p.region].allParty && (pl.enforced || pl.buffer != nil && pl.buffer.region == p.region) {
			expected = math.Max(expected, pl.floor[t])
		}
		if expected >= p.cost*r.costF+pj.charge {
			r.committed[k] = t
			r.onlineAt[pj.producer] = t + pj.lead
		}
	}
}

// capacities sets each owner's capacity and cost for month t.
func (r *runner) capacities(t int) {
	pl := r.pl
	for j, p := range pl.producers {
		c := 0.0
		if r.alive[j] && t >= r.onlineAt[j] && t < p.offline && (p.project < 0 || r.committed[p.project] >= 0) {
			c = p.capacity * pl.capFactor[t*r.P+j]
			if t < r.outUntil[j] {
				c *= 1 - r.outShare[j]
			}
		}
		r.capNow[j] = c
		r.costNow[j] = p.cost * r.costF
	}
	for _, q := range pl.quotas {
		if t < q.from || t >= q.to {
			continue
		}
		var sum float64
		for _, j := range q.producers {
			sum += r.capNow[j]
		}
		if sum > q.monthly {
			f := q.monthly / sum
			for _, j := range q.producers {
				r.capNow[j] *= f
			}
		}
	}
	for k := 2; k < r.nOwn-r.P; k++ {
		r.capNow[r.P+k] = 0
	}
	r.capNow[r.ownBSCeiling()], r.capNow[r.ownBSUpper()] = 0, 0
	if r.design && pl.buffer != nil && r.bsT > 0 {
		b := pl.buffer
		floor, ceiling := pl.bandAt(t)
		upperBottom := ceiling - (ceiling-floor)/3
		avail := r.bsT
		if b.maxMonthly > 0 {
			avail = math.Min(avail, b.maxMonthly)
		}
		up := math.Min(b.upperSell, avail)
		r.capNow[r.ownBSUpper()], r.costNow[r.ownBSUpper()] = up, upperBottom
		r.capNow[r.ownBSCeiling()], r.costNow[r.ownBSCeiling()] = avail-up, ceiling
	}
	for k, rl := range pl.releases {
		if r.design || rl.market {
			if t >= rl.from && r.relLeft[k] > 0 {
				r.capNow[r.ownRelease(k)] = math.Min(rl.monthly, r.relLeft[k])
				r.costNow[r.ownRelease(k)] = rl.trigger
			}
		}
	}
	for g := 0; g < r.R; g++ {
		r.capNow[r.ownBackstop(g)] = pl.qscale
		r.costNow[r.ownBackstop(g)] = pl.backstop
	}
}

// ownerRegion is the region of an owner's supply.
func (r *runner) ownerRegion(o int) int {
	switch {
	case o < r.P:
		return r.pl.producers[o].region
	case o < r.P+2:
		if r.pl.buffer == nil {
			return -1
		}
		return r.pl.buffer.region
	case o < r.P+2+len(r.pl.releases):
		return r.pl.releases[o-r.P-2].region
	}
	return o - r.P - 2 - len(r.pl.releases)
}

// supply builds every region's step curve from the owners with capacity,
// sorted by cost (ties by owner).
func (r *runner) supply() {
	for g := range r.m.sup {
		s := &r.m.sup[g]
		s.cost, s.idx, s.cum = s.cost[:0], s.idx[:0], s.cum[:1]
	}
	for o := 0; o < r.nOwn; o++ {
		if r.capNow[o] <= 0 {
			continue
		}
		s := &r.m.sup[r.ownerRegion(o)]
		c := r.costNow[o]
		// Insertion: owners come in index order, so ties stay in owner order.
		s.cost = append(s.cost, c)
		s.idx = append(s.idx, o)
		for i := len(s.cost) - 1; i > 0 && s.cost[i-1] > c; i-- {
			s.cost[i], s.cost[i-1] = s.cost[i-1], s.cost[i]
			s.idx[i], s.idx[i-1] = s.idx[i-1], s.idx[i]
		}
	}
	for g := range r.m.sup {
		s := &r.m.sup[g]
		for k, o := range s.idx {
			s.cum = append(s.cum, s.cum[k]+r.capNow[o])
		}
	}
}

// demand sets every region's demand curve and the buffer stock's bids.
func (r *runner) demand(t int) {
	pl := r.pl
	for g, pr := range pl.regions {
		d := &r.m.dem[g]
		d.p0, d.e = pr.p0, pr.e
		d.q0 = pr.q0 * pl.growthAt[t*r.R+g] * pl.demFactor[t*r.R+g]
		if r.noise {
			d.q0 *= math.Exp(r.dx[g])
		}
		d.buyP, d.buyQ, d.buy2P, d.buy2Q = 0, 0, 0, 0
	}
	if !r.design || pl.buffer == nil {
		return
	}
	b := pl.buffer
	floor, ceiling := pl.bandAt(t)
	lowerTop := floor + (ceiling-floor)/3
	limit := math.Inf(1)
	if b.maxT > 0 {
		limit = math.Max(0, b.maxT-r.bsT)
	}
	if b.maxMonthly > 0 {
		limit = math.Min(limit, b.maxMonthly)
	}
	money := math.Max(0, r.bsM)
	r.bsLimit = "money"
	if b.maxT > 0 && b.maxT-r.bsT <= limit {
		r.bsLimit = "space"
	}
	if b.maxMonthly > 0 && b.maxMonthly < math.Max(0, b.maxT-r.bsT) || b.maxMonthly > 0 && b.maxT == 0 {
		r.bsLimit = "monthly"
	}
	q1 := math.Min(b.lowerBuy, math.Min(limit, money/lowerTop))
	q2 := math.Min(limit-q1, (money-q1*lowerTop)/floor)
	if money-q1*lowerTop < (limit-q1)*floor {
		r.bsLimit = "money"
	}
	d := &r.m.dem[b.region]
	d.buyP, d.buyQ = floor, math.Max(0, q2)
	d.buy2P, d.buy2Q = lowerTop, q1
}

// links sets the routes' instruments for month t and reports whether the set
// of blocked routes changed.
func (r *runner) links(t int) bool {
	pl, R := r.pl, r.R
	changed := false
	for a := 0; a < R; a++ {
		for b := 0; b < R; b++ {
			if a == b {
				continue
			}
			l := &r.m.links[r.linkAt[a*R+b]]
			bl := pl.blocked[(t*R+a)*R+b]
			if bl != r.block[a*R+b] {
				changed = true
				r.block[a*R+b] = bl
			}
			l.blocked = bl
			l.transport = pl.transport[a*R+b] + pl.extra[(t*R+a)*R+b]
			l.hasFloor, l.hasCap, l.share, l.tilt, l.adValorem = false, false, 1, 0, 0
			if r.design && pl.regions[b].allParty {
				party := pl.regions[a].allParty
				if !party && pl.Design.Surcharge > 0 && !r.surchargeExempt(a) {
					l.adValorem = pl.Design.Surcharge * pl.levyShare[t]
				}
				if pl.enforced && pl.floor[t] > 0 && !(party && pl.partyOrigin == agreement.Exempt) {
					// The variable duty's rule (agreement.VariableDutyPerUnit):
					// the gap, capped at the cap per unit at the floor, then
					// × the phase-in share and a party's origin share.
					l.hasFloor, l.floor = true, pl.floor[t]
					l.share = pl.levyShare[t]
					if party {
						l.share *= pl.partyShare
					}
					if l.hasCap = pl.capRate != nil; l.hasCap {
						l.cap = pl.capUnit[t]
						if l.share == 1 && l.adValorem == 0 {
							l.tilt = capTilt
						}
					}
					if l.share <= 0 {
						l.hasFloor = false
					}
				}
			}
			l.prepare()
		}
	}
	return changed
}

func (r *runner) surchargeExempt(a int) bool {
	cs := r.pl.regions[a].countries
	if len(cs) == 0 || len(r.pl.surchargeExempt) == 0 {
		return false
	}
	for _, c := range cs {
		if !slices.Contains(r.pl.surchargeExempt, c) {
			return false
		}
	}
	return true
}

// solve finds the month's equilibrium, warm-started from the previous
// month's forest unless the blocked routes changed.
func (r *runner) solve(rebuild bool) error {
	if r.s == nil || rebuild {
		r.s = newSolver(&r.m)
		r.s.buy = make([]float64, r.R)
	} else {
		for _, t := range r.s.trees {
			if t != nil {
				t.dirty = true
			}
		}
	}
	r.s.pivots = 0
	return r.s.run()
}

// step simulates month t.
func (r *runner) step(t int) error {
	if r.noise {
		r.draw(t)
	}
	r.invest(t)
	r.capacities(t)
	r.supply()
	r.demand(t)
	changed := r.links(t)
	if err := r.solve(changed || t == 0); err != nil {
		return err
	}
	r.extract()
	return r.settle(t)
}

// extract reads prices, outputs, purchases, flows and revenue off the solver.
func (r *runner) extract() {
	s, m, R := r.s, &r.m, r.R
	clear(r.out)
	clear(r.prod)
	clear(r.imports)
	clear(r.exports)
	clear(r.flowQ)
	for g := 0; g < R; g++ {
		r.price[g] = s.price[R+g]
		r.pprice[g] = s.price[g]
		r.cons[g] = m.dem[g].quantity(r.price[g])
		r.rev[g] = Revenue{}
		sup := &m.sup[g]
		if len(sup.cost) == 0 {
			continue
		}
		pi := s.price[g]
		a, b := sup.bounds(pi, s.stol)
		share := 0.0
		if b > a {
			share = math.Min(1, math.Max(0, (s.net[g]-a)/(b-a)))
		}
		for k, o := range sup.idx {
			c, capk := sup.cost[k], sup.cum[k+1]-sup.cum[k]
			switch {
			case c < pi-s.stol:
				r.out[o] = capk
			case c <= pi+s.stol:
				r.out[o] = share * capk
			}
		}
	}
	r.revZone = 0
	for e := R; e < len(m.links); e++ {
		l := &m.links[e]
		f := s.flow[e]
		if !s.inTree[e] || f <= 0 {
			continue
		}
		r.flowQ[l.from*R+l.to] = f
		r.exports[l.from] += f
		r.imports[l.to] += f
		pi := s.price[l.from]
		b := pi + l.transport
		rv := &r.rev[l.to]
		rv.Specific += l.specific * f
		rv.AdValorem += l.adValorem * b * f
		rv.FloorLevy += l.levy(pi) * f
	}
	for g := 0; g < R; g++ {
		rv := &r.rev[g]
		rv.Total = rv.Specific + rv.AdValorem + rv.FloorLevy
		if r.pl.regions[g].allParty {
			r.revZone += rv.Total
		}
	}
	for j := 0; j < r.P; j++ {
		r.prod[r.pl.producers[j].region] += r.out[j]
	}
}

// settle checks the month's balance and updates stocks, closures and the
// price history.
func (r *runner) settle(t int) error {
	pl := r.pl
	r.bsBought, r.bsSold, r.released, r.substitutes = 0, 0, 0, 0
	r.floorBroken, r.ceilingBroken = false, false
	if r.design && pl.buffer != nil {
		b := pl.buffer
		g := b.region
		r.bsBought = r.s.buy[g]
		r.bsSold = r.out[r.ownBSCeiling()] + r.out[r.ownBSUpper()]
		p := r.price[g]
		r.bsT += r.bsBought - r.bsSold
		r.bsM += r.out[r.ownBSUpper()]*r.pprice[g] + r.out[r.ownBSCeiling()]*r.pprice[g] - r.bsBought*p
		floor, ceiling := pl.bandAt(t)
		tol := 1e-9 * r.m.pscale
		if p < floor-tol {
			r.floorBroken = true
			if r.exhausted < 0 && r.bsLimit != "monthly" {
				r.exhausted, r.exhaustedBy = t, r.bsLimit
			}
		}
		if p > ceiling+tol {
			r.ceilingBroken = true
			if r.stockOut < 0 && (b.maxMonthly == 0 || r.bsSold < b.maxMonthly*(1-1e-9)) {
				r.stockOut = t
			}
		}
		if r.bsT < 0 {
			r.bsT = 0
		}
	}
	for k := range pl.releases {
		x := r.out[r.ownRelease(k)]
		r.released += x
		r.relLeft[k] -= x
	}
	for g := 0; g < r.R; g++ {
		r.substitutes += r.out[r.ownBackstop(g)]
	}
	var prod, cons float64
	for g := 0; g < r.R; g++ {
		prod += r.prod[g]
		cons += r.cons[g]
	}
	// Conservation: production = consumption + stock change, where the
	// stocks' change is what the buffer stock bought less what it and the
	// stockpiles released, and substitutes met the rest of demand.
	stock := r.bsBought - r.bsSold - r.released
	r.residual = prod + r.substitutes - cons - stock
	if math.Abs(r.residual) > Tolerance*r.m.qscale || math.IsNaN(r.residual) {
		return problem.Errorf(problem.Internal, "market: month %s does not balance: production %g + substitutes %g − consumption %g − stock change %g = %g",
			pl.Months[t], prod, r.substitutes, cons, stock, r.residual)
	}
	// Closures: a producer below its cash cost for closure months in a row.
	for j, p := range pl.producers {
		if !r.alive[j] || r.capNow[j] <= 0 {
			continue
		}
		if r.pprice[p.region] < r.costNow[j] {
			r.below[j]++
			if pl.closure > 0 && r.below[j] >= pl.closure {
				r.alive[j] = false
			}
		} else {
			r.below[j] = 0
		}
	}
	if pl.window > 0 {
		// What a new producer in the region would get: its producers' price,
		// or its consumers' where that is higher (it would sell at home).
		for g := 0; g < r.R; g++ {
			r.hist[g*pl.window+r.histN%pl.window] = math.Max(r.pprice[g], r.price[g])
		}
		r.histN++
	}
	return nil
}

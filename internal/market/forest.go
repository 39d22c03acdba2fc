package market

import (
	"fmt"
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// The solver works on a bipartite graph: node r < n is region r as an
// exporter (its producers' price π_r), node n+s is region s as an importer
// (its consumers' price p_s). A link r → s is an edge; flow on it means
// p_s = landed_rs(π_r). The solver keeps a spanning forest of edges that may
// carry flow, as the network simplex method does:
//
//  1. In each tree every price is a nondecreasing function of the price θ of
//     its root, so the tree's excess supply is nondecreasing in θ; a
//     safeguarded regula falsi (Illinois) finds the θ that clears the tree.
//     Supply is a step function, so "clears" means 0 lies between the supply
//     with and without the marginal producers.
//  2. The flows on the tree's edges then follow from the node balances.
//  3. An edge with negative flow leaves the forest (its tree splits); a
//     non-forest link with p_s > landed_rs(π_r) — an arbitrage — enters it,
//     joining two trees, or, inside one tree, replacing the edge of the cycle
//     whose flow falls to zero first.
//
// It stops when no flow is negative and no link offers an arbitrage: the
// equilibrium conditions then hold by construction, to rounding.

type tree struct {
	nodes []int
	edges []int // link indices
	root  int
	dirty bool
}

type solver struct {
	m      *model
	price  []float64 // by node
	net    []float64 // net supply by node at the solution of its tree
	sub    []float64 // scratch: net supply of the subtree below a node
	treeOf []int
	trees  []*tree
	inTree []bool
	flow   []float64 // by link
	dp     []float64 // by node: d price / d root price in the tree being solved
	dgap   float64   // d excess / d root price at the last excess
	// jumpUp and jumpDown are how far the root price may move up or down
	// from the last excess before some step of supply or of a bid is reached.
	jumpUp, jumpDown float64
	buy              []float64 // by region: the purchase of its buyer (dynamics only; nil otherwise)
	pivots           int

	// scratch for tree solves
	order, par []int
	adj        [][]int
	stol, qtol float64
}

// maxPivotsPerLink bounds the work of one solve: more pivots than this mean
// the forest is cycling (a degenerate instance), which is reported.
const maxPivotsPerLink = 20

func newSolver(m *model) *solver {
	nn := 2 * m.n
	s := &solver{m: m,
		price: make([]float64, nn), net: make([]float64, nn), dp: make([]float64, nn), sub: make([]float64, nn), treeOf: make([]int, nn),
		inTree: make([]bool, len(m.links)), flow: make([]float64, len(m.links)),
		par: make([]int, nn), adj: make([][]int, nn),
		stol: 1e-12 * m.pscale, qtol: 1e-13 * m.qscale,
	}
	for i := range s.treeOf {
		s.treeOf[i] = -1
	}
	for r := 0; r < m.n; r++ {
		if len(m.sup[r].cost) > 0 {
			t := &tree{nodes: []int{r, m.n + r}, edges: []int{r}, root: r, dirty: true}
			s.inTree[r] = true
			s.price[r] = m.sup[r].cost[0]
			s.addTree(t)
		} else {
			s.addTree(&tree{nodes: []int{m.n + r}, root: m.n + r, dirty: true})
		}
	}
	return s
}

func (s *solver) addTree(t *tree) {
	for i, u := range s.trees {
		if u == nil {
			s.trees[i] = t
			s.setTree(t, i)
			return
		}
	}
	s.trees = append(s.trees, t)
	s.setTree(t, len(s.trees)-1)
}

func (s *solver) setTree(t *tree, id int) {
	for _, v := range t.nodes {
		s.treeOf[v] = id
	}
}

// active reports whether node v takes part: importers always, exporters only
// with producers.
func (s *solver) active(v int) bool {
	return v >= s.m.n || len(s.m.sup[v].cost) > 0
}

func (s *solver) run() error {
	limit := maxPivotsPerLink * (len(s.m.links) + s.m.n)
	for {
		for _, t := range s.trees {
			if t != nil && t.dirty {
				if err := s.solveTree(t); err != nil {
					return err
				}
				t.dirty = false
			}
		}
		if s.pivots >= limit {
			return problem.Errorf(problem.Internal, "market: equilibrium search did not settle after %d pivots", s.pivots)
		}
		// Most negative flow on a forest edge.
		worst, we := -8*s.qtol, -1
		for e, in := range s.inTree {
			if in && s.flow[e] < worst {
				worst, we = s.flow[e], e
			}
		}
		if we >= 0 {
			s.pivots++
			s.split(we)
			continue
		}
		// Largest arbitrage on a link outside the forest.
		best, be := 8*s.stol, -1
		for e := range s.m.links {
			l := &s.m.links[e]
			if s.inTree[e] || !s.active(l.from) || l.blocked {
				continue
			}
			if v := s.price[s.m.n+l.to] - l.landed(s.price[l.from]); v > best {
				best, be = v, e
			}
		}
		if be < 0 {
			return nil
		}
		s.pivots++
		l := &s.m.links[be]
		a, b := s.treeOf[l.from], s.treeOf[s.m.n+l.to]
		if a != b {
			s.join(a, b, be)
		} else {
			s.cycle(a, be)
		}
	}
}

// split removes edge e from its tree, making two trees.
func (s *solver) split(e int) {
	id := s.treeOf[s.m.links[e].from]
	t := s.trees[id]
	s.inTree[e] = false
	s.flow[e] = 0
	t.edges = remove(t.edges, e)
	s.bfs(t, s.m.links[e].from)
	side := make(map[int]bool, len(s.order))
	for _, v := range s.order {
		side[v] = true
	}
	a := &tree{root: s.m.links[e].from, dirty: true}
	b := &tree{root: s.m.n + s.m.links[e].to, dirty: true}
	for _, v := range t.nodes {
		if side[v] {
			a.nodes = append(a.nodes, v)
		} else {
			b.nodes = append(b.nodes, v)
		}
	}
	for _, f := range t.edges {
		if side[s.m.links[f].from] {
			a.edges = append(a.edges, f)
		} else {
			b.edges = append(b.edges, f)
		}
	}
	b.root = pickRoot(b, s.m.n)
	s.trees[id] = a
	s.setTree(a, id)
	s.addTree(b)
}

// join merges trees a and b through link e.
func (s *solver) join(a, b, e int) {
	ta, tb := s.trees[a], s.trees[b]
	ta.nodes = append(ta.nodes, tb.nodes...)
	ta.edges = append(append(ta.edges, tb.edges...), e)
	ta.dirty = true
	if ta.root >= s.m.n {
		ta.root = pickRoot(ta, s.m.n)
	}
	s.inTree[e] = true
	s.trees[b] = nil
	s.setTree(ta, a)
}

// cycle adds link e inside tree id and removes the edge of the cycle it
// closes whose flow would fall to zero first if flow were pushed along e.
func (s *solver) cycle(id, e int) {
	t := s.trees[id]
	l := &s.m.links[e]
	s.bfs(t, s.m.n+l.to)
	// Walk from the exporter back to the importer; the edges at odd
	// positions counted from the importer lose flow.
	var path []int
	for v := l.from; v != s.m.n+l.to; {
		f := s.par[v]
		path = append(path, f)
		v = s.other(f, v)
	}
	out, min := -1, math.Inf(1)
	for i := len(path) - 1; i >= 0; i -= 2 { // path[len-1] touches the importer
		if s.flow[path[i]] < min {
			min, out = s.flow[path[i]], path[i]
		}
	}
	s.inTree[out] = false
	s.flow[out] = 0
	t.edges = append(remove(t.edges, out), e)
	s.inTree[e] = true
	t.dirty = true
}

func (s *solver) other(e, v int) int {
	l := &s.m.links[e]
	if v == l.from {
		return s.m.n + l.to
	}
	return l.from
}

func remove(xs []int, x int) []int {
	for i, y := range xs {
		if y == x {
			return append(xs[:i], xs[i+1:]...)
		}
	}
	return xs
}

// pickRoot prefers an exporter: from an exporter, a price reaches the rest of
// the tree through landed prices, which are defined everywhere.
func pickRoot(t *tree, n int) int {
	for _, v := range t.nodes {
		if v < n {
			return v
		}
	}
	return t.nodes[0]
}

// bfs orders t's nodes breadth-first from root into s.order, with the edge to
// each node's parent in s.par.
func (s *solver) bfs(t *tree, root int) {
	for _, v := range t.nodes {
		s.adj[v] = s.adj[v][:0]
	}
	for _, e := range t.edges {
		l := &s.m.links[e]
		s.adj[l.from] = append(s.adj[l.from], e)
		s.adj[s.m.n+l.to] = append(s.adj[s.m.n+l.to], e)
	}
	s.order = append(s.order[:0], root)
	s.par[root] = -1
	for i := 0; i < len(s.order); i++ {
		v := s.order[i]
		for _, e := range s.adj[v] {
			if e == s.par[v] {
				continue
			}
			w := s.other(e, v)
			s.par[w] = e
			s.order = append(s.order, w)
		}
	}
}

// excess sets the prices of the tree ordered in s.order from the root price
// θ and returns the least and greatest excess supply. It also leaves in
// s.dgap the derivative of the excess with respect to θ away from supply
// steps (demand's slope carried down the tree's price laws), for Newton steps.
func (s *solver) excess(theta float64) (lo, hi float64) {
	n := s.m.n
	var dx float64
	up, down := math.Inf(1), math.Inf(1)
	for i, v := range s.order {
		if i == 0 {
			s.price[v], s.dp[v] = theta, 1
		} else {
			l := &s.m.links[s.par[v]]
			if v >= n {
				pi := s.price[l.from]
				s.price[v] = l.landed(pi)
				s.dp[v] = l.slope(pi) * s.dp[l.from]
			} else {
				s.price[v] = l.netback(s.price[n+l.to])
				s.dp[v] = 0
				if sl := l.slope(s.price[v]); sl > 0 {
					s.dp[v] = s.dp[n+l.to] / sl
				}
			}
		}
		if v >= n {
			dm := &s.m.dem[v-n]
			p := s.price[v]
			d := dm.quantity(p)
			lo -= d
			hi -= d
			dx -= dm.slope(p, d) * s.dp[v]
			if dm.buyQ > 0 || dm.buy2Q > 0 { // the buffer stock's bids
				blo, bhi := dm.bids(p, s.stol)
				lo -= bhi
				hi -= blo
				if dp := s.dp[v]; dp > 0 {
					for _, bp := range [2]float64{dm.buyP, dm.buy2P} {
						if bp > p+s.stol {
							up = math.Min(up, (bp-p)/dp)
						} else if bp < p-s.stol && bp > 0 {
							down = math.Min(down, (p-bp)/dp)
						}
					}
				}
			}
		} else {
			sup := &s.m.sup[v]
			pi := s.price[v]
			a, b := sup.bounds(pi, s.stol)
			lo += a
			hi += b
			if dp := s.dp[v]; dp > 0 && len(sup.cost) > 0 {
				// The root prices at which this exporter reaches its next
				// step up and its last step down.
				if k := sup.count(pi + s.stol); k < len(sup.cost) {
					up = math.Min(up, (sup.cost[k]-pi)/dp)
				}
				if k := sup.count(pi - s.stol); k > 0 {
					down = math.Min(down, (pi-sup.cost[k-1])/dp)
				}
			}
		}
	}
	s.dgap, s.jumpUp, s.jumpDown = dx, up, down
	return lo, hi
}

func (s *solver) gap(theta float64) float64 {
	lo, hi := s.excess(theta)
	switch {
	case lo > s.qtol:
		return lo
	case hi < -s.qtol:
		return hi
	}
	return 0
}

// solveTree sets the prices of t that clear it, then its flows. A tree whose
// root is upstream of a binding floor without ad valorem duty cannot price
// that floor's exporter (the landed price does not depend on it); it is
// re-rooted at that exporter and solved again.
func (s *solver) solveTree(t *tree) error {
	n := s.m.n
	if len(t.nodes) == 1 {
		v := t.nodes[0]
		if v >= n {
			c := s.m.dem[v-n].choke()
			if math.IsInf(c, 1) {
				return problem.Errorf(problem.Invalid, "market: region %s has constant-elasticity demand and no supply", s.m.in.Regions[v-n].ID)
			}
			s.price[v], s.net[v] = c, 0
		} else {
			s.price[v], s.net[v] = s.m.sup[v].cost[0], 0
		}
		return nil
	}
	// Re-root only when the tree does not clear from its root: a root
	// upstream of a flat landed price cannot move the exporter beyond it. A
	// tree that clears is left alone even if it holds flat links (the
	// exporters beyond them are then priced at the kink, with the output
	// that price gives).
	tried := 0
	for attempt := 0; ; attempt++ {
		s.bfs(t, t.root)
		cleared, err := s.clear(t)
		if err != nil {
			return err
		}
		if cleared || attempt == 3 {
			break
		}
		moved := false
		for _, v := range s.order[1:] {
			if v < n && s.m.links[s.par[v]].flat(s.price[v]) && tried&(1<<min(v, 62)) == 0 {
				tried |= 1 << min(v, 62)
				t.root, moved = v, true
				break
			}
		}
		if !moved {
			break
		}
	}
	s.flows()
	return nil
}

// clear finds the root price of the tree ordered in s.order and reports
// whether it clears the tree (false: the bracket closed on a jump the root
// price cannot cross).
//
// It brackets the root from the current price, with a first step the size
// of a Newton step, then narrows the bracket by safeguarded Newton steps from
// the better end (the excess is smooth between supply steps, so they land on
// the root of its piece), falling back to Illinois regula falsi and, every
// fourth iteration, to bisection.
func (s *solver) clear(t *tree) (bool, error) {
	theta := s.price[t.root]
	g := s.gap(theta)
	if g == 0 {
		return true, nil
	}
	d := s.dgap
	step := 1e-3 * s.m.pscale
	if d > 0 {
		step = math.Min(s.m.pscale, math.Max(1e-9*s.m.pscale, 1.05*math.Abs(g/d)))
	}
	var lo, hi, glo, ghi, dlo, dhi, ulo, dwhi float64
	ulo, dwhi = s.jumpUp, s.jumpDown
	if g < 0 {
		lo, glo, dlo = theta, g, d
		for k := 0; ; k++ {
			if k == 80 {
				return false, s.noClear(t)
			}
			hi = lo + step
			if ghi = s.gap(hi); ghi == 0 {
				return true, nil
			} else if ghi > 0 {
				dhi, dwhi = s.dgap, s.jumpDown
				break
			}
			lo, glo, dlo, ulo = hi, ghi, s.dgap, s.jumpUp
			step *= 4
		}
	} else {
		hi, ghi, dhi = theta, g, d
		for k := 0; ; k++ {
			if k == 80 {
				return false, s.noClear(t)
			}
			lo = hi - step
			if glo = s.gap(lo); glo == 0 {
				return true, nil
			} else if glo < 0 {
				dlo, ulo = s.dgap, s.jumpUp
				break
			}
			hi, ghi, dhi, dwhi = lo, glo, s.dgap, s.jumpDown
			step *= 4
		}
	}
	side := 0
	for it := 0; it < 200; it++ {
		w := hi - lo
		if w <= 4e-16*math.Max(math.Abs(lo), math.Abs(hi)) || w <= 1e-300 {
			break
		}
		// A Newton step from the better end, stopped at the first step of
		// supply (or of a bid) on the way: the root often sits on one.
		x := math.NaN()
		switch {
		case it%4 == 3:
		case math.Abs(glo) <= math.Abs(ghi) && dlo > 0 && !math.IsInf(glo, 0):
			x = math.Min(lo-glo/dlo, lo+ulo)
		case math.Abs(glo) <= math.Abs(ghi) && dlo == 0 && ulo < w:
			x = lo + ulo
		case dhi > 0 && !math.IsInf(ghi, 0):
			x = math.Max(hi-ghi/dhi, hi-dwhi)
		case dhi == 0 && dwhi < w:
			x = hi - dwhi
		}
		if !(x > lo && x < hi) && it%4 != 3 {
			x = lo - glo*(hi-lo)/(ghi-glo)
		}
		if it%4 == 3 || !(x > lo && x < hi) || math.IsInf(glo, 0) || math.IsInf(ghi, 0) {
			x = lo + w/2
		}
		gx := s.gap(x)
		switch {
		case gx == 0:
			return true, nil
		case gx < 0:
			lo, glo, dlo, ulo = x, gx, s.dgap, s.jumpUp
			if side < 0 {
				ghi /= 2
			}
			side = -1
		default:
			hi, ghi, dhi, dwhi = x, gx, s.dgap, s.jumpDown
			if side > 0 {
				glo /= 2
			}
			side = 1
		}
	}
	// The bracket has closed on a jump of supply (or to rounding): leave the
	// prices at the end with the smaller imbalance.
	if math.Abs(glo) < math.Abs(ghi) {
		s.gap(lo)
	} else {
		s.gap(hi)
	}
	return false, nil
}

func (s *solver) noClear(t *tree) error {
	return problem.Errorf(problem.Internal, "market: no price clears the trading group of %d regions", len(t.nodes))
}

// flows splits the supply of the tree just solved (its nodes in s.order)
// among its marginal producers so that the tree balances, then sets each
// edge's flow to the net supply beyond it.
func (s *solver) flows() {
	n := s.m.n
	var sumLo, slack float64
	for _, v := range s.order {
		if v >= n {
			lo, hi := s.buyBounds(v - n)
			s.net[v] = -s.m.dem[v-n].quantity(s.price[v]) - hi
			sumLo += s.net[v]
			slack += hi - lo
		} else {
			a, b := s.m.sup[v].bounds(s.price[v], s.stol)
			s.net[v] = a
			sumLo += a
			slack += b - a
		}
	}
	if slack > 0 {
		f := math.Min(1, math.Max(0, -sumLo/slack))
		for _, v := range s.order {
			if v < n {
				a, b := s.m.sup[v].bounds(s.price[v], s.stol)
				s.net[v] = a + f*(b-a)
			} else if lo, hi := s.buyBounds(v - n); hi > lo {
				s.net[v] += f * (hi - lo)
			}
		}
	}
	for _, v := range s.order {
		if v >= n && s.buy != nil {
			lo, hi := s.buyBounds(v - n)
			s.buy[v-n] = hi
			if hi > lo && slack > 0 {
				s.buy[v-n] = hi - math.Min(1, math.Max(0, -sumLo/slack))*(hi-lo)
			}
		}
	}
	// s.sub accumulates by node the net supply of each subtree.
	for _, v := range s.order {
		s.sub[v] = s.net[v]
	}
	for i := len(s.order) - 1; i > 0; i-- {
		v := s.order[i]
		e := s.par[v]
		if v < n {
			s.flow[e] = s.sub[v]
		} else {
			s.flow[e] = -s.sub[v]
		}
		s.sub[s.other(e, v)] += s.sub[v]
	}
}

// buyBounds returns the least and greatest purchase of region r's bids at
// its price (see demandCurve.bids).
func (s *solver) buyBounds(r int) (lo, hi float64) {
	dm := &s.m.dem[r]
	if dm.buyQ <= 0 && dm.buy2Q <= 0 {
		return 0, 0
	}
	return dm.bids(s.price[s.m.n+r], s.stol)
}

// String describes the forest, for debugging.
func (s *solver) String() string {
	return fmt.Sprintf("forest: %d pivots", s.pivots)
}

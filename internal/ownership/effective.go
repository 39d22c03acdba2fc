package ownership

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Holding is one holder's effective interest in a subject, as a fraction,
// with its bounds: Low = High when every share on every chain is exact.
type Holding struct {
	Holder    int32
	Low, High float64
}

// arc is one aggregated direct interest of a holder in a subject on the date.
type arc struct {
	other     int32 // the holder (in-arcs) or the subject (out-arcs)
	low, high float64
	edges     []int32 // the register's edges behind it
}

// Graph is the register's direct interests of one kind (shares or votes) on
// one date, aggregated per holder and subject, in compressed rows: the
// arcs into subject j are in[inAt[j]:inAt[j+1]], out of holder h
// out[outAt[h]:outAt[h+1]].
type Graph struct {
	reg *Register
	On  date.Date
	// Skipped are the statements of indirect interests left out because the
	// register holds their chains (graphOf).
	Skipped []string
	inAt    []int32
	in      []arc
	outAt   []int32
	out     []arc
}

// In returns the arcs into subject j (its holders).
func (g *Graph) In(j int) []arc { return g.in[g.inAt[j]:g.inAt[j+1]] }

// Out returns the arcs out of holder h (what it holds).
func (g *Graph) Out(h int) []arc { return g.out[g.outAt[h]:g.outAt[h+1]] }

// bySubject returns the edge indices of sel grouped by subject (a counting
// sort), each group sorted by holder; start[j] is where subject j's begin.
func bySubject(r *Register, sel []int32) (order []int32, start []int32) {
	n := len(r.Nodes)
	start = make([]int32, n+1)
	for _, e := range sel {
		start[r.Edges[e].Subject+1]++
	}
	for j := range n {
		start[j+1] += start[j]
	}
	order = make([]int32, len(sel))
	next := slices.Clone(start[:n])
	for _, e := range sel {
		s := r.Edges[e].Subject
		order[next[s]] = e
		next[s]++
	}
	for j := range n {
		grp := order[start[j]:start[j+1]]
		if len(grp) > 1 {
			slices.SortStableFunc(grp, func(a, b int32) int { return r.Edges[a].Holder - r.Edges[b].Holder })
		}
	}
	return order, start
}

// graphOf aggregates the active edges of a kind: shareholdings, or votes
// (a pair's votingRights interests where it states any on the date, its
// shareholding otherwise: one share, one vote).
//
// An interest declared indirect (BODS directOrIndirect "indirect") sums
// chains of its own: it is left out when its holder already reaches its
// subject through the other interests (the chain is in the register; adding
// the summary would count it twice) and kept as an arc otherwise (the
// summary is all the register knows). Skipped lists the ones left out.
func graphOf(r *Register, on date.Date, votes bool) *Graph {
	var sel, indirect []int32
	for i := range r.Edges {
		e := &r.Edges[i]
		if (e.Type == Shareholding || votes && e.Type == VotingRights) && e.Active(on) {
			if e.Direct == "indirect" {
				indirect = append(indirect, int32(i))
				continue
			}
			sel = append(sel, int32(i))
		}
	}
	g := buildGraph(r, on, votes, sel)
	if len(indirect) == 0 {
		return g
	}
	for _, e := range indirect {
		if g.reaches(r.Edges[e].Holder, r.Edges[e].Subject) {
			g.Skipped = append(g.Skipped, r.Edges[e].Statement)
			continue
		}
		sel = append(sel, e)
	}
	skipped := g.Skipped
	g = buildGraph(r, on, votes, sel)
	g.Skipped = skipped
	return g
}

// reaches reports whether h reaches s through the arcs of g.
func (g *Graph) reaches(h, s int) bool {
	seen := map[int]bool{h: true}
	stack := []int{h}
	for len(stack) > 0 {
		v := stack[len(stack)-1]
		stack = stack[:len(stack)-1]
		for _, a := range g.Out(v) {
			w := int(a.other)
			if w == s {
				return true
			}
			if !seen[w] {
				seen[w] = true
				stack = append(stack, w)
			}
		}
	}
	return false
}

func buildGraph(r *Register, on date.Date, votes bool, sel []int32) *Graph {
	n := len(r.Nodes)
	order, start := bySubject(r, sel)
	g := &Graph{reg: r, On: on, inAt: make([]int32, n+1), in: make([]arc, 0, len(order))}
	for j := range n {
		grp := order[start[j]:start[j+1]]
		for a := 0; a < len(grp); {
			h := r.Edges[grp[a]].Holder
			b := a
			hasVotes := false
			for b < len(grp) && r.Edges[grp[b]].Holder == h {
				hasVotes = hasVotes || r.Edges[grp[b]].Type == VotingRights
				b++
			}
			pair := grp[a:b:b]
			if votes {
				// Keep the pair's vote edges, or its share edges when it
				// states no votes.
				want := Shareholding
				if hasVotes {
					want = VotingRights
				}
				k := 0
				for _, e := range pair {
					if r.Edges[e].Type == want {
						pair[k] = e
						k++
					}
				}
				pair = pair[:k:k]
			}
			x := arc{other: int32(h), edges: pair}
			for _, e := range pair {
				x.low += r.Edges[e].Share.Low
				x.high += r.Edges[e].Share.High
			}
			x.low, x.high = math.Min(x.low, 1), math.Min(x.high, 1)
			g.in = append(g.in, x)
			a = b
		}
		g.inAt[j+1] = int32(len(g.in))
	}
	g.outAt, g.out = transpose(g.inAt, g.in, n)
	return g
}

// transpose turns in-arcs grouped by subject into out-arcs grouped by holder.
func transpose(inAt []int32, in []arc, n int) ([]int32, []arc) {
	outAt := make([]int32, n+1)
	for _, a := range in {
		outAt[a.other+1]++
	}
	for h := range n {
		outAt[h+1] += outAt[h]
	}
	out := make([]arc, len(in))
	next := slices.Clone(outAt[:n])
	for j := range n {
		for _, a := range in[inAt[j]:inAt[j+1]] {
			h := a.other
			a.other = int32(j)
			out[next[h]] = a
			next[h]++
		}
	}
	return outAt, out
}

// Shares returns the graph of shareholdings on d.
func Shares(r *Register, on date.Date) *Graph { return graphOf(r, on, false) }

// Votes returns the graph of voting rights on d: a pair's votingRights
// interests where it states any, its shareholding otherwise (one share, one
// vote).
func Votes(r *Register, on date.Date) *Graph { return graphOf(r, on, true) }

// Interests are the effective interests of every holder in every subject on
// one date.
type Interests struct {
	reg *Register
	On  date.Date
	// of[s] lists the holders of s with their effective interest, sorted by
	// holder index. A member of a cycle holds an interest in itself (the
	// walks that return to it); it is kept here, for the chains that leave
	// the cycle through it count it, and left out of what Of and Between
	// answer.
	of    [][]Holding
	graph *Graph
}

// Of returns every effective holding in subject s by another node.
func (x *Interests) Of(s int) []Holding {
	hs := x.of[s]
	if i, ok := slices.BinarySearchFunc(hs, int32(s), func(a Holding, t int32) int { return int(a.Holder - t) }); ok {
		return append(hs[:i:i], hs[i+1:]...)
	}
	return hs
}

// Graph returns the direct shareholdings the interests were computed from.
func (x *Interests) Graph() *Graph { return x.graph }

// Pairs returns the number of (holder, subject) pairs with an effective
// interest, a cycle member's interest in itself included.
func (x *Interests) Pairs() int {
	n := 0
	for _, h := range x.of {
		n += len(h)
	}
	return n
}

// Between returns the effective interest of holder h in subject s.
func (x *Interests) Between(h, s int) (Holding, bool) {
	if h == s {
		return Holding{Holder: int32(h)}, false
	}
	hs := x.of[s]
	i, ok := slices.BinarySearchFunc(hs, int32(h), func(a Holding, t int32) int { return int(a.Holder - t) })
	if !ok {
		return Holding{Holder: int32(h)}, false
	}
	return hs[i], true
}

// Effective computes the effective interest of every holder in every
// subject on d: E = A + A² + A³ + … = (I − A)⁻¹ − I, where A[h][s] is h's
// direct share of s: the sum over every chain from h to s of the product of
// its shares. It walks the strongly connected components of the graph in
// topological order (holders first); a component with a cycle is solved
// exactly as a linear system (LU with partial pivoting, float64), not by a
// depth limit. Lower and upper bounds are the same computation over the
// lower and upper bounds of every share (every term is non-negative, so
// both are monotone in each share).
func Effective(r *Register, on date.Date) (*Interests, error) {
	g := Shares(r, on)
	x := &Interests{reg: r, On: on, of: make([][]Holding, len(r.Nodes)), graph: g}
	return x, solve(g, x.of)
}

// solve fills of[s] for every subject.
func solve(g *Graph, of [][]Holding) error {
	n := len(g.inAt) - 1
	comps := components(g)
	acc := newAccumulator(n)
	local := make([]int32, n)
	for i := range local {
		local[i] = -1
	}
	for ci := len(comps) - 1; ci >= 0; ci-- {
		c := comps[ci]
		if len(c) == 1 && !selfLoop(g, c[0]) {
			j := c[0]
			for _, a := range g.In(j) {
				acc.add(a.other, a.low, a.high)
				for _, h := range of[a.other] {
					acc.add(h.Holder, a.low*h.Low, a.high*h.High)
				}
			}
			of[j] = acc.collect()
			continue
		}
		if err := solveCycle(g, c, of, acc, local); err != nil {
			return err
		}
	}
	return nil
}

func selfLoop(g *Graph, j int) bool {
	for _, a := range g.In(j) {
		if int(a.other) == j {
			return true
		}
	}
	return false
}

// solveCycle solves one strongly connected component C of k members: for
// each member j, H_j = R_j + Σ_{i∈C} a_ij H_i, where R_j is what j's
// holders outside C bring (their direct share and, through them, their own
// holders') plus the direct holdings of other members; so (I − Mᵀ) H = R
// with Mᵀ[j][i] = a_ij, and H = N R with N = (I − Mᵀ)⁻¹.
func solveCycle(g *Graph, c []int, of [][]Holding, acc *accumulator, local []int32) error {
	k := len(c)
	for li, j := range c {
		local[j] = int32(li)
	}
	defer func() {
		for _, j := range c {
			local[j] = -1
		}
	}()
	mLo, mHi := make([]float64, k*k), make([]float64, k*k)
	rs := make([][]Holding, k)
	for li, j := range c {
		for _, a := range g.In(j) {
			acc.add(a.other, a.low, a.high)
			if l := local[a.other]; l >= 0 {
				mLo[li*k+int(l)] += a.low
				mHi[li*k+int(l)] += a.high
				continue
			}
			for _, h := range of[a.other] {
				acc.add(h.Holder, a.low*h.Low, a.high*h.High)
			}
		}
		rs[li] = acc.collect()
	}
	nLo, err := leontief(mLo, k)
	if err == nil {
		var nHi []float64
		nHi, err = leontief(mHi, k)
		if err == nil {
			for li, j := range c {
				for l := range k {
					wl, wh := nLo[li*k+l], nHi[li*k+l]
					if wl == 0 && wh == 0 {
						continue
					}
					for _, h := range rs[l] {
						acc.add(h.Holder, wl*h.Low, wh*h.High)
					}
				}
				of[j] = acc.collect()
			}
			return nil
		}
	}
	ids := make([]string, 0, min(k, 8))
	for _, j := range c[:min(k, 8)] {
		ids = append(ids, g.reg.Nodes[j].ID)
	}
	return &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("the cross-holdings among %s (%d members) have no finite solution on %s: %v", strings.Join(ids, ", "), k, g.On, err)}
}

// leontief returns (I − M)⁻¹ for the k×k matrix m (row-major), by Gaussian
// elimination with partial pivoting. It refuses a singular system (a cycle
// whose shares make every member hold all of itself) and an inverse with a
// negative entry (shares of a subject summing above 100% around a cycle:
// the series A + A² + … diverges).
func leontief(m []float64, k int) ([]float64, error) {
	a := make([]float64, k*k)
	inv := make([]float64, k*k)
	for i := range k {
		for j := range k {
			a[i*k+j] = -m[i*k+j]
		}
		a[i*k+i]++
		inv[i*k+i] = 1
	}
	for col := range k {
		p := col
		for r := col + 1; r < k; r++ {
			if math.Abs(a[r*k+col]) > math.Abs(a[p*k+col]) {
				p = r
			}
		}
		if math.Abs(a[p*k+col]) < 1e-12 {
			return nil, fmt.Errorf("singular system (the cycle holds 100%% of itself)")
		}
		if p != col {
			for j := range k {
				a[p*k+j], a[col*k+j] = a[col*k+j], a[p*k+j]
				inv[p*k+j], inv[col*k+j] = inv[col*k+j], inv[p*k+j]
			}
		}
		d := a[col*k+col]
		for j := range k {
			a[col*k+j] /= d
			inv[col*k+j] /= d
		}
		for r := range k {
			if r == col || a[r*k+col] == 0 {
				continue
			}
			f := a[r*k+col]
			for j := range k {
				a[r*k+j] -= f * a[col*k+j]
				inv[r*k+j] -= f * inv[col*k+j]
			}
		}
	}
	for _, v := range inv {
		if v < -1e-12 {
			return nil, fmt.Errorf("shares around the cycle sum above 100%%: the chains do not converge")
		}
	}
	return inv, nil
}

// accumulator sums sparse vectors into a dense scratch array, remembering
// which entries it touched so collecting costs only those.
type accumulator struct {
	lo, hi  []float64
	seen    []bool
	touched []int32
}

func newAccumulator(n int) *accumulator {
	return &accumulator{lo: make([]float64, n), hi: make([]float64, n), seen: make([]bool, n)}
}

func (a *accumulator) add(i int32, lo, hi float64) {
	if !a.seen[i] {
		a.seen[i] = true
		a.touched = append(a.touched, i)
	}
	a.lo[i] += lo
	a.hi[i] += hi
}

// collect returns the touched entries sorted by index and clears the
// scratch.
func (a *accumulator) collect() []Holding {
	slices.Sort(a.touched)
	out := make([]Holding, 0, len(a.touched))
	for _, i := range a.touched {
		out = append(out, Holding{Holder: i, Low: a.lo[i], High: a.hi[i]})
		a.lo[i], a.hi[i], a.seen[i] = 0, 0, false
	}
	a.touched = a.touched[:0]
	return out
}

// components returns the strongly connected components of the graph
// (holder → subject) by Tarjan's algorithm, iteratively: a component comes
// after every component it reaches (subjects before their holders).
func components(g *Graph) [][]int {
	n := len(g.outAt) - 1
	index := make([]int32, n)
	low := make([]int32, n)
	on := make([]bool, n)
	for i := range index {
		index[i] = -1
	}
	var stack []int32
	var comps [][]int
	type frame struct {
		v    int32
		next int
	}
	var call []frame
	next := int32(0)
	for root := range n {
		if index[root] >= 0 {
			continue
		}
		call = append(call, frame{v: int32(root)})
		index[root], low[root] = next, next
		next++
		stack = append(stack, int32(root))
		on[root] = true
		for len(call) > 0 {
			f := &call[len(call)-1]
			v := f.v
			if out := g.Out(int(v)); f.next < len(out) {
				w := out[f.next].other
				f.next++
				if index[w] < 0 {
					index[w], low[w] = next, next
					next++
					stack = append(stack, w)
					on[w] = true
					call = append(call, frame{v: w})
				} else if on[w] && index[w] < low[v] {
					low[v] = index[w]
				}
				continue
			}
			call = call[:len(call)-1]
			if len(call) > 0 {
				u := call[len(call)-1].v
				low[u] = min(low[u], low[v])
			}
			if low[v] == index[v] {
				var c []int
				for {
					w := stack[len(stack)-1]
					stack = stack[:len(stack)-1]
					on[w] = false
					c = append(c, int(w))
					if w == v {
						break
					}
				}
				slices.Sort(c)
				comps = append(comps, c)
			}
		}
	}
	return comps
}

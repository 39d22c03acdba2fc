package market

import (
	"errors"
	"fmt"
	"math"
)

// This file holds the reference solver the equilibrium is checked and
// measured against: a general-purpose primal-dual interior-point method
// (Mehrotra's predictor-corrector) for a dense convex quadratic programme
//
//	minimise ½ xᵀQx + cᵀx  subject to  Ax = b,  0 ≤ x ≤ u,
//
// knowing nothing of markets. Each iteration factors H = Q + X⁻¹Z + W⁻¹S
// (a dense Cholesky, or a division when Q happens to be diagonal) and the
// Schur complement A H⁻¹ Aᵀ. It is test-only code.

type qp struct {
	n, m int
	Q    [][]float64 // n×n
	c, u []float64   // u[i] = +Inf where x[i] has no upper bound
	A    [][]float64 // m×n
	b    []float64
}

func newQP(n, m int) *qp {
	p := &qp{n: n, m: m, c: make([]float64, n), u: make([]float64, n), b: make([]float64, m)}
	p.Q = make([][]float64, n)
	for i := range p.Q {
		p.Q[i] = make([]float64, n)
		p.u[i] = math.Inf(1)
	}
	p.A = make([][]float64, m)
	for i := range p.A {
		p.A[i] = make([]float64, n)
	}
	return p
}

// cholesky factors the symmetric positive definite a in place (lower
// triangle).
func cholesky(a [][]float64) error {
	for j := range a {
		d := a[j][j]
		for k := 0; k < j; k++ {
			d -= a[j][k] * a[j][k]
		}
		if !(d > 0) {
			return fmt.Errorf("qp: matrix not positive definite at %d: %g", j, d)
		}
		d = math.Sqrt(d)
		a[j][j] = d
		for i := j + 1; i < len(a); i++ {
			s := a[i][j]
			for k := 0; k < j; k++ {
				s -= a[i][k] * a[j][k]
			}
			a[i][j] = s / d
		}
	}
	return nil
}

// cholSolve solves (LLᵀ)x = b in place.
func cholSolve(l [][]float64, x []float64) {
	for i := range x {
		s := x[i]
		for k := 0; k < i; k++ {
			s -= l[i][k] * x[k]
		}
		x[i] = s / l[i][i]
	}
	for i := len(x) - 1; i >= 0; i-- {
		s := x[i]
		for k := i + 1; k < len(x); k++ {
			s -= l[k][i] * x[k]
		}
		x[i] = s / l[i][i]
	}
}

// solve returns the optimal x and the multipliers y of Ax = b.
func (p *qp) solve() (x, y []float64, iters int, err error) {
	n, m := p.n, p.m
	diagQ := true
	for i := 0; i < n && diagQ; i++ {
		for j := 0; j < n; j++ {
			if i != j && p.Q[i][j] != 0 {
				diagQ = false
				break
			}
		}
	}
	bounded := make([]bool, n)
	x, y = make([]float64, n), make([]float64, m)
	z, w, s := make([]float64, n), make([]float64, n), make([]float64, n)
	for i := range x {
		bounded[i] = !math.IsInf(p.u[i], 1)
		x[i], z[i] = 1, 1
		if bounded[i] {
			x[i] = p.u[i] / 2
			if p.u[i] == 0 {
				x[i] = 0
			}
			w[i], s[i] = p.u[i]-x[i], 1
			if p.u[i] == 0 {
				x[i], w[i] = 1e-8, 1e-8
			}
		}
	}
	rd, rp, ru := make([]float64, n), make([]float64, m), make([]float64, n)
	dd, h, tmp := make([]float64, n), make([]float64, n), make([]float64, n)
	H := make([][]float64, n)
	if !diagQ {
		for i := range H {
			H[i] = make([]float64, n)
		}
	}
	HiAt := make([][]float64, m) // H⁻¹ aᵢ for each row aᵢ of A
	for i := range HiAt {
		HiAt[i] = make([]float64, n)
	}
	M := make([][]float64, m)
	for i := range M {
		M[i] = make([]float64, m)
	}
	dx, dy, dz, dw, ds := make([]float64, n), make([]float64, m), make([]float64, n), make([]float64, n), make([]float64, n)
	ax, az, aw, as := make([]float64, n), make([]float64, n), make([]float64, n), make([]float64, n)
	rxz, rws := make([]float64, n), make([]float64, n)
	norm := func(v []float64) float64 {
		var s float64
		for _, x := range v {
			s = math.Max(s, math.Abs(x))
		}
		return s
	}
	hsolve := func(v []float64) { // v ← H⁻¹ v
		if diagQ {
			for i := range v {
				v[i] /= p.Q[i][i] + dd[i]
			}
			return
		}
		cholSolve(H, v)
	}
	direction := func() {
		for i := 0; i < n; i++ {
			h[i] = -rd[i] + rxz[i]/x[i]
			if bounded[i] {
				h[i] += -rws[i]/w[i] + s[i]*ru[i]/w[i]
			}
		}
		copy(tmp, h)
		hsolve(tmp)
		for k := 0; k < m; k++ {
			v := rp[k]
			for i, a := range p.A[k] {
				v -= a * tmp[i]
			}
			dy[k] = v
		}
		cholSolve(M, dy)
		for i := 0; i < n; i++ {
			v := h[i]
			for k := 0; k < m; k++ {
				v += p.A[k][i] * dy[k]
			}
			dx[i] = v
		}
		hsolve(dx)
		for i := 0; i < n; i++ {
			dz[i] = (rxz[i] - z[i]*dx[i]) / x[i]
			if bounded[i] {
				dw[i] = ru[i] - dx[i]
				ds[i] = (rws[i] - s[i]*dw[i]) / w[i]
			} else {
				dw[i], ds[i] = 0, 0
			}
		}
	}
	steps := func() (ap, ad float64) {
		ap, ad = 1, 1
		for i := 0; i < n; i++ {
			if dx[i] < 0 {
				ap = math.Min(ap, -x[i]/dx[i])
			}
			if dz[i] < 0 {
				ad = math.Min(ad, -z[i]/dz[i])
			}
			if bounded[i] {
				if dw[i] < 0 {
					ap = math.Min(ap, -w[i]/dw[i])
				}
				if ds[i] < 0 {
					ad = math.Min(ad, -s[i]/ds[i])
				}
			}
		}
		return ap, ad
	}
	nb := 0
	for _, bd := range bounded {
		if bd {
			nb++
		}
	}
	scale := 1 + norm(p.c) + norm(p.b)
	for iters = 1; iters <= 200; iters++ {
		var gap float64
		for i := 0; i < n; i++ {
			v := p.c[i] - z[i]
			for j := 0; j < n; j++ {
				if p.Q[i][j] != 0 {
					v += p.Q[i][j] * x[j]
				}
			}
			for k := 0; k < m; k++ {
				v -= p.A[k][i] * y[k]
			}
			gap += x[i] * z[i]
			if bounded[i] {
				v += s[i]
				ru[i] = p.u[i] - x[i] - w[i]
				gap += w[i] * s[i]
			}
			rd[i] = v
		}
		for k := 0; k < m; k++ {
			v := p.b[k]
			for i, a := range p.A[k] {
				v -= a * x[i]
			}
			rp[k] = v
		}
		mu := gap / float64(n+nb)
		if norm(rd) < 1e-10*scale && norm(rp) < 1e-10*scale && norm(ru) < 1e-10*scale && mu < 1e-12*scale {
			return x, y, iters, nil
		}
		for i := 0; i < n; i++ {
			dd[i] = z[i] / x[i]
			if bounded[i] {
				dd[i] += s[i] / w[i]
			}
			// A small proximal term keeps H⁻¹ bounded for basic variables
			// without curvature; the residuals correct its effect.
			dd[i] = math.Max(dd[i], 1e-8)
		}
		if !diagQ {
			for i := 0; i < n; i++ {
				copy(H[i], p.Q[i])
				H[i][i] += dd[i]
			}
			if err := cholesky(H); err != nil {
				return nil, nil, iters, err
			}
		}
		for k := 0; k < m; k++ {
			copy(HiAt[k], p.A[k])
			hsolve(HiAt[k])
		}
		for k := 0; k < m; k++ {
			for l := 0; l <= k; l++ {
				var v float64
				for i, a := range p.A[k] {
					if a != 0 {
						v += a * HiAt[l][i]
					}
				}
				M[k][l], M[l][k] = v, v
			}
		}

		if err := cholesky(M); err != nil {
			return nil, nil, iters, err
		}
		// Predictor.
		for i := 0; i < n; i++ {
			rxz[i], rws[i] = -x[i]*z[i], -w[i]*s[i]
		}
		direction()
		ap, ad := steps()
		var gapAff float64
		for i := 0; i < n; i++ {
			gapAff += (x[i] + ap*dx[i]) * (z[i] + ad*dz[i])
			if bounded[i] {
				gapAff += (w[i] + ap*dw[i]) * (s[i] + ad*ds[i])
			}
		}
		sigma := math.Pow(gapAff/gap, 3)
		copy(ax, dx)
		copy(az, dz)
		copy(aw, dw)
		copy(as, ds)
		// Corrector.
		for i := 0; i < n; i++ {
			rxz[i] = sigma*mu - x[i]*z[i] - ax[i]*az[i]
			if bounded[i] {
				rws[i] = sigma*mu - w[i]*s[i] - aw[i]*as[i]
			}
		}
		direction()
		ap, ad = steps()
		ap, ad = math.Min(1, 0.995*ap), math.Min(1, 0.995*ad)
		for i := 0; i < n; i++ {
			x[i] += ap * dx[i]
			z[i] += ad * dz[i]
			if bounded[i] {
				w[i] += ap * dw[i]
				s[i] += ad * ds[i]
			}
		}
		for k := 0; k < m; k++ {
			y[k] += ad * dy[k]
		}
	}
	return nil, nil, iters, errors.New("qp: no convergence in 200 iterations")
}

// marketQP writes an instance with linear demand and specific tariffs only
// as the welfare-maximisation programme of Takayama and Judge: variables are
// the producers' outputs, the flows on every route (self-supply included)
// and the regions' consumption; the constraints are each region's supply
// balance (output = shipments) and demand balance (arrivals = consumption).
// It returns the programme and the index of each region's demand balance,
// whose multiplier is the region's price.
func marketQP(in *Instance) (*qp, []int) {
	m := newModel(in)
	np, nl, nr := len(in.Producers), len(m.links), m.n
	p := newQP(np+nl+nr, 2*nr)
	idx := map[string]int{}
	for i, r := range in.Regions {
		idx[r.ID] = i
	}
	for j, pr := range in.Producers {
		p.c[j] = pr.UnitCost
		p.u[j] = pr.Capacity
		p.A[idx[pr.Region]][j] = 1
	}
	for e, l := range m.links {
		v := np + e
		p.c[v] = l.transport + l.specific
		p.A[l.from][v] = -1
		p.A[nr+l.to][v] = 1
	}
	dem := make([]int, nr)
	for r := 0; r < nr; r++ {
		v := np + nl + r
		d := m.dem[r]
		p.Q[v][v] = 1 / d.b
		p.c[v] = -d.a / d.b
		p.A[nr+r][v] = -1
		dem[r] = nr + r
	}
	return p, dem
}

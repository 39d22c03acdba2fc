package monitor

import (
	"math"
	"slices"
)

// The statistics of the detectors, in float64 (the values are read exactly;
// docs/monitor.md, "Numbers").

// median returns the median of xs (NaN for none); xs is not changed.
func median(xs []float64) float64 {
	if len(xs) == 0 {
		return math.NaN()
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	n := len(s)
	if n%2 == 1 {
		return s[n/2]
	}
	return (s[n/2-1] + s[n/2]) / 2
}

// mad returns the median absolute deviation of xs from m.
func mad(xs []float64, m float64) float64 {
	d := make([]float64, len(xs))
	for i, x := range xs {
		d[i] = math.Abs(x - m)
	}
	return median(d)
}

// modifiedZ is Iglewicz and Hoaglin's (1993) modified z-score of x against
// a sample's median and MAD: 0.6745 (x − median) / MAD. They recommend
// treating |z| > 3.5 as an outlier.
func modifiedZ(x, med, madv float64) float64 {
	return 0.6745 * (x - med) / madv
}

// breakFit is the best single level shift of a series (the structural
// break test of the surge detector, docs/monitor.md): y_t = a + b·t +
// δ·[t ≥ tau] + e_t fitted by least squares for every admissible tau, the
// one with the largest |δ / se(δ)| kept, se(δ) from a noise scale sigma
// estimated robustly from the first differences.
type breakFit struct {
	tau   int     // index of the first period after the break
	delta float64 // the shift, in the units of y (log USD)
	t     float64 // delta / se(delta)
	sigma float64
}

// levelShift finds the break of y (minBefore and minAfter points at least
// on either side). sigmaFloor bounds the noise scale from below (a series
// that is almost constant would otherwise make any wobble a break).
func levelShift(y []float64, minBefore, minAfter int, sigmaFloor float64) (breakFit, bool) {
	n := len(y)
	if n < minBefore+minAfter || minBefore < 2 || minAfter < 1 {
		return breakFit{}, false
	}
	// Noise: the MAD of the first differences, which a single shift and a
	// linear trend hardly move; for white noise of sd s they have sd s·√2.
	d := make([]float64, n-1)
	for i := 1; i < n; i++ {
		d[i-1] = y[i] - y[i-1]
	}
	md := median(d)
	sigma := mad(d, md) / 0.6745 / math.Sqrt2
	if sigma < sigmaFloor || math.IsNaN(sigma) {
		sigma = sigmaFloor
	}
	// Prefix sums for the normal equations.
	var S1, St, Stt, Sy, Sty, Syy float64
	for i, v := range y {
		t := float64(i)
		S1++
		St += t
		Stt += t * t
		Sy += v
		Sty += t * v
		Syy += v * v
	}
	// Sums over the "after" segment [tau, n), grown from the end.
	var A1, At, Att, Ay, Aty float64
	best := breakFit{}
	found := false
	for tau := n - 1; tau >= minBefore; tau-- {
		t := float64(tau)
		A1++
		At += t
		Att += t * t
		Ay += y[tau]
		Aty += t * y[tau]
		if n-tau < minAfter {
			continue
		}
		// X'X for columns [1, t, D] and X'y.
		m := [3][3]float64{{S1, St, A1}, {St, Stt, At}, {A1, At, A1}}
		v := [3]float64{Sy, Sty, Ay}
		inv, ok := inv3(m)
		if !ok {
			continue
		}
		var beta [3]float64
		for r := range 3 {
			beta[r] = inv[r][0]*v[0] + inv[r][1]*v[1] + inv[r][2]*v[2]
		}
		delta := beta[2]
		// The residuals' scale at this break: the noise scale used is the
		// larger of it and the differences' (either alone can be small by
		// chance in a short series).
		rss := Syy - (beta[0]*v[0] + beta[1]*v[1] + beta[2]*v[2])
		sg := sigma
		if n > 3 && rss > 0 {
			sg = math.Max(sigma, math.Sqrt(rss/float64(n-3)))
		}
		se := sg * math.Sqrt(inv[2][2])
		if se <= 0 {
			continue
		}
		ts := delta / se
		if !found || math.Abs(ts) > math.Abs(best.t) {
			best = breakFit{tau: tau, delta: delta, t: ts, sigma: sg}
			found = true
		}
	}
	return best, found
}

func inv3(m [3][3]float64) ([3][3]float64, bool) {
	a, b, c := m[0][0], m[0][1], m[0][2]
	d, e, f := m[1][0], m[1][1], m[1][2]
	g, h, i := m[2][0], m[2][1], m[2][2]
	A := e*i - f*h
	B := -(d*i - f*g)
	C := d*h - e*g
	det := a*A + b*B + c*C
	if math.Abs(det) < 1e-12 {
		return [3][3]float64{}, false
	}
	r := [3][3]float64{
		{A, -(b*i - c*h), b*f - c*e},
		{B, a*i - c*g, -(a*f - c*d)},
		{C, -(a*h - b*g), a*e - b*d},
	}
	for x := range 3 {
		for y := range 3 {
			r[x][y] /= det
		}
	}
	return r, true
}

// deseason removes a monthly series' seasonal pattern: for each calendar
// month, the median over the years of its deviation from its year's median
// (a robust version of the classical seasonal index); start is the
// calendar month (0–11) of y[0]. Series shorter than three years are
// returned unchanged.
func deseason(y []float64, start int) []float64 {
	if len(y) < 36 {
		return y
	}
	dev := make([][]float64, 12)
	for s := 0; s < len(y); s += 12 {
		e := min(s+12, len(y))
		if e-s < 12 {
			break
		}
		m := median(y[s:e])
		for i := s; i < e; i++ {
			c := (start + i) % 12
			dev[c] = append(dev[c], y[i]-m)
		}
	}
	var idx [12]float64
	var mean float64
	for c := range 12 {
		idx[c] = median(dev[c])
		if math.IsNaN(idx[c]) {
			idx[c] = 0
		}
		mean += idx[c] / 12
	}
	out := make([]float64, len(y))
	for i, v := range y {
		out[i] = v - (idx[(start+i)%12] - mean)
	}
	return out
}

package market

import "math"

// link is the landed price of one route r → s as a function of the exporter
// region's price π:
//
//	b      = π + transport                 (border price)
//	levy   = max(0, floor − b)             (only under a floor, non-exempt)
//	landed = b + levy + ad_valorem·b + specific
//	       = max(b, floor) + ad_valorem·b + specific
//
// It is continuous and nondecreasing in π.
//
// The dynamics (dynamics.go) also use a general levy, the variable duty's
// rule as internal/duty applies it (agreement.VariableDutyPerUnit): the gap
// capped at the cap per unit at the floor (a constant: its ad valorem part is
// a rate on the value at the floor, not on b), then × share (the phase-in
// share, times a party's reduced factor):
//
//	levy = share·min(max(0, floor − b), cap)
//
// which keeps landed continuous and nondecreasing (its slope is 1 + ad
// valorem, less share between floor − cap and the floor, where the gap
// binds). Instances of the JSON format never set them.
type link struct {
	from, to  int
	transport float64
	specific  float64
	adValorem float64
	floor     float64
	hasFloor  bool

	general bool    // share or cap set: use the piecewise form below
	share   float64 // share of the levy applied, in (0, 1]
	cap     float64 // cap on the gap per unit, ≥ 0 (when hasCap)
	hasCap  bool
	tilt    float64  // share of the uncapped gap left unlevied (see dynamics.go, capTilt)
	blocked bool     // no trade on this route (an export ban)
	seg     [3]piece // pieces of landed − specific as a function of b, ascending
	nseg    int      // pieces in use
}

// piece is one linear piece of g(b) = landed − specific on [lo, hi], with g
// at its ends (±Inf at an infinite end) and its slope.
type piece struct {
	lo, hi, glo, ghi, slope float64
}

func (l *link) landed(pi float64) float64 {
	b := pi + l.transport
	if l.general {
		return b + l.levyAt(b) + l.adValorem*b + l.specific
	}
	v := b
	if l.hasFloor && v < l.floor {
		v = l.floor
	}
	return v + l.adValorem*b + l.specific
}

// levyAt is the general levy at border price b.
func (l *link) levyAt(b float64) float64 {
	if !l.hasFloor || b >= l.floor {
		return 0
	}
	v := (1 - l.tilt) * (l.floor - b)
	if l.hasCap {
		v = math.Min(v, l.cap)
	}
	return l.share * v
}

// levy is the variable levy per unit at exporter price π.
func (l *link) levy(pi float64) float64 {
	if !l.hasFloor {
		return 0
	}
	if l.general {
		return l.levyAt(pi + l.transport)
	}
	return math.Max(0, l.floor-(pi+l.transport))
}

// netback inverts landed: the greatest exporter price π with landed(π) ≤ p.
// Where the landed price is flat (a binding floor without ad valorem duty) the
// inverse is the kink, floor − transport.
func (l *link) netback(p float64) float64 {
	q := p - l.specific
	if l.general {
		return l.invert(q) - l.transport
	}
	if l.hasFloor {
		kink := l.floor * (1 + l.adValorem) // landed at b = floor, less specific
		if q <= kink {
			if l.adValorem == 0 {
				return l.floor - l.transport
			}
			return (q-l.floor)/l.adValorem - l.transport
		}
	}
	return q/(1+l.adValorem) - l.transport
}

// flat reports whether the landed price does not depend on π near π, which
// happens under a binding floor without ad valorem duty.
func (l *link) flat(pi float64) bool {
	if l.general {
		b := pi + l.transport
		for k := 0; k < l.nseg; k++ {
			if sg := &l.seg[k]; b >= sg.lo && b <= sg.hi {
				return sg.slope == 0
			}
		}
		return false
	}
	return l.hasFloor && l.adValorem == 0 && pi+l.transport <= l.floor
}

// prepare sets the general form's pieces from floor, share and cap; it must
// be called whenever one of them changes. Without a floor, or with share 1
// and no cap, the link takes the plain form.
func (l *link) prepare() {
	l.general = l.hasFloor && (l.hasCap || l.share != 1)
	if !l.general {
		return
	}
	a := 1 + l.adValorem
	// Breakpoints where the slope of g changes, ascending: the capped gap
	// meets the gap (b1), the floor (F).
	F := l.floor
	var pts [2]float64
	n := 0
	if l.hasCap {
		if b1 := F - l.cap/(1-l.tilt); b1 < F {
			pts[n] = b1
			n++
		}
	}
	pts[n] = F
	n++
	g := func(b float64) float64 { return a*b + l.levyAt(b) }
	l.nseg = 0
	for i := 0; i <= n; i++ {
		sg := piece{lo: math.Inf(-1), hi: math.Inf(1), glo: math.Inf(-1), ghi: math.Inf(1)}
		if i > 0 {
			sg.lo, sg.glo = pts[i-1], g(pts[i-1])
		}
		if i < n {
			sg.hi, sg.ghi = pts[i], g(pts[i])
		}
		switch {
		case i == 0: // g is linear left of the first breakpoint
			d := math.Max(1, math.Abs(sg.hi))
			sg.slope = (sg.ghi - g(sg.hi-d)) / d
		case i == n:
			sg.slope = a
		default:
			sg.slope = (sg.ghi - sg.glo) / (sg.hi - sg.lo)
		}
		if math.Abs(sg.slope) < 1e-12*a {
			sg.slope = 0
		}
		l.seg[l.nseg] = sg
		l.nseg++
	}
}

// invert returns the greatest b with g(b) ≤ q for the general form.
func (l *link) invert(q float64) float64 {
	for k := 0; k < l.nseg; k++ {
		sg := &l.seg[k]
		switch {
		case q < sg.ghi:
			if math.IsInf(sg.hi, 1) {
				return sg.lo + (q-sg.glo)/sg.slope
			}
			return sg.hi - (sg.ghi-q)/sg.slope
		case q == sg.ghi && (k+1 == l.nseg || l.seg[k+1].slope != 0):
			return sg.hi
		}
	}
	return math.Inf(1)
}

// slope is d landed / dπ at π (the right-hand slope at a kink).
func (l *link) slope(pi float64) float64 {
	b := pi + l.transport
	if l.general {
		for k := 0; k < l.nseg; k++ {
			if sg := &l.seg[k]; b < sg.hi || k == l.nseg-1 {
				return sg.slope
			}
		}
	}
	if l.hasFloor && b < l.floor {
		return l.adValorem
	}
	return 1 + l.adValorem
}

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
type link struct {
	from, to  int
	transport float64
	specific  float64
	adValorem float64
	floor     float64
	hasFloor  bool
}

func (l *link) landed(pi float64) float64 {
	b := pi + l.transport
	v := b
	if l.hasFloor && v < l.floor {
		v = l.floor
	}
	return v + l.adValorem*b + l.specific
}

// levy is the variable levy per unit at exporter price π.
func (l *link) levy(pi float64) float64 {
	if !l.hasFloor {
		return 0
	}
	return math.Max(0, l.floor-(pi+l.transport))
}

// netback inverts landed: the greatest exporter price π with landed(π) ≤ p.
// Where the landed price is flat (a binding floor without ad valorem duty) the
// inverse is the kink, floor − transport.
func (l *link) netback(p float64) float64 {
	q := p - l.specific
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
	return l.hasFloor && l.adValorem == 0 && pi+l.transport <= l.floor
}

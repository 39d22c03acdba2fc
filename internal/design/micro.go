package design

import (
	"math"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// Amounts are kept as int64 millionths of the currency unit where they are
// exactly that (every duty line as Duties shows it is: rounded as the party
// rounds each duty, or to six places): a million of them then hold no
// pointers for the collector to scan, copy without write barriers and add
// without the slow paths of exact rationals. What does not fit falls back
// to exact.Q.

// microPlaces is the scale of a micro amount: duty lines are shown to at
// most six places (duty.shownPlaces).
const microPlaces = 6

// noMicro marks a total that is not a whole number of millionths (or is
// out of range); its exact value is kept aside.
const noMicro = math.MinInt64

// toMicro returns x in millionths when it is exactly that and fits.
func toMicro(x exact.Q, buf *[]byte) (int64, bool) {
	r, c := x.Round(microPlaces, dec.HalfEven)
	if c.Inexact() {
		return 0, false
	}
	return parseMicro(r, buf)
}

// shownMicro returns x rounded half-even to six places, in millionths: a
// duty line as Duties shows it.
func shownMicro(x exact.Q, buf *[]byte) (int64, bool) {
	r, _ := x.Round(microPlaces, dec.HalfEven)
	return parseMicro(r, buf)
}

func parseMicro(r exact.Q, buf *[]byte) (int64, bool) {
	b := r.AppendMoney((*buf)[:0], microPlaces)
	*buf = b
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	var v int64
	for _, ch := range b {
		if ch == '.' {
			continue
		}
		d := int64(ch - '0')
		if d < 0 || d > 9 || v > (math.MaxInt64-d)/10 {
			return 0, false
		}
		v = v*10 + d
	}
	if neg {
		v = -v
	}
	return v, true
}

// fromMicro is a micro amount as an exact figure.
func fromMicro(v int64) exact.Q {
	if v < 0 {
		return exact.Dec(uint64(-v), microPlaces).Neg()
	}
	return exact.Dec(uint64(v), microPlaces)
}

// sum is a running sum of micro amounts, exact: what overflows int64 is
// carried in an exact.Q.
type sum struct {
	micro int64
	carry exact.Q
}

func (s *sum) addMicro(v int64) {
	if (v > 0 && s.micro > math.MaxInt64-v) || (v < 0 && s.micro < math.MinInt64+1-v) {
		s.carry = s.carry.Add(fromMicro(s.micro))
		s.micro = 0
	}
	s.micro += v
}

func (s *sum) addExact(x exact.Q) { s.carry = s.carry.Add(x) }

func (s *sum) add(t *sum) {
	s.addMicro(t.micro)
	if !t.carry.IsZero() {
		s.carry = s.carry.Add(t.carry)
	}
}

func (s *sum) value() exact.Q { return fromMicro(s.micro).Add(s.carry) }

package dutyexpr

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// fig writes a figure for a trace: with two places and thousands separators
// when it has at most two ("12,500.00"), with all its places when it
// terminates within 18 ("0.10625"), else rounded half-even to 9 places and
// marked "≈".
func fig(x exact.Q) string {
	var b []byte
	prefix := ""
	if _, c := x.Round(2, dec.HalfEven); !c.Inexact() {
		b = x.AppendPlaces(nil, 2, dec.HalfEven, false)
	} else if _, c := x.Round(18, dec.HalfEven); !c.Inexact() {
		b = x.AppendFixed(nil, 18)
	} else {
		b, prefix = x.AppendFixed(nil, 9), "≈ "
	}
	return prefix + group3(b)
}

// figN writes a quantity, a unit size or a rate: all its places, none
// added ("1,000", "0.85"), or 9 places marked "≈" when it does not terminate
// within 18.
func figN(x exact.Q) string {
	if _, c := x.Round(18, dec.HalfEven); !c.Inexact() {
		return group3(x.AppendFixed(nil, 18))
	}
	return "≈ " + group3(x.AppendFixed(nil, 9))
}

// group3 inserts thousands separators into the integer part of a decimal.
func group3(b []byte) string {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	end := len(b)
	for i, c := range b {
		if c == '.' {
			end = i
			break
		}
	}
	var s strings.Builder
	if neg {
		s.WriteString("−")
	}
	for i := 0; i < end; i++ {
		if i > 0 && (end-i)%3 == 0 {
			s.WriteByte(',')
		}
		s.WriteByte(b[i])
	}
	s.Write(b[end:])
	return s.String()
}

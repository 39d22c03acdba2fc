package registry

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Figure is one cell of a USGS table as printed: a number, a bound (">50"), or
// a marker that stands for a number USGS does not give. A marker never becomes
// zero: a withheld figure is unknown, not nil.
//
// Markers: "W" withheld to avoid disclosing company data; "NA" not available;
// "E" net exporter (net import reliance); "XX" not applicable; "( )" included
// in the world total; "Small", "Large" qualitative reserves; ">" and "<" a
// bound, whose Value is the bound; "range" a range such as "890–1,000", whose
// Value is its midpoint (as the USGS extraction computes it). USGS's "—" is a
// zero: Known, Value 0, Marker "". An empty cell is not Known and has no Marker.
type Figure struct {
	Value  dec.Decimal // the number, or the bound; zero when not Known
	Known  bool        // whether Value holds a number (or bound) from the table
	Marker string      // "", "W", "NA", "E", "XX", "( )", "Small", "Large", ">", "<", "range"
	Raw    string      // the cell as printed
}

// textMarkers are the markers that stand for a number without giving one.
var textMarkers = map[string]bool{"W": true, "NA": true, "E": true, "XX": true, "( )": true, "Small": true, "Large": true}

// parseFigure reads a USGS cell.
func parseFigure(raw string) (Figure, error) {
	s := strings.TrimSpace(raw)
	f := Figure{Raw: raw}
	switch {
	case s == "":
		return f, nil
	case textMarkers[s]:
		f.Marker = s
		return f, nil
	case s == "—" || s == "-":
		f.Known = true
		return f, nil
	case s[0] == '>' || s[0] == '<':
		f.Marker = s[:1]
		s = strings.TrimSpace(s[1:])
	case strings.Contains(s, "–"):
		lo, hi, _ := strings.Cut(s, "–")
		l, err1 := parseNumber(lo)
		h, err2 := parseNumber(hi)
		if err1 != nil || err2 != nil {
			return f, fmt.Errorf("%q is not a range of numbers", raw)
		}
		f.Value = l.Add(h).Quo(dec.FromInt(2))
		f.Known, f.Marker = true, "range"
		return f, nil
	}
	v, err := parseNumber(s)
	if err != nil {
		return Figure{Raw: raw}, fmt.Errorf("%q is not a number or a USGS marker", raw)
	}
	f.Value, f.Known = v, true
	return f, nil
}

// parseNumber reads a number written with thousands commas: "85,000,000".
func parseNumber(s string) (dec.Decimal, error) {
	return dec.Parse(strings.ReplaceAll(strings.TrimSpace(s), ",", ""))
}

// figure reads the USGS cell of column col, reporting a malformed one.
func (r row) figure(col string) Figure {
	f, err := parseFigure(r.str(col))
	if err != nil {
		r.errorf(col, "%v", err)
	}
	return f
}

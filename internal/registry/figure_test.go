package registry

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

func TestParseFigure(t *testing.T) {
	tests := []struct {
		raw    string
		value  string
		known  bool
		marker string
	}{
		{"92000", "92000", true, ""},
		{"85,000,000", "85000000", true, ""},
		{">85,000,000", "85000000", true, ">"},
		{"<25", "25", true, "<"},
		{"—", "0", true, ""},
		{"W", "0", false, "W"},
		{"NA", "0", false, "NA"},
		{"E", "0", false, "E"},
		{"XX", "0", false, "XX"},
		{"( )", "0", false, "( )"},
		{"Large", "0", false, "Large"},
		{"", "0", false, ""},
		{"890–1,000", "945", true, "range"},
		{"0.5", "0.5", true, ""},
	}
	for _, tt := range tests {
		f, err := parseFigure(tt.raw)
		if err != nil || f.Known != tt.known || f.Marker != tt.marker || f.Value.Cmp(dec.MustParse(tt.value)) != 0 || f.Raw != tt.raw {
			t.Errorf("parseFigure(%q) = %+v, %v, want value %s known %v marker %q", tt.raw, f, err, tt.value, tt.known, tt.marker)
		}
	}
	for _, raw := range []string{"abc", ">x", "1–b", "12 t"} {
		if _, err := parseFigure(raw); err == nil {
			t.Errorf("parseFigure(%q) error = nil, want an error", raw)
		}
	}
}

func FuzzParseFigure(f *testing.F) {
	for _, s := range []string{"92000", ">85,000,000", "<25", "—", "W", "NA", "( )", "", "890–1,000", "1e3", "–", ">", "1,2,3"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		fig, err := parseFigure(raw)
		if err != nil {
			return
		}
		if fig.Raw != raw {
			t.Errorf("parseFigure(%q).Raw = %q, want the input", raw, fig.Raw)
		}
		if !fig.Known && !fig.Value.IsZero() {
			t.Errorf("parseFigure(%q) = %+v: an unknown figure with a value", raw, fig)
		}
		if textMarkers[fig.Marker] && fig.Known {
			t.Errorf("parseFigure(%q) = %+v: a marker that hides the number, yet Known", raw, fig)
		}
	})
}

package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestHTS(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code                   string
		text, rateType         string
		adVal, specific, other string
		set                    bool
	}{
		{"28369100", "3.7%", "7", "0.037", "0", "0", true},
		{"2836.91.00", "3.7%", "7", "0.037", "0", "0", true},
		{"26110060", "37.5 cents/kg on tungsten content", "2", "0", "0.375", "0", true},
		{"26131000", "12.8 cents/kg on molybdenum content + 1.8%", "5", "0.018", "0.128", "0", true},
		{"26139000", "17.8 cents/kg on molybdenum content", "2", "0", "0.178", "0", true},
		{"25041010", "Free", "0", "0", "0", "0", true},
		// Placeholders 9999.999999: not set, and not 9999.999999.
		{"26070000", "1.1 cents/kg on lead content", "T", "0", "0", "0", false},
		{"78011000", "2.5% on the value of the lead content", "X", "0", "0", "0", false},
	}
	for _, tt := range tests {
		l, err := r.HTS(tt.code)
		if err != nil {
			t.Errorf("HTS(%q) error = %v", tt.code, err)
			continue
		}
		if l.MFNText != tt.text || l.MFNRateType != tt.rateType || l.MFNRateSet != tt.set ||
			l.MFNAdValorem.Cmp(dec.MustParse(tt.adVal)) != 0 || l.MFNSpecific.Cmp(dec.MustParse(tt.specific)) != 0 || l.MFNOther.Cmp(dec.MustParse(tt.other)) != 0 {
			t.Errorf("HTS(%q) = %q type %s set %v (%s, %s, %s), want %q type %s set %v (%s, %s, %s)", tt.code,
				l.MFNText, l.MFNRateType, l.MFNRateSet, l.MFNAdValorem, l.MFNSpecific, l.MFNOther,
				tt.text, tt.rateType, tt.set, tt.adVal, tt.specific, tt.other)
		}
	}
	w, _ := r.HTS("26110060")
	if w.Quantity1 != "KG" || w.Quantity2 != "CKG" {
		t.Errorf("HTS(26110060) quantities = %q, %q, want KG, CKG (duty on contained tungsten)", w.Quantity1, w.Quantity2)
	}
}

func TestHTSErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code     string
		kind     problem.Code
		contains string
	}{
		{"2836910", problem.Invalid, "HTS code must have 8 digits"},
		{"28369900", problem.NotFound, "28369"},  // near codes of the same subheading
		{"01012100", problem.NotFound, "not in"}, // outside the shipped headings
	}
	for _, tt := range tests {
		_, err := r.HTS(tt.code)
		if problem.CodeOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("HTS(%q) error = %v, want %s containing %q", tt.code, err, tt.kind, tt.contains)
		}
	}
}

func TestHTSUnder(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		prefix string
		n      int
	}{
		{"2613", 2},
		{"2836.91", 1},
		{"26", 48},
		{"81", 74},
		{"0101", 0},
	}
	for _, tt := range tests {
		got := r.HTSUnder(tt.prefix)
		if len(got) != tt.n {
			t.Errorf("len(HTSUnder(%q)) = %d, want %d", tt.prefix, len(got), tt.n)
		}
		for _, l := range got {
			if !strings.HasPrefix(l.Code, normalizeCode(tt.prefix)) {
				t.Errorf("HTSUnder(%q) has %s", tt.prefix, l.Code)
			}
		}
	}
}

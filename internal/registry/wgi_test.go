package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestWGI(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		country, indicator string
		year               int
		alpha3             string
		estimate           string
	}{
		{"USA", "RL", 2022, "USA", "1.3716884851455688"},
		{"us", "rl", 2022, "USA", "1.3716884851455688"},
		{"ROU", "RL", 2022, "ROU", "0.40415573120117188"}, // WGI code ROM
		{"ROM", "RL", 2022, "ROU", "0.40415573120117188"},
		{"COD", "CC", 2020, "COD", ""}, // WGI code ZAR
		{"XKX", "VA", 2015, "XKX", ""}, // WGI code KSV
		{"PSE", "GE", 2012, "PSE", ""}, // WGI code WBG
	}
	for _, tt := range tests {
		g, err := r.WGI(tt.country, tt.indicator, tt.year)
		if err != nil || g.Alpha3 != tt.alpha3 || g.Year != tt.year || (tt.estimate != "" && g.Estimate.Cmp(dec.MustParse(tt.estimate)) != 0) {
			t.Errorf("WGI(%q, %q, %d) = %+v, %v, want %s estimate %s", tt.country, tt.indicator, tt.year, g, err, tt.alpha3, tt.estimate)
		}
	}
	us, _ := r.WGI("USA", "RL", 2022)
	if us.NumSources != 10 || us.PctRank.Cmp(dec.MustParse("88.679244995117188")) != 0 {
		t.Errorf("WGI(USA, RL, 2022) = %+v, want 10 sources, rank 88.679244995117188", us)
	}
}

func TestWGIErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		country, indicator string
		year               int
		kind               problem.Code
		contains           string
	}{
		{"USA", "XX", 2022, problem.Invalid, "unknown WGI indicator"},
		{"USA", "RL", 2011, problem.NotFound, "2012 to 2022"},
		{"USA", "RL", 2023, problem.NotFound, "2012 to 2022"},
		{"ANT", "RL", 2012, problem.NotFound, `no WGI RL score for "ANT" in 2012`},
		{"ZZZ", "RL", 2012, problem.NotFound, `"ZZZ"`},
	}
	for _, tt := range tests {
		_, err := r.WGI(tt.country, tt.indicator, tt.year)
		if problem.CodeOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("WGI(%q, %q, %d) error = %v, want %s containing %q", tt.country, tt.indicator, tt.year, err, tt.kind, tt.contains)
		}
	}
}

package refprice

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestBadInputs: each bad input is an error that names the mineral, the stage
// and the input; no floor is computed from partial data.
func TestBadInputs(t *testing.T) {
	tests := []struct {
		name   string
		mutate func(e *Engine)
		floor  string
		on     string
		want   []string
	}{
		{"series with a gap", nil, "copper/processed", "2026-04-01", []string{"copper/processed", "series store:HAND", "no value for 2026-02"}},
		{"month with no exchange rate", func(e *Engine) { e.ag.Currency = "EUR" }, "gallium/processed", "2026-01-01", nil},
		{"month with no exchange rate (past the FRED series)", func(e *Engine) { e.ag.Currency = "EUR" }, "cobalt/mined", "2026-10-01", []string{"cobalt/mined", "cost curve hand", "converting USD to EUR for 2026-09"}}, // the last month public at the cut-off
		{"cost curve with zero production", func(e *Engine) {
			m, _ := e.ag.Mineral("cobalt")
			m.Stages[0].Price.Exclude = []string{"AU", "CN", "CA", "CD", "US"}
		}, "cobalt/mined", "2026-01-01", []string{"cobalt/mined", "cost curve hand", "no production counts"}},
		{"percentile of 120", func(e *Engine) {
			m, _ := e.ag.Mineral("cobalt")
			m.Stages[0].Price.Percentile = dec.FromInt(120)
		}, "cobalt/mined", "2026-01-01", []string{"cobalt/mined", "percentile", "must be in (0, 100], got 120"}},
	}
	for _, tt := range tests {
		e := New(loadHand(t), handSources(t))
		if tt.mutate != nil {
			tt.mutate(e)
		}
		m, s, _ := strings.Cut(tt.floor, "/")
		f, err := e.Floor(m, s, date.MustParse(tt.on))
		if tt.want == nil {
			// A negotiated floor in EUR needs no conversion: it is agreed in EUR.
			if err != nil {
				t.Errorf("%s: Floor(%s) = %v", tt.name, tt.floor, err)
			}
			continue
		}
		if err == nil {
			t.Errorf("%s: Floor(%s, %s) = %s, want an error", tt.name, tt.floor, tt.on, f.Price)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Floor(%s, %s) error %q lacks %q", tt.name, tt.floor, tt.on, err, w)
			}
		}
	}
}

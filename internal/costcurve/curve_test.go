package costcurve

import (
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

func d(s string) dec.Decimal { return dec.MustParse(s) }

func TestCurveMethods(t *testing.T) {
	c := &Curve{Producers: []Producer{
		{ID: "b", Capacity: d("10"), Cost: d("30")},
		{ID: "a", Capacity: d("30"), Cost: d("10")},
		{ID: "c", Capacity: d("20"), Cost: d("30")},
		{ID: "aa", Capacity: d("40"), Cost: d("20.5")},
	}}
	var ids []string
	for _, p := range c.Sorted() {
		ids = append(ids, p.ID)
	}
	if got, want := ids, []string{"a", "aa", "b", "c"}; !equal(got, want) {
		t.Errorf("Sorted() IDs = %v, want %v", got, want)
	}
	if c.Producers[0].ID != "b" {
		t.Errorf("Sorted() changed the curve's own order")
	}
	if got := c.TotalCapacity(); got.Cmp(d("100")) != 0 {
		t.Errorf("TotalCapacity() = %s, want 100", got)
	}
	// (10×30 + 30×10 + 20×30 + 40×20.5) / 100 = 2020 / 100
	if got := c.WeightedMeanCost(); got.Cmp(d("20.2")) != 0 {
		t.Errorf("WeightedMeanCost() = %s, want 20.2", got)
	}
	tests := []struct {
		pct  string
		want string
	}{
		{"30", "a"},     // cumulative 30 reaches 30
		{"30.01", "aa"}, // 70 ≥ 30.01
		{"70", "aa"},
		{"75", "b"}, // 80 ≥ 75
		{"100", "c"},
	}
	for _, tt := range tests {
		p, err := c.CostAt(d(tt.pct))
		if err != nil || p.ID != tt.want {
			t.Errorf("CostAt(%s) = %s, %v; want %s", tt.pct, p.ID, err, tt.want)
		}
	}
	for _, pct := range []string{"0", "-1", "100.1"} {
		if _, err := c.CostAt(d(pct)); err == nil {
			t.Errorf("CostAt(%s) = nil error, want one", pct)
		}
	}
	if got := (&Curve{}).WeightedMeanCost(); !got.IsZero() {
		t.Errorf("empty WeightedMeanCost() = %s, want 0", got)
	}
	if _, err := (&Curve{}).CostAt(d("50")); err == nil {
		t.Errorf("empty CostAt(50) = nil error, want one")
	}
}

func equal(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

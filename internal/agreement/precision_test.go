package agreement

import (
	"os"
	"strings"
	"testing"
)

// TestPrecisionWarnings: a figure stated with more decimals than its rule
// publishes is a warning at its line and column (not an error); a precision
// that keeps it, or a figure within it, is not.
func TestPrecisionWarnings(t *testing.T) {
	mini, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const rule = "          price: 10000\n"
	if !strings.Contains(string(mini), rule) {
		t.Fatal("mini.yaml has no negotiated price 10000")
	}
	tests := []struct {
		name  string
		price string // replaces the lithium rule's "price: 10000" line
		edit  func(string) string
		want  []string // each warning's String(), in order
	}{
		{name: "default precision", price: "          price: 157.0305\n",
			want: []string{"mini.yaml:100:18: minerals[0].stages[0].price.price: warning: precision: lithium/processed: the negotiated price 157.0305 would be published as 157.03 (half up to 2 places, the default precision: the rule states none); state the figure to 2 places or give the rule precision: {places: 4}"}},
		{name: "four places", price: "          price: 157.0305\n          precision: {places: 4}\n"},
		{name: "trailing zeros", price: "          price: 157.0300\n"},
		{name: "half even to 1 place", price: "          price: 157.25\n          precision: {places: 1, mode: half_even}\n",
			want: []string{"mini.yaml:100:18: minerals[0].stages[0].price.price: warning: precision: lithium/processed: the negotiated price 157.25 would be published as 157.2 (half even to 1 place, the rule's precision); state the figure to 1 place or give the rule precision: {places: 2}"}},
		{name: "band and minimum", price: rule, edit: func(s string) string {
			s = strings.Replace(s, "floor: 20000\n", "floor: 20000.005\n", 1)
			return strings.Replace(s, "revision: {every: quarterly, collar: 0.1}", "revision: {every: quarterly, collar: 0.1, minimum: 19000.1234567}", 1)
		}, want: []string{
			"mini.yaml:110:18: minerals[1].stages[0].price.floor: warning: precision: tungsten/mined: the band floor 20000.005 would be published as 20000.01 (half up to 2 places, the default precision: the rule states none); state the figure to 2 places or give the rule precision: {places: 3}",
			"mini.yaml:113:62: minerals[1].stages[0].price.revision.minimum: warning: precision: tungsten/mined: the minimum 19000.1234567 would be published as 19000.12 (half up to 2 places, the default precision: the rule states none); state the figure to at most 6 places",
		}},
		{name: "amendment", price: rule, edit: func(s string) string {
			return strings.Replace(s, `value: "12000"`, `value: "12000.125"`, 1)
		}, want: []string{"mini.yaml:122:9: minerals[0].stages[0].price.price: warning: after amendment A1: precision: lithium/processed: the negotiated price 12000.125 would be published as 12000.13 (half up to 2 places, the default precision: the rule states none); state the figure to 2 places or give the rule precision: {places: 3}"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(string(mini), rule, tt.price, 1)
			if tt.edit != nil {
				text = tt.edit(text)
			}
			a, src, err := Load("mini.yaml", []byte(text), fakeCatalog{})
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			var got []string
			for _, w := range PrecisionWarnings(a, src) {
				got = append(got, w.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("PrecisionWarnings =\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

// TestRounding: a rule that states no precision publishes to the cent, half
// up, as every price was published before precision could be stated.
func TestRounding(t *testing.T) {
	if got := (PriceRule{}).Rounding(); got != DefaultPrecision || got.String() != "half up to 2 places" {
		t.Errorf("PriceRule{}.Rounding() = %v, want half up to 2 places", got)
	}
	if got := (PriceRule{Precision: &Precision{Places: 4}}).Rounding(); got.Places != 4 || got.Mode != "half_up" {
		t.Errorf("Rounding() of {places: 4} = %+v, want 4 places half_up", got)
	}
}

package refprice

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestPublishPrecision: the floor is published as its rule's precision says
// (default 2 places half up), keeps the exact figure and the rounding in its
// JSON, and the step "publish" names the rule; a precision is a change of
// inputs only when it is not the default, so existing hashes stay.
func TestPublishPrecision(t *testing.T) {
	data, err := os.ReadFile("testdata/hand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	const stated = "          price: 2600.125\n          agreed_on: 2025-12-01\n          basis: \"Art. 4\"\n          revision: {every: yearly}\n          precision: {places: 2, mode: half_even}\n"
	if !strings.Contains(string(data), stated) {
		t.Fatal("hand.yaml: germanium's rule is not as this test expects")
	}
	tests := []struct {
		name      string
		precision string // the rule's precision line, "" for none
		price     string
		rounding  string // the JSON of the floor's rounding
		formula   string
	}{
		{"default", "", "157.03", `{"places":2,"mode":"half_up"}`,
			"round half up to 2 places (the default: the price rule of germanium/processed states no precision)"},
		{"four places", "          precision: {places: 4}\n", "157.0305", `{"places":4,"mode":"half_up"}`,
			"round half up to 4 places (the precision of the price rule of germanium/processed)"},
		{"three places down", "          precision: {places: 3, mode: down}\n", "157.030", `{"places":3,"mode":"down"}`,
			"round down to 3 places (the precision of the price rule of germanium/processed)"},
	}
	reg, _ := registry.Default()
	hashes := map[string]string{}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			text := strings.Replace(string(data), stated, "          price: 157.0305\n          agreed_on: 2025-12-01\n          basis: \"Art. 4\"\n          revision: {every: yearly}\n"+tt.precision, 1)
			a, _, err := agreement.Load("hand.yaml", []byte(text), agreement.RegistryCatalog(reg))
			if err != nil {
				t.Fatal(err)
			}
			f, err := New(a, handSources(t)).Floor("germanium", "processed", date.MustParse("2026-01-01"))
			if err != nil {
				t.Fatal(err)
			}
			if f.Price.String() != tt.price || f.ExactPrice.String() != "157.0305" {
				t.Errorf("Floor: price %s, exact %s; want %s, exact 157.0305", f.Price, f.ExactPrice, tt.price)
			}
			b, err := json.Marshal(f)
			if err != nil {
				t.Fatal(err)
			}
			for _, want := range []string{`"price":"` + tt.price + `"`, `"exact_price":"157.0305"`, `"rounding":` + tt.rounding} {
				if !strings.Contains(string(b), want) {
					t.Errorf("JSON of the floor has no %s:\n%s", want, b)
				}
			}
			last := f.Steps[len(f.Steps)-1]
			if last.Step != "publish" || last.Formula != tt.formula || last.Output != tt.price || last.Inputs["price"] != "157.0305" {
				t.Errorf("last step = %+v, want publish: %s -> %s", last, tt.formula, tt.price)
			}
			var back Floor
			if err := json.Unmarshal(b, &back); err != nil {
				t.Fatal(err)
			}
			if back.ExactPrice.String() != "157.0305" || back.Rounding == nil || *back.Rounding != *f.Rounding {
				t.Errorf("JSON round trip: exact %s, rounding %v; want 157.0305, %v", back.ExactPrice, back.Rounding, f.Rounding)
			}
			hashes[tt.name] = f.InputsHash
		})
	}
	if hashes["default"] == hashes["four places"] || hashes["four places"] == hashes["three places down"] {
		t.Errorf("inputs hashes %v: a stated precision must change the hash", hashes)
	}
}

// TestDefaultPrecisionHash: a floor rounded by the default precision hashes as
// it did before the rounding was recorded.
func TestDefaultPrecisionHash(t *testing.T) {
	f := &Floor{Mineral: "m", Stage: "s", Inputs: []Input{{Name: "price", Value: "1"}}}
	before := hashInputs(f)
	p := agreement.DefaultPrecision
	f.Rounding = &p
	if got := hashInputs(f); got != before {
		t.Errorf("hashInputs with the default rounding = %s, want %s (as without)", got, before)
	}
}

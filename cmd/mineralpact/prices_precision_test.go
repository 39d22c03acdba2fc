package main

import (
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
)

// precisionAgreement writes the example with gallium negotiated at 157.0305
// (and the precision line given, if any) and returns its path and the line of
// the figure.
func precisionAgreement(t *testing.T, precision string) (string, int) {
	t.Helper()
	const rule = "          price: 650\n          agreed_on: 2025-11-20\n          basis: \"Art. 6.5\"\n          revision: {every: yearly, lag_days: 30, collar: 0.15}\n"
	text := string(examples.Pact2026)
	if strings.Count(text, rule) != 1 {
		t.Fatal("the example's gallium rule is not as this test expects")
	}
	text = strings.Replace(text, rule, strings.Replace(rule, "650", "157.0305", 1)+precision, 1)
	path := filepath.Join(t.TempDir(), "pact-157.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	before, _, _ := strings.Cut(text, "price: 157.0305")
	return path, strings.Count(before, "\n") + 1
}

// mineralIndex is the index of gallium in the example's minerals list.
func mineralIndex(t *testing.T) int {
	t.Helper()
	a, _, err := loadAgreement("example")
	if err != nil {
		t.Fatal(err)
	}
	for i, m := range a.Minerals {
		if m.ID == "gallium" {
			return i
		}
	}
	t.Fatal("the example has no gallium")
	return 0
}

// TestPricePrecision: a negotiated 157.0305 under the default precision is a
// validation warning at its line and column, and is published as 157.03 with
// the exact figure and the rounding kept; with precision {places: 4} it is
// published as agreed, without a warning.
func TestPricePrecision(t *testing.T) {
	tests := []struct {
		name, precision, price, rounding, warning string
	}{
		{"default", "", "157.03", `{"places":2,"mode":"half_up"}`,
			"pact-157.yaml:%d:18: minerals[%d].stages[0].price.price: warning: precision: gallium/processed: the negotiated price 157.0305 would be published as 157.03 (half up to 2 places, the default precision: the rule states none); state the figure to 2 places or give the rule precision: {places: 4}\n"},
		{"four places", "          precision: {places: 4}\n", "157.0305", `{"places":4,"mode":"half_up"}`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			file, line := precisionAgreement(t, tt.precision)
			if tt.warning != "" {
				tt.warning = file[:len(file)-len("pact-157.yaml")] + fmt.Sprintf(tt.warning, line, mineralIndex(t))
			}
			out, stderr, code := runCLI(t, "agreement", "validate", file)
			if code != exitOK || !strings.Contains(out, ": ok: ") {
				t.Fatalf("agreement validate = exit %d, %q, %q; want ok", code, out, stderr)
			}
			if !strings.HasSuffix(stderr, tt.warning) || (tt.warning == "" && stderr != "") {
				t.Errorf("agreement validate stderr = %q, want it to end with %q", stderr, tt.warning)
			}
			if tt.warning != "" && !strings.Contains(out, "1 precision warning(s)") {
				t.Errorf("agreement validate stdout = %q, want it to count 1 precision warning", out)
			}
			out, stderr, code = runCLI(t, "prices", "compute", "--agreement", file, "--as-of", "2026-01-01", "--mineral", "gallium", "--format", "json")
			if code != exitOK || !strings.HasSuffix(stderr, tt.warning) || (tt.warning == "" && stderr != "") {
				t.Fatalf("prices compute = exit %d, stderr %q; want exit 0 and the warning %q", code, stderr, tt.warning)
			}
			var floors []struct {
				Price      string          `json:"price"`
				ExactPrice string          `json:"exact_price"`
				Rounding   json.RawMessage `json:"rounding"`
			}
			if err := json.Unmarshal([]byte(out), &floors); err != nil || len(floors) != 1 {
				t.Fatalf("prices compute JSON = %s (%v), want one floor", out, err)
			}
			f := floors[0]
			var rounding bytes.Buffer
			_ = json.Compact(&rounding, f.Rounding)
			if f.Price != tt.price || f.ExactPrice != "157.0305" || rounding.String() != tt.rounding {
				t.Errorf("gallium/processed = price %s, exact_price %s, rounding %s; want %s, 157.0305, %s", f.Price, f.ExactPrice, rounding.String(), tt.price, tt.rounding)
			}
			out, _, code = runCLI(t, "prices", "explain", "gallium/processed", "--agreement", file, "--as-of", "2026-01-01")
			if code != exitOK || !strings.Contains(out, "from the exact price 157.0305\n") || !strings.Contains(out, "publish: round half up to ") {
				t.Errorf("prices explain = exit %d:\n%s\nwant the exact price and the publish step", code, out)
			}
		})
	}
}

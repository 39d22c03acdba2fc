package stockpile

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/registry"
)

func exampleAgreement(t testing.TB) *agreement.Agreement {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load("pact-2026.yaml", examplePact(), agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestReadHoldingsErrors checks that bad holdings are refused with the file,
// line, column and field, every problem at once.
func TestReadHoldingsErrors(t *testing.T) {
	a := exampleAgreement(t)
	tests := []struct {
		name, body string
		want       []string
	}{
		{"unknown party", "XX,cobalt,processed,2027-01-01,metal,10,public\n", []string{`h.csv:2:1: party: "XX" is not a party to agreement pact-2026`}},
		{"unknown mineral", "US,cobolt,processed,2027-01-01,metal,10,public\n", []string{`h.csv:2:4: mineral: "cobolt" is not a mineral in scope`}},
		{"no regime", "US,lithium,processed,2027-01-01,metal,10,public\n", []string{`h.csv:2:4: mineral: agreement pact-2026 has no stockholding regime for lithium/processed`}},
		{"negative tonnes", "US,cobalt,processed,2027-01-01,metal,-5,public\n", []string{`h.csv:2:38: tonnes: must be ≥ 0 tonnes, got -5`}},
		{"grams", "US,cobalt,processed,2027-01-01,metal,1.0005,public\n", []string{`tonnes: 1.0005 t has more than three decimals`}},
		{"holder", "US,cobalt,processed,2027-01-01,metal,5,state\n", []string{`holder: must be public or private, got "state"`}},
		{"date", "US,cobalt,processed,2027-02-30,metal,5,public\n", []string{`h.csv:2:21: date: must be a date YYYY-MM-DD, got "2027-02-30"`}},
		{"two problems", "US,cobalt,processed,2027-01-01,metal,x,public\nZZ,cobalt,processed,2027-01-01,metal,1,public\n", []string{`h.csv:2:`, `h.csv:3:1: party:`}},
		{"duplicate", "US,cobalt,processed,2027-01-01,metal,5,public\nUS,cobalt,processed,2027-01-01,metal,6,public\n", []string{`h.csv:3:`, `(first at line 2)`}},
		{"short row", "US,cobalt,processed\n", []string{`h.csv:2: 3 fields, want 7`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ReadHoldings("h.csv", []byte(strings.Join(HoldingColumns, ",")+"\n"+tt.body), a)
			if err == nil {
				t.Fatalf("ReadHoldings(%q) = nil error, want %q", tt.body, tt.want)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("ReadHoldings(%q) = %v, want it to contain %q", tt.body, err, w)
				}
			}
		})
	}
	if _, err := ReadHoldings("h.csv", []byte("party,mineral\n"), a); err == nil || !strings.Contains(err.Error(), "h.csv:1: header lacks column(s) stage, date, form, tonnes, holder") {
		t.Errorf("short header: %v", err)
	}
}

func TestReadFlowsErrors(t *testing.T) {
	a := exampleAgreement(t)
	body := strings.Join(FlowColumns, ",") + "\nUS,cobalt,processed,2026,0,-1,0,,x,false\nUS,cobalt,processed,20x6,0,1,5,,x,maybe\n"
	_, err := ReadFlows("f.csv", []byte(body), a)
	for _, w := range []string{"f.csv:2:", "imports: must be ≥ 0 tonnes", "f.csv:3:", "year: must be a year", "consumption: apparent consumption", "illustrative: must be true or false"} {
		if err == nil || !strings.Contains(err.Error(), w) {
			t.Errorf("ReadFlows = %v, want %q", err, w)
		}
	}
}

func FuzzReadHoldings(f *testing.F) {
	a := exampleAgreement(f)
	f.Add([]byte("party,mineral,stage,date,form,tonnes,holder\nUS,cobalt,processed,2027-01-01,metal,10,public\n"))
	f.Add([]byte("party,mineral,stage,date,form,tonnes,holder\nUS,cobalt,processed,2027-01-01,metal,1e30,public\n"))
	f.Add([]byte("\"party\nx"))
	f.Fuzz(func(t *testing.T, b []byte) {
		hs, err := ReadHoldings("h.csv", b, a)
		if err != nil {
			return
		}
		for _, h := range hs {
			if h.Tonnes < 0 || h.Tonnes > maxKg {
				t.Fatalf("accepted %v", h)
			}
		}
	})
}

package duty

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestCustomsTraces checks that the trace of a customs-grade assessment
// shows each component as a step a broker can follow (issue 11, part 9):
// which bound of a MIN/MAX decided, each currency conversion with the
// table's rate, the rounding per unit, the preference chosen and why, the
// exporter's remedy rate and the law behind it.
func TestCustomsTraces(t *testing.T) {
	a := assessorFor(t, "testdata/customs/agreement.yaml")
	cases := []struct {
		decl map[string]string
		want []string // "step | text the step's formula, result or inputs contain"
	}{
		{map[string]string{"id": "G01", "accepted_on": "2026-03-10", "importer": "GB", "origin": "AU", "hs_code": "250410", "quantity": "100", "unit": "kg", "customs_value": "1000", "currency": "GBP", "incoterm": "CIF"},
			[]string{"base_duty.ad_valorem_part | 13.8% × 1,000.00 = 138.00", "base_duty.maximum | min(138.00, 8.00) = 8.00", "base_duty.maximum | decides=true",
				"base_duty.deduction | 7 GBP/100 kg", "exchange_rate | uk-hmrc-monthly-illustrative"}},
		{map[string]string{"id": "G02", "accepted_on": "2026-03-10", "importer": "GB", "origin": "AU", "hs_code": "261100", "quantity": "2000", "unit": "kg", "customs_value": "10000", "currency": "GBP", "incoterm": "CIF"},
			[]string{"base_duty.conversion | EUR", "base_duty.conversion | 1.1484", "base_duty.specific_part | 12.5 EUR/100 kg"}},
		{map[string]string{"id": "E01", "accepted_on": "2026-03-10", "importer": "EU", "origin": "AU", "hs_code": "261100", "quantity": "25", "unit": "t", "customs_value": "100000", "currency": "EUR", "incoterm": "CIF"},
			[]string{"base_duty.rounding_per_unit | 10.57", "exchange_rate | penultimate_wednesday"}},
		{map[string]string{"id": "S05", "accepted_on": "2026-03-10", "importer": "US", "origin": "AU", "hs_code": "2611006000", "quantity": "20", "unit": "t", "customs_value": "500000", "currency": "USD", "incoterm": "FOB", "preference": "AU"},
			[]string{"base_duty | preferential rate Free (AU)", "base_duty | claimed under scheme AU", "fee | lowered to the maximum per entry 651.50 USD", "fee | 19 CFR 24.23(b)(1)"}},
		{map[string]string{"id": "R01", "accepted_on": "2026-03-10", "importer": "US", "origin": "CN", "exporter_id": "SR-1", "hs_code": "3801105000", "quantity": "50", "unit": "t", "customs_value": "200000", "currency": "USD", "incoterm": "FOB"},
			[]string{"anti_dumping | exporter SR-1", "anti_dumping | A-570-194", "countervailing | all others: 11.58%", "anti_dumping.ad_valorem_part | 93.50% × 200,000.00 = 187,000.00",
				"rounding | us-ad-aam 187000.00"}},
		{map[string]string{"id": "S06", "accepted_on": "2026-03-10", "importer": "US", "origin": "AU", "hs_code": "2611006000", "quantity": "20", "unit": "t", "customs_value": "500000", "currency": "USD", "incoterm": "FOB"},
			[]string{"base_duty | does not claim scheme AU", "base_duty.specific_part | 0.375 USD/kg content"}},
	}
	for _, c := range cases {
		d, err := ReadDeclaration(c.decl)
		if err != nil {
			t.Fatal(err)
		}
		as, err := a.Assess(context.Background(), d)
		if err != nil {
			t.Fatalf("%s: %v", c.decl["id"], err)
		}
		steps := as.Trace()
		for _, w := range c.want {
			name, text, _ := strings.Cut(w, " | ")
			found := false
			for _, s := range steps {
				if s.Step != name {
					continue
				}
				blob := s.Formula + " " + s.Result
				for k, v := range s.Inputs {
					blob += " " + k + "=" + v
				}
				if strings.Contains(blob, text) {
					found = true
				}
			}
			if !found {
				var got []string
				for _, s := range steps {
					got = append(got, s.Step+": "+s.Formula+" = "+s.Result)
				}
				t.Errorf("%s: no step %s with %q in the trace:\n%s", c.decl["id"], name, text, strings.Join(got, "\n"))
			}
		}
	}
}

// TestTraceSurchargeExpression: a surcharge and an in-quota rate written as
// duty expressions (no rate fields) are traced by their expression's text;
// the trace once read the rate fields and failed on them.
func TestTraceSurchargeExpression(t *testing.T) {
	data, err := os.ReadFile("testdata/customs/agreement.yaml")
	if err != nil {
		t.Fatal(err)
	}
	extra := `      - {id: gb-nps-w, type: non_party_surcharge, hs: ["261100"], duty: "5%", basis: "Art. 8.1"}
      - {id: gb-mfn-2611, type: mfn`
	text := strings.Replace(string(data), `      - {id: gb-mfn-2611, type: mfn`, extra, 1)
	path := filepath.Join(t.TempDir(), "agreement.yaml")
	if err := os.WriteFile(path, []byte(text), 0o644); err != nil {
		t.Fatal(err)
	}
	a := assessorFor(t, path)
	d, err := ReadDeclaration(map[string]string{"id": "X", "accepted_on": "2026-03-10", "importer": "GB", "origin": "CN", "hs_code": "261100",
		"quantity": "2000", "unit": "kg", "customs_value": "10000", "currency": "GBP", "incoterm": "CIF"})
	if err != nil {
		t.Fatal(err)
	}
	as, err := a.Assess(context.Background(), d)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range as.Trace() {
		if s.Step == "surcharge" && strings.Contains(s.Formula, "5%") {
			found = true
		}
	}
	if !found {
		t.Errorf("no surcharge step naming 5%% in the trace")
	}
}

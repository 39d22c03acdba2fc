package web

import (
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// customsAgreement is the duty engine's customs-grade test agreement: stacked
// US measures (Section 301, IEEPA, AD/CVD, the MPF), preferences claimed, the
// UK calculator's compound rate, an EU duty per piece.
const customsAgreement = "../duty/testdata/customs/agreement.yaml"

// customsDeps is the portal over customsAgreement with a duty engine whose
// floors are computed in process.
func customsDeps(t testing.TB) Deps {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatalf("registry.Default() = %v", err)
	}
	a, _, err := agreement.LoadFile(customsAgreement, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatalf("agreement.LoadFile(%s) = %v", customsAgreement, err)
	}
	floors := refprice.NewInProcess(refprice.New(a, refprice.Sources{Registry: reg}))
	as, err := duty.New(a, reg, floors)
	if err != nil {
		t.Fatalf("duty.New(%s) = %v", customsAgreement, err)
	}
	return Deps{Registry: reg, Agreement: a, AgreementFile: customsAgreement, Floors: floors, Assessor: as, Ledger: duty.NewMemLedger()}
}

// TestDutyPageLines submits declarations of the customs cases
// (internal/duty/testdata/customs/cases.txt, where each figure is worked by
// hand) to GET /duty and reads the page: every duty line with its measure,
// type and amount, the other duties, the component steps of the trace with
// the bound that decided, and the new fields kept in the form.
func TestDutyPageLines(t *testing.T) {
	srv := httptest.NewServer(New(customsDeps(t)))
	t.Cleanup(srv.Close)
	base := url.Values{"accepted_on": {"2026-03-10"}, "quantity": {"50"}, "unit": {"t"}, "incoterm": {"FOB"}}
	tests := []struct {
		name    string
		fields  map[string]string
		want    []string // substrings of the body
		notWant []string
	}{
		{"R01 remedies stacked", map[string]string{"id": "R01", "importer": "US", "origin": "CN", "exporter_id": "SR-1", "hs_code": "3801105000",
			"customs_value": "200000", "currency": "USD"}, []string{
			`<tr data-measure="us-mfn-3801.10.50" data-type="mfn" data-amount="0.00">`,
			`<tr data-measure="us-301-3801" data-type="additional_duty" data-amount="50000.00">`,
			`<tr data-measure="us-ieepa-cn" data-type="additional_duty" data-amount="20000.00">`,
			`<tr data-measure="us-ad-aam" data-type="anti_dumping" data-amount="187000.00">`,
			`<tr data-measure="us-cvd-aam" data-type="countervailing" data-amount="23160.00">`,
			`<tr data-measure="us-mpf-fy2026" data-type="fee" data-amount="651.50">`,
			`<td>anti dumping</td>`, `<td class="num">187,000.00</td>`,
			`id="duty-other">280,811.50 USD`, `id="lines-total">280,811.50`, `id="total-duty">280,811.50`,
			`data-step="anti_dumping.ad_valorem_part" class="component" data-line="anti_dumping"`, `<span class="article">Art. 8.7</span>`,
		}, nil},
		{"G01 UK compound: the maximum less the deduction decides", map[string]string{"id": "G01", "importer": "GB", "origin": "AU", "hs_code": "250410",
			"quantity": "100", "unit": "kg", "customs_value": "1000", "currency": "GBP", "incoterm": "CIF"}, []string{
			`data-type="mfn" data-amount="8"`, `data-step="base_duty.maximum" class="component decides" data-line="base_duty"`, `decides the duty`,
			`<p class="step-note">the maximum (less the deduction) applies: 15 GBP/100 kg − 7 GBP/100 kg</p>`, `<p class="step-note">the minimum does not apply: 13 GBP/100 kg</p>`,
		}, nil},
		{"S05 preference claimed", map[string]string{"id": "S05", "importer": "US", "origin": "AU", "hs_code": "2611006000", "quantity": "20",
			"customs_value": "500000", "currency": "USD", "preference": "AU"}, []string{
			`id="f-preference" name="preference" value="AU"`, `data-measure="us-pref-2611.00.60-au" data-type="preference" data-amount="0.00"`,
			`preference us-pref-2611.00.60-au claimed under scheme AU for origin AU`,
		}, nil},
		{"W02 duty per piece: the minimum", map[string]string{"id": "W02", "importer": "EU", "origin": "CH", "hs_code": "91021100", "quantity": "12", "unit": "kg",
			"supplementary_quantity": "1000", "supplementary_unit": "p/st", "customs_value": "2000", "currency": "EUR", "incoterm": "CIF"}, []string{
			`id="f-supplementary_quantity" name="supplementary_quantity" value="1000"`, `<option value="p/st" selected>p/st</option>`,
			`data-type="mfn" data-amount="300"`, `data-step="base_duty.minimum" class="component decides" data-line="base_duty"`,
		}, nil},
		{"M01 contained quantity declared, outside the scope", map[string]string{"id": "M01", "importer": "US", "origin": "CL", "hs_code": "2613900000",
			"quantity": "20000", "unit": "kg", "contained_quantity": "10000", "customs_value": "400000", "currency": "USD"}, []string{
			`id="f-contained_quantity" name="contained_quantity" value="10000"`, `data-type="mfn" data-amount="1780.00"`,
			`US schedule · outside the agreement's scope · HS 2613900000`, `No floor: HS 2613900000 is outside the agreement's scope`,
		}, []string{`id="floor-link"`, `/prices//`}},
		{"W04 supplementary unit without a quantity", map[string]string{"id": "W04", "importer": "EU", "origin": "CH", "hs_code": "91021100", "quantity": "12", "unit": "kg",
			"supplementary_unit": "p/st", "customs_value": "2000", "currency": "EUR", "incoterm": "CIF"}, []string{
			`id="f-supplementary_quantity-error" role="alert">is required with supplementary_unit p/st`,
		}, []string{`id="duty-result"`, `id="duty-lines"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			q := url.Values{}
			for k, v := range base {
				q[k] = v
			}
			for k, v := range tt.fields {
				q.Set(k, v)
			}
			resp, err := http.Get(srv.URL + "/duty?" + q.Encode())
			if err != nil {
				t.Fatal(err)
			}
			body, _ := io.ReadAll(resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				t.Fatalf("GET /duty?%s status = %d, want 200", q.Encode(), resp.StatusCode)
			}
			for _, w := range tt.want {
				if !strings.Contains(string(body), w) {
					t.Errorf("GET /duty?%s: body lacks %q", q.Encode(), w)
				}
			}
			for _, w := range tt.notWant {
				if strings.Contains(string(body), w) {
					t.Errorf("GET /duty?%s: body has %q", q.Encode(), w)
				}
			}
			if t.Failed() {
				t.Logf("body:\n%s", body)
			}
		})
	}
}

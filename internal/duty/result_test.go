package duty

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"reflect"
	"slices"
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"
)

// taggedResult is Result as a plain struct with json tags, the way it was
// written before the column table: Result's JSON must be its very bytes.
type taggedResult struct {
	ID                string     `json:"id"`
	Importer          string     `json:"importer"`
	Party             string     `json:"party"`
	Origin            string     `json:"origin"`
	HSCode            string     `json:"hs_code"`
	Mineral           string     `json:"mineral"`
	Stage             string     `json:"stage"`
	Content           string     `json:"content"`
	ContainedQuantity string     `json:"contained_quantity"`
	ContainedUnit     string     `json:"contained_unit"`
	CustomsValue      string     `json:"customs_value"`
	UnitPrice         string     `json:"unit_price"`
	Floor             string     `json:"floor"`
	FloorCurrency     string     `json:"floor_currency"`
	FXMonth           string     `json:"fx_month"`
	BaseDuty          string     `json:"base_duty"`
	VariableDuty      string     `json:"variable_duty"`
	Surcharge         string     `json:"surcharge"`
	Quota             string     `json:"quota"`
	InQuotaQuantity   string     `json:"in_quota_quantity"`
	QuotaStatus       string     `json:"quota_status"`
	Undertaking       string     `json:"undertaking"`
	UndertakingBreach bool       `json:"undertaking_breach"`
	OtherDuties       string     `json:"other_duties"`
	Duties            []DutyLine `json:"duties"`
	TotalDuty         string     `json:"total_duty"`
	Currency          string     `json:"currency"`
	Trace             []Step     `json:"trace,omitempty"`
}

// TestColumnTable checks, over generated declarations, that every output
// the column table drives agrees: the CSV row is what encoding/csv writes of
// the Result's cells, the JSON is what encoding/json writes of the same
// fields with tags, and both read back to the same Result.
func TestColumnTable(t *testing.T) {
	a := exampleAssessor(t)
	xs := generatedDecls(t, a, declgen.Options{N: 3000, Seed: 9})
	dutiesAt := slices.IndexFunc(columns[:], func(c column) bool { return c.cell == cellDuties })
	n := 0
	for i, x := range xs {
		as := new(Assessment)
		if fe := a.prepareInto(&x, as); fe != nil {
			continue
		}
		if req := as.quota; req != nil {
			a.Complete(as, Grant{Granted: req.Quantity, Status: QuotaOpen})
		}
		res := as.Result(i%10 == 0) // a trace now and then
		cells := make([]string, len(columns))
		v := reflect.ValueOf(res)
		for j, c := range columns {
			switch {
			case c.flag != nil:
				cells[j] = map[bool]string{true: "true", false: "false"}[*c.flag(&res)]
			case c.list != nil:
				cells[j] = DutiesText(*c.list(&res))
			default:
				cells[j] = *c.field(&res)
			}
		}
		var want bytes.Buffer
		w := csv.NewWriter(&want)
		w.Write(cells)
		w.Flush()
		if got := as.appendCSV(nil, true); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("row %d: appendCSV = %q, want %q", i+1, got, want.Bytes())
		}
		// Without the duties column (the default): the same cells less that one.
		want.Reset()
		w.Write(slices.Delete(slices.Clone(cells), dutiesAt, dutiesAt+1))
		w.Flush()
		if got := as.appendCSV(nil, false); !bytes.Equal(got, want.Bytes()) {
			t.Errorf("row %d: appendCSV without duties = %q, want %q", i+1, got, want.Bytes())
		}

		var tagged taggedResult
		tv := reflect.ValueOf(&tagged).Elem()
		for j := range tv.NumField() {
			tv.Field(j).Set(v.FieldByName(tv.Type().Field(j).Name))
		}
		wantJSON, _ := json.Marshal(tagged)
		gotJSON, err := json.Marshal(res)
		if err != nil || !bytes.Equal(gotJSON, wantJSON) {
			t.Fatalf("row %d: json.Marshal(Result) = %s, %v; want %s", i+1, gotJSON, err, wantJSON)
		}
		var back Result
		if err := json.Unmarshal(gotJSON, &back); err != nil {
			t.Fatalf("row %d: reading %s back: %v", i+1, gotJSON, err)
		}
		if again, _ := json.Marshal(back); !bytes.Equal(again, gotJSON) {
			t.Fatalf("row %d: JSON read back and written again = %s, want %s", i+1, again, gotJSON)
		}
		fromCSV, err := ResultFromCSV(Columns, cells)
		res.Trace = nil
		if err != nil || !reflect.DeepEqual(fromCSV, res) {
			t.Fatalf("row %d: ResultFromCSV = %+v, %v; want %+v", i+1, fromCSV, err, res)
		}
		n++
	}
	if n < 2000 {
		t.Errorf("only %d of %d rows assessed", n, len(xs))
	}
}

package monitor

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Declaration is one assessed import declaration, as `mineralpact assess`
// writes it (CSV or JSON Lines; internal/duty's bulk output), optionally
// with the declaration's exporter_id and accepted_on (the assessed output
// does not repeat them: join them from the declarations file, or let
// `monitor scan` assess a declarations file itself).
type Declaration struct {
	Row        int // the row of the file it was read from
	ID         string
	Importer   string // ISO alpha-2 of the importing country
	Party      string
	Origin     string
	Exporter   string // exporter_id; "" when not given
	HS         string
	Mineral    string
	Stage      string
	Accepted   date.Date // zero when not given
	Period     Period    // the month of accepted_on, else fx_month
	Contained  float64   // contained quantity, in Unit
	Unit       string    // contained_unit, the floor's unit
	UnitPrice  float64   // per Unit of contained mineral, in FloorCurrency
	Floor      float64   // the published floor it was assessed against; 0 when none
	Currency   string    // floor_currency
	Undertake  string    // the undertaking it was declared under
	Breach     bool      // assessed below the undertaking's minimum
	unitMicro  int64     // UnitPrice × 10^6, exact
	floorMicro int64
}

// Value is the declaration's value at its unit price, in the floor currency.
func (d Declaration) Value() float64 { return d.UnitPrice * d.Contained }

var declRequired = []string{"id", "importer", "origin", "hs_code", "mineral", "stage", "contained_quantity", "contained_unit", "unit_price", "floor"}

// ReadDeclarations reads assessed declarations: the CSV or JSON Lines that
// `mineralpact assess` writes (the format is found from the first byte),
// with the columns id, importer, origin, hs_code, mineral, stage,
// contained_quantity, contained_unit, unit_price and floor, and where
// present party, floor_currency, fx_month, undertaking, undertaking_breach,
// exporter_id and accepted_on. Declarations accepted after asOf, negative
// figures and bad codes are an *InputError naming the file, row and column.
func ReadDeclarations(r io.Reader, name string, asOf date.Date) ([]Declaration, error) {
	br := bufio.NewReader(r)
	first, _ := br.Peek(1)
	if len(bytes.TrimSpace(first)) == 1 && first[0] == '{' {
		return readDeclJSONL(br, name, asOf)
	}
	cr := csv.NewReader(br)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return nil, inputErr(name, 0, "", "empty file: want assessed declarations (CSV or JSON Lines)")
		}
		return nil, csvErr(name, err)
	}
	col := map[string]int{}
	for i, h := range head {
		col[strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))] = i
	}
	for _, c := range declRequired {
		if _, ok := col[c]; !ok {
			return nil, inputErr(name, 1, c, "missing column %s (assessed declarations, as `mineralpact assess` writes them, need %s)", c, strings.Join(declRequired, ", "))
		}
	}
	var out []Declaration
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return nil, csvErr(name, err)
		}
		get := func(c string) (string, bool) {
			i, ok := col[c]
			if !ok || i >= len(rec) {
				return "", false
			}
			return strings.TrimSpace(rec[i]), true
		}
		d, err := makeDecl(name, row, get, asOf)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	return out, nil
}

func readDeclJSONL(br *bufio.Reader, name string, asOf date.Date) ([]Declaration, error) {
	sc := bufio.NewScanner(br)
	sc.Buffer(make([]byte, 1<<20), 16<<20)
	var out []Declaration
	row := 0
	for sc.Scan() {
		row++
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var obj map[string]json.RawMessage
		if err := json.Unmarshal(line, &obj); err != nil {
			return nil, inputErr(name, row, "", "not a JSON object: %v", err)
		}
		for _, c := range declRequired {
			if _, ok := obj[c]; !ok {
				return nil, inputErr(name, row, c, "missing field %s", c)
			}
		}
		get := func(c string) (string, bool) {
			raw, ok := obj[c]
			if !ok {
				return "", false
			}
			var s string
			if json.Unmarshal(raw, &s) == nil {
				return strings.TrimSpace(s), true
			}
			return strings.TrimSpace(string(raw)), true // a number or a boolean
		}
		d, err := makeDecl(name, row, get, asOf)
		if err != nil {
			return nil, err
		}
		out = append(out, d)
	}
	if err := sc.Err(); err != nil {
		return nil, inputErr(name, row+1, "", "%v", err)
	}
	return out, nil
}

func makeDecl(name string, row int, get func(string) (string, bool), asOf date.Date) (Declaration, error) {
	v := func(c string) string { s, _ := get(c); return s }
	d := Declaration{Row: row, ID: v("id"), Importer: v("importer"), Party: v("party"), Origin: v("origin"),
		Exporter: v("exporter_id"), HS: v("hs_code"), Mineral: v("mineral"), Stage: v("stage"),
		Unit: v("contained_unit"), Currency: v("floor_currency"), Undertake: v("undertaking")}
	if d.ID == "" {
		return d, inputErr(name, row, "id", "empty")
	}
	if !validHS(d.HS) {
		return d, inputErr(name, row, "hs_code", "HS code %q: want 6 to 10 digits", d.HS)
	}
	if len(d.Importer) < 2 {
		return d, inputErr(name, row, "importer", "importer %q: want an ISO alpha-2 code", d.Importer)
	}
	if len(d.Origin) < 2 {
		return d, inputErr(name, row, "origin", "origin %q: want an ISO alpha-2 code", d.Origin)
	}
	if d.Party == "" {
		d.Party = d.Importer
	}
	if s := v("accepted_on"); s != "" {
		t, err := date.Parse(s)
		if err != nil {
			return d, inputErr(name, row, "accepted_on", "%v", err)
		}
		if t.After(asOf) {
			return d, inputErr(name, row, "accepted_on", "accepted on %s, after the as-of date %s", t, asOf)
		}
		d.Accepted = t
		d.Period = Period{Year: t.Year(), Month: int(t.Month())}
	} else if s := v("fx_month"); s != "" {
		p, err := ParsePeriod(s)
		if err != nil || !p.Monthly() {
			return d, inputErr(name, row, "fx_month", "month %q: want YYYY-MM", s)
		}
		if p.Start().After(asOf) {
			return d, inputErr(name, row, "fx_month", "month %s is after the as-of date %s", p, asOf)
		}
		d.Period = p
	} else {
		return d, inputErr(name, row, "accepted_on", "no date: want accepted_on or fx_month")
	}
	num := func(c string, need bool) (int64, error) {
		s := v(c)
		if s == "" {
			if need {
				return 0, inputErr(name, row, c, "empty")
			}
			return 0, nil
		}
		x, bad := parseScaled(s, 6)
		if bad != "" {
			return 0, inputErr(name, row, c, "%s", bad)
		}
		return x, nil
	}
	up, err := num("unit_price", true)
	if err != nil {
		return d, err
	}
	fl, err := num("floor", false)
	if err != nil {
		return d, err
	}
	cq, err := num("contained_quantity", true)
	if err != nil {
		return d, err
	}
	d.unitMicro, d.floorMicro = up, fl
	d.UnitPrice, d.Floor, d.Contained = float64(up)/1e6, float64(fl)/1e6, float64(cq)/1e6
	switch b := v("undertaking_breach"); b {
	case "", "false":
	case "true":
		d.Breach = true
	default:
		return d, inputErr(name, row, "undertaking_breach", "%q: want true or false", b)
	}
	return d, nil
}

// String names a declaration for evidence.
func (d Declaration) String() string { return fmt.Sprintf("%s (row %d)", d.ID, d.Row) }

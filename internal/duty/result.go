package duty

import (
	"encoding/json"
	"fmt"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// shownPlaces is how many decimals figures that are not charged (quantities,
// unit prices, values in another currency, unrounded duties) are shown with.
const shownPlaces = 6

// contentPlaces is how many decimals a mass fraction is shown with.
const contentPlaces = 9

// column is one output column (docs/declarations.md, Output): its name in the
// CSV header and in JSON Lines, which cell of an assessment it shows, and
// where a Result keeps it. The table below is the one place the columns and
// their order are written: the CSV header and rows, the JSON Lines objects,
// Result and the reading of records back all follow it.
type column struct {
	name string
	cell cell
	// Exactly one of field, flag and list is set: where a Result keeps the
	// cell, as text, (undertaking_breach) as a JSON boolean or (duties) as a
	// list, a JSON array whose CSV cell is its text form (DutiesText).
	field func(r *Result) *string
	flag  func(r *Result) *bool
	list  func(r *Result) *[]DutyLine
}

var columns = [...]column{
	{name: "id", cell: cellID, field: func(r *Result) *string { return &r.ID }},
	{name: "importer", cell: cellImporter, field: func(r *Result) *string { return &r.Importer }},
	{name: "party", cell: cellParty, field: func(r *Result) *string { return &r.Party }},
	{name: "origin", cell: cellOrigin, field: func(r *Result) *string { return &r.Origin }},
	{name: "hs_code", cell: cellHSCode, field: func(r *Result) *string { return &r.HSCode }},
	{name: "mineral", cell: cellMineral, field: func(r *Result) *string { return &r.Mineral }},
	{name: "stage", cell: cellStage, field: func(r *Result) *string { return &r.Stage }},
	{name: "content", cell: cellContent, field: func(r *Result) *string { return &r.Content }},
	{name: "contained_quantity", cell: cellContained, field: func(r *Result) *string { return &r.ContainedQuantity }},
	{name: "contained_unit", cell: cellFloorUnit, field: func(r *Result) *string { return &r.ContainedUnit }},
	{name: "customs_value", cell: cellValueParty, field: func(r *Result) *string { return &r.CustomsValue }},
	{name: "unit_price", cell: cellUnitPrice, field: func(r *Result) *string { return &r.UnitPrice }},
	{name: "floor", cell: cellFloor, field: func(r *Result) *string { return &r.Floor }},
	{name: "floor_currency", cell: cellFloorCurrency, field: func(r *Result) *string { return &r.FloorCurrency }},
	{name: "fx_month", cell: cellFXMonth, field: func(r *Result) *string { return &r.FXMonth }},
	{name: "base_duty", cell: cellBase, field: func(r *Result) *string { return &r.BaseDuty }},
	{name: "variable_duty", cell: cellVariable, field: func(r *Result) *string { return &r.VariableDuty }},
	{name: "surcharge", cell: cellSurcharge, field: func(r *Result) *string { return &r.Surcharge }},
	{name: "quota", cell: cellQuota, field: func(r *Result) *string { return &r.Quota }},
	{name: "in_quota_quantity", cell: cellInQuota, field: func(r *Result) *string { return &r.InQuotaQuantity }},
	{name: "quota_status", cell: cellQuotaStatus, field: func(r *Result) *string { return &r.QuotaStatus }},
	{name: "undertaking", cell: cellUndertaking, field: func(r *Result) *string { return &r.Undertaking }},
	{name: "undertaking_breach", cell: cellBreach, flag: func(r *Result) *bool { return &r.UndertakingBreach }},
	{name: "other_duties", cell: cellOther, field: func(r *Result) *string { return &r.OtherDuties }},
	{name: "duties", cell: cellDuties, list: func(r *Result) *[]DutyLine { return &r.Duties }},
	{name: "total_duty", cell: cellTotal, field: func(r *Result) *string { return &r.TotalDuty }},
	{name: "currency", cell: cellCurrency, field: func(r *Result) *string { return &r.Currency }},
}

// cell names a figure or text of an assessment that a column shows.
type cell uint8

const (
	// Text cells, quoted in CSV when they need to be.
	cellID cell = iota
	cellImporter
	cellParty
	cellOrigin
	cellHSCode
	cellMineral
	cellStage
	cellFloorUnit
	cellFloor
	cellFloorCurrency
	cellFXMonth
	cellQuota
	cellQuotaStatus
	cellUndertaking
	cellCurrency
	// Figures, written straight: digits and a point, true or false.
	cellContent
	cellContained
	cellValueParty
	cellUnitPrice
	cellBase
	cellVariable
	cellSurcharge
	cellInQuota
	cellBreach
	cellOther
	cellDuties
	cellTotal
)

// text returns a text cell (k < cellContent).
func (as *Assessment) text(k cell) string {
	switch k {
	case cellID:
		return as.ID
	case cellImporter:
		return as.Importer
	case cellParty:
		return as.Party
	case cellOrigin:
		return as.Origin
	case cellHSCode:
		return as.HSCode
	case cellMineral:
		return as.Mineral
	case cellStage:
		return as.Stage
	case cellFloorUnit:
		return as.floor.f.Unit
	case cellFloor:
		return as.floor.priceText
	case cellFloorCurrency:
		return as.floor.f.Currency
	case cellFXMonth:
		return as.fxMonth
	case cellQuota:
		return as.quotaText()
	case cellQuotaStatus:
		return as.quotaStatusText()
	case cellUndertaking:
		return as.undertakingText()
	case cellCurrency:
		return as.party.currency
	}
	return ""
}

// appendFigure appends a figure cell (k ≥ cellContent).
func (as *Assessment) appendFigure(b []byte, k cell) []byte {
	switch k {
	case cellContent:
		return as.appendContent(b)
	case cellContained:
		return as.contained.AppendFixed(b, shownPlaces)
	case cellValueParty:
		return as.valueParty.AppendFixed(b, shownPlaces)
	case cellUnitPrice:
		return as.unitPrice.AppendFixed(b, shownPlaces)
	case cellBase:
		return as.appendDuty(b, as.baseR)
	case cellVariable:
		return as.appendDuty(b, as.vdR)
	case cellSurcharge:
		return as.appendDuty(b, as.surR)
	case cellInQuota:
		return as.appendInQuota(b)
	case cellBreach:
		return strconv.AppendBool(b, as.Breach)
	case cellOther:
		return as.appendDuty(b, as.other)
	case cellDuties:
		return as.appendDutiesText(b)
	case cellTotal:
		return as.total.AppendMoney(b, as.party.money)
	}
	return b
}

// Columns are the names of the output columns, in order; the JSON Lines
// output uses the same names. docs/declarations.md documents each.
var Columns = func() []string {
	names := make([]string, len(columns))
	for i, c := range columns {
		names[i] = c.name
	}
	return names
}()

func (as *Assessment) appendContent(b []byte) []byte {
	if as.contentDeclared {
		return as.content.AppendFixed(b, contentPlaces)
	}
	return append(b, as.line.contentText...)
}

func (as *Assessment) quotaText() string {
	if as.quota == nil {
		return ""
	}
	return as.quota.Quota
}

func (as *Assessment) quotaStatusText() string {
	if as.quota == nil {
		return ""
	}
	return string(as.quotaStatus)
}

func (as *Assessment) appendInQuota(b []byte) []byte {
	if as.quota == nil {
		return append(b, '0')
	}
	return as.inQuota.AppendFixed(b, shownPlaces)
}

func (as *Assessment) undertakingText() string {
	if as.und == nil {
		return ""
	}
	return as.und.in.ID
}

// appendDuty writes a duty in the party's currency: rounded to the party's
// places when it rounds each duty, else exact to the shown places.
func (as *Assessment) appendDuty(b []byte, x exact.Q) []byte {
	if x.IsZero() {
		// Most duties of a row are nothing: their text is the party's,
		// formatted once.
		return append(b, as.party.zeroDuty...)
	}
	if as.party.eachDuty {
		return x.AppendMoney(b, as.party.money)
	}
	return x.AppendFixed(b, shownPlaces)
}

// Result is an assessment as its output columns (and, when asked for, its
// trace), for JSON and tables. It is written and read as JSON in the columns'
// order, with the trace last.
type Result struct {
	ID                string
	Importer          string
	Party             string
	Origin            string
	HSCode            string
	Mineral           string
	Stage             string
	Content           string
	ContainedQuantity string
	ContainedUnit     string
	CustomsValue      string
	UnitPrice         string
	Floor             string
	FloorCurrency     string
	FXMonth           string
	BaseDuty          string
	VariableDuty      string
	Surcharge         string
	Quota             string
	InQuotaQuantity   string
	QuotaStatus       string
	Undertaking       string
	UndertakingBreach bool
	OtherDuties       string
	Duties            []DutyLine
	TotalDuty         string
	Currency          string
	Trace             []Step
}

// Result returns the assessment's output columns; with trace, its steps too.
func (as *Assessment) Result(trace bool) Result {
	var r Result
	var buf [64]byte
	for i := range columns {
		c := &columns[i]
		var s string
		if c.cell < cellContent {
			s = as.text(c.cell)
		} else {
			s = string(as.appendFigure(buf[:0], c.cell))
		}
		switch {
		case c.flag != nil:
			*c.flag(&r) = s == "true"
		case c.list != nil:
			*c.list(&r) = as.Duties()
		default:
			*c.field(&r) = s
		}
	}
	if trace {
		r.Trace = as.Trace()
	}
	return r
}

// appendCSV appends the assessment as one CSV record. It is the bulk path's
// hot loop, so it writes the cells of the column table straight, in its
// order, rather than looping over the table (a dispatch per cell costs some
// 100 ns a row, 3 % of an assessment); TestColumnTable checks it against the
// table, cell by cell.
// appendCSV appends the CSV row of as; duties says whether the duties
// column is written (BulkOptions.Duties).
func (as *Assessment) appendCSV(b []byte, duties bool) []byte {
	b = appendCSVField(b, as.ID)
	b = appendCSVField(append(b, ','), as.Importer)
	b = appendCSVField(append(b, ','), as.Party)
	b = appendCSVField(append(b, ','), as.Origin)
	b = appendCSVField(append(b, ','), as.HSCode)
	b = appendCSVField(append(b, ','), as.Mineral)
	b = appendCSVField(append(b, ','), as.Stage)
	b = as.appendContent(append(b, ','))
	b = as.contained.AppendFixed(append(b, ','), shownPlaces)
	b = appendCSVField(append(b, ','), as.floor.f.Unit)
	b = as.valueParty.AppendFixed(append(b, ','), shownPlaces)
	b = as.unitPrice.AppendFixed(append(b, ','), shownPlaces)
	b = appendCSVField(append(b, ','), as.floor.priceText)
	b = appendCSVField(append(b, ','), as.floor.f.Currency)
	b = appendCSVField(append(b, ','), as.fxMonth)
	// The duty lines repeat base_duty, variable_duty, surcharge and
	// other_duties: their spans are kept (indexed by shownAs) and copied
	// rather than formatted twice.
	var sp [5][2]int
	duty := func(b []byte, k shownAs, x exact.Q) []byte {
		sp[k][0] = len(b) + 1
		b = as.appendDuty(append(b, ','), x)
		sp[k][1] = len(b)
		return b
	}
	b = duty(b, shownBase, as.baseR)
	b = duty(b, shownVariable, as.vdR)
	b = duty(b, shownSurcharge, as.surR)
	b = appendCSVField(append(b, ','), as.quotaText())
	b = as.appendInQuota(append(b, ','))
	b = appendCSVField(append(b, ','), as.quotaStatusText())
	b = appendCSVField(append(b, ','), as.undertakingText())
	b = strconv.AppendBool(append(b, ','), as.Breach)
	b = duty(b, shownOther, as.other)
	if duties {
		b = as.appendDutiesCSV(append(b, ','), &sp)
	}
	b = as.total.AppendMoney(append(b, ','), as.party.money)
	b = appendCSVField(append(b, ','), as.party.currency)
	return append(b, '\n')
}

// appendCSVHeader appends the CSV header row, with the duties column when
// duties.
func appendCSVHeader(b []byte, duties bool) []byte {
	for i := range columns {
		if columns[i].cell == cellDuties && !duties {
			continue
		}
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, columns[i].name...)
	}
	return append(b, '\n')
}

// MarshalJSON writes the result as one JSON object: the columns in order,
// then the trace if there is one.
func (r Result) MarshalJSON() ([]byte, error) { return r.appendJSON(make([]byte, 0, 1024)) }

func (r *Result) appendJSON(b []byte) ([]byte, error) {
	b = append(b, '{')
	for i := range columns {
		c := &columns[i]
		if i > 0 {
			b = append(b, ',')
		}
		b = append(b, '"')
		b = append(b, c.name...)
		b = append(b, '"', ':')
		switch {
		case c.flag != nil:
			b = strconv.AppendBool(b, *c.flag(r))
		case c.list != nil:
			l := *c.list(r)
			if l == nil {
				l = []DutyLine{}
			}
			j, err := json.Marshal(l)
			if err != nil {
				return nil, err
			}
			b = append(b, j...)
		default:
			b = appendJSONString(b, *c.field(r))
		}
	}
	if len(r.Trace) > 0 {
		t, err := json.Marshal(r.Trace)
		if err != nil {
			return nil, err
		}
		b = append(b, `,"trace":`...)
		b = append(b, t...)
	}
	return append(b, '}'), nil
}

// UnmarshalJSON reads a result back from its JSON object (a stored
// assessment, an answer of the API).
func (r *Result) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(b, &m); err != nil {
		return err
	}
	*r = Result{}
	for i := range columns {
		c := &columns[i]
		raw, ok := m[c.name]
		if !ok {
			continue
		}
		var err error
		switch {
		case c.flag != nil:
			err = json.Unmarshal(raw, c.flag(r))
		case c.list != nil:
			err = json.Unmarshal(raw, c.list(r))
		default:
			err = json.Unmarshal(raw, c.field(r))
		}
		if err != nil {
			return fmt.Errorf("assessment column %s: %v", c.name, err)
		}
		delete(m, c.name)
	}
	if raw, ok := m["trace"]; ok {
		if err := json.Unmarshal(raw, &r.Trace); err != nil {
			return fmt.Errorf("assessment trace: %v", err)
		}
		delete(m, "trace")
	}
	for k := range m {
		return fmt.Errorf("unknown assessment column %q", k)
	}
	return nil
}

// ResultFromCSV reads one CSV output record back into a Result, by the
// names of header (the CSV output's first row).
func ResultFromCSV(header, rec []string) (Result, error) {
	var r Result
	if len(header) != len(rec) {
		return r, fmt.Errorf("record has %d fields, the header %d", len(rec), len(header))
	}
	for i, name := range header {
		c := columnNamed(name)
		if c == nil {
			return r, fmt.Errorf("unknown assessment column %q", name)
		}
		switch {
		case c.flag != nil:
			v, err := strconv.ParseBool(rec[i])
			if err != nil {
				return r, fmt.Errorf("assessment column %s: %v", name, err)
			}
			*c.flag(&r) = v
		case c.list != nil:
			l, err := ParseDutiesText(rec[i])
			if err != nil {
				return r, fmt.Errorf("assessment column %s: %v", name, err)
			}
			*c.list(&r) = l
		default:
			*c.field(&r) = rec[i]
		}
	}
	return r, nil
}

func columnNamed(name string) *column {
	for i := range columns {
		if columns[i].name == name {
			return &columns[i]
		}
	}
	return nil
}

// appendJSONString appends s as a JSON string, escaped as encoding/json
// escapes it (HTML characters included), so that Result's JSON is the very
// bytes a struct with the same fields would give.
func appendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			j, _ := json.Marshal(s)
			return append(b, j...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// appendCSVField appends one field, quoted as RFC 4180 asks when needed.
func appendCSVField(b []byte, f string) []byte {
	need := false
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == ',' || c == '"' || c == '\n' || c == '\r' {
			need = true
			break
		}
	}
	if len(f) > 0 && (f[0] == ' ' || f[0] == '\t') {
		need = true
	}
	if !need {
		return append(b, f...)
	}
	b = append(b, '"')
	for i := 0; i < len(f); i++ {
		c := f[i]
		if c == '"' {
			b = append(b, '"')
		}
		b = append(b, c)
	}
	return append(b, '"')
}

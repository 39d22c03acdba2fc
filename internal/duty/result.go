package duty

// Columns are the output columns of an assessment, in order; the JSON Lines
// output uses the same names. docs/declarations.md documents each.
var Columns = []string{
	"id", "importer", "party", "origin", "hs_code", "mineral", "stage", "content",
	"contained_quantity", "contained_unit", "customs_value", "unit_price", "floor", "floor_currency", "fx_month",
	"base_duty", "variable_duty", "surcharge", "quota", "in_quota_quantity", "quota_status",
	"undertaking", "undertaking_breach", "total_duty", "currency",
}

// shownPlaces is how many decimals figures that are not charged (quantities,
// unit prices, values in another currency, unrounded duties) are shown with.
const shownPlaces = 6

// contentPlaces is how many decimals a mass fraction is shown with.
const contentPlaces = 9

// Result is an assessment as output columns, for JSON and tables.
type Result struct {
	ID                string `json:"id"`
	Importer          string `json:"importer"`
	Party             string `json:"party"`
	Origin            string `json:"origin"`
	HSCode            string `json:"hs_code"`
	Mineral           string `json:"mineral"`
	Stage             string `json:"stage"`
	Content           string `json:"content"`
	ContainedQuantity string `json:"contained_quantity"`
	ContainedUnit     string `json:"contained_unit"`
	CustomsValue      string `json:"customs_value"`
	UnitPrice         string `json:"unit_price"`
	Floor             string `json:"floor"`
	FloorCurrency     string `json:"floor_currency"`
	FXMonth           string `json:"fx_month"`
	BaseDuty          string `json:"base_duty"`
	VariableDuty      string `json:"variable_duty"`
	Surcharge         string `json:"surcharge"`
	Quota             string `json:"quota"`
	InQuotaQuantity   string `json:"in_quota_quantity"`
	QuotaStatus       string `json:"quota_status"`
	Undertaking       string `json:"undertaking"`
	UndertakingBreach bool   `json:"undertaking_breach"`
	TotalDuty         string `json:"total_duty"`
	Currency          string `json:"currency"`
	Trace             []Step `json:"trace,omitempty"`
}

// fields returns the figures of the output columns, appended to buf; each
// cell is delimited by offsets so that the CSV and JSON writers share them.
func (as *Assessment) cells(buf []byte, ends []int, csv bool) ([]byte, []int) {
	cp := as.party
	first := true
	sep := func() {
		if csv && !first {
			buf = append(buf, ',')
		}
		first = false
	}
	add := func(s string) {
		sep()
		if csv {
			buf = appendCSVField(buf, s)
		} else {
			buf = append(buf, s...)
		}
		ends = append(ends, len(buf))
	}
	mark := func() { ends = append(ends, len(buf)) }
	add(as.ID)
	add(as.Importer)
	add(as.Party)
	add(as.Origin)
	add(as.HSCode)
	add(as.Mineral)
	add(as.Stage)
	sep()
	if as.contentDeclared {
		buf = as.content.appendFixed(buf, contentPlaces)
	} else {
		buf = append(buf, as.line.contentText...)
	}
	mark()
	sep()
	buf = as.contained.appendFixed(buf, shownPlaces)
	mark()
	add(as.floor.f.Unit)
	sep()
	buf = as.valueParty.appendFixed(buf, shownPlaces)
	mark()
	sep()
	buf = as.unitPrice.appendFixed(buf, shownPlaces)
	mark()
	add(as.floor.priceText)
	add(as.floor.f.Currency)
	add(as.fxMonth)
	duty := func(x q) {
		sep()
		if cp.eachDuty {
			buf = x.appendMoney(buf, cp.places)
		} else {
			buf = x.appendFixed(buf, shownPlaces)
		}
		mark()
	}
	duty(as.baseR)
	duty(as.vdR)
	duty(as.surR)
	if as.quota != nil {
		add(as.quota.Quota)
		sep()
		buf = as.inQuota.appendFixed(buf, shownPlaces)
		mark()
		add(string(as.quotaStatus))
	} else {
		add("")
		add("0")
		add("")
	}
	if as.und != nil {
		add(as.und.in.ID)
	} else {
		add("")
	}
	if as.Breach {
		add("true")
	} else {
		add("false")
	}
	sep()
	buf = as.total.appendMoney(buf, cp.places)
	mark()
	add(cp.currency)
	return buf, ends
}

// Result returns the assessment's output columns; with trace, its steps too.
func (as *Assessment) Result(trace bool) Result {
	buf, ends := as.cells(nil, nil, false)
	c := make([]string, len(ends))
	start := 0
	for i, e := range ends {
		c[i] = string(buf[start:e])
		start = e
	}
	r := Result{ID: c[0], Importer: c[1], Party: c[2], Origin: c[3], HSCode: c[4], Mineral: c[5], Stage: c[6], Content: c[7],
		ContainedQuantity: c[8], ContainedUnit: c[9], CustomsValue: c[10], UnitPrice: c[11], Floor: c[12], FloorCurrency: c[13],
		FXMonth: c[14], BaseDuty: c[15], VariableDuty: c[16], Surcharge: c[17], Quota: c[18], InQuotaQuantity: c[19],
		QuotaStatus: c[20], Undertaking: c[21], UndertakingBreach: as.Breach, TotalDuty: c[23], Currency: c[24]}
	if trace {
		r.Trace = as.Trace()
	}
	return r
}

// appendCSV appends the assessment as one CSV record: the cells of cells,
// written straight (the bulk path's hot loop; TestAppendCSV checks that both
// agree).
func (as *Assessment) appendCSV(b []byte) []byte {
	cp := as.party
	b = appendCSVField(b, as.ID)
	b = appendCSVField(append(b, ','), as.Importer)
	b = appendCSVField(append(b, ','), as.Party)
	b = appendCSVField(append(b, ','), as.Origin)
	b = appendCSVField(append(b, ','), as.HSCode)
	b = appendCSVField(append(b, ','), as.Mineral)
	b = appendCSVField(append(b, ','), as.Stage)
	b = append(b, ',')
	if as.contentDeclared {
		b = as.content.appendFixed(b, contentPlaces)
	} else {
		b = append(b, as.line.contentText...)
	}
	b = as.contained.appendFixed(append(b, ','), shownPlaces)
	b = appendCSVField(append(b, ','), as.floor.f.Unit)
	b = as.valueParty.appendFixed(append(b, ','), shownPlaces)
	b = as.unitPrice.appendFixed(append(b, ','), shownPlaces)
	b = appendCSVField(append(b, ','), as.floor.priceText)
	b = appendCSVField(append(b, ','), as.floor.f.Currency)
	b = appendCSVField(append(b, ','), as.fxMonth)
	for _, x := range [...]*q{&as.baseR, &as.vdR, &as.surR} {
		b = append(b, ',')
		if cp.eachDuty {
			b = x.appendMoney(b, cp.places)
		} else {
			b = x.appendFixed(b, shownPlaces)
		}
	}
	if as.quota != nil {
		b = appendCSVField(append(b, ','), as.quota.Quota)
		b = as.inQuota.appendFixed(append(b, ','), shownPlaces)
		b = appendCSVField(append(b, ','), string(as.quotaStatus))
	} else {
		b = append(b, ",,0,"...)
	}
	b = append(b, ',')
	if as.und != nil {
		b = appendCSVField(b, as.und.in.ID)
	}
	if as.Breach {
		b = append(b, ",true,"...)
	} else {
		b = append(b, ",false,"...)
	}
	b = as.total.appendMoney(b, cp.places)
	b = appendCSVField(append(b, ','), cp.currency)
	return append(b, '\n')
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

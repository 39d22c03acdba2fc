package monitor

import (
	"encoding/csv"
	"errors"
	"io"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
)

// comtradeColumns are the columns of a Comtrade Plus CSV that are read,
// found by header name (any case); the others are ignored.
var comtradeRequired = []string{"period", "reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue", "netWgt"}

// ReadComtrade reads a UN Comtrade (Comtrade Plus) CSV as downloaded: its
// columns found by header name, extra columns ignored. It needs period
// (YYYY or YYYYMM), reporterISO, partnerISO, flowCode (M, X, RM or RX),
// cmdCode (an HS code of 6 to 10 digits), primaryValue (USD: CIF for
// imports, FOB for exports) and netWgt (kg, empty when not reported); it
// reads fobvalue where an import row gives one. Rows whose partner is the
// world (W00) and breakdowns by second partner, customs procedure or mode
// of transport other than their totals are skipped (they would count a flow
// twice). A period that starts after asOf, a negative value, a bad code or
// a missing column is an *InputError naming the file, row and column.
func ReadComtrade(r io.Reader, name string, asOf date.Date) (*Flows, error) {
	f := NewFlows()
	if err := f.ReadComtrade(r, name, asOf); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadComtrade adds the rows of a Comtrade CSV to f (see the function).
func (f *Flows) ReadComtrade(r io.Reader, name string, asOf date.Date) error {
	cr := csv.NewReader(r)
	cr.ReuseRecord = true
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err == io.EOF {
		return inputErr(name, 0, "", "empty file: want a Comtrade CSV with a header")
	}
	if err != nil {
		return csvErr(name, err)
	}
	head = slices.Clone(head) // the reader reuses its record
	col := map[string]int{}
	for i, h := range head {
		h = strings.TrimSpace(strings.TrimPrefix(h, "\ufeff"))
		if _, dup := col[strings.ToLower(h)]; !dup {
			col[strings.ToLower(h)] = i
		}
	}
	idx := func(n string) int {
		if i, ok := col[strings.ToLower(n)]; ok {
			return i
		}
		return -1
	}
	for _, n := range comtradeRequired {
		if idx(n) < 0 {
			return inputErr(name, 1, n, "missing column %s (a Comtrade CSV needs %s)", n, strings.Join(comtradeRequired, ", "))
		}
	}
	cPer, cRep, cPar, cFlow, cCmd, cVal, cWgt := idx("period"), idx("reporterISO"), idx("partnerISO"), idx("flowCode"), idx("cmdCode"), idx("primaryValue"), idx("netWgt")
	cFob := idx("fobvalue")
	cPar2, cMot, cCus := idx("partner2ISO"), idx("motCode"), idx("customsCode")
	f.Files = append(f.Files, name)
	row := 1
	last := ""
	var lastPer Period
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return csvErr(name, err)
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		if len(rec) < len(head) {
			return inputErr(name, row, head[len(rec)], "missing: the row has %d fields, the header %d", len(rec), len(head))
		}
		if p2 := get(cPar2); cPar2 >= 0 && p2 != "" && p2 != "W00" {
			f.Skipped++
			continue
		}
		if m := get(cMot); cMot >= 0 && m != "" && m != "0" {
			f.Skipped++
			continue
		}
		if c := get(cCus); cCus >= 0 && c != "" && c != "C00" {
			f.Skipped++
			continue
		}
		ps := get(cPer)
		var per Period
		if ps == last && ps != "" {
			per = lastPer
		} else {
			p, err := ParsePeriod(ps)
			if err != nil || strings.Contains(ps, "-") {
				return inputErr(name, row, head[cPer], "period %q: want YYYY or YYYYMM", ps)
			}
			if p.Start().After(asOf) {
				return inputErr(name, row, head[cPer], "period %s is after the as-of date %s", p, asOf)
			}
			per, last, lastPer = p, ps, p
		}
		rep, par := get(cRep), get(cPar)
		if !countryCode(rep) {
			return inputErr(name, row, head[cRep], "reporter %q: want an ISO alpha-3 code", rep)
		}
		if !countryCode(par) {
			return inputErr(name, row, head[cPar], "partner %q: want an ISO alpha-3 code", par)
		}
		if par == "W00" {
			f.Skipped++
			continue
		}
		cmd := get(cCmd)
		if !validHS(cmd) {
			return inputErr(name, row, head[cCmd], "HS code %q: want 6 to 10 digits", cmd)
		}
		var src Source
		imp, exp := rep, par
		switch fl := get(cFlow); fl {
		case "M":
			src = Importer
		case "X":
			src, imp, exp = Exporter, par, rep
		case "RM":
			src = Reimport
		case "RX":
			src, imp, exp = Reexport, par, rep
		default:
			return inputErr(name, row, head[cFlow], "flow %q: want M, X, RM or RX", fl)
		}
		val, bad := parseScaled(get(cVal), 3)
		if bad != "" {
			return inputErr(name, row, head[cVal], "primaryValue: %s", bad)
		}
		g := int64(-1)
		if w := get(cWgt); w != "" {
			v, bad := parseScaled(w, 3)
			if bad != "" {
				return inputErr(name, row, head[cWgt], "netWgt: %s", bad)
			}
			g = v
		}
		ii, err := f.country(imp)
		if err != nil {
			return inputErr(name, row, "", "%v", err)
		}
		ei, err := f.country(exp)
		if err != nil {
			return inputErr(name, row, "", "%v", err)
		}
		hi, err := f.line(cmd)
		if err != nil {
			return inputErr(name, row, head[cCmd], "%v", err)
		}
		key := makeKey(ii, ei, hi, src, per)
		f.add(key, val, g)
		if src == Importer && cFob >= 0 && get(cFob) != "" {
			v, bad := parseScaled(get(cFob), 3)
			if bad != "" {
				return inputErr(name, row, head[cFob], "fobvalue: %s", bad)
			}
			f.fob[key] += v
		}
		f.Rows++
	}
	f.finish()
	return nil
}

func csvErr(name string, err error) error {
	var pe *csv.ParseError
	if errors.As(err, &pe) {
		return &InputError{File: name, Row: pe.StartLine, Msg: pe.Err.Error()}
	}
	return &InputError{File: name, Msg: err.Error()}
}

// countryCode reports whether s looks like a Comtrade country code: two or
// three letters, digits or underscores (W00, _X and X1 are Comtrade's
// areas).
func countryCode(s string) bool {
	if len(s) < 2 || len(s) > 3 {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !(c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_') {
			return false
		}
	}
	return true
}

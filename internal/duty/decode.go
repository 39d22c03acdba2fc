package duty

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"math/bits"
	"strings"
)

// InputColumns are the fields of a declaration, in the order gen writes them.
// The first ten are required; the others may be left empty. mineral is an
// extension: it names the mineral of a multi-mineral HS code.
var InputColumns = []string{
	"id", "accepted_on", "importer", "origin", "exporter_id", "hs_code", "quantity", "unit", "content",
	"customs_value", "currency", "incoterm", "freight", "insurance", "undertaking_id", "mineral",
}

const (
	fID = iota
	fAcceptedOn
	fImporter
	fOrigin
	fExporter
	fHS
	fQuantity
	fUnit
	fContent
	fValue
	fCurrency
	fIncoterm
	fFreight
	fInsurance
	fUndertaking
	fMineral
	nFields
)

var requiredColumns = []int{fID, fAcceptedOn, fImporter, fOrigin, fHS, fQuantity, fUnit, fValue, fCurrency, fIncoterm}

var columnIndex = func() map[string]int {
	m := map[string]int{}
	for i, c := range InputColumns {
		m[c] = i
	}
	return m
}()

// Header maps the columns of a CSV file to declaration fields.
type Header struct {
	pos []int // pos[i] is the field of column i, or −1
}

// ParseHeader reads a CSV header row. Columns may come in any order; an
// unknown or repeated column, or a missing required one, is an error.
func ParseHeader(cols []string) (*Header, error) {
	h := &Header{pos: make([]int, len(cols))}
	seen := make([]bool, nFields)
	for i, c := range cols {
		c = strings.TrimSpace(strings.TrimPrefix(c, "\ufeff"))
		f, ok := columnIndex[strings.ToLower(c)]
		if !ok {
			return nil, fmt.Errorf("unknown column %q (the columns are %s)", c, strings.Join(InputColumns, ", "))
		}
		if seen[f] {
			return nil, fmt.Errorf("column %q appears twice", c)
		}
		seen[f] = true
		h.pos[i] = f
	}
	var missing []string
	for _, f := range requiredColumns {
		if !seen[f] {
			missing = append(missing, InputColumns[f])
		}
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("missing required column(s) %s", strings.Join(missing, ", "))
	}
	return h, nil
}

// splitCSV splits one CSV record (without its line end) into fields, into
// dst. Fields without quotes are sub-slices of rec; quoted fields are unquoted
// into scratch.
func splitCSV(rec []byte, dst [][]byte, scratch []byte) ([][]byte, []byte, error) {
	dst = dst[:0]
	// Fast path, one pass: a record without quotes splits at its commas,
	// found eight bytes at a time.
	start, i := 0, 0
	for ; i+8 <= len(rec); i += 8 {
		w := binary.LittleEndian.Uint64(rec[i:])
		if zeroBytes(w^quotes8) != 0 {
			dst = dst[:0]
			goto quoted
		}
		for m := zeroBytes(w ^ commas8); m != 0; m &= m - 1 {
			j := i + bits.TrailingZeros64(m)>>3
			dst = append(dst, rec[start:j])
			start = j + 1
		}
	}
	for ; i < len(rec); i++ {
		if c := rec[i]; c == ',' {
			dst = append(dst, rec[start:i])
			start = i + 1
		} else if c == '"' {
			dst = dst[:0]
			goto quoted
		}
	}
	return append(dst, rec[start:]), scratch, nil
quoted:
	scratch = scratch[:0]
	type span struct{ a, b int }
	var spans []span
	i = 0
	for {
		if i < len(rec) && rec[i] == '"' {
			a := len(scratch)
			i++
			for {
				if i >= len(rec) {
					return nil, scratch, fmt.Errorf("unterminated quoted field")
				}
				c := rec[i]
				if c == '"' {
					if i+1 < len(rec) && rec[i+1] == '"' {
						scratch = append(scratch, '"')
						i += 2
						continue
					}
					i++
					break
				}
				scratch = append(scratch, c)
				i++
			}
			spans = append(spans, span{a, len(scratch)})
			if i < len(rec) && rec[i] != ',' {
				return nil, scratch, fmt.Errorf("extraneous %q after a quoted field", rec[i])
			}
		} else {
			j := bytes.IndexByte(rec[i:], ',')
			end := len(rec)
			if j >= 0 {
				end = i + j
			}
			if bytes.IndexByte(rec[i:end], '"') >= 0 {
				return nil, scratch, fmt.Errorf("bare %q in an unquoted field", '"')
			}
			a := len(scratch)
			scratch = append(scratch, rec[i:end]...)
			spans = append(spans, span{a, len(scratch)})
			i = end
		}
		if i >= len(rec) {
			break
		}
		i++ // the comma
		if i == len(rec) {
			spans = append(spans, span{len(scratch), len(scratch)})
			break
		}
	}
	for _, s := range spans {
		dst = append(dst, scratch[s.a:s.b])
	}
	return dst, scratch, nil
}

const (
	commas8 = 0x2c2c2c2c2c2c2c2c // ',' in each byte
	quotes8 = 0x2222222222222222 // '"' in each byte
)

// zeroBytes returns the high bit of each byte of x that is zero, and only
// those (no false positives, unlike the shorter (x−0x01…)&^x&0x80… test).
func zeroBytes(x uint64) uint64 {
	const m7 = 0x7f7f7f7f7f7f7f7f
	return ^((x&m7 + m7) | x | m7)
}

// parseFields turns the raw fields of one record (indexed by field) into a
// declaration; unusable values are reported with their field.
func parseFields(v *[nFields][]byte, x *decl) *FieldError {
	x.id = string(trimSpace(v[fID]))
	if x.id == "" {
		return fieldErr("id", "is required")
	}
	s := trimSpace(v[fAcceptedOn])
	if len(s) == 0 {
		return fieldErr("accepted_on", "is required (YYYY-MM-DD)")
	}
	c := x.c
	d, ok := c.date(s)
	if !ok {
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			return fieldErr("accepted_on", "%q is not a date of the calendar", s)
		}
		return fieldErr("accepted_on", "%q is not a date (want YYYY-MM-DD)", s)
	}
	x.on = d
	x.importer = c.intern(upperB(v[fImporter]))
	x.origin = c.intern(upperB(v[fOrigin]))
	x.exporter = c.intern(trimSpace(v[fExporter]))
	x.hs = c.intern(trimSpace(v[fHS]))
	x.unit = c.intern(trimSpace(v[fUnit]))
	x.cur = c.intern(upperB(v[fCurrency]))
	x.und = c.intern(trimSpace(v[fUndertaking]))
	x.mineral = c.intern(lowerB(v[fMineral]))
	num := func(f int, name string, optional bool) (q, bool, *FieldError) {
		s := trimSpace(v[f])
		if len(s) == 0 {
			if optional {
				return q{}, false, nil
			}
			return q{}, false, fieldErr(name, "is required")
		}
		n, ok := parseQ(s)
		if !ok {
			return q{}, false, fieldErr(name, "%q is not a decimal number (write digits with a point, e.g. 1234.5)", s)
		}
		return n, true, nil
	}
	var fe *FieldError
	if x.qty, _, fe = num(fQuantity, "quantity", false); fe != nil {
		return fe
	}
	if x.content, x.hasContent, fe = num(fContent, "content", true); fe != nil {
		return fe
	}
	if x.value, _, fe = num(fValue, "customs_value", false); fe != nil {
		return fe
	}
	if x.freight, x.hasFreight, fe = num(fFreight, "freight", true); fe != nil {
		return fe
	}
	if x.insurance, x.hasInsurance, fe = num(fInsurance, "insurance", true); fe != nil {
		return fe
	}
	switch inc := trimSpace(v[fIncoterm]); {
	case equalFold(inc, "FOB"):
		x.fob = true
	case equalFold(inc, "CIF"):
	case len(inc) == 0:
		return fieldErr("incoterm", "is required (FOB or CIF)")
	default:
		return fieldErr("incoterm", "%q is not FOB or CIF", inc)
	}
	return checkDecl(x)
}

// trimSpace is bytes.TrimSpace, without the call when the field starts and
// ends with printable ASCII (as nearly all do).
func trimSpace(b []byte) []byte {
	if n := len(b); n == 0 || (b[0] > ' ' && b[0] < 0x80 && b[n-1] > ' ' && b[n-1] < 0x80) {
		return b
	}
	return bytes.TrimSpace(b)
}

func upperB(b []byte) []byte {
	b = trimSpace(b)
	for _, c := range b {
		if c >= 'a' && c <= 'z' {
			return bytes.ToUpper(b)
		}
	}
	return b
}

func lowerB(b []byte) []byte {
	b = trimSpace(b)
	for _, c := range b {
		if c >= 'A' && c <= 'Z' {
			return bytes.ToLower(b)
		}
	}
	return b
}

func equalFold(b []byte, s string) bool { return len(b) == len(s) && strings.EqualFold(string(b), s) }

// decodeCSVRecord decodes one CSV record.
func decodeCSVRecord(h *Header, rec []byte, x *decl, st *decodeState) *FieldError {
	var err error
	st.fields, st.scratch, err = splitCSV(rec, st.fields, st.scratch)
	if err != nil {
		return fieldErr("", "malformed CSV record: %v", err)
	}
	if len(st.fields) != len(h.pos) {
		// Take what id there is, for the error.
		if len(st.fields) > 0 {
			for i, f := range h.pos {
				if f == fID && i < len(st.fields) {
					x.id = string(st.fields[i])
				}
			}
		}
		return fieldErr("", "has %d fields, the header %d", len(st.fields), len(h.pos))
	}
	st.v = [nFields][]byte{}
	for i, f := range h.pos {
		st.v[f] = st.fields[i]
	}
	return parseFields(&st.v, x)
}

// decodeState is a worker's scratch space.
type decodeState struct {
	fields  [][]byte
	scratch []byte
	v       [nFields][]byte
}

// jsonValue is a JSON string, number or null, kept as text.
type jsonValue struct {
	s   string
	set bool
}

func (j *jsonValue) UnmarshalJSON(b []byte) error {
	j.set = true
	switch {
	case string(b) == "null":
		j.s = ""
	case len(b) > 0 && b[0] == '"':
		return json.Unmarshal(b, &j.s)
	case len(b) > 0 && (b[0] == '-' || (b[0] >= '0' && b[0] <= '9')):
		j.s = string(b)
	default:
		return fmt.Errorf("want a string or a number, got %s", b)
	}
	return nil
}

// decodeJSONRecord decodes one JSON Lines record.
func decodeJSONRecord(line []byte, x *decl, st *decodeState) *FieldError {
	var m map[string]jsonValue
	if err := json.Unmarshal(line, &m); err != nil {
		return fieldErr("", "not a JSON object: %v", err)
	}
	if id, ok := m["id"]; ok {
		x.id = id.s
	}
	st.v = [nFields][]byte{}
	for k, val := range m {
		f, ok := columnIndex[k]
		if !ok {
			return fieldErr(k, "unknown field (the fields are %s)", strings.Join(InputColumns, ", "))
		}
		st.v[f] = []byte(val.s)
	}
	return parseFields(&st.v, x)
}

package duty

import (
	"encoding/json"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/jsonstrict"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// This file is the one path by which a declaration comes in (docs/declarations.md,
// "The declaration"): a CSV record, a JSON Lines record, the API's JSON
// object and the portal's form all become the same field texts, and one
// normaliser (readFields) trims them, settles their case, parses their
// numbers and dates and checks what needs no agreement. Two decoders would
// drift; with one, the four entry points give the same assessment.

// InputColumns are the fields of a declaration, in the order gen writes them.
// The first ten are required; the others may be left empty. mineral is an
// extension: it names the mineral of a multi-mineral HS code; preference is
// the preference scheme claimed (the US special programme indicator).
var InputColumns = []string{
	"id", "accepted_on", "importer", "origin", "exporter_id", "hs_code", "quantity", "unit", "content",
	"customs_value", "currency", "incoterm", "freight", "insurance", "undertaking_id", "mineral", "preference",
	"contained_quantity", "supplementary_quantity", "supplementary_unit",
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
	fPreference
	fContained
	fSupp
	fSuppUnit
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

// decl is a declaration with its figures exact, as the engine reads it.
type decl struct {
	id, importer, origin, exporter, hs, unit, cur, und, mineral, pref, suppUnit string
	on                                                                          date.Date
	qty, content, value, freight, insurance, supp                               exact.Q
	hasContent, hasFreight, hasInsurance, fob, hasSupp                          bool
	containedDeclared                                                           bool // content computed from a declared contained quantity
	row, line                                                                   int
	c                                                                           *lcache // a worker's cache, or nil
}

// Declaration is one import declaration as the normaliser read it: codes in
// their canonical case, figures exact, what needs no agreement checked. Make
// one with ReadDeclaration (named field texts: a form, a map) or
// DecodeDeclaration (a JSON object), the very path bulk files take.
type Declaration struct{ x decl }

// ID returns the declaration's identifier.
func (d Declaration) ID() string { return d.x.id }

// AcceptedOn returns the date of acceptance.
func (d Declaration) AcceptedOn() date.Date { return d.x.on }

// FieldError is a declaration that cannot be assessed: the problem with one
// of its fields (Err: code invalid, the field, the reason and the bad value
// as given) and where the declaration stands in its input.
type FieldError struct {
	Row  int    // data row, 1 = the first (0: not read from a file)
	Line int    // line of the file where the record starts
	ID   string // the declaration's id, when it could be read
	Err  *problem.Error
}

func (e *FieldError) Error() string {
	s := ""
	if e.Row > 0 {
		s = fmt.Sprintf("row %d: ", e.Row)
	}
	if e.ID != "" {
		s += fmt.Sprintf("declaration %s: ", e.ID)
	}
	return s + e.Err.Field + ": " + e.Err.Message
}

// Unwrap returns the field's problem.
func (e *FieldError) Unwrap() error { return e.Err }

// MarshalJSON writes the error as a row of the errors file in JSON Lines:
// {row, line, id, field, reason}.
func (e *FieldError) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		Row    int    `json:"row,omitempty"`
		Line   int    `json:"line,omitempty"`
		ID     string `json:"id"`
		Field  string `json:"field"`
		Reason string `json:"reason"`
	}{e.Row, e.Line, e.ID, e.Err.Field, e.Err.Message})
}

// fieldErr is the problem with one field of a declaration; bad is the value
// as given ("" when it is missing).
func fieldErr(field, bad, format string, args ...any) *problem.Error {
	return &problem.Error{Code: problem.Invalid, Field: field, BadValue: bad, Message: fmt.Sprintf(format, args...)}
}

// ReadDeclaration reads a declaration from its fields as text, named as
// InputColumns names them (a form's inputs, a JSON object's members); an
// empty value is a field not given. It reports the first field that is
// unknown or cannot be read, as a *FieldError; what needs the agreement (a
// party, a tariff code in scope) is checked by Prepare and Assess.
func ReadDeclaration(fields map[string]string) (Declaration, error) {
	var v [nFields][]byte
	for k, s := range fields {
		f, ok := columnIndex[k]
		if !ok {
			return Declaration{}, &FieldError{ID: fields["id"], Err: unknownField(k)}
		}
		v[f] = []byte(s)
	}
	return readDeclaration(&v)
}

// DecodeDeclaration reads a declaration from one JSON object of fields, each a
// string or a number (read from its text, never through a float) or null (not
// given): a line of a JSON Lines file, the body of POST /v1/assessments.
func DecodeDeclaration(obj []byte) (Declaration, error) {
	var d Declaration
	var v [nFields][]byte
	if pe := jsonFields(obj, &v, &d.x); pe != nil {
		return Declaration{}, &FieldError{ID: d.x.id, Err: pe}
	}
	return readDeclaration(&v)
}

func readDeclaration(v *[nFields][]byte) (Declaration, error) {
	var d Declaration
	if pe := readFields(v, &d.x); pe != nil {
		return Declaration{}, &FieldError{ID: d.x.id, Err: pe}
	}
	return d, nil
}

func unknownField(name string) *problem.Error {
	return fieldErr(name, "", "unknown field (the fields are %s)", strings.Join(InputColumns, ", "))
}

// readFields is the normaliser: it turns the texts of one declaration's
// fields (indexed by field) into a declaration. Text is trimmed; importer,
// origin and currency are upper case, mineral lower case, the incoterm any
// case; numbers are plain decimals read exactly; the date must exist. An
// unusable value is reported with its field and the value as given.
func readFields(v *[nFields][]byte, x *decl) *problem.Error {
	for f := range v {
		if len(v[f]) > maxFieldBytes {
			if f != fID {
				x.id = string(trimSpace(v[fID][:min(len(v[fID]), maxFieldBytes)]))
			}
			return fieldErr(InputColumns[f], shorten(v[f]), "is %d bytes long, more than the %d a field may have", len(v[f]), maxFieldBytes)
		}
	}
	x.id = string(trimSpace(v[fID]))
	if x.id == "" {
		return fieldErr("id", "", "is required")
	}
	// The free texts a store keeps as given (issue 12, one byte policy):
	// the codes are checked against the agreement and the registry.
	for _, f := range [...]int{fID, fExporter, fUndertaking} {
		if pe := checkText(f, trimSpace(v[f])); pe != nil {
			return pe
		}
	}
	s := trimSpace(v[fAcceptedOn])
	if len(s) == 0 {
		return fieldErr("accepted_on", "", "is required (YYYY-MM-DD)")
	}
	c := x.c
	d, ok := c.date(s)
	if !ok {
		if len(s) == 10 && s[4] == '-' && s[7] == '-' {
			return fieldErr("accepted_on", string(s), "%q is not a date of the calendar", s)
		}
		return fieldErr("accepted_on", string(s), "%q is not a date (want YYYY-MM-DD)", s)
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
	x.pref, x.suppUnit = "", ""
	if len(v[fPreference])|len(v[fSuppUnit]) != 0 { // rare: skip the interning
		x.pref = c.intern(upperB(v[fPreference]))
		x.suppUnit = c.intern(lowerB(v[fSuppUnit]))
	}
	num := func(f int, name string, optional bool) (exact.Q, bool, *problem.Error) {
		s := trimSpace(v[f])
		if len(s) == 0 {
			if optional {
				return exact.Q{}, false, nil
			}
			return exact.Q{}, false, fieldErr(name, "", "is required")
		}
		n, ok := exact.Parse(s)
		if !ok {
			return exact.Q{}, false, fieldErr(name, string(s), "%q is not a decimal number (write digits with a point, e.g. 1234.5)", s)
		}
		return n, true, nil
	}
	var pe *problem.Error
	if x.qty, _, pe = num(fQuantity, "quantity", false); pe != nil {
		return pe
	}
	if x.content, x.hasContent, pe = num(fContent, "content", true); pe != nil {
		return pe
	}
	var contained exact.Q
	x.containedDeclared, x.hasSupp, x.supp = false, false, exact.Q{}
	if len(v[fContained])|len(v[fSupp]) != 0 { // most declarations give neither
		if contained, x.containedDeclared, pe = num(fContained, "contained_quantity", true); pe != nil {
			return pe
		}
		if x.supp, x.hasSupp, pe = num(fSupp, "supplementary_quantity", true); pe != nil {
			return pe
		}
	}
	if x.value, _, pe = num(fValue, "customs_value", false); pe != nil {
		return pe
	}
	if x.freight, x.hasFreight, pe = num(fFreight, "freight", true); pe != nil {
		return pe
	}
	if x.insurance, x.hasInsurance, pe = num(fInsurance, "insurance", true); pe != nil {
		return pe
	}
	if x.containedDeclared {
		// A contained quantity declared in the unit of the quantity (the US
		// reports tungsten and molybdenum in kg of content, "CKG") stands
		// for the content: content = contained ÷ quantity, exactly.
		switch {
		case x.hasContent:
			return fieldErr("contained_quantity", contained.String(), "declare the content or the contained quantity, not both")
		case contained.Sign() <= 0 || x.qty.Sign() <= 0 || contained.Cmp(x.qty) > 0:
			return fieldErr("contained_quantity", contained.String(), "%s is not a contained quantity in (0, quantity %s]", contained, x.qty)
		}
		x.content, x.hasContent = contained.Quo(x.qty), true
	}
	switch {
	case x.hasSupp && x.suppUnit == "":
		return fieldErr("supplementary_unit", "", "is required with supplementary_quantity (p/st, l, m2, m3)")
	case !x.hasSupp && x.suppUnit != "":
		return fieldErr("supplementary_quantity", "", "is required with supplementary_unit %s", x.suppUnit)
	case x.hasSupp && x.supp.Sign() <= 0:
		return fieldErr("supplementary_quantity", x.supp.String(), "%s is not a positive quantity", x.supp)
	}
	switch inc := trimSpace(v[fIncoterm]); {
	case equalFold(inc, "FOB"):
		x.fob = true
	case equalFold(inc, "CIF"):
	case len(inc) == 0:
		return fieldErr("incoterm", "", "is required (FOB or CIF)")
	default:
		return fieldErr("incoterm", string(inc), "%q is not FOB or CIF", inc)
	}
	return checkDecl(x)
}

// checkDecl checks what does not need the agreement.
func checkDecl(x *decl) *problem.Error {
	switch {
	case x.importer == "":
		return fieldErr("importer", "", "is required (a party: ISO alpha-2 or EU)")
	case x.origin == "":
		return fieldErr("origin", "", "is required (ISO alpha-2)")
	case x.hs == "":
		return fieldErr("hs_code", "", "is required (6 to 10 digits)")
	case x.qty.Sign() <= 0:
		return fieldErr("quantity", x.qty.String(), "%s is not a positive quantity", x.qty)
	case x.unit == "":
		return fieldErr("unit", "", "is required (kg, t, lb, ...)")
	case x.hasContent && (x.content.Sign() <= 0 || x.content.Cmp(exact.Int(1)) > 0):
		return fieldErr("content", x.content.String(), "%s is not a mass fraction in (0, 1]", x.content)
	case x.value.Sign() < 0:
		return fieldErr("customs_value", x.value.String(), "%s is negative", x.value)
	case x.cur == "":
		return fieldErr("currency", "", "is required (ISO 4217)")
	case x.hasFreight && x.freight.Sign() < 0:
		return fieldErr("freight", x.freight.String(), "%s is negative", x.freight)
	case x.hasInsurance && x.insurance.Sign() < 0:
		return fieldErr("insurance", x.insurance.String(), "%s is negative", x.insurance)
	}
	return nil
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

// jsonFields reads one JSON object of declaration fields into v; x.id is set
// from it first, so that an error can name the declaration.
func jsonFields(obj []byte, v *[nFields][]byte, x *decl) *problem.Error {
	var m map[string]jsonValue
	if err := json.Unmarshal(obj, &m); err != nil {
		return fieldErr("", "", "not a JSON object: %v", err)
	}
	if id, ok := m["id"]; ok {
		x.id = id.s
	}
	// A key given twice would keep its last value unseen: refused, as the
	// API refuses it.
	if err := jsonstrict.CheckDuplicateKeys(obj); err != nil {
		var pe *problem.Error
		if errors.As(err, &pe) {
			return pe
		}
		return fieldErr("", "", "%v", err)
	}
	*v = [nFields][]byte{}
	for k, val := range m {
		f, ok := columnIndex[k]
		if !ok {
			return unknownField(k)
		}
		v[f] = []byte(val.s)
	}
	return nil
}

// checkText refuses a text that is not UTF-8 or holds a control character
// (a NUL, a line end, an escape): such an id would be kept differently by
// the two stores (SQLite keeps the bytes, PostgreSQL refuses them), or not
// shown as it was given. The common case, printable ASCII, is one pass.
func checkText(f int, b []byte) *problem.Error {
	for i, c := range b {
		if c >= 0x20 && c < 0x7f {
			continue
		}
		if c < 0x80 {
			return fieldErr(InputColumns[f], strconv.QuoteToASCII(shorten(b)), "holds the control character %U at byte %d: a declaration's texts are printable", rune(c), i)
		}
		for j := i; j < len(b); {
			r, n := utf8.DecodeRune(b[j:])
			if r == utf8.RuneError && n == 1 {
				return fieldErr(InputColumns[f], strconv.QuoteToASCII(shorten(b)), "is not UTF-8 (byte %d): a declaration's texts are UTF-8", j)
			}
			if unicode.IsControl(r) {
				return fieldErr(InputColumns[f], strconv.QuoteToASCII(shorten(b)), "holds the control character %U at byte %d: a declaration's texts are printable", r, j)
			}
			j += n
		}
		return nil
	}
	return nil
}

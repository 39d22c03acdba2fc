package duty

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// DeclarationFromFields builds a declaration from its fields as text, named
// as InputColumns names them (a JSON object's members, a form's inputs). An
// empty value is a field not given. It reports the first field that is
// unknown or cannot be read (a number that is not a plain decimal, a date
// that does not exist); what needs the agreement (a party, a tariff code in
// scope) is checked by Prepare and Assess.
func DeclarationFromFields(fields map[string]string) (Declaration, *FieldError) {
	var d Declaration
	for _, name := range sortedKeys(fields) {
		if !slices.Contains(InputColumns, name) {
			return d, &FieldError{ID: fields["id"], Field: name, Reason: fmt.Sprintf("unknown field; the fields are %s", strings.Join(InputColumns, ", "))}
		}
	}
	d.ID = strings.TrimSpace(fields["id"])
	fail := func(field, format string, args ...any) (Declaration, *FieldError) {
		return d, &FieldError{ID: d.ID, Field: field, Reason: fmt.Sprintf(format, args...)}
	}
	if s := strings.TrimSpace(fields["accepted_on"]); s != "" {
		v, ok := parseDate([]byte(s))
		if !ok {
			return fail("accepted_on", "%q is not a date that exists (YYYY-MM-DD)", s)
		}
		d.AcceptedOn = v
	}
	d.Importer = strings.TrimSpace(fields["importer"])
	d.Origin = strings.TrimSpace(fields["origin"])
	d.ExporterID = strings.TrimSpace(fields["exporter_id"])
	d.HSCode = strings.TrimSpace(fields["hs_code"])
	d.Unit = strings.TrimSpace(fields["unit"])
	d.Currency = strings.TrimSpace(fields["currency"])
	d.Incoterm = strings.TrimSpace(fields["incoterm"])
	d.UndertakingID = strings.TrimSpace(fields["undertaking_id"])
	d.Mineral = strings.TrimSpace(fields["mineral"])
	num := func(name string, required bool) (*dec.Decimal, *FieldError) {
		s := strings.TrimSpace(fields[name])
		if s == "" {
			if required {
				return nil, &FieldError{ID: d.ID, Field: name, Reason: "is required (a plain decimal such as 1234.5)"}
			}
			return nil, nil
		}
		if _, ok := parseQ([]byte(s)); !ok {
			return nil, &FieldError{ID: d.ID, Field: name, Reason: fmt.Sprintf("%q is not a plain decimal (digits and one point, no thousands separators or exponent)", s)}
		}
		v, err := dec.Parse(s)
		if err != nil {
			return nil, &FieldError{ID: d.ID, Field: name, Reason: fmt.Sprintf("%q: %v", s, err)}
		}
		return &v, nil
	}
	for _, f := range []struct {
		name     string
		required bool
		dst      **dec.Decimal
		val      *dec.Decimal
	}{
		{"quantity", true, nil, &d.Quantity},
		{"content", false, &d.Content, nil},
		{"customs_value", true, nil, &d.CustomsValue},
		{"freight", false, &d.Freight, nil},
		{"insurance", false, &d.Insurance, nil},
	} {
		v, fe := num(f.name, f.required)
		if fe != nil {
			return d, fe
		}
		switch {
		case v == nil:
		case f.val != nil:
			*f.val = *v
		default:
			*f.dst = v
		}
	}
	if d.Incoterm == "" {
		return fail("incoterm", "is required (FOB or CIF)")
	}
	return d, nil
}

func sortedKeys(m map[string]string) []string {
	ks := make([]string, 0, len(m))
	for k := range m {
		ks = append(ks, k)
	}
	slices.Sort(ks)
	return ks
}

package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// HTSLine is one 8-digit line of the US Harmonized Tariff Schedule 2025
// (data/usitc-hts-2025/), with its general (MFN, column 1) duty rate.
//
// The rate's parts follow the USITC's rate type code (MFNRateType): "7" ad
// valorem (MFNAdValorem × value), "1"/"2" specific per first/second unit of
// quantity, "4"/"5" specific plus ad valorem, "0" free; "T", "X" and "K" are
// computed from the HTS text. The database writes 9999.999999 in the numeric
// parts when they cannot be given (rates "on lead content" and the like):
// MFNRateSet is then false and the parts are zero, so nobody multiplies by a
// placeholder.
type HTSLine struct {
	Code         string      // 8 digits
	Description  string      // the USITC's brief description (not legally binding)
	Quantity1    string      // first unit of quantity: "KG", "T", "CKG" (component kilograms), "NO"
	Quantity2    string      // second unit of quantity, often the contained metal in CKG
	MFNText      string      // the MFN rate as printed: "3.7%", "37.5 cents/kg on tungsten content"
	MFNRateType  string      // the USITC rate type code
	MFNAdValorem dec.Decimal // 0.037 for 3.7%
	MFNSpecific  dec.Decimal // dollars per unit of quantity: 0.375 for 37.5 cents/kg
	MFNOther     dec.Decimal // a second specific part, per Quantity2
	MFNRateSet   bool        // false when the numeric parts are placeholders
	SpecialText  string      // the special (preferential) rates: "Free (A,AU,B,BH,...)"
	Col2Text     string      // the column 2 rate
}

// htsPlaceholders are the values the USITC database writes where a rate has no
// numeric form.
var htsPlaceholders = []dec.Decimal{dec.MustParse("9999.999999"), dec.MustParse("9999.99")}

const htsFile = "usitc-hts-2025/hts2025_minerals.csv"

func (r *Registry) loadHTS(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, htsFile, errs, "hts8", "brief_description", "quantity_1_code", "quantity_2_code", "mfn_text_rate",
		"mfn_rate_type_code", "mfn_ad_val_rate", "mfn_specific_rate", "mfn_other_rate", "col1_special_text", "col2_text_rate")
	if err != nil {
		return err
	}
	r.htsIndex = make(map[string]int, 800)
	for row, ok := f.next(); ok; row, ok = f.next() {
		l := HTSLine{
			Code:        row.str("hts8"),
			Description: row.str("brief_description"),
			Quantity1:   row.str("quantity_1_code"),
			Quantity2:   row.str("quantity_2_code"),
			MFNText:     row.str("mfn_text_rate"),
			MFNRateType: row.str("mfn_rate_type_code"),
			SpecialText: row.str("col1_special_text"),
			Col2Text:    row.str("col2_text_rate"),
			MFNRateSet:  true,
		}
		if len(l.Code) != 8 || !isDigits(l.Code) {
			row.errorf("hts8", "%q is not 8 digits", l.Code)
			continue
		}
		if _, dup := r.htsIndex[l.Code]; dup {
			row.errorf("hts8", "%s is listed twice", l.Code)
			continue
		}
		parts := []*dec.Decimal{&l.MFNAdValorem, &l.MFNSpecific, &l.MFNOther}
		for i, col := range []string{"mfn_ad_val_rate", "mfn_specific_rate", "mfn_other_rate"} {
			v, _ := row.optDec(col)
			if isPlaceholder(v) {
				l.MFNRateSet = false
				continue
			}
			*parts[i] = v
		}
		if !l.MFNRateSet {
			l.MFNAdValorem, l.MFNSpecific, l.MFNOther = dec.Zero, dec.Zero, dec.Zero
		}
		r.htsIndex[l.Code] = len(r.hts)
		r.hts = append(r.hts, l)
	}
	slices.SortFunc(r.hts, func(a, b HTSLine) int { return strings.Compare(a.Code, b.Code) })
	for i, l := range r.hts {
		r.htsIndex[l.Code] = i
	}
	return nil
}

func isPlaceholder(v dec.Decimal) bool {
	for _, p := range htsPlaceholders {
		if v.Cmp(p) == 0 {
			return true
		}
	}
	return false
}

// HTS returns the HTS 2025 line with this 8-digit code (dots allowed:
// "2836.91.00"). Only the critical-mineral headings are shipped (see
// data/usitc-hts-2025/README.md); a code outside them is NotFound.
func (r *Registry) HTS(code8 string) (HTSLine, error) {
	c := normalizeCode(code8)
	if len(c) != 8 || !isDigits(c) {
		return HTSLine{}, &problem.Error{Code: problem.Invalid, Field: "hts_code",
			Message: fmt.Sprintf("HTS code must have 8 digits, got %q", code8)}
	}
	if i, ok := r.htsIndex[c]; ok {
		return r.hts[i], nil
	}
	codes := make([]string, len(r.hts))
	for i, l := range r.hts {
		codes[i] = l.Code
	}
	msg := fmt.Sprintf("HTS code %q is not in the shipped HTS 2025 lines", code8)
	if near := codesSharingPrefix(c, codes, 5); len(near) > 0 {
		msg += " (nearest: " + strings.Join(near, ", ") + ")"
	}
	return HTSLine{}, &problem.Error{Code: problem.NotFound, Field: "hts_code", Message: msg}
}

// HTSUnder returns the HTS 2025 lines whose code starts with prefix (a
// chapter, heading, subheading or full code; dots allowed), sorted by code.
func (r *Registry) HTSUnder(prefix string) []HTSLine {
	p := normalizeCode(prefix)
	i, _ := slices.BinarySearchFunc(r.hts, p, func(l HTSLine, p string) int { return strings.Compare(l.Code, p) })
	var out []HTSLine
	for ; i < len(r.hts) && strings.HasPrefix(r.hts[i].Code, p); i++ {
		out = append(out, r.hts[i])
	}
	return out
}

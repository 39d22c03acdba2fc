package monitor

import (
	"bufio"
	"encoding/csv"
	"io"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/date"
)

// Country is one country of a code list: BACI's numeric code (0 when the
// list is not BACI's), its name and its ISO alpha-2 and alpha-3 codes.
type Country struct {
	Code       int
	Name       string
	ISO2, ISO3 string
}

// CountryCodes is a list of countries: BACI's country-code file, or the
// registry's countries (which carry the ISO numeric codes BACI mostly uses).
// It turns BACI's numeric codes into ISO alpha-3 codes when reading, and
// ISO alpha-3 codes into alpha-2 codes for alerts.
type CountryCodes struct {
	byCode map[int]Country
	iso2   map[string]string // alpha-3 → alpha-2
	name   map[string]string // alpha-3 → name
}

// NewCountryCodes makes a code list from countries.
func NewCountryCodes(list []Country) CountryCodes {
	c := CountryCodes{byCode: map[int]Country{}, iso2: map[string]string{}, name: map[string]string{}}
	c.Add(list...)
	return c
}

// Add adds countries to the list; a later entry of the same code or alpha-3
// code wins.
func (c *CountryCodes) Add(list ...Country) {
	if c.byCode == nil {
		*c = NewCountryCodes(nil)
	}
	for _, x := range list {
		if x.Code != 0 {
			c.byCode[x.Code] = x
		}
		if x.ISO3 != "" && x.ISO2 != "" {
			c.iso2[x.ISO3] = x.ISO2
		}
		if x.ISO3 != "" && x.Name != "" {
			c.name[x.ISO3] = x.Name
		}
	}
}

// ISO2 returns the ISO alpha-2 code of an alpha-3 code, or the code itself
// when the list does not know it.
func (c CountryCodes) ISO2(iso3 string) string {
	if s, ok := c.iso2[iso3]; ok {
		return s
	}
	return iso3
}

// Name returns the name of an alpha-3 code, "" when unknown.
func (c CountryCodes) Name(iso3 string) string { return c.name[iso3] }

// Len is the number of numeric codes the list knows.
func (c CountryCodes) Len() int { return len(c.byCode) }

// ReadBACICountryCodes reads BACI's country-code file: country_code,
// country_name, country_iso2, country_iso3 (V202401 on), or the older
// country_code, country_name_abbreviation, iso_2digit_alpha,
// iso_3digit_alpha; columns found by name.
func ReadBACICountryCodes(r io.Reader, name string) (CountryCodes, error) {
	cr := csv.NewReader(r)
	cr.FieldsPerRecord = -1
	head, err := cr.Read()
	if err != nil {
		if err == io.EOF {
			return CountryCodes{}, inputErr(name, 0, "", "empty file: want BACI's country codes with a header")
		}
		return CountryCodes{}, csvErr(name, err)
	}
	col := func(names ...string) int {
		for _, n := range names {
			for i, h := range head {
				if strings.EqualFold(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")), n) {
					return i
				}
			}
		}
		return -1
	}
	cCode := col("country_code")
	cName := col("country_name", "country_name_abbreviation", "country_name_full")
	c2 := col("country_iso2", "iso_2digit_alpha")
	c3 := col("country_iso3", "iso_3digit_alpha")
	for _, m := range []struct {
		i int
		n string
	}{{cCode, "country_code"}, {c3, "country_iso3"}} {
		if m.i < 0 {
			return CountryCodes{}, inputErr(name, 1, m.n, "missing column %s (BACI's country codes: country_code, country_name, country_iso2, country_iso3)", m.n)
		}
	}
	out := NewCountryCodes(nil)
	row := 1
	for {
		rec, err := cr.Read()
		if err == io.EOF {
			break
		}
		row++
		if err != nil {
			return CountryCodes{}, csvErr(name, err)
		}
		get := func(i int) string {
			if i < 0 || i >= len(rec) {
				return ""
			}
			return strings.TrimSpace(rec[i])
		}
		code, err := strconv.Atoi(get(cCode))
		if err != nil || code <= 0 {
			return CountryCodes{}, inputErr(name, row, head[cCode], "country code %q: want a positive number", get(cCode))
		}
		iso3 := get(c3)
		if iso3 == "" || iso3 == "NA" || iso3 == "N/A" {
			iso3 = "BACI" + strconv.Itoa(code) // an area without an ISO code
		}
		iso2 := get(c2)
		if iso2 == "NA" || iso2 == "N/A" {
			iso2 = ""
		}
		out.Add(Country{Code: code, Name: get(cName), ISO2: iso2, ISO3: iso3})
	}
	if out.Len() == 0 {
		return CountryCodes{}, inputErr(name, 0, "", "no country codes")
	}
	return out, nil
}

// ReadBACI reads a CEPII BACI file: a header t,i,j,k,v,q and one row per
// year (t), exporter (i), importer (j) and HS6 product (k, five digits read
// as six with a leading zero), with the value in thousands of US dollars
// (v, FOB) and the quantity in tonnes (q, NA or empty when unknown). The
// numeric country codes are turned into ISO alpha-3 codes through codes
// (BACI's country-code file); an unknown code, a year after asOf, a
// negative value or a bad product code is an *InputError naming the file,
// row and column. The reader does not allocate per row: it aggregates as
// it reads.
func ReadBACI(r io.Reader, name string, codes CountryCodes, asOf date.Date) (*Flows, error) {
	f := NewFlows()
	if err := f.ReadBACI(r, name, codes, asOf); err != nil {
		return nil, err
	}
	return f, nil
}

// ReadBACI adds the rows of a BACI file to f (see the function).
func (f *Flows) ReadBACI(r io.Reader, name string, codes CountryCodes, asOf date.Date) error {
	br := bufio.NewReaderSize(r, 1<<20)
	head, err := br.ReadSlice('\n')
	if err != nil && (err != io.EOF || len(head) == 0) {
		if err == io.EOF {
			return inputErr(name, 0, "", "empty file: want a BACI CSV with the header t,i,j,k,v,q")
		}
		return inputErr(name, 1, "", "%v", err)
	}
	cols := map[string]int{}
	for i, h := range strings.Split(strings.TrimSpace(strings.TrimPrefix(string(head), "\ufeff")), ",") {
		cols[strings.Trim(strings.TrimSpace(h), `"`)] = i
	}
	want := []string{"t", "i", "j", "k", "v", "q"}
	for n, c := range want {
		if i, ok := cols[c]; !ok {
			return inputErr(name, 1, c, "missing column %s (a BACI file has the header t,i,j,k,v,q)", c)
		} else if i != n {
			return inputErr(name, 1, c, "column %s is field %d: want the header t,i,j,k,v,q in that order", c, i+1)
		}
	}
	if codes.Len() == 0 {
		return inputErr(name, 0, "", "no country codes: BACI's numeric codes need its country-code file (--baci-codes)")
	}
	// Country indices by BACI code: a fresh set interns every country of
	// the list in code order first, so that the file's order (exporter,
	// importer) is the cells' order.
	byCode := map[int]uint16{}
	if len(f.codes) == 0 {
		for _, c := range codes.List() {
			i, err := f.country(c.ISO3)
			if err != nil {
				return inputErr(name, 0, "", "%v", err)
			}
			if _, seen := byCode[c.Code]; !seen {
				byCode[c.Code] = i
			}
		}
	}
	countryIdx := func(code int) (uint16, bool, error) {
		if i, ok := byCode[code]; ok {
			return i, true, nil
		}
		c, ok := codes.byCode[code]
		if !ok {
			return 0, false, nil
		}
		i, err := f.country(c.ISO3)
		if err != nil {
			return 0, false, err
		}
		byCode[code] = i
		return i, true, nil
	}
	f.Files = append(f.Files, name)
	maxYear := asOf.Year()
	var fields [6][]byte
	var hsBuf [6]byte
	row := 1
	lastYear, lastI, lastJ := -1, -1, -1
	var ei, ii uint16
	for {
		line, err := br.ReadSlice('\n')
		if err == bufio.ErrBufferFull {
			return inputErr(name, row+1, "", "line longer than 1 MiB")
		}
		if len(line) == 0 && err == io.EOF {
			break
		}
		if err != nil && err != io.EOF {
			return inputErr(name, row+1, "", "%v", err)
		}
		row++
		line = trimEOL(line)
		if len(line) == 0 {
			if err == io.EOF {
				break
			}
			continue
		}
		n := 0
		start := 0
		for p := 0; p < len(line); p++ {
			if line[p] == ',' {
				if n < 6 {
					fields[n] = line[start:p]
				}
				n++
				start = p + 1
			}
		}
		if n < 6 {
			fields[n] = line[start:]
		}
		n++
		if n != 6 {
			return inputErr(name, row, "", "%d fields: want 6 (t,i,j,k,v,q)", n)
		}
		for x := range fields {
			fields[x] = trimField(fields[x])
		}
		t, ok := atoi(fields[0])
		if !ok || t < 1900 {
			return inputErr(name, row, "t", "year %q: want four digits", fields[0])
		}
		if t != lastYear {
			if t > maxYear {
				return inputErr(name, row, "t", "year %d is after the as-of date %s", t, asOf)
			}
			lastYear = t
		}
		i, ok := atoi(fields[1])
		if !ok {
			return inputErr(name, row, "i", "exporter %q: want a BACI country code", fields[1])
		}
		if i != lastI {
			idx, known, err := countryIdx(i)
			if err != nil {
				return inputErr(name, row, "i", "%v", err)
			}
			if !known {
				return inputErr(name, row, "i", "unknown country code %d (not in the country-code file)", i)
			}
			ei, lastI = idx, i
		}
		j, ok := atoi(fields[2])
		if !ok {
			return inputErr(name, row, "j", "importer %q: want a BACI country code", fields[2])
		}
		if j != lastJ {
			idx, known, err := countryIdx(j)
			if err != nil {
				return inputErr(name, row, "j", "%v", err)
			}
			if !known {
				return inputErr(name, row, "j", "unknown country code %d (not in the country-code file)", j)
			}
			ii, lastJ = idx, j
		}
		k := fields[3]
		switch {
		case len(k) == 6 && digits(k):
		case len(k) == 5 && digits(k):
			hsBuf[0] = '0'
			copy(hsBuf[1:], k)
			k = hsBuf[:]
		default:
			return inputErr(name, row, "k", "product %q: want an HS6 code", k)
		}
		hi, ok := f.hidx[string(k)]
		if !ok {
			h, err := f.line(string(k))
			if err != nil {
				return inputErr(name, row, "k", "%v", err)
			}
			hi = h
		}
		v, bad := parseScaled(fields[4], 6) // thousand USD × 10^6 = thousandths of a USD
		if bad != "" {
			return inputErr(name, row, "v", "value: %s", bad)
		}
		g := int64(-1)
		if q := fields[5]; len(q) > 0 && string(q) != "NA" {
			x, bad := parseScaled(q, 6) // tonnes × 10^6 = grams
			if bad != "" {
				return inputErr(name, row, "q", "quantity: %s", bad)
			}
			g = x
		}
		f.add(uint64(ii)<<impShift|uint64(ei)<<expShift|uint64(hi)<<hsShift|uint64(BACI)<<srcShift|uint64(t*13), v, g)
		f.Rows++
		if err == io.EOF {
			break
		}
	}
	f.finish()
	return nil
}

func trimEOL(b []byte) []byte {
	for len(b) > 0 && (b[len(b)-1] == '\n' || b[len(b)-1] == '\r') {
		b = b[:len(b)-1]
	}
	return b
}

func trimField(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '"') {
		b = b[1:]
	}
	for len(b) > 0 && (b[len(b)-1] == ' ' || b[len(b)-1] == '"') {
		b = b[:len(b)-1]
	}
	return b
}

func atoi(b []byte) (int, bool) {
	if len(b) == 0 || len(b) > 9 {
		return 0, false
	}
	n := 0
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		n = n*10 + int(c-'0')
	}
	return n, true
}

func digits(b []byte) bool {
	for _, c := range b {
		if c < '0' || c > '9' {
			return false
		}
	}
	return len(b) > 0
}

// List returns the countries with a numeric code, in code order.
func (c CountryCodes) List() []Country {
	out := make([]Country, 0, len(c.byCode))
	for _, x := range c.byCode {
		out = append(out, x)
	}
	slices.SortFunc(out, func(a, b Country) int { return a.Code - b.Code })
	return out
}

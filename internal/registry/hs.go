package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// HSLine is one row of the project's HS map (data/hs_map.csv): a tariff code,
// the mineral (or group) it carries, the production stage, and the mass
// fraction of the mineral in the good, which turns a gross quantity into a
// contained one.
type HSLine struct {
	Code          string      // HS6 or US HTS8 digits, without dots
	Mineral       string      // a mineral id or a group id
	Stage         Stage       // production stage of goods under the code
	Content       dec.Decimal // mass fraction of the mineral, 0 < Content ≤ 1
	ContentSource string      // where Content comes from (stoichiometry, a grade)
	Description   string      // what the code covers
}

const (
	hsMapFile  = "hs_map.csv"
	hsNomFile  = "harmonized-system/harmonized-system.csv"
	hsMinCode  = 6
	hsMaxCode  = 10
	hsMapCodes = "6 or 8" // lengths of the codes in the map
)

func (r *Registry) loadHSNomenclature(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, hsNomFile, errs, "hscode", "description", "level", "section")
	if err != nil {
		return err
	}
	r.hsNames = make(map[string]string, 7000)
	for row, ok := f.next(); ok; row, ok = f.next() {
		// Rows of the TOTAL section (99, 9999, 999999, TOTAL) are UN Comtrade
		// aggregates, not HS codes.
		if row.str("section") == "TOTAL" {
			continue
		}
		code := row.str("hscode")
		if !isDigits(code) || (len(code) != 2 && len(code) != 4 && len(code) != 6) {
			row.errorf("hscode", "%q is not an HS code of 2, 4 or 6 digits", code)
			continue
		}
		r.hsNames[code] = row.str("description")
	}
	return nil
}

func (r *Registry) loadHSMap(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, hsMapFile, errs, "code", "mineral", "stage", "content", "content_source", "description")
	if err != nil {
		return err
	}
	r.hsIndex = make(map[string][]int)
	type key struct{ code, mineral string }
	seen := make(map[key]int)
	for row, ok := f.next(); ok; row, ok = f.next() {
		l := HSLine{
			Code:          row.str("code"),
			Mineral:       row.str("mineral"),
			ContentSource: row.str("content_source"),
			Description:   row.str("description"),
		}
		good := true
		if !isDigits(l.Code) || (len(l.Code) != 6 && len(l.Code) != 8) {
			row.errorf("code", "%q is not %s digits", l.Code, hsMapCodes)
			good = false
		} else if _, ok := r.hsNames[l.Code[:6]]; !ok {
			row.errorf("code", "%q is not in the HS 2022 nomenclature (no subheading %s)", l.Code, l.Code[:6])
			good = false
		}
		if !r.isMineralOrGroup(l.Mineral) {
			row.errorf("mineral", "%s", r.unknownMineral(l.Mineral).(*problem.Error).Message)
			good = false
		}
		st, err := ParseStage(row.str("stage"))
		if err != nil {
			row.errorf("stage", "%s", err.(*problem.Error).Message)
			good = false
		}
		l.Stage = st
		c, ok := row.dec("content")
		if ok && (c.Sign() <= 0 || c.Cmp(dec.One) > 0) {
			row.errorf("content", "%s is not a mass fraction in (0, 1]", c)
			ok = false
		}
		l.Content = c
		if !good || !ok {
			continue
		}
		k := key{l.Code, l.Mineral}
		if first, dup := seen[k]; dup {
			row.errorf("code", "%s is mapped to %s twice (first on line %d)", l.Code, l.Mineral, first)
			continue
		}
		seen[k] = row.line
		r.hsIndex[l.Code] = append(r.hsIndex[l.Code], len(r.hs))
		r.hs = append(r.hs, l)
	}
	r.hsCodes = make([]string, 0, len(r.hsIndex))
	for c := range r.hsIndex {
		r.hsCodes = append(r.hsCodes, c)
	}
	slices.Sort(r.hsCodes)
	return nil
}

// HSLines returns every line of the HS map, in file order. The slice is a copy.
func (r *Registry) HSLines() []HSLine { return slices.Clone(r.hs) }

// HS returns the map's lines for exactly this code (one per mineral the code
// carries). The code may be written with dots or spaces. A code not in the map
// is a NotFound error.
func (r *Registry) HS(code string) ([]HSLine, error) {
	c := normalizeCode(code)
	if idx, ok := r.hsIndex[c]; ok {
		return r.hsLines(idx), nil
	}
	return nil, &problem.Error{Code: problem.NotFound, Field: "hs_code",
		Message: fmt.Sprintf("HS code %q is not in the mineral map%s", code, r.nearCodes(c))}
}

// Classify finds the map's lines for a declared tariff code of 6 to 10 digits
// (dots and spaces are ignored) by longest prefix: a 10-digit US statistical
// code matches its 8-digit line when the map has one, else its 6-digit line. A
// code of another length is Invalid; a code with no line is NotFound and names
// the map's codes nearest to it.
func (r *Registry) Classify(code string) ([]HSLine, error) {
	c := normalizeCode(code)
	if !isDigits(c) || len(c) < hsMinCode || len(c) > hsMaxCode {
		n := len(c)
		if !isDigits(c) {
			return nil, &problem.Error{Code: problem.Invalid, Field: "hs_code",
				Message: fmt.Sprintf("HS code must be digits (dots and spaces allowed), got %q", code)}
		}
		return nil, &problem.Error{Code: problem.Invalid, Field: "hs_code",
			Message: fmt.Sprintf("HS code must have %d to %d digits, got %d: %q", hsMinCode, hsMaxCode, n, code)}
	}
	for n := len(c); n >= hsMinCode; n-- {
		if idx, ok := r.hsIndex[c[:n]]; ok {
			return r.hsLines(idx), nil
		}
	}
	return nil, &problem.Error{Code: problem.NotFound, Field: "hs_code",
		Message: fmt.Sprintf("HS code %q is not in the mineral map%s", code, r.nearCodes(c))}
}

// HSDescription returns the HS 2022 description of a chapter (2 digits),
// heading (4) or subheading (6), and whether the code exists; it is how a
// caller checks that an HS code is a real one.
func (r *Registry) HSDescription(code string) (string, bool) {
	d, ok := r.hsNames[normalizeCode(code)]
	return d, ok
}

// HSCodesFor returns the map's lines for a mineral at a stage (every stage when
// stage is ""), in file order. Lines mapped to the mineral's group (rare earths,
// platinum-group metals) are included, since they carry the mineral too;
// HSLine.Mineral tells them apart.
func (r *Registry) HSCodesFor(mineral string, stage Stage) []HSLine {
	group := ""
	if i, ok := r.mineralIndex[mineral]; ok {
		group = r.minerals[i].Group
	}
	var out []HSLine
	for _, l := range r.hs {
		if (l.Mineral == mineral || (group != "" && l.Mineral == group)) && (stage == "" || l.Stage == stage) {
			out = append(out, l)
		}
	}
	return out
}

func (r *Registry) hsLines(idx []int) []HSLine {
	out := make([]HSLine, len(idx))
	for i, j := range idx {
		out[i] = r.hs[j]
	}
	return out
}

// nearCodes renders the map's codes that share the longest prefix (of at least
// 2 digits) with c, for an error message.
func (r *Registry) nearCodes(c string) string {
	near := codesSharingPrefix(c, r.hsCodes, 5)
	if len(near) == 0 {
		return ""
	}
	return " (nearest codes in the map: " + strings.Join(near, ", ") + ")"
}

// codesSharingPrefix returns up to limit codes from sorted that share the
// longest prefix with c, trying prefixes from len(c)−1 digits down to 2.
func codesSharingPrefix(c string, sorted []string, limit int) []string {
	for n := min(len(c)-1, 8); n >= 2; n-- {
		p := c[:n]
		i, _ := slices.BinarySearch(sorted, p)
		var out []string
		for ; i < len(sorted) && strings.HasPrefix(sorted[i], p); i++ {
			if len(out) == limit {
				break
			}
			out = append(out, sorted[i])
		}
		if len(out) > 0 {
			return out
		}
	}
	return nil
}

// normalizeCode removes the dots and spaces people write tariff codes with.
func normalizeCode(s string) string {
	if !strings.ContainsAny(s, ". ") {
		return s
	}
	return strings.NewReplacer(".", "", " ", "").Replace(s)
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

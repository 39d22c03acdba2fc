package data

import (
	"bufio"
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"os"
	"regexp"
	"sort"
	"strings"
	"testing"
)

// mineralsWithoutOwnCode lists the minerals of minerals.csv that have no HS 2022
// subheading of their own. It must match the table between the no-own-code markers
// in docs/hs-map.md, which says how each of them is declared.
var mineralsWithoutOwnCode = []string{
	"cesium", "dysprosium", "erbium", "europium", "gadolinium", "gallium",
	"germanium", "holmium", "indium", "iridium", "lanthanum", "lutetium",
	"metallurgical_coal", "neodymium", "praseodymium", "rubidium", "ruthenium",
	"samarium", "scandium", "tellurium", "terbium", "thulium", "ytterbium", "yttrium",
}

// groupIDs may be used in hs_map.csv for codes that cover a whole group.
var groupIDs = []string{"rare_earths", "platinum_group_metals"}

var (
	codeRE    = regexp.MustCompile(`^[0-9]{6}([0-9]{2})?$`)
	contentRE = regexp.MustCompile(`^(0\.[0-9]{1,6}|1(\.0{1,6})?)$`)
	docRowRE  = regexp.MustCompile("^\\|\\s*`([a-z_]+)`\\s*\\|")
)

var hsMapHeader = []string{"code", "mineral", "stage", "content", "content_source", "description"}

var stages = map[string]bool{"mined": true, "processed": true, "derivative": true, "scrap": true}

// readCSV returns the records of a CSV file with the line number of each record.
func readCSV(t *testing.T, path string) (records [][]string, lines []int) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	r := csv.NewReader(bytes.NewReader(b))
	for {
		rec, err := r.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			t.Fatalf("%s: %v", path, err)
		}
		line, _ := r.FieldPos(0)
		records = append(records, rec)
		lines = append(lines, line)
	}
	if len(records) == 0 {
		t.Fatalf("%s: empty", path)
	}
	return records, lines
}

// hs6Codes returns the 6-digit codes of the HS 2022 nomenclature.
func hs6Codes(t *testing.T) map[string]bool {
	t.Helper()
	recs, _ := readCSV(t, "harmonized-system/harmonized-system.csv")
	col := map[string]int{}
	for i, h := range recs[0] {
		col[h] = i
	}
	codes := map[string]bool{}
	for _, rec := range recs[1:] {
		if rec[col["level"]] == "6" {
			codes[rec[col["hscode"]]] = true
		}
	}
	if len(codes) < 5000 {
		t.Fatalf("harmonized-system.csv: only %d codes at level 6", len(codes))
	}
	return codes
}

// mineralIDs returns the mineral_id column of minerals.csv.
func mineralIDs(t *testing.T) []string {
	t.Helper()
	recs, _ := readCSV(t, "minerals.csv")
	if recs[0][0] != "mineral_id" {
		t.Fatalf("minerals.csv: first column is %q, want mineral_id", recs[0][0])
	}
	var ids []string
	for _, rec := range recs[1:] {
		ids = append(ids, rec[0])
	}
	if len(ids) != 60 {
		t.Fatalf("minerals.csv: %d minerals, want 60", len(ids))
	}
	return ids
}

func TestHSMap(t *testing.T) {
	hs6 := hs6Codes(t)
	ids := mineralIDs(t)
	known := map[string]bool{}
	for _, id := range ids {
		known[id] = true
	}
	for _, g := range groupIDs {
		known[g] = true
	}

	recs, lines := readCSV(t, "hs_map.csv")
	if strings.Join(recs[0], ",") != strings.Join(hsMapHeader, ",") {
		t.Fatalf("hs_map.csv:%d: header %q, want %q", lines[0], recs[0], hsMapHeader)
	}
	if len(recs) < 2 {
		t.Fatal("hs_map.csv: no rows")
	}
	seen := map[string]int{}
	present := map[string]bool{}
	prev := ""
	for i, rec := range recs[1:] {
		ln := lines[i+1]
		code, mineral, stage, content, source, desc := rec[0], rec[1], rec[2], rec[3], rec[4], rec[5]
		if !codeRE.MatchString(code) {
			t.Errorf("hs_map.csv:%d: code %q is not 6 or 8 digits", ln, code)
		} else if !hs6[code[:6]] {
			if len(code) == 6 {
				t.Errorf("hs_map.csv:%d: code %q is not an HS 2022 subheading", ln, code)
			} else {
				t.Errorf("hs_map.csv:%d: code %q: HS6 prefix %q is not an HS 2022 subheading", ln, code, code[:6])
			}
		}
		if !known[mineral] {
			t.Errorf("hs_map.csv:%d: mineral %q is not a mineral_id of minerals.csv nor a group id %v", ln, mineral, groupIDs)
		}
		present[mineral] = true
		if !stages[stage] {
			t.Errorf("hs_map.csv:%d: stage %q is not one of mined, processed, derivative, scrap", ln, stage)
		}
		if !contentRE.MatchString(content) || strings.Trim(content, "0.") == "" {
			t.Errorf("hs_map.csv:%d: content %q out of (0, 1] or not a decimal with at most 6 decimals", ln, content)
		}
		if strings.TrimSpace(source) == "" {
			t.Errorf("hs_map.csv:%d: content_source is empty", ln)
		}
		if strings.TrimSpace(desc) == "" {
			t.Errorf("hs_map.csv:%d: description is empty", ln)
		}
		key := code + "," + mineral
		if first, dup := seen[key]; dup {
			t.Errorf("hs_map.csv:%d: duplicate (code, mineral) %s, first on line %d", ln, key, first)
		} else {
			seen[key] = ln
		}
		if prev != "" && key < prev {
			t.Errorf("hs_map.csv:%d: (%s) sorts before the previous row (%s); sort by code then mineral", ln, key, prev)
		}
		prev = key
	}

	isID := map[string]bool{}
	for _, id := range ids {
		isID[id] = true
	}
	noCode := map[string]bool{}
	for _, m := range mineralsWithoutOwnCode {
		if !isID[m] {
			t.Errorf("mineralsWithoutOwnCode: %q is not a mineral_id of minerals.csv", m)
		}
		noCode[m] = true
	}
	for _, id := range ids {
		if !present[id] && !noCode[id] {
			t.Errorf("hs_map.csv: mineral %q has no row and is not listed as a mineral without its own code", id)
		}
	}
}

// TestHSMapDocsInSync checks that docs/hs-map.md lists exactly mineralsWithoutOwnCode.
func TestHSMapDocsInSync(t *testing.T) {
	const path = "../docs/hs-map.md"
	f, err := os.Open(path)
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	defer f.Close()
	var doc []string
	in, found := false, false
	sc := bufio.NewScanner(f)
	for ln := 1; sc.Scan(); ln++ {
		line := strings.TrimSpace(sc.Text())
		switch {
		case line == "<!-- no-own-code:start -->":
			in, found = true, true
		case line == "<!-- no-own-code:end -->":
			in = false
		case in:
			if m := docRowRE.FindStringSubmatch(line); m != nil {
				doc = append(doc, m[1])
			}
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	if !found {
		t.Fatalf("%s: no <!-- no-own-code:start --> marker", path)
	}
	want := append([]string(nil), mineralsWithoutOwnCode...)
	sort.Strings(want)
	sort.Strings(doc)
	if strings.Join(doc, ",") != strings.Join(want, ",") {
		t.Errorf("%s lists minerals without their own code %v;\nhs_map_test.go lists %v", path, doc, want)
	}
}

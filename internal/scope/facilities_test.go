package scope

import (
	"bytes"
	"flag"
	"os"
	"strings"
	"testing"
)

// -icmm names the ICMM facility file; with -update the test rewrites
// data/scope/icmm-cooccurrence.csv from it (the file itself is not shipped:
// its licence is not stated, data/SOURCES.md).
var (
	icmmFile = flag.String("icmm", "/work/shared/data/raw/icmm-facilities/ICMM_FacilityData.csv", "the ICMM facility file")
	update   = flag.Bool("update", false, "rewrite data/scope/icmm-cooccurrence.csv from -icmm")
)

func TestReadFacilities(t *testing.T) {
	in := "ICMMID,Mine_Name,Country_Region,Primary_Commodity,Secondary_Commodity,Other_Commodities\n" +
		"A1,x,Peru,copper,gold,\"silver;molybdenum;NA\"\n" +
		"A2,y,Chile,copper,NA,molybdenum\n" +
		"A3,z,Brazil,aluminium,NA,NA\n"
	fs, err := ReadFacilities(strings.NewReader(in), "t.csv")
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(fs[0].Commodities, " "); got != "copper gold molybdenum silver" {
		t.Errorf("A1 commodities = %q", got)
	}
	if got := strings.Join(fs[2].Commodities, " "); got != "aluminum" {
		t.Errorf("A3 commodities = %q, want the alias aluminum", got)
	}
	pairs, counts := CoOccurrence(fs)
	if pairs[0] != (Pair{"copper", "molybdenum", 2}) || counts["copper"] != 2 || counts["aluminum"] != 1 {
		t.Errorf("CoOccurrence = %v %v, want copper-molybdenum at 2 facilities first", pairs[0], counts)
	}
	_, err = ReadFacilities(strings.NewReader("ICMMID,Country_Region,Primary_Commodity,Secondary_Commodity,Other_Commodities\n,Peru,copper,NA,NA\n"), "t.csv")
	if err == nil || !strings.Contains(err.Error(), "t.csv:2") || !strings.Contains(err.Error(), "ICMMID") {
		t.Errorf("empty id: err = %v, want t.csv:2 at ICMMID", err)
	}
}

// TestCoOccurrenceFile checks the shipped summary against the ICMM file when
// it is at hand, and rewrites it with -update.
func TestCoOccurrenceFile(t *testing.T) {
	raw, err := os.ReadFile(*icmmFile)
	if err != nil {
		t.Skipf("no ICMM file at %s", *icmmFile)
	}
	fs, err := ReadFacilities(bytes.NewReader(raw), *icmmFile)
	if err != nil {
		t.Fatal(err)
	}
	pairs, counts := CoOccurrence(fs)
	var b bytes.Buffer
	if err := cooccurrenceCSV(&b, pairs, counts, len(fs)); err != nil {
		t.Fatal(err)
	}
	const path = "../../data/scope/icmm-cooccurrence.csv"
	if *update {
		if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	got, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, b.Bytes()) {
		t.Errorf("%s differs from the counts of %s: run with -update", path, *icmmFile)
	}
}

// FuzzReadFacilities checks, for any text, that the reader does not panic,
// and that every facility it returns has an id and sorted, distinct
// commodities, none of them empty or "na".
func FuzzReadFacilities(f *testing.F) {
	f.Add("ICMMID,Country_Region,Primary_Commodity,Secondary_Commodity,Other_Commodities\nA,Peru,copper,gold,\"silver;NA\"\n")
	f.Add("ICMMID,Country_Region,Primary_Commodity,Secondary_Commodity,Other_Commodities\n,,,,\n\"A\nB\",x,y,z,;;\n")
	f.Add("ICMMID\n1\n")
	f.Fuzz(func(t *testing.T, s string) {
		fs, err := ReadFacilities(strings.NewReader(s), "f.csv")
		if err != nil {
			return
		}
		for _, fc := range fs {
			if fc.ID == "" {
				t.Errorf("facility without an id from %q", s)
			}
			for i, c := range fc.Commodities {
				if c == "" || c == "na" || (i > 0 && fc.Commodities[i-1] >= c) {
					t.Errorf("commodities %q of %q: want sorted, distinct, none empty", fc.Commodities, s)
				}
			}
		}
	})
}

package scope

import (
	"strings"
	"testing"
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

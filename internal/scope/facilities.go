package scope

import (
	"io"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Facility is one mine, smelter or refinery of the ICMM facility data set
// (calvincj/Critical-Minerals-Tracker, ICMM_FacilityData.csv) as far as
// grouping needs it: where it is and which commodities it produces.
type Facility struct {
	ID          string
	Country     string   // as the file writes it
	Commodities []string // primary, secondary and other, as commodity ids (commodityID), deduplicated
}

// ReadFacilities reads the ICMM facility file: its primary, secondary and
// other commodities (the last a ";"-separated list), "NA" and empty cells
// skipped, and rows whose every cell is empty skipped; name is how errors
// name the file. The ownership engine reads the same file (its copy under
// data/ownership/icmm/) for the facilities themselves.
func ReadFacilities(r io.Reader, name string) ([]Facility, error) {
	var errs problem.List
	var out []Facility
	err := readCSV(r, name, &errs, []string{"ICMMID", "Country_Region", "Primary_Commodity", "Secondary_Commodity", "Other_Commodities"}, func(row csvRow) {
		f := Facility{ID: row.str("ICMMID"), Country: row.str("Country_Region")}
		if strings.Join(row.rec, "") == "" {
			return // the file has 126 rows of empty cells: no facility
		}
		if f.ID == "" {
			row.errorf("ICMMID", "is empty")
			return
		}
		cells := []string{row.str("Primary_Commodity"), row.str("Secondary_Commodity")}
		cells = append(cells, strings.Split(row.str("Other_Commodities"), ";")...)
		for _, c := range cells {
			c = strings.ToLower(strings.TrimSpace(c))
			if c == "" || c == "na" {
				continue
			}
			if id := commodityID(c); !slices.Contains(f.Commodities, id) {
				f.Commodities = append(f.Commodities, id)
			}
		}
		slices.Sort(f.Commodities)
		out = append(out, f)
	})
	if err != nil {
		return nil, err
	}
	return out, errs.Err()
}

// commodityAliases maps the ICMM file's commodity names to the ids of the
// minerals list (and to plain names for hosts not on it: gold, molybdenum,
// iron ore), so that a facility's ferronickel counts as nickel.
var commodityAliases = map[string]string{
	"aluminium": "aluminum", "alumina": "aluminum", "bauxite": "aluminum",
	"chromite": "chromium", "ferrochrome": "chromium",
	"ferronickel": "nickel", "ferromanganese": "manganese", "silicomanganese": "manganese",
	"ferrosilicon": "silicon", "ferromolybdenum": "molybdenum", "spodumene": "lithium",
	"phosphates": "phosphate", "phosphoric acid": "phosphate", "iron": "iron ore",
	"metallurgical coal": "metallurgical_coal", "platinum group metals": "platinum", "platinum group elements": "platinum",
	"lanthanides": "rare earths", "barium": "barite",
}

func commodityID(name string) string {
	if id, ok := commodityAliases[name]; ok {
		return id
	}
	return name
}

// Pair is how many facilities produce both of two commodities (A < B).
type Pair struct {
	A, B       string
	Facilities int
}

// CoOccurrence counts, for every pair of commodities, the facilities that
// list both, and for every commodity the facilities that list it.
func CoOccurrence(fs []Facility) (pairs []Pair, counts map[string]int) {
	counts = map[string]int{}
	byPair := map[[2]string]int{}
	for _, f := range fs {
		for i, a := range f.Commodities {
			counts[a]++
			for _, b := range f.Commodities[i+1:] {
				byPair[[2]string{a, b}]++
			}
		}
	}
	for k, n := range byPair {
		pairs = append(pairs, Pair{A: k[0], B: k[1], Facilities: n})
	}
	slices.SortFunc(pairs, func(x, y Pair) int {
		if x.Facilities != y.Facilities {
			return y.Facilities - x.Facilities
		}
		if c := strings.Compare(x.A, y.A); c != 0 {
			return c
		}
		return strings.Compare(x.B, y.B)
	})
	return pairs, counts
}

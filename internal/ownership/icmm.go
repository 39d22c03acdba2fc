package ownership

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// icmmHeader is the header of the ICMM facility file (data/ownership/icmm/,
// from ../shared/data/raw/icmm-facilities; data/SOURCES.md).
var icmmHeader = []string{"ICMMID", "Confidence.Factor", "Mine_Name", "Group_Names", "Latitude", "Longitude", "Asset_Type",
	"Country_Region", "Primary_Commodity", "Secondary_Commodity", "Other_Commodities", "Production", "Processing", "Net_GDP_Decrease", "Risk_category"}

// icmmMineral maps the file's primary commodity to a mineral id of the
// registry (the same word but for the lanthanides, the registry's
// rare-earths group).
func icmmMineral(c string) string {
	if c == "lanthanides" {
		return "rare_earths"
	}
	return c
}

// icmmStage reads the asset type: a mine (whatever else is on the site) is
// the mined stage, a smelter, refinery or plant alone the processed one.
func icmmStage(asset string) string {
	types := strings.Split(asset, ";")
	if slices.Contains(types, "Mine") {
		return "mined"
	}
	for _, t := range types {
		switch t {
		case "Smelter", "Refinery", "Plant":
			return "processed"
		}
	}
	return ""
}

// icmmCountries names the countries of the file the registry's names do
// not cover (it knows "DR Congo", not the file's spelling).
var icmmCountries = map[string]string{
	"Democratic Republic of the Congo": "CD",
	"Bosnia and Herzegovina":           "BA",
	"Kosovo":                           "XK",
}

// ReadICMM reads the ICMM facility file into r as facilities, each under
// its ICMMID; countryCode turns the file's country names into ISO codes
// (registry.CountryCode). A row whose country no code is known for is
// listed as a warning and left out. The Group_Names column holds the
// alternative names of the site, not its owners (checked by reading it):
// owners are joined from data/ownership/owners.csv by ICMMID.
func ReadICMM(r *Register, file string, data []byte, countryCode func(string) (string, bool)) error {
	cr := csv.NewReader(bytes.NewReader(data))
	head, err := cr.Read()
	if err != nil {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Message: "no header: " + err.Error()}
	}
	if !slices.Equal(head, icmmHeader) {
		return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file, Line: 1}, Message: fmt.Sprintf("header %q is not the ICMM facility file's", strings.Join(head, ","))}
	}
	var nodes []Node
	unknown := map[string]int{}
	for {
		row, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		if err != nil {
			return &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Message: err.Error()}
		}
		if strings.TrimSpace(strings.Join(row, "")) == "" {
			continue // the file has empty rows (126 of them)
		}
		line, _ := cr.FieldPos(0)
		code, ok := countryCode(row[7])
		if !ok {
			code, ok = icmmCountries[row[7]]
		}
		if !ok {
			unknown[row[7]]++
			continue
		}
		nodes = append(nodes, Node{ID: row[0], Name: row[2], Kind: Facility, Jurisdiction: code, AssetType: row[6],
			Commodity: icmmMineral(row[8]), Stage: icmmStage(row[6]), Statement: fmt.Sprintf("%s:%d", file, line),
			Source: "ICMM facility data (" + row[1] + " confidence)"})
	}
	for _, n := range nodes {
		r.add(n)
	}
	names := make([]string, 0, len(unknown))
	for c := range unknown {
		names = append(names, c)
	}
	slices.Sort(names)
	for _, c := range names {
		r.Warnings = append(r.Warnings, &problem.Error{Code: problem.Invalid, Pos: problem.Pos{File: file}, Field: "Country_Region",
			Message: fmt.Sprintf("%d facilities in %q, a country the registry does not know: left out", unknown[c], c)})
	}
	return nil
}

package registry

import (
	"fmt"
	"io/fs"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Governance is one Worldwide Governance Indicators score: a country's estimate
// for one indicator and year (World Bank, 2023 update).
type Governance struct {
	Alpha3       string      // ISO 3166-1 alpha-3 (XKX for Kosovo)
	Indicator    string      // VA, PV, GE, RQ, RL or CC
	Year         int         // 2012 to 2022
	Estimate     dec.Decimal // about −2.5 (weak) to 2.5 (strong)
	Stderr       dec.Decimal
	NumSources   int
	PctRank      dec.Decimal // percentile rank among all countries, 0 to 100
	PctRankLower dec.Decimal // lower bound of its 90% confidence interval
	PctRankUpper dec.Decimal
}

// WGIIndicators names the six indicators by code.
var WGIIndicators = map[string]string{
	"VA": "Voice and Accountability",
	"PV": "Political Stability and Absence of Violence/Terrorism",
	"GE": "Government Effectiveness",
	"RQ": "Regulatory Quality",
	"RL": "Rule of Law",
	"CC": "Control of Corruption",
}

// The years shipped.
const (
	WGIFirstYear = 2012
	WGILastYear  = 2022
)

const (
	wgiFile    = "worldbank-wgi/wgi_2012_2022_long.csv"
	wgiMapFile = "worldbank-wgi/code_map.csv"
)

type wgiKey struct {
	alpha3, indicator string
	year              int
}

func (r *Registry) loadWGI(fsys fs.FS, errs *problem.List) error {
	mf, err := openCSV(fsys, wgiMapFile, errs, "wgi_code", "alpha3")
	if err != nil {
		return err
	}
	codeMap := make(map[string]string)
	for row, ok := mf.next(); ok; row, ok = mf.next() {
		codeMap[row.str("wgi_code")] = row.str("alpha3")
	}
	r.wgiAlias = make(map[string]string)
	for w, a := range codeMap {
		if a != "" {
			r.wgiAlias[w] = a
		}
	}

	f, err := openCSV(fsys, wgiFile, errs, "wgi_code", "indicator", "year", "estimate", "stderr", "num_sources", "pct_rank", "pct_rank_lower", "pct_rank_upper")
	if err != nil {
		return err
	}
	r.wgi = make(map[wgiKey]Governance, 14000)
	unmatched := make(map[string]bool)
	for row, ok := f.next(); ok; row, ok = f.next() {
		code := row.str("wgi_code")
		a3, mapped := codeMap[code]
		if !mapped {
			a3 = code
			if i, ok := r.countryIndex[code]; !ok || r.countries[i].Alpha3 != code {
				if !unmatched[code] {
					row.errorf("wgi_code", "%q is not an ISO alpha-3 code of countries.csv; map it in %s%s", code, filePrefix, wgiMapFile)
					unmatched[code] = true
				}
				continue
			}
		}
		if a3 == "" {
			continue // mapped to no country: see code_map.csv
		}
		g := Governance{Alpha3: a3, Indicator: row.str("indicator")}
		if _, ok := WGIIndicators[g.Indicator]; !ok {
			row.errorf("indicator", "%q is not one of VA, PV, GE, RQ, RL, CC", g.Indicator)
			continue
		}
		g.Year, _ = row.int("year")
		g.NumSources, _ = row.int("num_sources")
		g.Estimate, _ = row.dec("estimate")
		g.Stderr, _ = row.dec("stderr")
		g.PctRank, _ = row.dec("pct_rank")
		g.PctRankLower, _ = row.dec("pct_rank_lower")
		g.PctRankUpper, _ = row.dec("pct_rank_upper")
		k := wgiKey{a3, g.Indicator, g.Year}
		if _, dup := r.wgi[k]; dup {
			row.errorf("wgi_code", "%s %s %d is listed twice", a3, g.Indicator, g.Year)
			continue
		}
		r.wgi[k] = g
	}
	return nil
}

// WGI returns a country's score for an indicator (VA, PV, GE, RQ, RL, CC; any
// case) and year. The country is an ISO alpha-3 or alpha-2 code, or the WGI's
// own code where it differs (ROM, ZAR, KSV...). A missing score is NotFound:
// the WGI has gaps for small territories and early years. The file is parsed
// on first use; its problems, if any, are returned by every call.
func (r *Registry) WGI(country, indicator string, year int) (Governance, error) {
	if err := r.wgiOnce.do(r.fsys, r.loadWGI); err != nil {
		return Governance{}, err
	}
	ind := strings.ToUpper(indicator)
	if _, ok := WGIIndicators[ind]; !ok {
		return Governance{}, &problem.Error{Code: problem.Invalid, Field: "indicator",
			Message: fmt.Sprintf("unknown WGI indicator %q; want one of VA, PV, GE, RQ, RL, CC", indicator)}
	}
	code := strings.ToUpper(strings.TrimSpace(country))
	a3 := code
	if a, ok := r.wgiAlias[code]; ok {
		a3 = a
	} else if i, ok := r.countryIndex[code]; ok {
		a3 = r.countries[i].Alpha3
	}
	if year < WGIFirstYear || year > WGILastYear {
		return Governance{}, &problem.Error{Code: problem.NotFound, Field: "year",
			Message: fmt.Sprintf("no WGI scores for %d: the shipped data cover %d to %d", year, WGIFirstYear, WGILastYear)}
	}
	if g, ok := r.wgi[wgiKey{a3, ind, year}]; ok {
		return g, nil
	}
	return Governance{}, &problem.Error{Code: problem.NotFound, Field: "country",
		Message: fmt.Sprintf("no WGI %s score for %q in %d", ind, country, year)}
}

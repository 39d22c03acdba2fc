package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Commodity is one chapter of the USGS Mineral Commodity Summaries 2026
// (data/usgs-mcs2026/), with its tables.
type Commodity struct {
	Slug          string   // the chapter: "lithium", "rare-earths"
	Name          string   // "Lithium"
	Symbol        string   // "Li", "" for groups and non-elements
	Minerals      []string // the mineral ids of the critical-minerals list it covers
	Units         string   // the chapter's units note: "(Data in metric tons, lithium content, unless otherwise specified)"
	PriceNote     string   // the price heading: "Price, annual average, lithium carbonate, dollars per metric ton"
	PriceFootnote string   // the price source
	// NetImportReliance is the chapter's first U.S. net import reliance figure
	// (percent of apparent consumption) for 2025e, with its bound or marker.
	// Chapters covering several products (rare earths, PGMs, silicon, zinc,
	// abrasives) give one per product: see Salient.
	NetImportReliance Figure
	SourceURL         string // the chapter's PDF
	World             []WorldProductionRow
	Salient           []SalientRow
	ImportSources     []ImportSource
}

// WorldProductionRow is one country row of a chapter's world production and
// reserves table. Unit is the table's unit as the chapter states it; read it,
// since it may differ from the chapter's units note (gross or contained
// weight, thousand or metric tons).
type WorldProductionRow struct {
	Country      string // as USGS writes it: "Congo (Kinshasa)", "World total (rounded)", "Other countries"
	Table        string // "World Mine Production and Reserves"
	Unit         string // "metric tons, lithium content"
	Prod2024     Figure
	Prod2025     Figure // USGS estimate
	Capacity2025 Figure // only in tables that give capacity
	Reserves     Figure
	Note         string // the row's footnotes
}

// SalientRow is one U.S. salient statistic of a chapter for one year.
type SalientRow struct {
	Section    string // "Production", "Net import reliance as a percentage of apparent consumption"
	Subsection string
	Statistic  string // the row label
	Unit       string // "metric tons", "percent", "dollars per metric ton"
	Year       int    // 2021 to 2025
	Estimated  bool   // the year is printed "2025e"
	Value      Figure
	Footnote   string
}

// ImportSource is a country's share of U.S. imports of a chapter's product.
type ImportSource struct {
	Category string // "all", or the product when the chapter gives several lists
	Country  string
	SharePct Figure
	Years    string // "2021-24"
}

// mcsChapters maps each MCS 2026 chapter in the shipped data to the minerals of
// the critical-minerals list it covers; chapters on goods that are not on the
// list map to none and are reached by their slug.
//
// No chapter covers metallurgical_coal or uranium: MCS covers nonfuel minerals
// only. The cesium and rubidium chapters have no tables, germanium and scandium
// no world production table. data/usgs-mcs2026/coverage.csv states, for every
// mineral of the list, what MCS publishes and why the rest is absent
// (MCSCoverage).
var mcsChapters = map[string][]string{
	"abrasives":             nil,
	"aluminum":              {"aluminum"},
	"antimony":              {"antimony"},
	"arsenic":               {"arsenic"},
	"barite":                {"barite"},
	"beryllium":             {"beryllium"},
	"bismuth":               {"bismuth"},
	"boron":                 {"boron"},
	"cesium":                {"cesium"},
	"chromium":              {"chromium"},
	"cobalt":                {"cobalt"},
	"copper":                {"copper"},
	"diamond":               nil,
	"fluorspar":             {"fluorspar"},
	"gallium":               {"gallium"},
	"germanium":             {"germanium"},
	"graphite":              {"graphite"},
	"indium":                {"indium"},
	"iron-and-steel":        nil,
	"lead":                  {"lead"},
	"lithium":               {"lithium"},
	"magnesium":             {"magnesium"},
	"manganese":             {"manganese"},
	"molybdenum":            nil,
	"nickel":                {"nickel"},
	"niobium":               {"niobium"},
	"phosphate":             {"phosphate"},
	"platinum-group-metals": {PlatinumGroupMetals},
	"potash":                {"potash"},
	"rare-earths":           {RareEarths},
	"rhenium":               {"rhenium"},
	"rubidium":              {"rubidium"},
	"scandium":              {"scandium"},
	"silicon":               {"silicon"},
	"silver":                {"silver"},
	"tantalum":              {"tantalum"},
	"tellurium":             {"tellurium"},
	"tin":                   {"tin"},
	"titanium":              {"titanium"},
	"tungsten":              {"tungsten"},
	"vanadium":              {"vanadium"},
	"zinc":                  {"zinc"},
	"zirconium-and-hafnium": {"zirconium", "hafnium"},
}

const (
	mcsCommoditiesFile = "usgs-mcs2026/commodities.csv"
	mcsWorldFile       = "usgs-mcs2026/world_production.csv"
	mcsSalientFile     = "usgs-mcs2026/us_salient.csv"
	mcsImportsFile     = "usgs-mcs2026/us_import_sources.csv"
)

func (r *Registry) loadMCS(fsys fs.FS, errs *problem.List) error {
	f, err := openCSV(fsys, mcsCommoditiesFile, errs, "slug", "name", "symbol", "units_note", "price_unit_note", "price_footnote_text", "net_import_reliance_pct_latest", "source_url")
	if err != nil {
		return err
	}
	r.mcs = make(map[string]*Commodity)
	r.mcsByMineral = make(map[string]string)
	for row, ok := f.next(); ok; row, ok = f.next() {
		slug := row.str("slug")
		ids, known := mcsChapters[slug]
		if !known {
			row.errorf("slug", "chapter %q has no entry in the chapter-to-mineral table of package registry (mcs.go)", slug)
			continue
		}
		c := &Commodity{
			Slug:              slug,
			Name:              row.str("name"),
			Symbol:            row.str("symbol"),
			Units:             row.str("units_note"),
			PriceNote:         row.str("price_unit_note"),
			PriceFootnote:     row.str("price_footnote_text"),
			NetImportReliance: row.figure("net_import_reliance_pct_latest"),
			SourceURL:         row.str("source_url"),
		}
		for _, id := range ids {
			members, group, err := r.MineralOrGroup(id)
			if err != nil {
				row.errorf("slug", "chapter-to-mineral table: %v", err)
				continue
			}
			if group {
				r.mcsByMineral[id] = slug
			}
			for _, m := range members {
				r.mcsByMineral[m] = slug
			}
			c.Minerals = append(c.Minerals, members...)
		}
		r.mcs[slug] = c
	}
	chapter := func(row row) *Commodity {
		slug := row.str("commodity_slug")
		c := r.mcs[slug]
		if c == nil {
			row.errorf("commodity_slug", "%q is not a chapter of %s%s", slug, filePrefix, mcsCommoditiesFile)
		}
		return c
	}

	f, err = openCSV(fsys, mcsWorldFile, errs, "commodity_slug", "table_label", "unit", "country", "year_prev", "prod_prev", "prod_prev_raw",
		"year_latest", "prod_latest", "prod_latest_raw", "capacity", "reserves", "reserves_raw", "note")
	if err != nil {
		return err
	}
	for row, ok := f.next(); ok; row, ok = f.next() {
		c := chapter(row)
		if c == nil {
			continue
		}
		if y := row.str("year_prev"); y != "2024" {
			row.errorf("year_prev", "%q, want 2024", y)
		}
		if y := row.str("year_latest"); y != "2025" {
			row.errorf("year_latest", "%q, want 2025", y)
		}
		c.World = append(c.World, WorldProductionRow{
			Country:      row.str("country"),
			Table:        row.str("table_label"),
			Unit:         row.str("unit"),
			Prod2024:     row.rawFigure("prod_prev_raw", "prod_prev"),
			Prod2025:     row.rawFigure("prod_latest_raw", "prod_latest"),
			Capacity2025: row.figure("capacity"),
			Reserves:     row.rawFigure("reserves_raw", "reserves"),
			Note:         row.str("note"),
		})
	}

	f, err = openCSV(fsys, mcsSalientFile, errs, "commodity_slug", "section", "subsection", "label", "unit_note", "year", "value", "raw_value", "footnote")
	if err != nil {
		return err
	}
	for row, ok := f.next(); ok; row, ok = f.next() {
		c := chapter(row)
		if c == nil {
			continue
		}
		s := SalientRow{
			Section:    row.str("section"),
			Subsection: row.str("subsection"),
			Statistic:  row.str("label"),
			Unit:       row.str("unit_note"),
			Value:      row.rawFigure("raw_value", "value"),
			Footnote:   row.str("footnote"),
		}
		y := row.str("year")
		s.Estimated = strings.HasSuffix(y, "e")
		switch y = strings.TrimSuffix(y, "e"); y {
		case "2021", "2022", "2023", "2024", "2025":
			s.Year = int(y[3]-'0') + 2020
		default:
			row.errorf("year", "%q is not a year from 2021 to 2025e", row.str("year"))
			continue
		}
		relabelSalient(c.Slug, &s)
		c.Salient = append(c.Salient, s)
	}

	f, err = openCSV(fsys, mcsImportsFile, errs, "commodity_slug", "category", "country", "share_pct", "years")
	if err != nil {
		return err
	}
	for row, ok := f.next(); ok; row, ok = f.next() {
		c := chapter(row)
		if c == nil {
			continue
		}
		c.ImportSources = append(c.ImportSources, ImportSource{
			Category: row.str("category"),
			Country:  row.str("country"),
			SharePct: row.figure("share_pct"),
			Years:    row.str("years"),
		})
	}

	// The chapter's own net import reliance row keeps the bound (">50") or the
	// marker (E) that commodities.csv flattens into a number or a blank.
	for _, c := range r.mcs {
		for _, s := range c.Salient {
			if s.Year == 2025 && s.Unit == "percent" && (strings.HasPrefix(strings.ToLower(s.Section), "net import reliance") || strings.Contains(strings.ToLower(s.Statistic), "net import reliance")) {
				c.NetImportReliance = s.Value
				break
			}
		}
	}
	return r.loadMCSCoverage(fsys, errs)
}

// relabelSalient corrects the salient rows the extraction mislabelled, as the
// data's README documents. In the zirconium-and-hafnium chapter, the net
// import reliance rows (zirconium ores and concentrates "<25", hafnium NA)
// carry the section "consumption" and the unit "metric tons", so they read as
// a quantity and the chapter as having no net import reliance; and the
// zirconium-sponge and hafnium prices, in dollars per kilogram as their labels
// say, carry the zircon price's subsection in dollars per metric ton.
func relabelSalient(slug string, s *SalientRow) {
	if slug != "zirconium-and-hafnium" {
		return
	}
	switch {
	case s.Section == "consumption":
		s.Section, s.Unit = "Net import reliance as a percentage of apparent consumption", "percent"
	case s.Section == "Price" && strings.HasSuffix(s.Statistic, ", dollars per kilogram"):
		s.Subsection, s.Unit = "", "dollars per kilogram"
	}
}

// rawFigure reads the printed cell of column rawCol and checks it against the
// number the extraction derived in column numCol; an empty printed cell falls
// back to the number.
func (r row) rawFigure(rawCol, numCol string) Figure {
	raw, num := r.str(rawCol), r.str(numCol)
	if raw == "" {
		return r.figure(numCol)
	}
	f := r.figure(rawCol)
	if num != "" {
		n, err := parseNumber(num)
		if err != nil {
			r.errorf(numCol, "%q is not a number", num)
		} else if !f.Known || n.Cmp(f.Value) != 0 {
			r.errorf(numCol, "%s disagrees with the printed %s %q", num, rawCol, raw)
		}
	}
	return f
}

// MCS returns the MCS 2026 chapter for a mineral id (the chapter that covers
// it: "hafnium" gives zirconium-and-hafnium, "neodymium" rare-earths), a group
// id, or a chapter slug ("molybdenum", "iron-and-steel"). The Commodity is
// shared: callers must not change it. A mineral without a chapter in the
// shipped data (metallurgical_coal, uranium) is a NotFound error.
func (r *Registry) MCS(mineralID string) (*Commodity, error) {
	if slug, ok := r.mcsByMineral[mineralID]; ok {
		return r.mcs[slug], nil
	}
	if c, ok := r.mcs[mineralID]; ok {
		return c, nil
	}
	if r.isMineralOrGroup(mineralID) {
		return nil, &problem.Error{Code: problem.NotFound, Field: "mineral",
			Message: fmt.Sprintf("no USGS MCS 2026 chapter for %q in the shipped data", mineralID)}
	}
	return nil, r.unknownMineral(mineralID)
}

// MCSChapters returns the slugs of the shipped MCS 2026 chapters, sorted.
func (r *Registry) MCSChapters() []string {
	out := make([]string, 0, len(r.mcs))
	for s := range r.mcs {
		out = append(out, s)
	}
	slices.Sort(out)
	return out
}

package scope

import (
	"fmt"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// WGIYear is the governance year used: the last year the shipped World
// Governance Indicators cover.
const WGIYear = registry.WGILastYear

// Producer is one country row of a world production table.
type Producer struct {
	Label    string  // the row as USGS writes it: "Congo (Kinshasa)"
	Country  string  // ISO alpha-2
	Quantity float64 // 2025 production (USGS estimate), in the table's unit
	Known    bool    // false: the cell is a marker (W, NA) and the share is unknown
	Marker   string  // the production cell's marker, if any
	Reserves float64
	// ReservesKnown is false for NA, ( ) and empty reserve cells.
	ReservesKnown bool
	// Capacity is the 2025 production capacity, in tables that print one
	// (refinery and smelter tables mostly); CapacityKnown says it is.
	Capacity      float64
	CapacityKnown bool
}

// Table is a mineral's world production at one stage, as MCS 2026 prints it.
type Table struct {
	Mineral string
	Chapter string // MCS chapter slug
	Stage   registry.Stage
	Label   string // the table's label
	Unit    string
	Group   bool   // figures for the mineral's group (rare earths), not the element
	Note    string // why the stage is read so, where the label is not plain
	// Producers are the country rows; Unattributed is the "Other countries"
	// row, production USGS does not attribute to a country.
	Producers    []Producer
	Unattributed float64
	// World is the world total as printed (rounded), or the sum of the rows
	// when no total is printed.
	World, WorldReserves float64
	WorldReservesKnown   bool
	WorldReservesMarker  string
	// Unusable says why no share can be computed (boron: the countries'
	// figures are in different bases); empty when the table is usable.
	Unusable string
}

// Governance is a country's WGI score as the EU method scales it.
type Governance struct {
	Country string
	Mean    float64 // the mean of the six WGI estimates available, about −2.5 to 2.5
	Scaled  float64 // 0 (best) to 10 (worst): 5 − 2 × Mean, clamped
	N       int     // how many of the six indicators the mean is over
}

// Reliance is the U.S. net import reliance of a mineral in 2025, as MCS 2026
// prints it.
type Reliance struct {
	Percent float64
	Known   bool
	Marker  string // ">", "<" (a bound), "E" (net exporter), "NA", "W"
	Raw     string
}

// Mineral is what the shipped data hold on one mineral of the 2025 list.
type Mineral struct {
	ID       string
	Coverage registry.MCSCoverage
	Chapter  string
	Tables   []Table
	Reliance Reliance
	// Imports are the sources of U.S. imports (shares of imports, 0 to 1)
	// of the chapter's list that covers the mineral, ImportsNote which list
	// and years, or why none is used.
	Imports     []ImportShare
	ImportsNote string
}

// ImportShare is one country's share of U.S. imports.
type ImportShare struct {
	Label   string // as USGS writes it; "other" for the rest
	Country string // ISO alpha-2, "" for "other" and labels naming several countries
	Share   float64
}

// Data is the snapshot the engine scores: every mineral of the 2025 list
// with its production tables, and the governance of every producer.
type Data struct {
	Minerals   []Mineral
	Governance map[string]Governance // by alpha-2
	// Importance, when set (LoadImportance), gives each result its economic
	// importance where the shipped end uses allow it; nil: none computed.
	Importance *ImportanceInputs
}

// tableStage reads the production stage of a world table from its label.
// MCS tables are mine production (mined), or refinery, smelter, sponge,
// primary metal or chemical production (processed). The copper table is
// labelled "Mine and Refinery" but the extraction holds the refinery column
// (Germany, Japan and Korea produce and hold no reserves; China's 14 Mt is
// its refinery output), so it is read as processed.
func tableStage(chapter, label string) (registry.Stage, string) {
	l := strings.ToLower(label)
	switch {
	case chapter == "copper":
		return registry.Processed, "the extraction holds the refinery column of the mine and refinery table (Germany, Japan and Korea produce and hold no reserves)"
	case strings.Contains(l, "mine production"):
		return registry.Mined, ""
	case chapter == "arsenic", chapter == "boron":
		return registry.Processed, "table of production in several forms; read as processed"
	default:
		return registry.Processed, ""
	}
}

// Gather reads the shipped data the engine needs: the MCS 2026 world
// production tables and net import reliance of every mineral of the 2025
// list, and the WGI of every producer for WGIYear. It reads the registry
// only; a mineral without figures is kept, with its coverage, so that the
// result can say why it is not scored.
func Gather(reg *registry.Registry) (*Data, error) {
	names := newCountryNames(reg)
	d := &Data{Governance: make(map[string]Governance)}
	for _, m := range reg.Minerals() {
		if !m.On2025 {
			continue
		}
		cov, err := reg.MCSCoverage(m.ID)
		if err != nil {
			return nil, err
		}
		min := Mineral{ID: m.ID, Coverage: cov, Chapter: cov.Chapter}
		if cov.Chapter != "" {
			c, err := reg.MCS(m.ID)
			if err != nil {
				return nil, err
			}
			min.Reliance = relianceFor(c, m.ID, cov.Status == registry.MCSGroup)
			min.Imports, min.ImportsNote = imports(c, m.ID, names)
			min.Tables = tables(c, m.ID, cov.Status == registry.MCSGroup, names)
		}
		var countries []string
		for _, t := range min.Tables {
			for _, p := range t.Producers {
				countries = append(countries, p.Country)
			}
		}
		for _, im := range min.Imports {
			countries = append(countries, im.Country)
		}
		for _, c := range countries {
			if _, done := d.Governance[c]; done || c == "" {
				continue
			}
			if g, ok := governance(reg, c); ok {
				d.Governance[c] = g
			}
		}
		d.Minerals = append(d.Minerals, min)
	}
	slices.SortFunc(d.Minerals, func(a, b Mineral) int { return strings.Compare(a.ID, b.ID) })
	return d, nil
}

// relianceFor returns the mineral's 2025 net import reliance: in a chapter
// on several minerals of the list that is not a group's (platinum-group
// metals, zirconium and hafnium), the row named for the mineral (platinum
// 89, palladium 57, hafnium NA), never the chapter's first row.
func relianceFor(c *registry.Commodity, mineral string, group bool) Reliance {
	if len(c.Minerals) <= 1 || group {
		return reliance(c.NetImportReliance)
	}
	for _, s := range c.Salient {
		if s.Year == 2025 && s.Unit == "percent" && strings.HasPrefix(strings.ToLower(s.Section), "net import reliance") &&
			strings.Contains(strings.ToLower(s.Statistic), mineral) {
			return reliance(s.Value)
		}
	}
	return Reliance{Marker: "none", Raw: "(no row for " + mineral + " in the chapter)"}
}

func reliance(f registry.Figure) Reliance {
	r := Reliance{Known: f.Known, Marker: f.Marker, Raw: f.Raw}
	if f.Known {
		r.Percent = f.Value.Float64()
	}
	return r
}

// tableOf reports whether a world table of a chapter on several minerals
// gives the mineral's production: its label names the mineral, or the
// mineral is the chapter's first (zirconium in zirconium-and-hafnium) and the
// label names no other.
func tableOf(label, mineral string, minerals []string) bool {
	l := strings.ToLower(label)
	if strings.Contains(l, mineral) {
		return true
	}
	if minerals[0] != mineral {
		return false
	}
	for _, m := range minerals[1:] {
		if strings.Contains(l, m) {
			return false
		}
	}
	return true
}

// tables returns the chapter's world tables that give the mineral's
// production: every table of a one-mineral or group chapter; in a chapter on
// several minerals, the tables tableOf gives it.
func tables(c *registry.Commodity, mineral string, group bool, names countryNames) []Table {
	var out []Table
	idx := map[string]int{}
	for _, row := range c.World {
		if !group && len(c.Minerals) > 1 && !tableOf(row.Table, mineral, c.Minerals) {
			continue
		}
		i, ok := idx[row.Table]
		if !ok {
			st, note := tableStage(c.Slug, row.Table)
			i = len(out)
			idx[row.Table] = i
			out = append(out, Table{Mineral: mineral, Chapter: c.Slug, Stage: st, Label: row.Table, Unit: row.Unit, Group: group, Note: note})
		}
		t := &out[i]
		label := strings.ToLower(row.Country)
		switch {
		case strings.HasPrefix(label, "world total"):
			if row.Prod2025.Known {
				t.World = row.Prod2025.Value.Float64()
			} else if row.Prod2025.Marker == "XX" {
				t.Unusable = "no world total: the countries' figures are not in one basis (" + strings.TrimSpace(row.Note) + ")"
			}
			t.WorldReservesKnown, t.WorldReservesMarker = row.Reserves.Known, row.Reserves.Marker
			if row.Reserves.Known {
				t.WorldReserves = row.Reserves.Value.Float64()
			}
		case label == "other countries" || label == "other":
			if row.Prod2025.Known {
				t.Unattributed = row.Prod2025.Value.Float64()
			}
		default:
			code, _ := names.code(row.Country)
			p := Producer{Label: row.Country, Country: code, Known: row.Prod2025.Known, Marker: row.Prod2025.Marker,
				ReservesKnown: row.Reserves.Known}
			if p.Known {
				p.Quantity = row.Prod2025.Value.Float64()
			}
			if p.ReservesKnown {
				p.Reserves = row.Reserves.Value.Float64()
			}
			if row.Capacity2025.Known {
				p.Capacity, p.CapacityKnown = row.Capacity2025.Value.Float64(), true
			}
			t.Producers = append(t.Producers, p)
		}
	}
	for i := range out {
		t := &out[i]
		if t.World == 0 && t.Unusable == "" {
			sum := t.Unattributed
			for _, p := range t.Producers {
				sum += p.Quantity
			}
			t.World = sum
		}
	}
	return out
}

// governance averages a country's six WGI estimates for WGIYear and scales
// the mean to the EU method's 0 (best) to 10 (worst).
// wgiSource is where governance scores come from; *registry.Registry
// satisfies it.
type wgiSource interface {
	WGI(country, indicator string, year int) (registry.Governance, error)
}

func governance(reg wgiSource, country string) (Governance, bool) {
	g := Governance{Country: country}
	sum := 0.0
	for _, ind := range []string{"VA", "PV", "GE", "RQ", "RL", "CC"} {
		s, err := reg.WGI(country, ind, WGIYear)
		if err != nil {
			continue
		}
		sum += s.Estimate.Float64()
		g.N++
	}
	if g.N == 0 {
		return g, false
	}
	g.Mean = sum / float64(g.N)
	g.Scaled = min(10, max(0, 5-2*g.Mean))
	return g, true
}

// String names a table for inputs and errors.
func (t *Table) String() string { return fmt.Sprintf("MCS 2026 %s, %q", t.Chapter, t.Label) }

// imports picks the chapter's list of U.S. import sources that covers the
// mineral: its only list; the list named for the metal (platinum-group
// metals); or the list of all forms or the total. A chapter whose lists are
// by product with no total gives none, and the note says so.
func imports(c *registry.Commodity, mineral string, names countryNames) ([]ImportShare, string) {
	var cats []string
	for _, s := range c.ImportSources {
		if !slices.Contains(cats, s.Category) {
			cats = append(cats, s.Category)
		}
	}
	pick := ""
	switch {
	case len(cats) == 0:
		return nil, "MCS 2026 lists no U.S. import sources for the chapter"
	case len(cats) == 1:
		pick = cats[0]
	default:
		for _, cat := range cats {
			l := strings.ToLower(cat)
			if l == mineral || l == "all" || strings.HasPrefix(l, "total") || strings.HasPrefix(l, "combined total") || strings.HasPrefix(l, "all forms") {
				pick = cat
				break
			}
		}
	}
	if pick == "" {
		return nil, "MCS 2026 lists U.S. import sources by product with no total (" + strings.Join(cats, "; ") + ")"
	}
	var out []ImportShare
	years := ""
	for _, s := range c.ImportSources {
		if s.Category != pick || !s.SharePct.Known {
			continue
		}
		code := ""
		if l := strings.ToLower(s.Country); l != "other" && l != "others" {
			code, _ = names.code(s.Country)
		}
		out = append(out, ImportShare{Label: s.Country, Country: code, Share: s.SharePct.Value.Float64() / 100})
		years = s.Years
	}
	return out, fmt.Sprintf("MCS 2026 %s, U.S. import sources, %q, %s", c.Slug, pick, years)
}

package api

import (
	"cmp"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// leadingProducers is how many producers a world production summary names.
const leadingProducers = 5

// figure is a USGS table cell: the number when USGS gives one (a JSON string,
// exact), the marker that stands for it otherwise (W withheld, NA, ...), and
// the cell as printed.
type figure struct {
	Value  *dec.Decimal `json:"value"`
	Marker string       `json:"marker,omitempty"`
	Raw    string       `json:"raw"`
}

func figureOf(f registry.Figure) figure {
	out := figure{Marker: f.Marker, Raw: f.Raw}
	if f.Known {
		v := f.Value
		out.Value = &v
	}
	return out
}

// mcsSummary is the part of a Mineral Commodity Summaries chapter a reader of
// the agreement wants first: who produces the mineral, and how much.
type mcsSummary struct {
	Chapter           string       `json:"chapter"`
	Name              string       `json:"name"`
	Units             string       `json:"units"`
	SourceURL         string       `json:"source_url"`
	NetImportReliance figure       `json:"us_net_import_reliance_pct"`
	WorldProduction   []worldTable `json:"world_production"`
}

// worldTable summarizes one world production table of a chapter (a chapter may
// have several: mine and refinery production, each with its own unit).
type worldTable struct {
	Table          string     `json:"table"`
	Unit           string     `json:"unit"`
	WorldTotal2024 figure     `json:"world_total_2024"`
	WorldTotal2025 figure     `json:"world_total_2025"`
	WorldReserves  figure     `json:"world_reserves"`
	Leading        []producer `json:"leading_producers"`
}

// producer is a country's 2025 production and its share of the world total,
// in percent rounded to one decimal (absent when either is unknown).
type producer struct {
	Country  string       `json:"country"`
	Prod2025 figure       `json:"production_2025"`
	SharePct *dec.Decimal `json:"share_pct,omitempty"`
}

func summarizeMCS(c *registry.Commodity) *mcsSummary {
	out := &mcsSummary{Chapter: c.Slug, Name: c.Name, Units: c.Units, SourceURL: c.SourceURL,
		NetImportReliance: figureOf(c.NetImportReliance), WorldProduction: []worldTable{}}
	byTable := map[string]*worldTable{}
	rows := map[string][]registry.WorldProductionRow{}
	for _, row := range c.World {
		t := byTable[row.Table]
		if t == nil {
			t = &worldTable{Table: row.Table, Unit: row.Unit, Leading: []producer{}}
			byTable[row.Table] = t
			out.WorldProduction = append(out.WorldProduction, worldTable{Table: row.Table})
		}
		switch {
		case strings.HasPrefix(row.Country, "World total"):
			t.WorldTotal2024, t.WorldTotal2025, t.WorldReserves = figureOf(row.Prod2024), figureOf(row.Prod2025), figureOf(row.Reserves)
		case row.Country == "Other countries":
		default:
			rows[row.Table] = append(rows[row.Table], row)
		}
	}
	for i, wt := range out.WorldProduction {
		t := byTable[wt.Table]
		known := slices.DeleteFunc(rows[wt.Table], func(r registry.WorldProductionRow) bool { return !r.Prod2025.Known })
		slices.SortStableFunc(known, func(a, b registry.WorldProductionRow) int {
			return cmp.Or(b.Prod2025.Value.Cmp(a.Prod2025.Value), strings.Compare(a.Country, b.Country))
		})
		world := t.WorldTotal2025.Value
		for _, row := range known[:min(len(known), leadingProducers)] {
			p := producer{Country: row.Country, Prod2025: figureOf(row.Prod2025)}
			if world != nil && world.Sign() > 0 {
				if share, _, err := row.Prod2025.Value.Mul(dec.FromInt(100)).Quo(*world).Round(1, dec.HalfUp); err == nil {
					p.SharePct = &share
				}
			}
			t.Leading = append(t.Leading, p)
		}
		out.WorldProduction[i] = *t
	}
	return out
}

// mcsCoverage says what the MCS 2026 publish for a mineral and, where figures
// are absent or partial, why (data/usgs-mcs2026/coverage.csv).
type mcsCoverage struct {
	Status  string `json:"status"`
	Chapter string `json:"chapter,omitempty"`
	Reason  string `json:"reason,omitempty"`
	Source  string `json:"source"`
}

// coverageOf returns the coverage of a mineral, or nil for a mineral with no
// row (one of the 2022 list only).
func coverageOf(reg *registry.Registry, id string) *mcsCoverage {
	c, err := reg.MCSCoverage(id)
	if err != nil {
		return nil
	}
	return &mcsCoverage{Status: string(c.Status), Chapter: c.Chapter, Reason: c.Reason, Source: c.Source}
}

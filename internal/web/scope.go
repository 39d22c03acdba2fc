package web

import (
	"net/http"
	"strconv"
	"strings"

	scopedata "github.com/mineralpact/mineralpact/data/scope"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
	"github.com/mineralpact/mineralpact/internal/service"
)

// criticalityData is the scope page: every mineral of the 2025 list with its
// EU supply risk on the three bases (internal/scope), for the zone of the
// agreement in force on AsOf.
type criticalityData struct {
	AsOf      string // as the form shows it
	Default   bool   // AsOf was not asked for: the entry into force
	Error     string
	Parties   []string
	Countries int
	Threshold float64 // the EU's supply-risk threshold for its list
	WGIYear   int
	Rows      []criticalityRow
	Scored    int // minerals with an EU supply risk
	// Warnings are the scope warnings of the agreement as amended on AsOf,
	// Groups the proposed groups of the minerals (scope.Groups).
	Warnings []scope.Warning
	Groups   []scope.Group
	InScope  map[string]bool // the minerals in the agreement's scope on AsOf, marked in the groups
	// Published is our scores against the published EU 2023 and USGS 2022
	// lists (scope.Compare); nil if the files could not be read.
	Published *publishedData
	// Heat is the minerals × indicators grid, Scatter the plot of supply
	// risk against economic importance with the EU's thresholds.
	Heat    heatmap
	Scatter scatter
}

// publishedData is the comparison the scope page shows: ρ against each list
// and the EU rows where our SR-only flag and the list disagree.
type publishedData struct {
	EURho, USGSRho string // to three decimals; "" not computed
	EUN, USGSN     int
	Counts         map[string]int // EU rows per agreement
	Rows           []publishedRow
}

// publishedRow is one EU material where we disagree with the list.
type publishedRow struct {
	Material, Agreement string
	Critical            bool
	OurSR               string // to two decimals; "" not scored
	Gaps                []string
}

// published compares rep with the shipped published lists.
func published(reg *registry.Registry, rep *scope.Report) *publishedData {
	p, err := scope.LoadPublished(reg, scopedata.FS)
	if err != nil {
		return nil
	}
	c := scope.Compare(rep, p, reg)
	rho := func(r *float64) string {
		if r == nil {
			return ""
		}
		return strconv.FormatFloat(*r, 'f', 3, 64)
	}
	d := &publishedData{EURho: rho(c.EU.List.Rho), EUN: c.EU.List.N, USGSRho: rho(c.USGS.List.Rho), USGSN: c.USGS.List.N, Counts: c.EU.Counts}
	for _, r := range c.EU.Rows {
		if r.Agreement == scope.AgreePublishedOnly || r.Agreement == scope.AgreeOursOnly || r.Agreement == scope.AgreeNotScored {
			row := publishedRow{Material: r.Material, Agreement: r.Agreement, Critical: r.Critical, Gaps: r.Gaps}
			if r.OurSR != nil {
				row.OurSR = strconv.FormatFloat(*r.OurSR, 'f', 2, 64)
			}
			d.Rows = append(d.Rows, row)
		}
	}
	return d
}

// criticalityRow is one mineral at its bottleneck stage (the stage of
// highest world EU supply risk).
type criticalityRow struct {
	Mineral   registry.Mineral
	Stage     string
	Table     string
	SR        []srCell // EU supply risk on world, us, zone
	ZoneShare string   // the zone's share of world production at that stage
	Flags     string
	Reason    string // why the mineral is not scored
}

// srCell is an EU supply risk on one basis, to two decimals ("" not
// computed); Over: at or above the EU's threshold.
type srCell struct {
	Basis scope.Basis
	Value string
	Over  bool
}

func (p *portal) criticality(w http.ResponseWriter, r *http.Request) {
	reg := p.deps.Registry
	d := criticalityData{AsOf: r.URL.Query().Get("as_of"), Threshold: scope.EUSRThreshold}
	var on date.Date // zero: the entry into force
	if d.AsOf != "" {
		var err error
		if on, err = agreement.ParseAsOf(d.AsOf); err != nil {
			d.Error = messageOf(err)
			p.render(w, r, statusOf(err), "scope", page{Title: "Scope", Nav: "scope", Data: d})
			return
		}
	}
	data, err := scope.Gather(reg)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	imp, err := service.ScopeImportance(reg)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	data.Importance = imp
	card, err := data.Card(p.deps.Agreement, reg, on, "", "")
	if err != nil {
		d.Error = messageOf(err)
		p.render(w, r, statusOf(err), "scope", page{Title: "Scope", Nav: "scope", Data: d})
		return
	}
	d.AsOf, d.Default = card.AsOf.String(), card.AsOfDefault
	rel, err := service.ScopeRelations(reg)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	ws, err := scope.AgreementWarnings(p.deps.Agreement, rel, card.AsOf)
	if err != nil {
		p.fail(w, r, err)
		return
	}
	d.Warnings, d.Groups = ws.Warnings, data.Groups(rel)
	if in, err := p.deps.Agreement.AsOf(card.AsOf); err == nil {
		d.InScope = map[string]bool{}
		for _, f := range in.Agreement.Floors() {
			d.InScope[f.Mineral] = true
		}
	}
	d.Parties, d.Countries, d.WGIYear = card.Parties, card.Countries, card.WGIYear
	rep := card.Report
	d.Published = published(reg, rep)
	pub, _ := scope.LoadPublished(reg, scopedata.FS) // nil on error: the scatter's EU column is then empty, as published() leaves its section out
	d.Heat, d.Scatter = buildHeatmap(reg, rep, imp), buildScatter(reg, rep, imp, pub)
	for _, m := range rep.Minerals {
		info, _ := reg.Mineral(m.Mineral)
		row := criticalityRow{Mineral: info, Reason: m.CoverageReason}
		for _, s := range m.Summary {
			c := srCell{Basis: s.Basis}
			if s.EUSR != nil {
				c.Value, c.Over = strconv.FormatFloat(*s.EUSR, 'f', 2, 64), *s.EUSR >= scope.EUSRThreshold
			}
			row.SR = append(row.SR, c)
		}
		if world := m.Summary[0]; world.EUSR != nil {
			d.Scored++
			row.Stage, row.Table = string(world.Stage), world.Table
			for _, st := range m.Stages {
				if st.Table == world.Table {
					if st.ZoneProduction != nil {
						row.ZoneShare = strconv.FormatFloat(*st.ZoneProduction*100, 'f', 1, 64) + " %"
					}
					row.Flags = strings.Join(st.Flags(), " ")
				}
			}
		} else if len(m.Stages) > 0 {
			row.Flags = strings.Join(m.Stages[0].Flags(), " ")
			if row.Reason == "" {
				for _, ms := range m.Stages[0].Missing {
					if ms.Input == "world production" {
						row.Reason = ms.Reason
					}
				}
			}
		} else {
			row.Flags = "no_table"
		}
		d.Rows = append(d.Rows, row)
	}
	p.render(w, r, http.StatusOK, "scope", page{Title: "Scope", Nav: "scope", Data: d})
}

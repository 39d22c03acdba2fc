package web

import (
	"net/http"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// mineralsData is the minerals page: the stages in scope, then every other
// mineral of the USGS lists.
type mineralsData struct {
	InScope  []scopeRow
	OutScope []registry.Mineral
	Total    int
	// NoFigures are the minerals for which USGS MCS 2026 publishes no
	// figures or only some, with the reason; Group counts those with figures
	// for their group only (the rare earths).
	NoFigures []mcsGap
	Group     int
}

// mcsGap is a mineral whose MCS 2026 figures are absent or partial. Source is
// the coverage's source without its scheme: the portal links to no other host.
type mcsGap struct {
	Mineral  registry.Mineral
	Coverage registry.MCSCoverage
	Source   string
}

// scopeRow is one mineral at one stage in scope.
type scopeRow struct {
	Mineral     registry.Mineral
	First       bool // first stage of its mineral: the row that names it
	Span        int  // rows the mineral's name spans
	Stage       string
	Unit        string
	PriceMethod string
	HS          []hsCode
}

// hsCode is a tariff code described by the registry's map; Content is zero for
// a national line beyond the map.
type hsCode struct {
	Code          string
	Description   string
	Content       dec.Decimal
	ContentSource string
}

func (p *portal) minerals(w http.ResponseWriter, r *http.Request) {
	a := p.deps.Agreement
	reg := p.deps.Registry
	all := reg.Minerals()
	d := mineralsData{Total: len(all)}
	for _, m := range all {
		am, ok := a.Mineral(m.ID)
		if !ok {
			d.OutScope = append(d.OutScope, m)
			continue
		}
		for i, st := range am.Stages {
			row := scopeRow{Mineral: m, First: i == 0, Span: len(am.Stages), Stage: string(st.Stage), Unit: st.Unit, PriceMethod: string(st.Price.Method)}
			for _, code := range st.HS {
				row.HS = append(row.HS, describeHS(reg, code, m))
			}
			d.InScope = append(d.InScope, row)
		}
	}
	for _, c := range reg.MCSCoverages() {
		switch c.Status {
		case registry.MCSPartial, registry.MCSNone:
			m, _ := reg.Mineral(c.Mineral)
			d.NoFigures = append(d.NoFigures, mcsGap{Mineral: m, Coverage: c, Source: strings.TrimPrefix(c.Source, "https://")})
		case registry.MCSGroup:
			d.Group++
		}
	}
	p.render(w, r, http.StatusOK, "minerals", page{Title: "Minerals", Nav: "minerals", Data: d})
}

// describeHS describes a code of mineral m from the registry's map, or, for a
// national line beyond the map, from the HS nomenclature of its subheading.
func describeHS(reg *registry.Registry, code string, m registry.Mineral) hsCode {
	out := hsCode{Code: code}
	if lines, err := reg.HS(code); err == nil {
		for _, l := range lines {
			if l.Mineral == m.ID || (m.Group != "" && l.Mineral == m.Group) {
				out.Description, out.Content, out.ContentSource = l.Description, l.Content, l.ContentSource
				return out
			}
		}
	}
	if len(code) >= 6 {
		out.Description, _ = reg.HSDescription(code[:6])
	}
	return out
}

package web

import (
	"math"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// heatmap is the scope page's minerals × indicators grid: every indicator of
// internal/scope on the bases it is defined for, at each mineral's bottleneck
// stage, shaded by its value relative to the column's highest.
type heatmap struct {
	Columns []heatColumn
	Rows    []heatRow
}

// heatColumn is one indicator on one basis.
type heatColumn struct {
	Key, Indicator, Basis string
	Max                   float64 // the column's highest value, the darkest shade
}

// heatRow is one mineral's cells, in the order of the columns.
type heatRow struct {
	Mineral registry.Mineral
	Cells   []heatCell
}

// heatCell is one figure: Value to two decimals ("" not computed) and Level,
// 0 (lightest) to 5 (the column's highest), the class of its shade.
type heatCell struct {
	Key   string
	Value string
	Level int
}

// heatIndicators lists the grid's columns: what is read from a basis result
// of the bottleneck stage, or (economic importance) from the mineral.
var heatIndicators = []struct {
	key, indicator string
	basis          scope.Basis
	read           func(b scope.BasisResult) *float64
}{
	{"eu_sr_world", "EU supply risk", scope.World, func(b scope.BasisResult) *float64 { return b.EUSR }},
	{"eu_sr_us", "EU supply risk", scope.US, func(b scope.BasisResult) *float64 { return b.EUSR }},
	{"eu_sr_zone", "EU supply risk", scope.Zone, func(b scope.BasisResult) *float64 { return b.EUSR }},
	{"eu_sr_sourcing_us", "EU supply risk, U.S. sourcing", scope.US, func(b scope.BasisResult) *float64 { return b.EUSRSourcing }},
	{"eu_sr_sourcing_zone", "EU supply risk, U.S. sourcing", scope.Zone, func(b scope.BasisResult) *float64 { return b.EUSRSourcing }},
	{"usgs_dp_world", "USGS disruption potential", scope.World, func(b scope.BasisResult) *float64 { return b.USGSDP }},
	{"usgs_dp_us", "USGS disruption potential", scope.US, func(b scope.BasisResult) *float64 { return b.USGSDP }},
	{"usgs_dp_zone", "USGS disruption potential", scope.Zone, func(b scope.BasisResult) *float64 { return b.USGSDP }},
	{"usgs_te_us", "USGS trade exposure", scope.US, func(b scope.BasisResult) *float64 { return b.USGSTE }},
	{"usgs_sr_us", "USGS supply risk (DP × TE)^½", scope.US, func(b scope.BasisResult) *float64 { return b.USGSSR }},
}

// eiKey is the heatmap's economic-importance column.
const eiKey = "economic_importance"

// buildHeatmap lays out rep's minerals against every indicator, with the
// economic importance of imp where it is computed.
func buildHeatmap(reg *registry.Registry, rep *scope.Report, imp *scope.ImportanceInputs) heatmap {
	var h heatmap
	for _, ind := range heatIndicators {
		h.Columns = append(h.Columns, heatColumn{Key: ind.key, Indicator: ind.indicator, Basis: string(ind.basis)})
	}
	h.Columns = append(h.Columns, heatColumn{Key: eiKey, Indicator: "Economic importance (EU formula, U.S. sectors)"})
	vals := make([][]*float64, len(rep.Minerals))
	for i, m := range rep.Minerals {
		row := make([]*float64, len(h.Columns))
		if st := bottleneck(m); st != nil {
			for j, ind := range heatIndicators {
				for _, b := range st.Bases {
					if b.Basis == ind.basis {
						row[j] = ind.read(b)
					}
				}
			}
		}
		if imp != nil {
			row[len(row)-1] = imp.Importance(m.Mineral).EI
		}
		for j, v := range row {
			if v != nil && *v > h.Columns[j].Max {
				h.Columns[j].Max = *v
			}
		}
		vals[i] = row
	}
	for i, m := range rep.Minerals {
		info, _ := reg.Mineral(m.Mineral)
		r := heatRow{Mineral: info}
		for j, v := range vals[i] {
			c := heatCell{Key: h.Columns[j].Key}
			if v != nil {
				c.Value = strconv.FormatFloat(*v, 'f', 2, 64)
				if mx := h.Columns[j].Max; mx > 0 {
					c.Level = int(math.Round(*v / mx * 5))
				}
			}
			r.Cells = append(r.Cells, c)
		}
		h.Rows = append(h.Rows, r)
	}
	return h
}

// bottleneck is the stage of m the summary names on the world basis (the
// highest EU supply risk), or nil where none is scored.
func bottleneck(m scope.Result) *scope.StageResult {
	if len(m.Summary) == 0 || m.Summary[0].EUSR == nil {
		return nil
	}
	for i := range m.Stages {
		if m.Stages[i].Table == m.Summary[0].Table {
			return &m.Stages[i]
		}
	}
	return nil
}

// scatter is the plot of supply risk (x, the world EU supply risk at the
// bottleneck) against economic importance (y), with the EU's thresholds,
// drawn as server-side SVG in a plot area of W × H pixels.
type scatter struct {
	W, H, Left, Top    float64
	Right, Bottom      float64 // Left + W, Top + H
	ViewW, ViewH       float64 // the SVG's viewBox, with room for the labels
	XMax, YMax         float64
	XThreshold, YThres float64 // the thresholds' pixel positions
	SRThreshold        float64
	EIThreshold        float64
	XTicks, YTicks     []tick
	Points             []scatterPoint
	Unplotted          []string // minerals scored for SR without an EI
	// Label positions: the axis titles and the thresholds' captions.
	XTitleX, XTitleY, YTitleY, SRLabelX, SRLabelY, EILabelX, EILabelY float64
}

// tick is an axis graduation at pixel Pos, its label at LX, LY.
type tick struct {
	Pos, LX, LY float64
	Label       string
}

// scatterPoint is one mineral: its figures, pixel position and label's.
// Critical: at or above both thresholds.
type scatterPoint struct {
	ID, Name string
	SR, EI   string
	X, Y     float64
	LX, LY   float64
	Critical bool
	// EU is what the EU 2023 list says of the material ("critical", "not
	// critical"; "" not assessed), EUMaterial its name there.
	EU, EUMaterial string
}

// buildScatter plots every mineral with both a world EU supply risk and an
// economic importance (scope.Matrix), with what the EU 2023 list says of it.
func buildScatter(reg *registry.Registry, rep *scope.Report, imp *scope.ImportanceInputs, pub *scope.Published) scatter {
	s := scatter{W: 560, H: 360, Left: 56, Top: 16, XMax: 6, YMax: 10, SRThreshold: scope.EUSRThreshold, EIThreshold: scope.EUEIThreshold}
	rows := scope.Matrix(rep, imp, pub)
	plotted := map[string]bool{}
	for _, r := range rows {
		plotted[r.Mineral] = true
		s.XMax = math.Max(s.XMax, math.Ceil(r.SR))
	}
	for _, m := range rep.Minerals {
		if len(m.Summary) > 0 && m.Summary[0].EUSR != nil && !plotted[m.Mineral] {
			s.Unplotted = append(s.Unplotted, m.Mineral)
		}
	}
	x := func(v float64) float64 { return s.Left + v/s.XMax*s.W }
	y := func(v float64) float64 { return s.Top + s.H - v/s.YMax*s.H }
	s.Right, s.Bottom, s.ViewW, s.ViewH = s.Left+s.W, s.Top+s.H, s.Left+s.W+90, s.Top+s.H+48
	for v := 0.0; v <= s.XMax; v++ {
		s.XTicks = append(s.XTicks, tick{Pos: x(v), LX: x(v), LY: s.Bottom + 16, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	for v := 0.0; v <= s.YMax; v += 2 {
		s.YTicks = append(s.YTicks, tick{Pos: y(v), LX: s.Left - 6, LY: y(v) + 4, Label: strconv.FormatFloat(v, 'f', 0, 64)})
	}
	s.XThreshold, s.YThres = x(s.SRThreshold), y(s.EIThreshold)
	s.XTitleX, s.XTitleY, s.YTitleY = s.Left+s.W/2, s.Bottom+36, s.Top+s.H/2
	s.SRLabelX, s.SRLabelY, s.EILabelX, s.EILabelY = s.XThreshold+4, s.Top+12, s.Right-4, s.YThres-4
	for _, r := range rows {
		info, _ := reg.Mineral(r.Mineral)
		px, py := math.Round(x(r.SR)*10)/10, math.Round(y(r.EI)*10)/10
		pt := scatterPoint{ID: r.Mineral, Name: info.Name,
			SR: strconv.FormatFloat(r.SR, 'f', 2, 64), EI: strconv.FormatFloat(r.EI, 'f', 2, 64),
			X: px, Y: py, LX: px + 7, LY: py + 4, Critical: r.Flagged, EUMaterial: r.Material}
		if r.Critical != nil {
			pt.EU = "not critical"
			if *r.Critical {
				pt.EU = "critical"
			}
		}
		s.Points = append(s.Points, pt)
	}
	return s
}

package registry

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The files that calibrate generated declarations (internal/declgen;
// data/SOURCES.md, "declgen/").
const (
	tradeLinesFile    = "declgen/lines.csv"
	comtradeStatsFile = "declgen/comtrade_china_exports_2024.csv"
)

// TradeLine ties one HS line of a mineral (its first six digits) to the
// public figures that calibrate generated declarations of it: which USGS MCS
// 2026 import volume and which list of US import sources describe the form
// the line covers, and which UN Comtrade statistics describe its shipments.
// An empty field means that no public figure for the form was found.
type TradeLine struct {
	Mineral   string // mineral id: "antimony"
	HS6       string // "282580"
	Volume    string // the MCS chapter's import statistic for the form: "Oxide"
	Sources   string // the MCS chapter's import-sources category: "Oxide"
	Comtrade  string // the HS6 of ComtradeStats that describes the line: "250410"
	PinkSheet string // the World Bank Pink Sheet series of an exchange-traded form: "COPPER"
	Centre    string // what declared prices centre on: "floor" or "comtrade" (the Comtrade median unit value)
	Note      string
	Line      int // the line of data/declgen/lines.csv
}

// ComtradeStats are summary statistics of one HS6 line of China's monthly
// exports by partner (UN Comtrade), computed by the project: the median unit
// value and its dispersion across partners in the same month, and the median
// quantity of a partner-month and its dispersion across a partner's months.
type ComtradeStats struct {
	HS6           string
	Year          int
	PartnerMonths int         // the partner-months with a value and a quantity
	UVMedian      dec.Decimal // USD per kg
	UVLogSigma    dec.Decimal // interquartile range / 1.349 of ln(uv / the month's median uv)
	QtyMedianKg   dec.Decimal // kg per partner-month
	QtyLogSigma   dec.Decimal // median over partners (≥ 6 months) of the standard deviation of ln(qty)
}

// TradeLines returns the HS lines that calibrate generated declarations, in
// file order. Every row is checked against the shipped MCS chapters: a
// volume must name an import statistic of the mineral's chapter, a sources
// category one of its import-source lists, a Comtrade line a row of the
// Comtrade statistics; a fault is reported with its file, line and column.
// The file is read on each call (it is small; only the generator asks).
func (r *Registry) TradeLines() ([]TradeLine, error) {
	return r.tradeLines(r.fsys)
}

// ComtradeExportStats returns the Comtrade statistics by HS6.
func (r *Registry) ComtradeExportStats() (map[string]ComtradeStats, error) {
	var errs problem.List
	out, err := loadComtradeStats(r.fsys, &errs)
	if err != nil {
		return nil, err
	}
	return out, errs.Err()
}

func (r *Registry) tradeLines(fsys fs.FS) ([]TradeLine, error) {
	var errs problem.List
	stats, err := loadComtradeStats(fsys, &errs)
	if err != nil {
		return nil, err
	}
	f, err := openCSV(fsys, tradeLinesFile, &errs, "mineral", "hs6", "mcs_volume", "mcs_sources", "comtrade_hs6", "pinksheet", "centre", "note")
	if err != nil {
		return nil, err
	}
	var out []TradeLine
	seen := map[[2]string]int{}
	for row, ok := f.next(); ok; row, ok = f.next() {
		l := TradeLine{Mineral: row.str("mineral"), HS6: row.str("hs6"), Volume: row.str("mcs_volume"), Sources: row.str("mcs_sources"),
			Comtrade: row.str("comtrade_hs6"), PinkSheet: row.str("pinksheet"), Centre: row.str("centre"), Note: row.str("note"), Line: row.line}
		if len(l.HS6) != 6 || strings.Trim(l.HS6, "0123456789") != "" {
			row.errorf("hs6", "%q is not six digits", l.HS6)
		}
		if prev, dup := seen[[2]string{l.Mineral, l.HS6}]; dup {
			row.errorf("hs6", "%s %s is listed twice (line %d)", l.Mineral, l.HS6, prev)
		}
		seen[[2]string{l.Mineral, l.HS6}] = row.line
		c, err := r.MCS(l.Mineral)
		switch {
		case err != nil && (l.Volume != "" || l.Sources != ""):
			row.errorf("mineral", "%v", err)
		case err == nil:
			if l.Volume != "" && !slices.ContainsFunc(c.Salient, func(s SalientRow) bool { return isImportVolume(s) && s.Statistic == l.Volume }) {
				row.errorf("mcs_volume", "%q is not an import statistic of the MCS chapter %s", l.Volume, c.Slug)
			}
			if l.Sources != "" && !slices.ContainsFunc(c.ImportSources, func(s ImportSource) bool { return s.Category == l.Sources }) {
				row.errorf("mcs_sources", "%q is not an import-sources category of the MCS chapter %s", l.Sources, c.Slug)
			}
		}
		if _, ok := stats[l.Comtrade]; l.Comtrade != "" && !ok {
			row.errorf("comtrade_hs6", "%q is not a line of data/%s", l.Comtrade, comtradeStatsFile)
		}
		if l.PinkSheet != "" {
			if _, err := r.PinkSheet(l.PinkSheet); err != nil {
				row.errorf("pinksheet", "%v", err)
			}
		}
		switch {
		case l.Centre != "floor" && l.Centre != "comtrade":
			row.errorf("centre", "%q: want floor or comtrade", l.Centre)
		case l.Centre == "comtrade" && l.Comtrade == "":
			row.errorf("centre", "comtrade needs a comtrade_hs6")
		}
		out = append(out, l)
	}
	if err := errs.Err(); err != nil {
		return nil, err
	}
	return out, nil
}

// isImportVolume reports whether s is a row of US imports (not a unit value
// or the net import reliance).
func isImportVolume(s SalientRow) bool {
	return strings.HasPrefix(s.Section, "Imports")
}

// ImportVolume is the figure of the MCS import statistic named stat for
// mineral's chapter in year, and the unit it is in.
func (r *Registry) ImportVolume(mineral, stat string, year int) (Figure, string, error) {
	c, err := r.MCS(mineral)
	if err != nil {
		return Figure{}, "", err
	}
	for _, s := range c.Salient {
		if isImportVolume(s) && s.Statistic == stat && s.Year == year {
			return s.Value, s.Unit, nil
		}
	}
	return Figure{}, "", &problem.Error{Code: problem.NotFound, Field: "mcs_volume",
		Message: fmt.Sprintf("the MCS chapter %s has no import statistic %q for %d", c.Slug, stat, year)}
}

func loadComtradeStats(fsys fs.FS, errs *problem.List) (map[string]ComtradeStats, error) {
	f, err := openCSV(fsys, comtradeStatsFile, errs, "hs6", "year", "partner_months", "uv_median_usd_per_kg", "uv_log_sigma", "qty_median_kg", "qty_log_sigma")
	if err != nil {
		return nil, err
	}
	out := map[string]ComtradeStats{}
	for row, ok := f.next(); ok; row, ok = f.next() {
		s := ComtradeStats{HS6: row.str("hs6")}
		s.Year, _ = row.int("year")
		s.PartnerMonths, _ = row.int("partner_months")
		s.UVMedian, _ = row.dec("uv_median_usd_per_kg")
		s.UVLogSigma, _ = row.dec("uv_log_sigma")
		s.QtyMedianKg, _ = row.dec("qty_median_kg")
		s.QtyLogSigma, _ = row.dec("qty_log_sigma")
		for _, c := range []struct {
			col string
			v   dec.Decimal
		}{{"uv_median_usd_per_kg", s.UVMedian}, {"uv_log_sigma", s.UVLogSigma}, {"qty_median_kg", s.QtyMedianKg}, {"qty_log_sigma", s.QtyLogSigma}} {
			if c.v.Sign() <= 0 {
				row.errorf(c.col, "%s: want a positive number", c.v)
			}
		}
		if _, dup := out[s.HS6]; dup {
			row.errorf("hs6", "%q is listed twice", s.HS6)
		}
		out[s.HS6] = s
	}
	return out, nil
}

package declgen

import (
	"fmt"
	"math"
	"slices"

	"github.com/mineralpact/mineralpact/internal/registry"
)

// The calibration of generated declarations (docs/declarations.md,
// "Generated declarations"; data/SOURCES.md, "declgen/"). Every figure comes
// from a shipped file, except the assumptions named here.
const (
	// volumeYear is the year of the USGS MCS 2026 import volumes that weight
	// a mineral's HS lines: the last year of actual figures (2025 is an
	// estimate), and the last year of the MCS import-source shares (2021–24).
	volumeYear = 2024

	// consignmentsPerMonth is an ASSUMPTION: how many consignments carry a
	// partner's monthly Comtrade quantity (about one a week). No public
	// statistics of consignment sizes were found; a typical consignment is
	// the median partner-month quantity divided by this.
	consignmentsPerMonth = 4

	// defaultPriceSigma is an ASSUMPTION: the spread (standard deviation of
	// the logarithm) of declared prices around the floor for a line with
	// neither Comtrade unit values nor a Pink Sheet series; about the spread
	// of the generator's earlier uniform 0.6–1.4 × the floor.
	defaultPriceSigma = 0.25

	// Declared prices and masses are drawn log-normally and kept within
	// these multiples of their centre, so that one draw in millions does not
	// declare a price a thousand times the market's.
	minRatio, maxRatio = 0.1, 10.0
)

// lineCal is the calibration of one line (a mineral and the first six digits
// of a code).
type lineCal struct {
	weight     float64    // the line's share of the mineral's US imports, relative
	origins    []weighted // origin countries (alpha-2) by share of US imports
	priceSigma float64    // spread of ln(declared price / centre)
	centreUV   float64    // USD per gross kg the prices centre on; 0: the floor
	massKg     float64    // median consignment mass; 0: consignmentUSD at the centre price
	massSigma  float64    // spread of ln(mass / median)
}

// calibration is every line's, and the pooled figures for lines without
// their own.
type calibration struct {
	lines          map[[2]string]*lineCal // mineral, hs6
	consignmentUSD float64                // median consignment value of the Comtrade lines
	massSigma      float64                // median of the Comtrade lines' quantity spreads
	fallback       []weighted             // origins when a mineral has no figures at all
	meanWeight     map[string]float64     // the mean weight of a mineral's listed lines
}

var fallbackOrigins = []string{"CN", "CL", "AU", "CA", "ZA", "CD", "BR", "ID", "PE", "DE", "JP", "KR", "RU", "VN", "MZ", "MG", "RW", "BO"}

// loadCalibration reads the shipped calibration through the registry.
func loadCalibration(reg *registry.Registry) (*calibration, error) {
	lines, err := reg.TradeLines()
	if err != nil {
		return nil, err
	}
	stats, err := reg.ComtradeExportStats()
	if err != nil {
		return nil, err
	}
	cal := &calibration{lines: map[[2]string]*lineCal{}}
	for _, c := range fallbackOrigins {
		cal.fallback = append(cal.fallback, weighted{c, 1})
	}
	// Pooled over the Comtrade lines, for the lines without their own: the
	// median consignment value and the median spread of quantities.
	var values, sigmas []float64
	for _, s := range stats {
		m := s.QtyMedianKg.Float64() / consignmentsPerMonth
		values = append(values, m*s.UVMedian.Float64())
		sigmas = append(sigmas, s.QtyLogSigma.Float64())
	}
	cal.consignmentUSD, cal.massSigma = median(values), median(sigmas)

	// Lines sharing one MCS volume share it equally.
	sharing := map[[2]string]int{}
	for _, l := range lines {
		if l.Volume != "" {
			sharing[[2]string{l.Mineral, l.Volume}]++
		}
	}
	origins := map[[2]string][]weighted{}
	for _, l := range lines {
		lc := &lineCal{priceSigma: defaultPriceSigma, massSigma: cal.massSigma}
		if l.Volume != "" {
			fig, _, err := reg.ImportVolume(l.Mineral, l.Volume, volumeYear)
			if err != nil {
				return nil, fmt.Errorf("data/declgen/lines.csv:%d: mcs_volume: %w", l.Line, err)
			}
			if fig.Known && fig.Value.Sign() > 0 {
				lc.weight = fig.Value.Float64() / float64(sharing[[2]string{l.Mineral, l.Volume}])
			}
		}
		key := [2]string{l.Mineral, l.Sources}
		if _, ok := origins[key]; !ok {
			origins[key] = importOrigins(reg, l.Mineral, l.Sources)
		}
		lc.origins = origins[key]
		if l.Comtrade != "" {
			s := stats[l.Comtrade]
			lc.priceSigma = s.UVLogSigma.Float64()
			lc.massKg = s.QtyMedianKg.Float64() / consignmentsPerMonth
			lc.massSigma = s.QtyLogSigma.Float64()
			if l.Centre == "comtrade" {
				lc.centreUV = s.UVMedian.Float64()
			}
		}
		if l.PinkSheet != "" {
			sigma, err := pinkSheetSigma(reg, l.PinkSheet)
			if err != nil {
				return nil, fmt.Errorf("data/declgen/lines.csv:%d: pinksheet: %w", l.Line, err)
			}
			lc.priceSigma = sigma
		}
		cal.lines[[2]string{l.Mineral, l.HS6}] = lc
	}
	// A line without a volume weighs the mean of its mineral's lines that
	// have one (1 when none has).
	sum, n := map[string]float64{}, map[string]int{}
	for _, l := range lines { // in file order: the same sums every run
		if lc := cal.lines[[2]string{l.Mineral, l.HS6}]; lc.weight > 0 {
			sum[l.Mineral] += lc.weight
			n[l.Mineral]++
		}
	}
	cal.meanWeight = map[string]float64{}
	for m, t := range sum {
		cal.meanWeight[m] = t / float64(n[m])
	}
	for _, l := range lines {
		if lc := cal.lines[[2]string{l.Mineral, l.HS6}]; lc.weight == 0 {
			lc.weight = 1
			if n[l.Mineral] > 0 {
				lc.weight = sum[l.Mineral] / float64(n[l.Mineral])
			}
		}
	}
	return cal, nil
}

// pinkSheetSigma is the standard deviation of ln(monthly price) over the last
// twelve months of a World Bank Pink Sheet series: how far the price of an
// exchange-traded metal moves within a year of declarations.
func pinkSheetSigma(reg *registry.Registry, code string) (float64, error) {
	s, err := reg.PinkSheet(code)
	if err != nil {
		return 0, err
	}
	pts := s.Points[max(0, len(s.Points)-12):]
	var logs []float64
	for _, p := range pts {
		if v := p.Value.Float64(); v > 0 {
			logs = append(logs, math.Log(v))
		}
	}
	if len(logs) < 2 {
		return 0, fmt.Errorf("series %s has fewer than 2 positive months", code)
	}
	return stddev(logs), nil
}

// importOrigins are the origins of US imports of mineral in the MCS import
// sources of category (the shares of 2021–24): each named country by its
// share, and the share of "other" spread over the other countries of the
// chapter's world production table by their 2024 production. With no
// category, the world production alone; with neither, nil.
func importOrigins(reg *registry.Registry, mineral, category string) []weighted {
	c, err := reg.MCS(mineral)
	if err != nil {
		return nil
	}
	var ws []weighted
	other, named := 0.0, map[string]bool{"US": true}
	for _, s := range c.ImportSources {
		if s.Category != category || !s.SharePct.Known {
			continue
		}
		code, ok := reg.CountryCode(s.Country)
		if !ok {
			other += s.SharePct.Value.Float64() // "other", or a name not in the country list
			continue
		}
		ws = append(ws, weighted{code, s.SharePct.Value.Float64()})
		named[code] = true
	}
	if category == "" {
		other = 100
	}
	if other == 0 {
		return ws
	}
	// The world production table (the first the chapter gives).
	var prod []weighted
	total := 0.0
	table := ""
	for _, w := range c.World {
		if table == "" {
			table = w.Table
		}
		if w.Table != table || !w.Prod2024.Known || w.Prod2024.Value.Sign() <= 0 {
			continue
		}
		code, ok := reg.CountryCode(w.Country)
		if !ok || named[code] || slices.ContainsFunc(prod, func(p weighted) bool { return p.v == code }) {
			continue
		}
		prod = append(prod, weighted{code, w.Prod2024.Value.Float64()})
		total += w.Prod2024.Value.Float64()
	}
	if total == 0 {
		if len(ws) == 0 {
			return nil
		}
		// No producers to spread "other" over: the named shares alone.
		return ws
	}
	for _, p := range prod {
		ws = append(ws, weighted{p.v, other * p.w / total})
	}
	return ws
}

// line is the calibration of mineral's line holding code, or nil.
func (cal *calibration) line(mineral, code string) *lineCal {
	if lc, ok := cal.lines[[2]string{mineral, code}]; ok {
		return lc
	}
	if len(code) < 6 {
		return nil
	}
	return cal.lines[[2]string{mineral, code[:6]}]
}

// unlisted is the calibration of a line data/declgen/lines.csv does not list
// (an agreement's own codes), kept for the next rows: the mean weight of the
// mineral's listed lines (1 when none is), origins by the first import-source
// list of the mineral's MCS chapter, the default price spread, the pooled
// consignment value and quantity spread.
func (cal *calibration) unlisted(reg *registry.Registry, mineral, code string) *lineCal {
	lc := &lineCal{weight: 1, priceSigma: defaultPriceSigma, massSigma: cal.massSigma}
	if w, ok := cal.meanWeight[mineral]; ok {
		lc.weight = w
	}
	if c, err := reg.MCS(mineral); err == nil && len(c.ImportSources) > 0 {
		lc.origins = importOrigins(reg, mineral, c.ImportSources[0].Category)
	} else {
		lc.origins = importOrigins(reg, mineral, "")
	}
	cal.lines[[2]string{mineral, code}] = lc
	return lc
}

func median(xs []float64) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s)%2 == 1 {
		return s[len(s)/2]
	}
	return (s[len(s)/2-1] + s[len(s)/2]) / 2
}

func stddev(xs []float64) float64 {
	m := 0.0
	for _, x := range xs {
		m += x
	}
	m /= float64(len(xs))
	v := 0.0
	for _, x := range xs {
		v += (x - m) * (x - m)
	}
	return math.Sqrt(v / float64(len(xs)))
}

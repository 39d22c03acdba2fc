package monitor

import (
	"cmp"
	"context"
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
)

// The detectors, by name.
const (
	MirrorGap         = "mirror_gap"
	Routing           = "routing"
	CodeShift         = "code_shift"
	BelowFloor        = "below_floor"
	UndertakingBreach = "undertaking_breach"
	Surge             = "surge"
)

// Detectors lists every detector, in the order a scan runs them.
var Detectors = []string{MirrorGap, Routing, CodeShift, BelowFloor, UndertakingBreach, Surge}

// Input is what a scan reads: trade flows (Comtrade and BACI files, read
// with ReadComtrade and ReadBACI and merged), assessed declarations
// (ReadDeclarations) and dated measures besides the agreement's (a measures
// file, --measure flags).
type Input struct {
	Flows        *Flows
	Declarations []Declaration
	Measures     []MeasureDef
}

// FloorSource is what the price detectors need of the reference prices: the
// floor published for an HS line on a date, per kg of contained mineral in
// USD, with the mineral, stage and content the line carries. The command
// line adapts the published floors (refprice, as duty reads them) and the
// registry's HS map to it; ok is false for a line outside the scope or a
// date without a publication.
type FloorSource interface {
	FloorPerKg(hs string, on date.Date) (f LineFloor, ok bool, err error)
}

// LineFloor is the floor of an HS line on a date.
type LineFloor struct {
	Mineral, Stage string
	Content        float64 // kg of mineral per kg of product
	USDPerKg       float64 // the floor per kg of contained mineral
	Label          string  // "floor gallium/processed 2026-07-01: 650 USD/kg"
}

// Catalog is what the routing and code-shift detectors need of the
// registry: the mineral and stage an HS line carries, and a country's
// production of a mineral (USGS MCS 2026) in tonnes of contained mineral.
type Catalog interface {
	Line(hs string) (mineral, stage string, content float64, ok bool)
	// Production returns the latest production figure of a country (ISO
	// alpha-2) for a mineral, with a label saying what it is ("USGS MCS
	// 2026, world mine production 2025e, t Ga content"); known is false when
	// USGS publishes none for the country.
	Production(mineral, iso2 string) (tonnes float64, label string, known bool)
}

// Options are a scan's settings. The zero value of each threshold means its
// default (DefaultThresholds, documented in docs/monitor.md).
type Options struct {
	// AsOf is the date of the scan: no data after it is read, and the
	// agreement is taken as in force on it.
	AsOf date.Date
	// Detectors to run (names above); empty means all.
	Detectors []string
	// Agreement gives the legal bases, the measures (entry into force,
	// variable duties and surcharges with their dates), the lines they cover
	// and the undertakings; nil runs the detectors without them.
	Agreement *agreement.Agreement
	// Floors are the published floors for the price detectors; nil leaves
	// the floor test to the floor each declaration was assessed against.
	Floors FloorSource
	// Catalog is the registry's HS map and USGS production; nil leaves the
	// production test of the routing detector out (and says so).
	Catalog Catalog
	// Countries turns the files' ISO alpha-3 codes into the alpha-2 codes
	// of alerts.
	Countries CountryCodes
	// Progress, when set, is told how many of the scan's steps are done.
	Progress func(done, total int)
	// Thresholds of the detectors.
	Thresholds Thresholds
}

// Scan runs the detectors over the input and returns their alerts, sorted
// by score (highest first), then by ID. The same input and options give the
// same alerts in the same order.
func Scan(ctx context.Context, in *Input, opt Options) ([]Alert, error) {
	if in == nil {
		in = &Input{}
	}
	if opt.AsOf.IsZero() {
		return nil, fmt.Errorf("monitor: the scan needs an as-of date")
	}
	run := map[string]bool{}
	for _, d := range opt.Detectors {
		if !slices.Contains(Detectors, d) {
			return nil, fmt.Errorf("monitor: unknown detector %q (want one of %s)", d, strings.Join(Detectors, ", "))
		}
		run[d] = true
	}
	if len(run) == 0 {
		for _, d := range Detectors {
			run[d] = true
		}
	}
	s := &scan{ctx: ctx, in: in, opt: opt, th: opt.Thresholds.withDefaults()}
	if err := s.prepare(); err != nil {
		return nil, err
	}
	steps := []struct {
		name string
		fn   func() error
	}{
		{MirrorGap, s.mirror},
		{Routing, s.routing},
		{CodeShift, s.codeShift},
		{BelowFloor, s.belowFloor},
		{UndertakingBreach, s.undertakings},
		{Surge, s.surge},
	}
	total := len(steps) + 1
	for i, st := range steps {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		if run[st.name] {
			if err := st.fn(); err != nil {
				return nil, fmt.Errorf("monitor: %s: %w", st.name, err)
			}
		}
		if opt.Progress != nil {
			opt.Progress(i+2, total)
		}
	}
	return s.finish(), nil
}

// scan is one run of Scan.
type scan struct {
	ctx      context.Context
	in       *Input
	opt      Options
	th       Thresholds
	measures []MeasureDef
	flows    *Flows
	// series of each frequency, and the grid they are laid on.
	series []*series
	best   map[lineKey]*series // the series a pair and line is judged on
	sides  map[lineKey][5]*series
	alerts []Alert
	// claimed are the series a pattern other than a surge explains (a
	// routing's legs, a code shift's lines, a mirror gap's sides): their
	// breaks are part of that pattern, not surges of their own.
	claimed map[lineKey][][2]Period
	circum  string // the agreement's article on circumvention
	breaks  map[*series]breakResult
}

func (s *scan) prepare() error {
	s.flows = s.in.Flows
	if s.flows == nil {
		s.flows = NewFlows()
	}
	s.flows.finish()
	s.measures = append(agreementMeasures(s.opt.Agreement, s.opt.AsOf), s.in.Measures...)
	slices.SortStableFunc(s.measures, func(a, b MeasureDef) int { return a.Effective.Compare(b.Effective) })
	s.circum = circumventionArticle(s.opt.Agreement)
	s.claimed = map[lineKey][][2]Period{}
	s.buildSeries()
	if s.opt.Progress != nil {
		s.opt.Progress(1, len(Detectors)+1)
	}
	return nil
}

func (s *scan) add(a Alert) {
	a.Score = round4(a.Score)
	a.Magnitude = round2(a.Magnitude)
	s.alerts = append(s.alerts, a)
}

func (s *scan) finish() []Alert {
	out := s.alerts[:0]
	for _, a := range s.alerts {
		a.ID = a.ComputeID()
		out = append(out, a)
	}
	slices.SortFunc(out, func(a, b Alert) int {
		if c := cmp.Compare(b.Score, a.Score); c != 0 {
			return c
		}
		return cmp.Compare(a.ID, b.ID)
	})
	return slices.Clip(out)
}

// claim records that a pattern explains a series' moves from one period to
// another: a surge whose break falls there (give or take the measure
// window) is part of that pattern, not one of its own.
func (s *scan) claim(k lineKey, from, to Period) {
	s.claimed[k] = append(s.claimed[k], [2]Period{from, to})
}

func (s *scan) isClaimed(k lineKey, p Period) bool {
	slack := s.th.MeasureWindowMonths
	if !k.monthly {
		slack = 1
	}
	for _, w := range s.claimed[k] {
		if !p.Less(addPeriods(w[0], -slack)) && !addPeriods(w[1], slack).Less(p) {
			return true
		}
	}
	return false
}

func round4(x float64) float64 { return math.Round(x*1e4) / 1e4 }
func round2(x float64) float64 { return math.Round(x*100) / 100 }

// iso2 is the alert's code of a country of the flows.
func (s *scan) iso2(idx uint16) string { return s.opt.Countries.ISO2(s.flows.codes[idx]) }

// circumventionArticle is the article of the agreement whose title or text
// speaks of circumvention (Art. 12 of the example), or "" without one.
func circumventionArticle(a *agreement.Agreement) string {
	if a == nil {
		return ""
	}
	for _, art := range a.Articles {
		if strings.Contains(strings.ToLower(art.Title), "circumvent") {
			return art.ID
		}
	}
	for _, art := range a.Articles {
		if strings.Contains(strings.ToLower(art.Text), "circumvent") {
			return art.ID
		}
	}
	return ""
}

package monitor

import (
	"fmt"
	"math"
)

// breakInfo is a series' level shift with the levels around it.
type breakInfo struct {
	fit           breakFit
	before, after float64 // median flow (USD per period) in the windows before and after
	ratio         float64 // (after + c) / (before + c), c the smallest flow that counts
}

// up reports whether the break raises the level.
func (b breakInfo) up() bool { return b.fit.delta > 0 }

// factor is how many times the level moved, up or down (≥ 1).
func (b breakInfo) factor() float64 {
	if b.ratio >= 1 {
		return b.ratio
	}
	return 1 / b.ratio
}

// window is the periods compared on either side of a break: a year of
// months, or three years.
func window(monthly bool) int {
	if monthly {
		return 12
	}
	return 3
}

// breakOf finds the level shift of a series: the logarithm of the flow
// (log(v + MinValue)), without its seasonal pattern when monthly, the
// break test of levelShift, the median flow a window before and after.
func (s *scan) breakOf(x *series) (breakInfo, bool) {
	c := s.th.MinValue
	minB, minA := s.th.SurgeBeforeYears, s.th.SurgeAfterYears
	if x.monthly {
		minB, minA = s.th.SurgeBeforeMonths, s.th.SurgeAfterMonths
	}
	y := logLevels(x.v, c)
	if x.monthly {
		y = deseason(y, x.start.Month-1)
	}
	fit, ok := levelShiftActive(y, x.v, minB, minA)
	if !ok {
		return breakInfo{}, false
	}
	w := window(x.monthly)
	n := len(x.v)
	b := breakInfo{fit: fit}
	b.before = median(x.v[max(0, fit.tau-w):fit.tau])
	b.after = median(x.v[fit.tau:min(n, fit.tau+w)])
	b.ratio = (b.after + c) / (b.before + c)
	return b, true
}

// levelShiftActive is levelShift with the noise scale taken from the
// differences where the flow is active (a period with a row on either
// side): the months before a flow starts or after it stops are not its
// noise.
func levelShiftActive(y, v []float64, minB, minA int) (breakFit, bool) {
	const sigmaFloor = 0.02
	var d []float64
	for i := 1; i < len(y); i++ {
		if v[i] > 0 || v[i-1] > 0 {
			d = append(d, y[i]-y[i-1])
		}
	}
	floor := sigmaFloor
	if len(d) >= 4 {
		md := median(d)
		if sg := mad(d, md) / 0.6745 / math.Sqrt2; sg > floor {
			floor = sg
		}
	}
	// levelShift's own estimate from every difference can only be lower
	// where zeros sit flat; the floor passed is the active part's scale.
	fit, ok := levelShift(y, minB, minA, floor)
	if ok && fit.sigma < floor {
		fit.t *= fit.sigma / floor
		fit.sigma = floor
	}
	return fit, ok
}

// shiftShare is the least share of the factor (in logs) the fitted shift
// itself must reach, beyond the trend.
const shiftShare = 0.8

// passes reports whether a break clears a |t| and a factor, with the
// level on the high side at least the smallest flow that counts.
func (s *scan) passes(b breakInfo, minT, ratio float64) bool {
	if math.Abs(b.fit.t) < minT || b.factor() < ratio {
		return false
	}
	if (b.ratio >= 1) != b.up() {
		return false // the windows' medians disagree with the fitted shift
	}
	if math.Abs(b.fit.delta) < math.Log(ratio)*shiftShare {
		return false // the level moved, but mostly along the trend
	}
	high := b.after
	if !b.up() {
		high = b.before
	}
	return high >= s.th.MinValue
}

// surge: a structural break in a pair's flows of a line (docs/monitor.md,
// "Surges"), tied to the nearest measure.
func (s *scan) surge() error {
	for _, x := range s.orderedBest() {
		b, ok := s.cachedBreak(x)
		if !ok || s.isClaimed(x.lineKey, x.period(b.fit.tau)) {
			continue
		}
		if g, ok := s.surgeGate(x.monthly, b); ok {
			s.add(s.surgeAlert(x, b, g.t, g.ratio))
		}
	}
	return nil
}

// gate is a pair of thresholds a break must clear together.
type gate struct{ t, ratio float64 }

// surgeGate is the gate a break clears, the one that scores it highest. A
// monthly series has one (SurgeT, SurgeRatio). A yearly series has a dozen
// points, so its |t| is a coarse measure of a move its factor may show
// plainly: besides (SurgeTAnnual, SurgeRatioAnnual), a weaker break (5/7
// of the |t|) passes with a factor half as large again, and a stronger one
// (10/7 of the |t|) with 5/6 of the factor — 2.5 and 4.5, 5 and 2.5 by
// default. On five generated BACI files (docs/monitor.md, "Surges") the two
// gates found 6 more of 100 planted yearly surges for 1 more false alert.
func (s *scan) surgeGate(monthly bool, b breakInfo) (gate, bool) {
	gates := []gate{{s.th.SurgeT, s.th.SurgeRatio}}
	if !monthly {
		t, r := s.th.SurgeTAnnual, s.th.SurgeRatioAnnual
		gates = []gate{{t, r}, {t * 5 / 7, r * 1.5}, {t * 10 / 7, r * 5 / 6}}
	}
	var best gate
	score, ok := 0.0, false
	for _, g := range gates {
		if !s.passes(b, g.t, g.ratio) {
			continue
		}
		if sc := surgeScore(b, g); !ok || sc > score {
			best, score, ok = g, sc, true
		}
	}
	return best, ok
}

// surgeScore is how far past a gate a break is: the smaller of its |t| and
// its factor (in logs) over the gate's (1 = at the gate).
func surgeScore(b breakInfo, g gate) float64 {
	return math.Min(math.Abs(b.fit.t)/g.t, math.Log(b.factor())/math.Log(g.ratio))
}

func (s *scan) surgeAlert(x *series, b breakInfo, minT, ratio float64) Alert {
	hs := s.flows.hs[x.hs]
	from := x.period(b.fit.tau)
	a := Alert{
		Detector: Surge, Importer: s.iso2(x.imp), Exporter: s.iso2(x.exp), HS: hs,
		From: from, To: x.period(len(x.v) - 1),
		Score: surgeScore(b, gate{minT, ratio}),
		Unit:  "USD",
	}
	s.codes(&a, x.imp, x.exp)
	after := len(x.v) - b.fit.tau
	a.Magnitude = math.Abs(b.after-b.before) * float64(after)
	dir, word := "rose", "surge"
	a.Direction = "up"
	if !b.up() {
		dir, word = "fell", "collapse"
		a.Direction = "down"
	}
	if m := s.nearestMeasure(x.imp, x.exp, hs, from); m != nil {
		a.Measure = m.Alert()
		a.Basis = m.Basis
	}
	if a.Basis == "" {
		a.Basis = s.circum
	}
	a.Summary = fmt.Sprintf("%s: %s's flows of %s to %s %s from %s, %.1f times the level before (median %s → %s per %s, break t = %.1f)",
		word, a.Exporter, hs, a.Importer, dir, from, b.ratio, money(b.before), money(b.after), perWord(x.monthly), b.fit.t)
	if a.Measure != nil {
		a.Summary += "; nearest measure: " + a.Measure.Name + " (" + a.Measure.Effective.String() + ")"
	}
	a.Evidence.Series = []Series{s.valueSeries(x, "flow ("+x.src.String()+" reported)")}
	a.Evidence.Figures = []Figure{
		{Name: "median before", Value: round2(b.before), Unit: "USD", Note: fmt.Sprintf("%d %ss before the break", min(b.fit.tau, window(x.monthly)), perWord(x.monthly))},
		{Name: "median after", Value: round2(b.after), Unit: "USD", Note: fmt.Sprintf("%d %ss from the break", min(after, window(x.monthly)), perWord(x.monthly))},
		{Name: "ratio", Value: round4(b.ratio), Note: fmt.Sprintf("(after + %s) / (before + %s)", money(s.th.MinValue), money(s.th.MinValue))},
		{Name: "break t", Value: round4(b.fit.t), Note: fmt.Sprintf("threshold %.1f (and a factor of %.1f)", minT, ratio)},
		{Name: "shift", Value: round4(b.fit.delta), Unit: "log", Note: "level shift of log(value + min value), trend and season removed"},
		{Name: "noise sigma", Value: round4(b.fit.sigma), Unit: "log"},
	}
	return a
}

// codes fills the alert's alpha-3 codes.
func (s *scan) codes(a *Alert, imp, exp uint16) {
	a.ImporterCode = s.flows.codes[imp]
	a.ExporterCode = s.flows.codes[exp]
}

func perWord(monthly bool) string {
	if monthly {
		return "month"
	}
	return "year"
}

func (s *scan) valueSeries(x *series, name string) Series {
	out := Series{Name: name, Unit: "USD"}
	first := 0
	for first < len(x.v) && x.v[first] == 0 {
		first++
	}
	for i := first; i < len(x.v); i++ {
		out.Points = append(out.Points, Point{Period: x.period(i), Value: round2(x.v[i])})
	}
	return out
}

// orderedBest returns the series each pair and line is judged on, in key
// order (the scan's results do not depend on map order).
func (s *scan) orderedBest() []*series {
	var out []*series
	for _, x := range s.series {
		if s.best[x.lineKey] == x {
			out = append(out, x)
		}
	}
	return out
}

// money writes an amount of USD for a sentence: 1.2 M, 35.0 k.
func money(v float64) string {
	a := math.Abs(v)
	switch {
	case a >= 1e9:
		return fmt.Sprintf("%.2f bn USD", v/1e9)
	case a >= 1e6:
		return fmt.Sprintf("%.2f M USD", v/1e6)
	case a >= 1e3:
		return fmt.Sprintf("%.1f k USD", v/1e3)
	}
	return fmt.Sprintf("%.0f USD", v)
}

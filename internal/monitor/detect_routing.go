package monitor

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// groupKey is a country, a line and a frequency.
type groupKey struct {
	c       uint16
	hs      uint32
	monthly bool
}

// intoCountry indexes the judged series by importer and line, in key order.
func (s *scan) intoCountry() map[groupKey][]*series {
	out := map[groupKey][]*series{}
	for _, x := range s.orderedBest() {
		k := groupKey{x.imp, x.hs, x.monthly}
		out[k] = append(out[k], x)
	}
	return out
}

// cachedBreak is breakOf, computed once per series.
func (s *scan) cachedBreak(x *series) (breakInfo, bool) {
	if s.breaks == nil {
		s.breaks = map[*series]breakResult{}
	}
	if r, ok := s.breaks[x]; ok {
		return r.b, r.ok
	}
	b, ok := s.breakOf(x)
	s.breaks[x] = breakResult{b, ok}
	return b, ok
}

type breakResult struct {
	b  breakInfo
	ok bool
}

// lag is the most periods two legs' breaks may lie apart.
func (s *scan) lag(monthly bool, months int) int {
	if monthly {
		return months
	}
	return 1
}

// levelAround is the median flow of a series a window before and after
// period i.
func levelAround(x *series, i int) (before, after float64) {
	w := window(x.monthly)
	if i <= 0 || i >= len(x.v) {
		return math.NaN(), math.NaN()
	}
	return median(x.v[max(0, i-w):i]), median(x.v[i:min(len(x.v), i+w)])
}

// routing: after a measure, a line's imports from a third country rise,
// the third country's imports of the line from an origin rise with them
// (a break at about the same time), the origin's own exports to the
// importer do not, and the third country's production (USGS MCS 2026)
// cannot explain the increase (docs/monitor.md, "Routing").
func (s *scan) routing() error {
	into := s.intoCountry()
	keys := make([]groupKey, 0, len(into))
	for k := range into {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b groupKey) int {
		if a.c != b.c {
			return int(a.c) - int(b.c)
		}
		if a.hs != b.hs {
			return strings.Compare(s.flows.hs[a.hs], s.flows.hs[b.hs])
		}
		if a.monthly != b.monthly {
			if a.monthly {
				return 1
			}
			return -1
		}
		return 0
	})
	for _, k := range keys {
		if err := s.ctx.Err(); err != nil {
			return err
		}
		for _, leg1 := range into[k] { // third country T → importer I
			imp, via := leg1.imp, leg1.exp
			if imp == via {
				continue
			}
			minT := s.th.RoutingT
			if !leg1.monthly {
				minT = s.th.RoutingTAnnual
			}
			b1, ok := s.cachedBreak(leg1)
			if !ok || !b1.up() || !s.passes(b1, minT, s.th.RoutingRatio) {
				continue
			}
			rise1 := b1.after - b1.before
			var best *series
			var bestB breakInfo
			for _, leg2 := range into[groupKey{via, leg1.hs, leg1.monthly}] { // origin O → T
				o := leg2.exp
				if o == imp || o == via {
					continue
				}
				b2, ok := s.cachedBreak(leg2)
				if !ok || !b2.up() || !s.passes(b2, minT, s.th.RoutingRatio) {
					continue
				}
				// The goods reach the third country before they leave it: the
				// origin's leg breaks no later than the importer's (give or
				// take a month), and not more than the lag before it.
				slack := 0
				if leg1.monthly {
					slack = 1
				}
				if d := b2.fit.tau - b1.fit.tau; d > slack || -d > s.lag(leg1.monthly, s.th.RoutingLagMonths) {
					continue
				}
				rise2 := b2.after - b2.before
				if rise2 < s.th.RoutingCover*rise1 || rise2 > rise1/s.th.RoutingCover {
					continue
				}
				// The origin's direct exports to the importer must not have
				// risen alike: then the whole line grew, nothing was routed.
				if direct := s.best[lineKey{imp, o, leg1.hs, leg1.monthly}]; direct != nil {
					bf, af := levelAround(direct, b1.fit.tau)
					if (af+s.th.MinValue)/(bf+s.th.MinValue) >= s.th.RoutingRatio {
						continue
					}
				}
				if best == nil || rise2 > bestB.after-bestB.before {
					best, bestB = leg2, b2
				}
			}
			if best == nil {
				continue
			}
			a, ok := s.routingAlert(leg1, b1, best, bestB, minT)
			if !ok {
				continue
			}
			s.add(a)
			s.claim(leg1.lineKey, leg1.period(b1.fit.tau), leg1.period(b1.fit.tau))
			s.claim(best.lineKey, best.period(bestB.fit.tau), best.period(bestB.fit.tau))
			s.claim(lineKey{imp, best.exp, leg1.hs, leg1.monthly}, leg1.period(b1.fit.tau), leg1.period(b1.fit.tau))
		}
	}
	return nil
}

// routingAlert writes the alert, with the production test: whether the
// third country's own production could account for the increase.
func (s *scan) routingAlert(leg1 *series, b1 breakInfo, leg2 *series, b2 breakInfo, minT float64) (Alert, bool) {
	hs := s.flows.hs[leg1.hs]
	from := leg1.period(b1.fit.tau)
	perYear := 1.0
	if leg1.monthly {
		perYear = 12
	}
	a := Alert{
		Detector: Routing, Importer: s.iso2(leg1.imp), Exporter: s.iso2(leg2.exp), Via: s.iso2(leg1.exp), HS: hs,
		From: from, To: leg1.period(len(leg1.v) - 1),
		Score:     math.Min(math.Abs(b1.fit.t), math.Abs(b2.fit.t)) / minT,
		Magnitude: (b1.after - b1.before) * float64(len(leg1.v)-b1.fit.tau), Unit: "USD", Basis: s.circum,
	}
	s.codes(&a, leg1.imp, leg2.exp)
	a.ViaCode = s.flows.codes[leg1.exp]
	prodNote := "not tested: no catalog"
	var figs []Figure
	if s.opt.Catalog != nil {
		mineral, _, content, ok := s.opt.Catalog.Line(hs)
		if !ok {
			prodNote = "not tested: the line carries no mineral of the registry's HS map"
		} else {
			// The increase, in tonnes of contained mineral a year, from the
			// weights (or, without them, not tested).
			_, kgB := medianKg(leg1, b1.fit.tau, -1)
			_, kgA := medianKg(leg1, b1.fit.tau, +1)
			incT := (kgA - kgB) * perYear * content / 1000
			prod, label, known := s.opt.Catalog.Production(mineral, a.Via)
			switch {
			case math.IsNaN(incT):
				prodNote = "not tested: the flows carry no net weight"
			case known && prod >= incT:
				// Its production could have made the increase, but its
				// imports from the origin rose with it, in step and alike:
				// the pattern stands, and the alert says what could
				// explain it rather than hiding it as two surges.
				prodNote = fmt.Sprintf("%s produces %.0f t (%s), as much as the increase of %.0f t a year, but its imports from %s rose with it", a.Via, prod, label, incT, a.Exporter)
				figs = append(figs, Figure{Name: "production of " + a.Via, Value: prod, Unit: "t", Note: label + "; could account for the increase"})
			case known:
				prodNote = fmt.Sprintf("%s produces %.0f t (%s), less than the increase of %.0f t a year", a.Via, prod, label, incT)
				figs = append(figs, Figure{Name: "production of " + a.Via, Value: prod, Unit: "t", Note: label})
			default:
				prodNote = fmt.Sprintf("USGS MCS 2026 lists no %s production for %s; the increase is %.0f t a year", mineral, a.Via, incT)
				figs = append(figs, Figure{Name: "production of " + a.Via, Value: 0, Unit: "t", Note: "none listed in USGS MCS 2026"})
			}
			figs = append(figs, Figure{Name: "increase of " + a.Via + "'s exports to " + a.Importer, Value: round2(incT), Unit: "t/yr", Note: fmt.Sprintf("contained %s (content %.4g)", mineral, content)})
		}
	}
	if m := s.nearestMeasure(leg1.imp, leg2.exp, hs, from); m != nil {
		a.Measure = m.Alert()
	} else if m := s.nearestMeasure(leg1.exp, leg2.exp, hs, from); m != nil {
		a.Measure = m.Alert()
	}
	a.Summary = fmt.Sprintf("routing: %s's imports of %s from %s rose %.1f times from %s while %s's imports of it from %s rose %.1f times from %s; %s",
		a.Importer, hs, a.Via, b1.ratio, from, a.Via, a.Exporter, b2.ratio, leg2.period(b2.fit.tau), prodNote)
	if a.Measure != nil {
		a.Summary += "; nearest measure: " + a.Measure.Name + " (" + a.Measure.Effective.String() + ")"
	}
	a.Evidence.Series = []Series{
		s.valueSeries(leg1, fmt.Sprintf("%s → %s (%s reported)", a.Via, a.Importer, leg1.src)),
		s.valueSeries(leg2, fmt.Sprintf("%s → %s (%s reported)", a.Exporter, a.Via, leg2.src)),
	}
	if direct := s.best[lineKey{leg1.imp, leg2.exp, leg1.hs, leg1.monthly}]; direct != nil {
		a.Evidence.Series = append(a.Evidence.Series, s.valueSeries(direct, fmt.Sprintf("%s → %s direct (%s reported)", a.Exporter, a.Importer, direct.src)))
	}
	if re := s.sides[lineKey{leg1.imp, leg1.exp, leg1.hs, leg1.monthly}][Reexport]; re != nil {
		a.Evidence.Series = append(a.Evidence.Series, s.valueSeries(re, fmt.Sprintf("%s re-exports to %s", a.Via, a.Importer)))
	}
	a.Evidence.Figures = append([]Figure{
		{Name: "break of " + a.Via + " → " + a.Importer, Value: round4(b1.fit.t), Note: fmt.Sprintf("t at %s; threshold %.1f", from, minT)},
		{Name: "break of " + a.Exporter + " → " + a.Via, Value: round4(b2.fit.t), Note: fmt.Sprintf("t at %s", leg2.period(b2.fit.tau))},
		{Name: "median before", Value: round2(b1.before), Unit: "USD", Note: a.Via + " → " + a.Importer},
		{Name: "median after", Value: round2(b1.after), Unit: "USD", Note: a.Via + " → " + a.Importer},
		{Name: "origin's increase into the third country", Value: round2(b2.after - b2.before), Unit: "USD", Note: fmt.Sprintf("per %s; between %.0f%% and %.0f%% of the third country's increase", perWord(leg1.monthly), 100*s.th.RoutingCover, 100/s.th.RoutingCover)},
	}, figs...)
	return a, true
}

// medianKg is the median net weight a window before (side −1) or after
// (+1) period i; NaN when a period of it has no weight.
func medianKg(x *series, i, side int) (int, float64) {
	w := window(x.monthly)
	lo, hi := max(0, i-w), i
	if side > 0 {
		lo, hi = i, min(len(x.kg), i+w)
	}
	var ks []float64
	for j := lo; j < hi; j++ {
		if x.v[j] == 0 {
			ks = append(ks, 0)
			continue
		}
		if math.IsNaN(x.kg[j]) {
			return 0, math.NaN()
		}
		ks = append(ks, x.kg[j])
	}
	return len(ks), median(ks)
}

// codeShift: a pair's imports move from one line to a neighbouring one of
// the same heading (HS4): the first falls and the second rises at about
// the same time, by amounts of the same order; the agreement says whether
// the first is covered by a variable duty or surcharge of the importer and
// the second not (docs/monitor.md, "Code shifting").
func (s *scan) codeShift() error {
	type pairKey struct {
		imp, exp uint16
		monthly  bool
		heading  string
	}
	groups := map[pairKey][]*series{}
	var order []pairKey
	for _, x := range s.orderedBest() {
		hs := s.flows.hs[x.hs]
		k := pairKey{x.imp, x.exp, x.monthly, hs[:4]}
		if _, ok := groups[k]; !ok {
			order = append(order, k)
		}
		groups[k] = append(groups[k], x)
	}
	for _, k := range order {
		g := groups[k]
		if len(g) < 2 {
			continue
		}
		for _, old := range g {
			minT := s.th.ShiftT
			if !old.monthly {
				minT = s.th.ShiftTAnnual
			}
			bo, ok := s.cachedBreak(old)
			if !ok || bo.up() || !s.passes(bo, minT, s.th.ShiftRatio) {
				continue
			}
			fall := bo.before - bo.after
			var best *series
			var bestB breakInfo
			for _, nw := range g {
				if nw == old {
					continue
				}
				bn, ok := s.cachedBreak(nw)
				if !ok || !bn.up() || !s.passes(bn, minT, s.th.ShiftRatio) {
					continue
				}
				if d := bn.fit.tau - bo.fit.tau; d > s.lag(old.monthly, s.th.ShiftLagMonths) || -d > s.lag(old.monthly, s.th.ShiftLagMonths) {
					continue
				}
				cover := (bn.after - bn.before) / fall
				if cover < s.th.ShiftCoverMin || cover > s.th.ShiftCoverMax {
					continue
				}
				if best == nil || math.Abs(bn.fit.t) > math.Abs(bestB.fit.t) {
					best, bestB = nw, bn
				}
			}
			if best == nil {
				continue
			}
			s.add(s.shiftAlert(old, bo, best, bestB, minT))
			s.claim(old.lineKey, old.period(bo.fit.tau), old.period(bo.fit.tau))
			s.claim(best.lineKey, best.period(bestB.fit.tau), best.period(bestB.fit.tau))
		}
	}
	return nil
}

func (s *scan) shiftAlert(old *series, bo breakInfo, nw *series, bn breakInfo, minT float64) Alert {
	hs, to := s.flows.hs[old.hs], s.flows.hs[nw.hs]
	from := old.period(min(bo.fit.tau, bn.fit.tau))
	a := Alert{
		Detector: CodeShift, Importer: s.iso2(old.imp), Exporter: s.iso2(old.exp), HS: hs, ToHS: to,
		From: from, To: old.period(len(old.v) - 1),
		Score:     math.Min(math.Abs(bo.fit.t), math.Abs(bn.fit.t)) / minT,
		Magnitude: (bn.after - bn.before) * float64(len(nw.v)-bn.fit.tau), Unit: "USD", Basis: s.circum,
	}
	s.codes(&a, old.imp, old.exp)
	coverage := s.coverage(a.Importer, hs, to, from)
	if m := s.nearestMeasure(old.imp, old.exp, hs, from); m != nil {
		a.Measure = m.Alert()
		if a.Basis == "" {
			a.Basis = m.Basis
		}
	}
	a.Summary = fmt.Sprintf("code shift: %s's imports from %s moved from %s (fell %.1f times) to %s (rose %.1f times) from %s; %s",
		a.Importer, a.Exporter, hs, 1/bo.ratio, to, bn.ratio, from, coverage)
	if a.Measure != nil {
		a.Summary += "; nearest measure: " + a.Measure.Name + " (" + a.Measure.Effective.String() + ")"
	}
	a.Evidence.Series = []Series{
		s.valueSeries(old, fmt.Sprintf("%s, the line left (%s reported)", hs, old.src)),
		s.valueSeries(nw, fmt.Sprintf("%s, the line taken (%s reported)", to, nw.src)),
	}
	a.Evidence.Figures = []Figure{
		{Name: "break of " + hs, Value: round4(bo.fit.t), Note: fmt.Sprintf("t at %s; threshold %.1f", old.period(bo.fit.tau), minT)},
		{Name: "break of " + to, Value: round4(bn.fit.t), Note: fmt.Sprintf("t at %s", nw.period(bn.fit.tau))},
		{Name: "fall of " + hs, Value: round2(bo.before - bo.after), Unit: "USD", Note: "per " + perWord(old.monthly) + ", medians before and after"},
		{Name: "rise of " + to, Value: round2(bn.after - bn.before), Unit: "USD", Note: "per " + perWord(old.monthly)},
		{Name: "share of the fall taken up", Value: round4((bn.after - bn.before) / (bo.before - bo.after)), Note: fmt.Sprintf("between %.2f and %.2f", s.th.ShiftCoverMin, s.th.ShiftCoverMax)},
	}
	return a
}

// coverage says, from the agreement's own queries, whether the importer's
// variable duty or non-party surcharge applies to each line on a date.
func (s *scan) coverage(importer, from, to string, on Period) string {
	a := s.opt.Agreement
	if a == nil || s.opt.Catalog == nil {
		return "coverage not established (no agreement or catalog)"
	}
	if am, _, err := a.Amended(on.End()); err == nil && am != nil {
		a = am
	}
	p, ok := a.Party(importer)
	if !ok {
		return importer + " is not a party: coverage does not apply"
	}
	covered := func(code string) (string, bool) {
		mineral, stage, _, ok := s.opt.Catalog.Line(code)
		if !ok {
			return "", false
		}
		for _, t := range []agreement.InstrumentType{agreement.VariableDuty, agreement.NonPartySurcharge} {
			if in := p.Instrument(t, mineral, registry.Stage(stage), code, nil); in != nil {
				return in.ID, true
			}
		}
		return "", false
	}
	i1, c1 := covered(from)
	i2, c2 := covered(to)
	switch {
	case c1 && !c2:
		return fmt.Sprintf("%s is covered by %s (%s), %s by no variable duty or surcharge of %s", from, i1, importer, to, importer)
	case c1 && c2:
		return fmt.Sprintf("both lines are covered (%s, %s)", i1, i2)
	case !c1 && c2:
		return fmt.Sprintf("%s is covered by %s, %s is not", to, i2, from)
	}
	return fmt.Sprintf("neither line is covered by a variable duty or surcharge of %s", importer)
}

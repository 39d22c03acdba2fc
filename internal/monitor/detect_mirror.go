package monitor

import (
	"fmt"
	"math"
)

// mirror: the importer's CIF value, divided by the CIF/FOB factor, against
// the exporter's FOB value, per pair, line and period, flagged when the log
// ratio leaves the robust band of the pair's own history (docs/monitor.md,
// "Mirror gaps").
func (s *scan) mirror() error {
	for _, x := range s.series {
		if x.src != Importer {
			continue
		}
		sd := s.sides[x.lineKey]
		e := sd[Exporter]
		if e == nil {
			continue
		}
		if a, ok := s.mirrorPair(x, e); ok {
			s.add(a)
			s.claim(x.lineKey, a.From, a.To)
		}
	}
	return nil
}

func (s *scan) mirrorPair(m, e *series) (Alert, bool) {
	th := s.th
	n := len(m.v)
	idx := make([]int, 0, n)
	r := make([]float64, 0, n)
	adj := make([]float64, n) // the importer's value on an FOB basis
	for i := range n {
		adj[i] = m.v[i] / th.CIFFOB
		if m.fob != nil && !math.IsNaN(m.fob[i]) {
			adj[i] = m.fob[i]
		}
		if m.v[i] >= th.MinValue && e.v[i] >= th.MinValue {
			idx = append(idx, i)
			r = append(r, math.Log(adj[i]/e.v[i]))
		}
	}
	if len(idx) < s.minPoints(m.monthly) {
		return Alert{}, false
	}
	med := median(r)
	md := mad(r, med)
	madUsed := math.Max(md, th.MirrorMinMAD)
	minGap := math.Log(1 + th.MirrorMinGap)
	_ = th.MirrorZ // the point outlier threshold of Iglewicz and Hoaglin, reported in the docs
	z := make([]float64, len(r))
	sign := make([]int, len(r)) // −1 or +1 where |z| ≥ MirrorZRun, else 0
	for k, v := range r {
		z[k] = modifiedZ(v, med, madUsed)
		if math.Abs(z[k]) >= th.MirrorZRun {
			sign[k] = 1
			if z[k] < 0 {
				sign[k] = -1
			}
		}
	}
	runLen := th.MirrorRun
	if !m.monthly {
		runLen = min(runLen, 2)
	}
	// Runs of consecutive periods out of the band on the same side: one
	// counts when it is long enough and its standardised mean |Σz|/√n is
	// past MirrorZSum, or when one of its periods is past MirrorZSingle;
	// and its mean gap against the pair's median ratio is at least the
	// smallest gap.
	first, last := -1, -1
	maxZ, maxRunZ, gap := 0.0, 0.0, 0.0
	for k := 0; k < len(r); {
		if sign[k] == 0 {
			k++
			continue
		}
		j := k
		peak, sum, dev := 0.0, 0.0, 0.0
		for j < len(r) && sign[j] == sign[k] && (j == k || idx[j] == idx[j-1]+1) {
			peak = math.Max(peak, math.Abs(z[j]))
			sum += z[j]
			dev += r[j] - med
			j++
		}
		n := float64(j - k)
		runZ := math.Abs(sum) / math.Sqrt(n)
		if (j-k >= runLen && runZ >= th.MirrorZSum || peak >= th.MirrorZSingle) && math.Abs(dev/n) >= minGap {
			if first < 0 {
				first = idx[k]
			}
			last = idx[j-1]
			maxZ = math.Max(maxZ, peak)
			maxRunZ = math.Max(maxRunZ, runZ)
			for q := k; q < j; q++ {
				gap += math.Abs(adj[idx[q]] - e.v[idx[q]]*math.Exp(med))
			}
		}
		k = j
	}
	if first < 0 {
		return Alert{}, false
	}
	hs := s.flows.hs[m.hs]
	a := Alert{
		Detector: MirrorGap, Importer: s.iso2(m.imp), Exporter: s.iso2(m.exp), HS: hs,
		From: m.period(first), To: m.period(last), Score: math.Max(maxZ/th.MirrorZSingle, maxRunZ/th.MirrorZSum),
		Magnitude: gap, Unit: "USD", Basis: s.circum,
	}
	s.codes(&a, m.imp, m.exp)
	if ms := s.nearestMeasure(m.imp, m.exp, hs, a.From); ms != nil {
		a.Measure = ms.Alert()
	}
	side := "less"
	if r[indexOf(idx, first)] > med {
		side = "more"
	}
	a.Summary = fmt.Sprintf("mirror gap: %s declared %s imports of %s from %s than %s declared exporting, %s to %s (modified z up to %.1f against the pair's median ratio %.3f; %s unexplained)",
		a.Importer, side, hs, a.Exporter, a.Exporter, a.From, a.To, maxZ, math.Exp(med), money(gap))
	imp := Series{Name: "importer's value / CIF-FOB factor (" + a.Importer + " imports)", Unit: "USD"}
	exp := Series{Name: "exporter's value, FOB (" + a.Exporter + " exports)", Unit: "USD"}
	rat := Series{Name: "ratio importer FOB-basis / exporter", Unit: "ratio"}
	for k, i := range idx {
		p := m.period(i)
		imp.Points = append(imp.Points, Point{Period: p, Value: round2(adj[i])})
		exp.Points = append(exp.Points, Point{Period: p, Value: round2(e.v[i])})
		rat.Points = append(rat.Points, Point{Period: p, Value: round4(math.Exp(r[k]))})
	}
	a.Evidence.Series = []Series{imp, exp, rat}
	a.Evidence.Figures = []Figure{
		{Name: "CIF/FOB factor", Value: th.CIFFOB, Note: "IMF DOTS convention; an importer's declared FOB value replaces it"},
		{Name: "median ratio", Value: round4(math.Exp(med)), Note: fmt.Sprintf("over %d periods with both declarations", len(r))},
		{Name: "MAD of log ratio", Value: round4(md), Note: fmt.Sprintf("floor %.3f", th.MirrorMinMAD)},
		{Name: "max modified z", Value: round4(maxZ), Note: fmt.Sprintf("0.6745(x − median)/MAD; %.1f once suffices", th.MirrorZSingle)},
		{Name: "run z", Value: round4(maxRunZ), Note: fmt.Sprintf("|Σz|/√n over %d or more periods in a row each with |z| ≥ %.1f; threshold %.1f", runLen, th.MirrorZRun, th.MirrorZSum)},
		{Name: "gap", Value: round2(gap), Unit: "USD", Note: "sum over the flagged periods of |importer FOB-basis − exporter × median ratio|"},
	}
	return a, true
}

func indexOf(xs []int, v int) int {
	for i, x := range xs {
		if x == v {
			return i
		}
	}
	return -1
}

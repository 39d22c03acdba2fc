package monitor

import (
	"math"
)

// lineKey is a pair and line at one frequency: what a series is about,
// whoever reported it.
type lineKey struct {
	imp, exp uint16
	hs       uint32
	monthly  bool
}

// series is one pair's flows of one line from one source, laid on the scan's
// grid of its frequency (every month, or every year, from the first period
// of the data to the last): a period without a row is zero trade.
type series struct {
	lineKey
	src    Source
	start  Period    // the grid's first period
	v      []float64 // USD
	kg     []float64 // kg; NaN where not known
	points int       // periods with a row
	fob    []float64 // importer series: the FOB value the importer gave, else NaN
}

func (x *series) period(i int) Period { return addPeriods(x.start, i) }

// addPeriods moves p by n of its own periods.
func addPeriods(p Period, n int) Period {
	if p.Month == 0 {
		return Period{Year: p.Year + n}
	}
	i := p.Year*12 + p.Month - 1 + n
	return Period{Year: i / 12, Month: i%12 + 1}
}

func (s *scan) minPoints(monthly bool) int {
	if monthly {
		return s.th.MinPointsMonthly
	}
	return s.th.MinPointsAnnual
}

// buildSeries lays every series with enough periods on its grid, and picks
// the one each pair and line is judged on (the source with the most
// periods: importer, then BACI, then exporter, on a tie).
func (s *scan) buildSeries() {
	f := s.flows
	c := f.cells
	// The grids: the first and last period of each frequency.
	var mLo, mHi, yLo, yHi = math.MaxInt, math.MinInt, math.MaxInt, math.MinInt
	for i := range c {
		p := perOf(c[i].key)
		if p.Month != 0 {
			mLo, mHi = min(mLo, p.Index()), max(mHi, p.Index())
		} else {
			yLo, yHi = min(yLo, p.Year), max(yHi, p.Year)
		}
	}
	s.best = map[lineKey]*series{}
	s.sides = map[lineKey][5]*series{}
	for lo := 0; lo < len(c); {
		hi := lo + 1
		top := c[lo].key >> seriesSh
		for hi < len(c) && c[hi].key>>seriesSh == top {
			hi++
		}
		run := c[lo:hi]
		lo = hi
		// A series of both frequencies splits at the monthly bit: the
		// annual cells sort first.
		for len(run) > 0 {
			m := perOf(run[0].key).Month != 0
			n := 0
			for n < len(run) && (perOf(run[n].key).Month != 0) == m {
				n++
			}
			part := run[:n]
			run = run[n:]
			monthly := m
			if len(part) < s.minPoints(monthly) && !s.newFlow(part, monthly, mHi, yHi) {
				continue
			}
			k := part[0].key
			x := &series{
				lineKey: lineKey{imp: uint16(k >> impShift & maxIdx), exp: uint16(k >> expShift & maxIdx), hs: uint32(k >> hsShift & maxHS), monthly: monthly},
				src:     Source(k >> srcShift & 7),
			}
			var n0, n1 int
			if monthly {
				n0, n1 = mLo, mHi
				x.start = Period{Year: mLo / 12, Month: mLo%12 + 1}
			} else {
				n0, n1 = yLo, yHi
				x.start = Period{Year: yLo}
			}
			x.v = make([]float64, n1-n0+1)
			x.kg = make([]float64, n1-n0+1)
			for _, cl := range part {
				i := perOf(cl.key).Index() - n0
				x.v[i] = usd(cl.val)
				x.kg[i] = kgOf(cl.g)
				x.points++
			}
			if x.src == Importer && len(f.fob) > 0 {
				for _, cl := range part {
					if v, ok := f.fob[cl.key]; ok {
						if x.fob == nil {
							x.fob = make([]float64, len(x.v))
							for i := range x.fob {
								x.fob[i] = math.NaN()
							}
						}
						x.fob[perOf(cl.key).Index()-n0] = usd(v)
					}
				}
			}
			s.series = append(s.series, x)
			sd := s.sides[x.lineKey]
			sd[x.src] = x
			s.sides[x.lineKey] = sd
			if b := s.best[x.lineKey]; b == nil || better(x, b) {
				s.best[x.lineKey] = x
			}
		}
	}
}

// newFlow reports whether a series too short to judge is a flow that
// started within the data and never stopped: half the periods a series
// needs, every one from its first to the last of the data (the zeros
// before it are what it is judged against: a new route).
func (s *scan) newFlow(part []cell, monthly bool, mHi, yHi int) bool {
	need := s.minPoints(monthly) / 2
	if len(part) < need {
		return false
	}
	first, last := perOf(part[0].key), perOf(part[len(part)-1].key)
	end := yHi
	if monthly {
		end = mHi
	}
	return last.Index() == end && last.Index()-first.Index()+1 == len(part)
}

var sourceRank = [...]int{Importer: 0, BACI: 1, Exporter: 2, Reimport: 9, Reexport: 9}

func better(x, b *series) bool {
	if sourceRank[x.src] == 9 {
		return false
	}
	if sourceRank[b.src] == 9 {
		return true
	}
	if x.points != b.points {
		return x.points > b.points
	}
	return sourceRank[x.src] < sourceRank[b.src]
}

// logLevels is log(v + c) of a series: c, the smallest flow the detectors
// consider, keeps empty periods and small flows from making breaks of their
// own.
func logLevels(v []float64, c float64) []float64 {
	y := make([]float64, len(v))
	for i, x := range v {
		y[i] = math.Log(x + c)
	}
	return y
}

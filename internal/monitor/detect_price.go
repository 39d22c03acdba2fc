package monitor

import (
	"cmp"
	"fmt"
	"math"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// belowFloor: declared unit prices per unit of contained mineral below the
// published floor they were assessed against, and price outliers against
// their line's own distribution (modified z of the log price), clustered
// by exporter (exporter_id, else the origin); then the same test on trade
// flows' unit values against the floor source, from the floor's first
// publication on (docs/monitor.md, "Prices below the floor").
func (s *scan) belowFloor() error {
	s.declPrices()
	return s.flowPrices()
}

type priceCluster struct {
	importer, exporter, hs, mineral, stage, unit, currency string
	decls                                                  []*Declaration
}

func (s *scan) declPrices() {
	ds := s.in.Declarations
	if len(ds) == 0 {
		return
	}
	// Each line's distribution of log unit prices.
	type lineStat struct {
		med, mad float64
		n        int
	}
	byLine := map[string][]float64{}
	for i := range ds {
		if ds[i].UnitPrice > 0 {
			byLine[ds[i].HS] = append(byLine[ds[i].HS], math.Log(ds[i].UnitPrice))
		}
	}
	stats := map[string]lineStat{}
	for hs, xs := range byLine {
		m := median(xs)
		stats[hs] = lineStat{m, mad(xs, m), len(xs)}
	}
	clusters := map[string]*priceCluster{}
	var keys []string
	for i := range ds {
		d := &ds[i]
		exp := d.Exporter
		if exp == "" {
			exp = d.Origin
		}
		k := d.Importer + "|" + exp + "|" + d.HS
		c := clusters[k]
		if c == nil {
			c = &priceCluster{importer: d.Importer, exporter: exp, hs: d.HS, mineral: d.Mineral, stage: d.Stage, unit: d.Unit, currency: d.Currency}
			clusters[k] = c
			keys = append(keys, k)
		}
		c.decls = append(c.decls, d)
	}
	slices.Sort(keys)
	th := s.th
	for _, k := range keys {
		c := clusters[k]
		st := stats[c.hs]
		var below, outliers int
		var shortfall float64
		minZ := 0.0
		var values []float64
		first, last := Period{}, Period{}
		for _, d := range c.decls {
			values = append(values, d.UnitPrice)
			hit := false
			if d.floorMicro > 0 && d.unitMicro < d.floorMicro {
				below++
				shortfall += (d.Floor - d.UnitPrice) * d.Contained
				hit = true
			}
			if st.n >= th.PriceMinLine && st.mad > 0 && d.UnitPrice > 0 {
				z := modifiedZ(math.Log(d.UnitPrice), st.med, st.mad)
				minZ = math.Min(minZ, z)
				if z <= -th.PriceZ {
					outliers++
					hit = true
				}
			}
			if hit {
				if first.Year == 0 || d.Period.Less(first) {
					first = d.Period
				}
				if last.Year == 0 || last.Less(d.Period) {
					last = d.Period
				}
			}
		}
		n := len(c.decls)
		floorHit := below >= th.PriceMinCount && float64(below) >= th.PriceMinShare*float64(n)
		outHit := outliers >= th.PriceMinCount && float64(outliers) >= th.PriceMinShare*float64(n)
		if !floorHit && !outHit {
			continue
		}
		share := float64(below) / float64(n)
		score := 0.0
		if floorHit {
			score = share / th.PriceMinShare * math.Min(2, float64(below)/float64(th.PriceMinCount))
		}
		if outHit {
			score = math.Max(score, -minZ/th.PriceZ)
		}
		a := Alert{
			Detector: BelowFloor, Importer: c.importer, Exporter: c.exporter, HS: c.hs,
			From: first, To: last, Score: score, Magnitude: shortfall, Unit: c.currency,
		}
		a.Basis = s.priceBasis(c.importer, c.mineral, c.stage, c.hs)
		floorLine := 0.0
		for _, d := range c.decls {
			floorLine = math.Max(floorLine, d.Floor)
		}
		a.Summary = fmt.Sprintf("below floor: %d of %d declarations of %s from %s into %s below the floor (%.0f%%), %s short of it; %d price outliers (modified z ≤ −%.1f against the line's median %.2f %s/%s)",
			below, n, c.hs, c.exporter, c.importer, 100*share, money(shortfall), outliers, th.PriceZ, math.Exp(st.med), c.currency, c.unit)
		a.Evidence.Distribution = &Distribution{Unit: c.currency + "/" + c.unit, Values: values, Line: floorLine,
			Label: fmt.Sprintf("floor of %s/%s as assessed", c.mineral, c.stage)}
		a.Evidence.Series = []Series{monthlyMedian(c.decls, c.currency+"/"+c.unit)}
		a.Evidence.Figures = []Figure{
			{Name: "declarations", Value: float64(n)},
			{Name: "below the floor", Value: float64(below), Note: fmt.Sprintf("at least %d and %.0f%% of the exporter's declarations", th.PriceMinCount, 100*th.PriceMinShare)},
			{Name: "share below", Value: round4(share), Unit: "share"},
			{Name: "shortfall", Value: round2(shortfall), Unit: c.currency, Note: "sum of (floor − unit price) × contained quantity"},
			{Name: "price outliers", Value: float64(outliers), Note: fmt.Sprintf("modified z ≤ −%.1f", th.PriceZ)},
			{Name: "line median price", Value: round4(math.Exp(st.med)), Unit: c.currency + "/" + c.unit, Note: fmt.Sprintf("%d declarations of %s", st.n, c.hs)},
			{Name: "lowest modified z", Value: round4(minZ)},
		}
		s.add(a)
	}
}

// priceBasis is the article of the variable duty that enforces the floor on
// the line for the importer (Art. 8.2 of the example), else the circumvention
// article.
func (s *scan) priceBasis(importer, mineral, stage, hs string) string {
	if a := s.opt.Agreement; a != nil {
		if p, ok := a.Party(importer); ok {
			if in := p.Instrument(agreement.VariableDuty, mineral, registry.Stage(stage), hs, nil); in != nil {
				return in.Basis
			}
		}
	}
	return s.circum
}

func monthlyMedian(ds []*Declaration, unit string) Series {
	by := map[Period][]float64{}
	for _, d := range ds {
		by[d.Period] = append(by[d.Period], d.UnitPrice)
	}
	ps := make([]Period, 0, len(by))
	for p := range by {
		ps = append(ps, p)
	}
	slices.SortFunc(ps, func(a, b Period) int { return cmp.Compare(a.Index(), b.Index()) })
	out := Series{Name: "median unit price", Unit: unit}
	for _, p := range ps {
		out.Points = append(out.Points, Point{Period: p, Value: round4(median(by[p]))})
	}
	return out
}

// flowPrices: a pair's unit values (value / net weight / content) below the
// published floor in at least PriceMinCount periods and PriceMinShare of
// the periods that have a floor.
func (s *scan) flowPrices() error {
	if s.opt.Floors == nil {
		return nil
	}
	for _, x := range s.orderedBest() {
		hs := s.flows.hs[x.hs]
		var n, below int
		var shortfall float64
		var first, last Period
		var floor LineFloor
		var values []float64
		for i := range x.v {
			if x.v[i] < s.th.MinValue || math.IsNaN(x.kg[i]) || x.kg[i] <= 0 {
				continue
			}
			p := x.period(i)
			f, ok, err := s.opt.Floors.FloorPerKg(hs, p.End())
			if err != nil {
				return err
			}
			if !ok || f.Content <= 0 {
				continue
			}
			n++
			uv := x.v[i] / x.kg[i] / f.Content
			values = append(values, round4(uv))
			if uv < f.USDPerKg {
				below++
				shortfall += (f.USDPerKg - uv) * x.kg[i] * f.Content
				if first.Year == 0 {
					first = p
				}
				last = p
				floor = f
			}
		}
		if n == 0 || below < s.th.PriceMinCount || float64(below) < s.th.PriceMinShare*float64(n) {
			continue
		}
		share := float64(below) / float64(n)
		a := Alert{
			Detector: BelowFloor, Importer: s.iso2(x.imp), Exporter: s.iso2(x.exp), HS: hs, From: first, To: last,
			Score: share / s.th.PriceMinShare, Magnitude: shortfall, Unit: "USD",
		}
		s.codes(&a, x.imp, x.exp)
		a.Basis = s.priceBasis(a.Importer, floor.Mineral, floor.Stage, hs)
		a.Summary = fmt.Sprintf("below floor: the unit value of %s's flows of %s to %s was below the floor in %d of %d %ss (%s short)",
			a.Exporter, hs, a.Importer, below, n, perWord(x.monthly), money(shortfall))
		a.Evidence.Distribution = &Distribution{Unit: "USD/kg contained", Values: values, Line: floor.USDPerKg, Label: floor.Label}
		a.Evidence.Series = []Series{s.valueSeries(x, "flow ("+x.src.String()+" reported)")}
		a.Evidence.Figures = []Figure{
			{Name: "periods below the floor", Value: float64(below), Note: fmt.Sprintf("of %d with a floor and a weight", n)},
			{Name: "shortfall", Value: round2(shortfall), Unit: "USD", Note: "sum of (floor − unit value) × contained kg"},
		}
		s.add(a)
	}
	return nil
}

// undertakings: per undertaking of the agreement in force, the share and
// value of its exporter's declarations below the minimum price over the
// window up to the as-of date (as assessed: undertaking_breach), and the
// consequence the agreement attaches: on withdrawal, the variable duty of
// the party applies (docs/monitor.md, "Undertaking breaches").
func (s *scan) undertakings() error {
	a := s.opt.Agreement
	if a == nil || len(s.in.Declarations) == 0 {
		return nil
	}
	if am, _, err := a.Amended(s.opt.AsOf); err == nil && am != nil {
		a = am
	}
	th := s.th
	winFrom := s.opt.AsOf.AddMonths(-th.UndertakingWindowMonths).AddDays(1)
	fromP := Period{Year: winFrom.Year(), Month: int(winFrom.Month())}
	toP := Period{Year: s.opt.AsOf.Year(), Month: int(s.opt.AsOf.Month())}
	for _, p := range a.Parties {
		for i := range p.Instruments {
			in := &p.Instruments[i]
			if in.Type != agreement.Undertaking || in.Exporter == nil || in.MinimumPrice == nil {
				continue
			}
			minPrice := in.MinimumPrice.Amount.Float64()
			var ds []*Declaration
			for j := range s.in.Declarations {
				d := &s.in.Declarations[j]
				if d.Party != p.ID || d.Period.Less(fromP) || toP.Less(d.Period) {
					continue
				}
				if d.Undertake == in.ID || d.Exporter == in.Exporter.ID && d.Mineral == in.Mineral && (in.Stage == "" || string(in.Stage) == d.Stage) {
					ds = append(ds, d)
				}
			}
			if len(ds) == 0 {
				continue
			}
			var below int
			var valueBelow, shortfall, dutyOnWithdrawal float64
			var values []float64
			var first, last Period
			for _, d := range ds {
				values = append(values, d.UnitPrice)
				breach := d.Breach || d.Unit == in.MinimumPrice.Per && d.UnitPrice < minPrice
				if breach {
					below++
					valueBelow += d.Value()
					if d.Unit == in.MinimumPrice.Per {
						shortfall += (minPrice - d.UnitPrice) * d.Contained
					}
					if first.Year == 0 || d.Period.Less(first) {
						first = d.Period
					}
					if last.Year == 0 || last.Less(d.Period) {
						last = d.Period
					}
				}
				if d.Floor > d.UnitPrice {
					dutyOnWithdrawal += (d.Floor - d.UnitPrice) * d.Contained
				}
			}
			share := float64(below) / float64(len(ds))
			if below < th.UndertakingMinCount || share < th.UndertakingShare {
				continue
			}
			al := Alert{
				Detector: UndertakingBreach, Importer: p.ID, Exporter: in.Exporter.ID, HS: ds[0].HS,
				From: first, To: last, Score: share / th.UndertakingShare, Magnitude: round4(share), Unit: "share",
				Basis: in.Basis,
			}
			vd := p.Instrument(agreement.VariableDuty, in.Mineral, in.Stage, ds[0].HS, nil)
			consequence := "no variable duty of the party applies to the line"
			if vd != nil {
				consequence = fmt.Sprintf("on withdrawal the variable duty %s (%s) applies: %s on these declarations before its cap and phase-in", vd.ID, vd.Basis, money(dutyOnWithdrawal))
			}
			al.Summary = fmt.Sprintf("undertaking breach: %d of %d declarations of %s (%s) under %s in the %d months to %s below the minimum price %s %s/%s (%.0f%%, %s of goods); %s",
				below, len(ds), in.Exporter.ID, in.Exporter.Name, in.ID, th.UndertakingWindowMonths, s.opt.AsOf, in.MinimumPrice.Amount, in.MinimumPrice.Currency, in.MinimumPrice.Per, 100*share, money(valueBelow), consequence)
			al.Measure = &Measure{Name: in.ID, Effective: firstDay(in, p), Source: fmt.Sprintf("agreement %s: parties[%s].instruments[%s]", a.ID, p.ID, in.ID)}
			al.Evidence.Distribution = &Distribution{Unit: in.MinimumPrice.Currency + "/" + in.MinimumPrice.Per, Values: values, Line: minPrice, Label: "undertaking " + in.ID + " minimum"}
			al.Evidence.Series = []Series{monthlyMedian(ds, in.MinimumPrice.Currency+"/"+in.MinimumPrice.Per)}
			al.Evidence.Figures = []Figure{
				{Name: "declarations in the window", Value: float64(len(ds)), Note: fmt.Sprintf("%s to %s", fromP, toP)},
				{Name: "below the minimum price", Value: float64(below)},
				{Name: "share below", Value: round4(share), Unit: "share", Note: fmt.Sprintf("threshold %.2f", th.UndertakingShare)},
				{Name: "value below", Value: round2(valueBelow), Unit: in.MinimumPrice.Currency},
				{Name: "shortfall against the minimum", Value: round2(shortfall), Unit: in.MinimumPrice.Currency},
				{Name: "variable duty on withdrawal", Value: round2(dutyOnWithdrawal), Unit: in.MinimumPrice.Currency, Note: consequence},
			}
			s.add(al)
		}
	}
	return nil
}

func firstDay(in *agreement.Instrument, p agreement.Party) date.Date {
	if !in.From.IsZero() {
		return in.From
	}
	return p.Accession
}

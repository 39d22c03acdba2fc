package monitor

import (
	"bytes"
	"context"
	"math"
	"slices"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
)

func TestDiagBreaks(t *testing.T) {
	for _, format := range []string{"comtrade", "baci"} {
		t0 := time.Now()
		var buf bytes.Buffer
		g, _ := Generate(&buf, GenOptions{Seed: 5, Format: format, Clean: 20000, Planted: 40})
		asOf := date.MustParse("2025-06-30")
		var f *Flows
		if format == "baci" {
			f, _ = ReadBACI(&buf, "gen.csv", GenCodes(), asOf)
		} else {
			f, _ = ReadComtrade(&buf, "gen.csv", asOf)
		}
		t.Logf("gen+read %v", time.Since(t0))
		s := &scan{ctx: context.Background(), in: &Input{Flows: f}, opt: Options{AsOf: asOf, Countries: GenCodes()}, th: Thresholds{}.withDefaults()}
		s.prepare()
		pl := map[[3]string]bool{}
		other := map[[3]string]bool{}
		for _, p := range g.Planted {
			if p.Detector == Surge {
				pl[[3]string{p.Importer, p.Exporter, p.HS}] = true
			} else {
				other[[3]string{p.Importer, p.Exporter, p.HS}] = true
				other[[3]string{p.Importer, p.Via, p.HS}] = true
				other[[3]string{p.Via, p.Exporter, p.HS}] = true
				other[[3]string{p.Importer, p.Exporter, p.ToHS}] = true
			}
		}
		t0 = time.Now()
		var cleanT, plT []float64
		var cleanB, plB []breakInfo
		for _, x := range s.orderedBest() {
			b, ok := s.breakOf(x)
			if !ok {
				continue
			}
			k := [3]string{f.codes[x.imp], f.codes[x.exp], f.hs[x.hs]}
			v := math.Abs(b.fit.t)
			if b.factor() < 2 {
				v = 0
			}
			if other[k] {
				continue
			}
			if pl[k] {
				plB = append(plB, b)
				plT = append(plT, v)
			} else {
				cleanB = append(cleanB, b)
				cleanT = append(cleanT, v)
			}
		}
		t.Logf("breaks %v", time.Since(t0))
		for _, T := range []float64{3, 3.5, 4, 4.5, 5, 6, 7} {
			for _, F := range []float64{2, 2.5, 3} {
				c, p := 0, 0
				for _, b := range cleanB {
					if s.passes(b, T, F) {
						c++
					}
				}
				for _, b := range plB {
					if s.passes(b, T, F) {
						p++
					}
				}
				t.Logf("%s T=%.1f F=%.1f clean %d/%d planted %d/%d", format, T, F, c, len(cleanB), p, len(plB))
			}
		}
		slices.Sort(cleanT)
		slices.Sort(plT)
		q := func(xs []float64, p float64) float64 { return xs[int(p*float64(len(xs)-1))] }
		t.Logf("%s clean n=%d q99=%.2f q999=%.2f max=%.2f; planted n=%d min=%.2f q10=%.2f", format, len(cleanT), q(cleanT, .99), q(cleanT, .999), cleanT[len(cleanT)-1], len(plT), plT[0], q(plT, .1))
	}
}

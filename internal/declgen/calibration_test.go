package declgen_test

import (
	"bytes"
	"encoding/csv"
	"math"
	"slices"
	"strconv"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/declgen"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// The calibration tests generate 200,000 rows once and hold their statistics
// to the shipped sources, read here through the registry (never typed in):
// a change of the data, the generator or the agreement that moves a figure
// out of its band fails, naming the source.

const calN = 200_000

type genRow struct {
	importer, origin, hs, unit, currency, undertaking string
	qty, value                                        float64
}

var (
	calOnce sync.Once
	calRows []genRow
	calErr  error
)

func calibrationRows(t *testing.T) ([]genRow, *registry.Registry) {
	t.Helper()
	a, reg := engine(t)
	calOnce.Do(func() {
		var buf bytes.Buffer
		if calErr = declgen.Generate(&buf, a, reg, declgen.Options{N: calN, Seed: 42}); calErr != nil {
			return
		}
		recs, err := csv.NewReader(&buf).ReadAll()
		if err != nil {
			calErr = err
			return
		}
		col := map[string]int{}
		for i, h := range recs[0] {
			col[h] = i
		}
		for _, r := range recs[1:] {
			q, _ := strconv.ParseFloat(r[col["quantity"]], 64)
			v, _ := strconv.ParseFloat(r[col["customs_value"]], 64)
			calRows = append(calRows, genRow{r[col["importer"]], r[col["origin"]], r[col["hs_code"]], r[col["unit"]],
				r[col["currency"]], r[col["undertaking_id"]], q, v})
		}
	})
	if calErr != nil {
		t.Fatal(calErr)
	}
	return calRows, reg
}

// grossKg is the row's gross mass in kg.
func (r genRow) grossKg() float64 {
	switch r.unit {
	case "t":
		return r.qty * 1000
	case "lb":
		return r.qty * 0.45359237
	}
	return r.qty
}

// usRows are the US rows whose code starts with hs6.
func usRows(rows []genRow, hs6 string) []genRow {
	var out []genRow
	for _, r := range rows {
		if r.importer == "US" && len(r.hs) >= 6 && r.hs[:6] == hs6 {
			out = append(out, r)
		}
	}
	return out
}

// noOverrides fails unless the example agreement leaves the origin of US
// imports of mineral under hs6 to the import shares: no quota, preference,
// trade remedy or undertaking there.
func noOverrides(t *testing.T, mineral, hs6 string) {
	t.Helper()
	a, _ := engine(t)
	us, ok := a.Agreement().Party("US")
	if !ok {
		t.Fatal("the example agreement has no US")
	}
	for _, in := range us.Instruments {
		switch in.Type {
		case agreement.TariffRateQuota, agreement.Preference, agreement.AntiDumping, agreement.Countervailing, agreement.Undertaking:
			if in.Mineral == mineral || agreement.HSMatch(in.HS, hs6+"00") >= 0 && len(in.HS) > 0 {
				t.Fatalf("US instrument %s (%s) changes the origins of %s %s: choose another line for this test", in.ID, in.Type, mineral, hs6)
			}
		}
	}
}

// TestOriginSharesMatchMCS: the origins of US imports of a line are the
// USGS MCS 2026 shares of US imports of the form (2021–24), within 3
// percentage points for each named country.
func TestOriginSharesMatchMCS(t *testing.T) {
	rows, reg := calibrationRows(t)
	for _, c := range []struct{ mineral, hs6, category string }{
		{"antimony", "282580", "Oxide"},
		{"tin", "800110", "Refined tin"},
		{"manganese", "260200", "Manganese ore"},
	} {
		noOverrides(t, c.mineral, c.hs6)
		ch, err := reg.MCS(c.mineral)
		if err != nil {
			t.Fatal(err)
		}
		xs := usRows(rows, c.hs6)
		if len(xs) < 1000 {
			t.Fatalf("%s %s: %d US rows in %d, too few to compare shares", c.mineral, c.hs6, len(xs), calN)
		}
		named := 0
		for _, s := range ch.ImportSources {
			code, ok := reg.CountryCode(s.Country)
			if s.Category != c.category || !ok || !s.SharePct.Known {
				continue
			}
			named++
			n := 0
			for _, r := range xs {
				if r.origin == code {
					n++
				}
			}
			got, want := 100*float64(n)/float64(len(xs)), s.SharePct.Value.Float64()
			if math.Abs(got-want) > 3 {
				t.Errorf("%s %s from %s: %.1f%% of %d US rows, want %.0f%% ±3 (MCS 2026 import sources, %s)", c.mineral, c.hs6, code, got, len(xs), want, c.category)
			}
		}
		if named == 0 {
			t.Errorf("%s: no named country in the MCS import sources %q", c.mineral, c.category)
		}
	}
}

// TestLineSharesMatchMCSVolumes: a mineral's codes are drawn in proportion
// to the MCS 2026 US import volume (2024) of the form each belongs to.
func TestLineSharesMatchMCSVolumes(t *testing.T) {
	rows, reg := calibrationRows(t)
	ch, err := reg.MCS("antimony")
	if err != nil {
		t.Fatal(err)
	}
	volume := func(stat string) float64 {
		for _, s := range ch.Salient {
			if s.Statistic == stat && s.Year == 2024 && s.Value.Known {
				return s.Value.Value.Float64()
			}
		}
		t.Fatalf("antimony: no MCS import statistic %q for 2024", stat)
		return 0
	}
	form := map[string]float64{"261710": volume("Ore and concentrates"), "811010": volume("Unwrought, powder"), "282580": volume("Oxide")}
	count := map[string]int{}
	total := 0
	for _, r := range rows {
		if r.importer == "US" && len(r.hs) >= 6 {
			if _, ok := form[r.hs[:6]]; ok {
				count[r.hs]++
				total++
			}
		}
	}
	wsum := 0.0
	for code := range count {
		wsum += form[code[:6]]
	}
	if len(count) < 3 {
		t.Fatalf("antimony: US codes drawn %v, want one of each form at least", count)
	}
	for code, n := range count {
		got, want := float64(n)/float64(total), form[code[:6]]/wsum
		if math.Abs(got-want) > 0.02 && math.Abs(got/want-1) > 0.15 {
			t.Errorf("antimony %s: %.2f%% of %d US antimony rows, want %.2f%% (MCS 2026 imports for consumption, 2024)", code, 100*got, total, 100*want)
		}
	}
}

// TestPricesAndMassesMatchComtrade: for the lines calibrated to UN Comtrade
// (China's exports, 2024), the generated median customs value per gross kg
// is the Comtrade median unit value within 10%, its spread (robust standard
// deviation of the logarithm) the Comtrade spread within 20%, and the median
// consignment the Comtrade median partner-month quantity / 4 within 10%.
func TestPricesAndMassesMatchComtrade(t *testing.T) {
	rows, reg := calibrationRows(t)
	stats, err := reg.ComtradeExportStats()
	if err != nil {
		t.Fatal(err)
	}
	for _, hs6 := range []string{"250410", "380110"} {
		s, ok := stats[hs6]
		if !ok {
			t.Fatalf("no Comtrade statistics for %s", hs6)
		}
		var uvs, masses []float64
		for _, r := range usRows(rows, hs6) {
			if r.currency == "USD" && r.undertaking == "" {
				uvs = append(uvs, r.value/r.grossKg())
				masses = append(masses, r.grossKg())
			}
		}
		if len(uvs) < 1000 {
			t.Fatalf("%s: %d US rows in USD, too few", hs6, len(uvs))
		}
		if got, want := quantile(uvs, 0.5), s.UVMedian.Float64(); math.Abs(got/want-1) > 0.10 {
			t.Errorf("%s: median customs value %.3f USD/kg over %d rows, want %.3f ±10%% (Comtrade 2024)", hs6, got, len(uvs), want)
		}
		logs := make([]float64, len(uvs))
		for i, u := range uvs {
			logs[i] = math.Log(u)
		}
		if got, want := (quantile(logs, 0.75)-quantile(logs, 0.25))/1.349, s.UVLogSigma.Float64(); math.Abs(got/want-1) > 0.20 {
			t.Errorf("%s: unit-value spread %.3f, want %.3f ±20%% (Comtrade 2024)", hs6, got, want)
		}
		if got, want := quantile(masses, 0.5), s.QtyMedianKg.Float64()/4; math.Abs(got/want-1) > 0.10 {
			t.Errorf("%s: median consignment %.0f kg, want %.0f ±10%% (Comtrade 2024 median partner-month / 4)", hs6, got, want)
		}
	}
}

// TestExchangeTradedSpread: declared prices of refined copper spread as the
// World Bank Pink Sheet copper price moved over its last twelve months
// (standard deviation of the logarithm), within 25%.
func TestExchangeTradedSpread(t *testing.T) {
	rows, reg := calibrationRows(t)
	s, err := reg.PinkSheet("COPPER")
	if err != nil {
		t.Fatal(err)
	}
	var logs []float64
	for _, p := range s.Points[len(s.Points)-12:] {
		logs = append(logs, math.Log(p.Value.Float64()))
	}
	want := declgen.Stddev(logs)
	var uvs []float64
	for _, r := range usRows(rows, "740311") {
		if r.currency == "USD" {
			uvs = append(uvs, math.Log(r.value/r.grossKg()))
		}
	}
	if len(uvs) < 200 {
		t.Fatalf("740311: %d US rows in USD, too few", len(uvs))
	}
	// The content varies by ±10% on some rows, which widens the spread of
	// value per gross kg: compare the robust spread.
	got := (quantile(uvs, 0.75) - quantile(uvs, 0.25)) / 1.349
	if math.Abs(got/want-1) > 0.25 {
		t.Errorf("740311: spread of ln(customs value per kg) %.4f over %d rows, want %.4f ±25%% (Pink Sheet COPPER, last 12 months)", got, len(uvs), want)
	}
	if slices.Contains(uvs, math.Inf(1)) {
		t.Error("a copper row has a zero quantity")
	}
}

package declgen_test

import (
	"bytes"
	"encoding/csv"
	"flag"
	"fmt"
	"math"
	"os"
	"slices"
	"strconv"
	"testing"

	"github.com/mineralpact/mineralpact/internal/declgen"
)

// The Comtrade statistics the generator is calibrated with are computed from
// a file the project does not ship (data/SOURCES.md, "declgen/"): UN Comtrade
// China exports by partner, HS6 and month, as tabulated in
// qennis/ChinaCriticalMineralComtrade (deep_dive_hs6_monthly.csv). Run
//
//	go test ./internal/declgen/ -run TestComtradeStats -comtrade PATH/deep_dive_hs6_monthly.csv [-update]
//
// to check the shipped statistics against it (or rewrite them with -update).
var (
	comtradeFile = flag.String("comtrade", "", "deep_dive_hs6_monthly.csv to recompute data/declgen/comtrade_china_exports_2024.csv from")
	update       = flag.Bool("update", false, "with -comtrade: rewrite data/declgen/comtrade_china_exports_2024.csv")
)

const (
	statsPath = "../../data/declgen/comtrade_china_exports_2024.csv"
	statsYear = "2024"
)

func TestComtradeStats(t *testing.T) {
	if *comtradeFile == "" {
		t.Skip("-comtrade not given: the raw Comtrade table is not shipped")
	}
	b, err := os.ReadFile(*comtradeFile)
	if err != nil {
		t.Fatal(err)
	}
	got, err := comtradeStats(b, statsYear)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(statsPath, got, 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(statsPath)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from what %s gives:\n%s", statsPath, *comtradeFile, got)
	}
}

// comtradeStats computes, for each HS6 line of the year's partner-months
// with a positive value and quantity: the median unit value (USD/kg); its
// dispersion, the interquartile range / 1.349 of ln(uv / the median uv of
// the same month over partners), a robust standard deviation; the median
// quantity of a partner-month (kg); and the median, over partners with at
// least six months, of the standard deviation of ln(quantity) across the
// partner's months.
func comtradeStats(b []byte, year string) ([]byte, error) {
	recs, err := csv.NewReader(bytes.NewReader(b)).ReadAll()
	if err != nil {
		return nil, err
	}
	if len(recs) == 0 || !slices.Equal(recs[0], []string{"period_dt", "partner_name", "hs6", "val", "qty", "uv"}) {
		return nil, fmt.Errorf("unexpected header")
	}
	type obs struct {
		month, partner string
		val, qty       float64
	}
	byHS := map[string][]obs{}
	for i, r := range recs[1:] {
		if len(r[0]) < 7 || r[0][:4] != year {
			continue
		}
		v, err1 := strconv.ParseFloat(r[3], 64)
		q, err2 := strconv.ParseFloat(r[4], 64)
		if err1 != nil || err2 != nil {
			return nil, fmt.Errorf("line %d: val %q, qty %q", i+2, r[3], r[4])
		}
		if v > 0 && q > 0 {
			byHS[r[2]] = append(byHS[r[2]], obs{r[0][:7], r[1], v, q})
		}
	}
	var out bytes.Buffer
	w := csv.NewWriter(&out)
	w.Write([]string{"hs6", "year", "partner_months", "uv_median_usd_per_kg", "uv_log_sigma", "qty_median_kg", "qty_log_sigma"})
	hss := make([]string, 0, len(byHS))
	for h := range byHS {
		hss = append(hss, h)
	}
	slices.Sort(hss)
	for _, h := range hss {
		xs := byHS[h]
		var uvs, qtys []float64
		byMonth := map[string][]float64{}
		byPartner := map[string][]float64{}
		for _, x := range xs {
			uvs = append(uvs, x.val/x.qty)
			qtys = append(qtys, x.qty)
			byMonth[x.month] = append(byMonth[x.month], x.val/x.qty)
			byPartner[x.partner] = append(byPartner[x.partner], math.Log(x.qty))
		}
		var devs []float64
		for _, x := range xs {
			devs = append(devs, math.Log(x.val/x.qty/quantile(byMonth[x.month], 0.5)))
		}
		var sds []float64
		for _, l := range byPartner {
			if len(l) >= 6 {
				sds = append(sds, declgen.Stddev(l))
			}
		}
		w.Write([]string{h, year, strconv.Itoa(len(xs)),
			strconv.FormatFloat(quantile(uvs, 0.5), 'f', 3, 64),
			strconv.FormatFloat((quantile(devs, 0.75)-quantile(devs, 0.25))/1.349, 'f', 3, 64),
			strconv.FormatFloat(quantile(qtys, 0.5), 'f', 0, 64),
			strconv.FormatFloat(quantile(sds, 0.5), 'f', 3, 64)})
	}
	w.Flush()
	return out.Bytes(), w.Error()
}

// quantile is the p-quantile of xs by linear interpolation between order
// statistics (R's type 7); xs is not changed.
func quantile(xs []float64, p float64) float64 {
	s := slices.Clone(xs)
	slices.Sort(s)
	if len(s) == 0 {
		return math.NaN()
	}
	h := p * float64(len(s)-1)
	lo := int(h)
	if lo+1 >= len(s) {
		return s[lo]
	}
	return s[lo] + (h-float64(lo))*(s[lo+1]-s[lo])
}

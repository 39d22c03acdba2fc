package customsfx

import (
	"bytes"
	"encoding/csv"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// The illustrative tables are generated from the FRED monthly averages the
// registry loads (data/fred-exchange-rates/monthly.csv, every series in units
// of the currency per US dollar) and committed; TestIllustrativeTables
// requires the committed bytes, and
//
//	go test ./internal/customsfx -run TestIllustrativeTables -update
//
// rewrites them. The derivation (docs/customs-rates.md says the same):
//
//   - a rate of base B in currency C for a month P is FRED(C, P) ÷ FRED(B, P),
//     with FRED(USD, P) = 1, computed exactly and rounded half-up to 4
//     decimals;
//   - uk-hmrc-monthly-illustrative.csv (base GBP): the monthly rate of month
//     M is that of P = M−1 (HMRC sets month M's rates in month M−1), dated
//     M-01, period month, published the penultimate Thursday of M−1 (when
//     HMRC publishes them);
//   - eu-penultimate-wednesday-illustrative.csv (base EUR): one daily row on
//     the penultimate Wednesday of each month P, with the rate of P (the ECB
//     rate of that day is a rate of month P; the EU applies it in P+1).
//
// Both cover application months 2025-01 to 2026-06, so P runs from 2024-12
// to 2026-05. They are not HMRC's or the ECB's figures: a monthly average is
// not the rate of one day, and both services quote more currencies.
var update = flag.Bool("update", false, "rewrite the illustrative tables in data/customs-rates from the FRED monthly averages")

const (
	fredMonthly = "../../data/fred-exchange-rates/monthly.csv"
	fredSeries  = "../../data/fred-exchange-rates/series.csv"
	ratesDir    = "../../data/customs-rates"
	ukFile      = "uk-hmrc-monthly-illustrative.csv"
	euFile      = "eu-penultimate-wednesday-illustrative.csv"
)

var (
	ukCurrencies = []string{"USD", "EUR", "JPY", "CNY", "AUD", "CAD"}
	euCurrencies = []string{"USD", "GBP", "JPY", "CNY", "AUD", "CAD"}
	firstMonth   = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC) // the first month a rate applies in
	months       = 18                                          // 2025-01 … 2026-06
)

// fred reads the monthly averages: currency → "YYYY-MM" → units per USD.
func fred(t *testing.T) map[string]map[string]exact.Q {
	t.Helper()
	byCountry := map[string]string{}
	for _, r := range readCSV(t, fredSeries)[1:] {
		byCountry[r[0]] = r[1]
	}
	out := map[string]map[string]exact.Q{"USD": {}}
	for _, r := range readCSV(t, fredMonthly)[1:] {
		cur := byCountry[r[1]]
		v, ok := exact.ParseString(r[2])
		if cur == "" || !ok {
			continue
		}
		if out[cur] == nil {
			out[cur] = map[string]exact.Q{}
		}
		out[cur][r[0][:7]] = v
	}
	return out
}

func readCSV(t *testing.T, path string) [][]string {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	recs, err := csv.NewReader(f).ReadAll()
	if err != nil {
		t.Fatalf("%s: %v", path, err)
	}
	return recs
}

// cross returns FRED(c, month) ÷ FRED(base, month), rounded half-up to 4
// places, as text with exactly 4 decimals.
func cross(t *testing.T, fx map[string]map[string]exact.Q, c, base, month string) string {
	t.Helper()
	rate := func(cur string) exact.Q {
		if cur == "USD" {
			return exact.Int(1)
		}
		v, ok := fx[cur][month]
		if !ok {
			t.Fatalf("%s: no FRED monthly average of %s for %s", fredMonthly, cur, month)
		}
		return v
	}
	r, _ := rate(c).Quo(rate(base)).Round(4, dec.HalfUp)
	return string(r.AppendMoney(nil, 4))
}

// The source column of the illustrative tables: one text for every row, so
// that it is the table's Source.
const (
	ukSource = "ILLUSTRATIVE, not HMRC's rates: FRED monthly averages of the month before, crossed per GBP (docs/customs-rates.md)"
	euSource = "ILLUSTRATIVE, not the ECB's rates: FRED monthly averages of the month of the row, crossed per EUR (docs/customs-rates.md)"
)

// penultimate returns the penultimate wd of the month of m.
func penultimate(m time.Time, wd time.Weekday) time.Time {
	last := m.AddDate(0, 1, -1)
	back := (int(last.Weekday()) - int(wd) + 7) % 7
	return last.AddDate(0, 0, -back-7)
}

func generateUK(t *testing.T, fx map[string]map[string]exact.Q) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"date", "currency", "rate", "period", "published", "source"})
	for i := range months {
		m := firstMonth.AddDate(0, i, 0)
		p := m.AddDate(0, -1, 0)
		for _, c := range ukCurrencies {
			w.Write([]string{m.Format(time.DateOnly), c, cross(t, fx, c, "GBP", p.Format("2006-01")), PeriodMonth,
				penultimate(p, time.Thursday).Format(time.DateOnly),
				ukSource})
		}
	}
	w.Flush()
	return b.Bytes()
}

func generateEU(t *testing.T, fx map[string]map[string]exact.Q) []byte {
	var b bytes.Buffer
	w := csv.NewWriter(&b)
	w.Write([]string{"date", "currency", "rate", "period", "published", "source"})
	for i := range months {
		p := firstMonth.AddDate(0, i-1, 0)
		for _, c := range euCurrencies {
			w.Write([]string{penultimate(p, time.Wednesday).Format(time.DateOnly), c, cross(t, fx, c, "EUR", p.Format("2006-01")), PeriodDay, "",
				euSource})
		}
	}
	w.Flush()
	return b.Bytes()
}

// TestIllustrativeTables: the shipped illustrative tables are what the
// generator makes of the shipped FRED file, byte for byte, and they load.
func TestIllustrativeTables(t *testing.T) {
	fx := fred(t)
	for _, tt := range []struct {
		file, base string
		gen        func(*testing.T, map[string]map[string]exact.Q) []byte
	}{{ukFile, "GBP", generateUK}, {euFile, "EUR", generateEU}} {
		want := tt.gen(t, fx)
		path := filepath.Join(ratesDir, tt.file)
		if *update {
			if err := os.WriteFile(path, want, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		got, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what the generator makes of %s; run go test ./internal/customsfx -run TestIllustrativeTables -update and review the diff", path, fredMonthly)
		}
		tab, err := Load("data/customs-rates/"+tt.file, tt.base, bytes.NewReader(got))
		if err != nil {
			t.Fatalf("Load(%s): %v", tt.file, err)
		}
		if !tab.Illustrative {
			t.Errorf("Load(%s).Illustrative = false, want true", tt.file)
		}
	}
}

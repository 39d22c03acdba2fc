package stockpile

import (
	"encoding/csv"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"slices"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// usRows names, per mineral, the USGS MCS 2026 salient statistics (section,
// statistic) whose sum is U.S. imports, exports and consumption. What the
// chapters print differs: antimony's imports are the sum of its forms;
// gallium prints no exports (NA, counted 0) and reported, not apparent,
// consumption.
var usRows = map[string]struct{ imports, exports, consumption [][2]string }{
	"cobalt": {
		imports:     [][2]string{{"Imports for consumption", "Imports for consumption"}},
		exports:     [][2]string{{"Exports", "Exports"}},
		consumption: [][2]string{{"Consumption (includes secondary)", "Apparent"}},
	},
	"antimony": {
		imports:     [][2]string{{"Imports for consumption", "Ore and concentrates"}, {"Imports for consumption", "Oxide"}, {"Imports for consumption", "Unwrought, powder"}},
		exports:     [][2]string{{"Exports", "Ore and concentrates"}, {"Exports", "Oxide"}, {"Exports", "Unwrought, powder"}},
		consumption: [][2]string{{"Consumption, apparent", "Consumption, apparent"}},
	},
	"gallium": {
		imports:     [][2]string{{"Imports for consumption", "Metal"}},
		exports:     [][2]string{{"Exports", "Exports"}},
		consumption: [][2]string{{"Consumption, reported", "Consumption, reported"}},
	},
}

// demandShare is each party's ILLUSTRATIVE share of world consumption of a
// mineral, before noise: rough orders of magnitude of the parties'
// manufacturing, not data.
var demandShare = map[string]float64{
	"EU": 0.12, "JP": 0.08, "GB": 0.015, "CA": 0.01, "MX": 0.01, "AU": 0.005,
	"PH": 0.004, "AR": 0.003, "PE": 0.002, "MA": 0.002, "UZ": 0.001, "GN": 0.0005,
}

// GenYears are the years the generator writes.
var GenYears = []int{2021, 2022, 2023, 2024, 2025}

// Generated is what Generate writes: flows, exposures and holdings.
type Generated struct {
	Flows     []FlowYear
	Exposures []Exposure
	Holdings  []Holding
}

// Generate builds the flows, exposures and holdings of every party of a for
// every regime of a, seeded:
//
//   - U.S. flows from USGS MCS 2026 (usRows), not illustrative; production is
//     consumption − imports + exports, at least 0.
//   - other parties' consumption = world production of the year (MCS: 2024
//     for 2023 and 2024, 2025e for 2025) × demandShare × a lognormal factor
//     (σ 0.25); production = the party's rows of the MCS world table (EU: its
//     member states); imports and exports balance them with a trade
//     intensity drawn from 10% to 40% of consumption. ILLUSTRATIVE.
//   - exposures: every party's imports are exposed to the largest producer in
//     the share of world production it has (a fungible world market).
//   - holdings on 2026-07-01: each party with an obligation on 2026-07-01
//     holds 40% to 130% of it, three fifths in the first form publicly and
//     the rest in the second (or first) form privately. ILLUSTRATIVE.
//
// Tonnes are whole tonnes (world tables in kilograms are converted).
func Generate(reg *registry.Registry, a *agreement.Agreement, seed uint64) (*Generated, error) {
	rng := rand.New(rand.NewPCG(seed, 15))
	g := &Generated{}
	eu, _ := reg.Group("EU")
	for _, s := range a.Stockpiles {
		c, err := reg.MCS(s.Mineral)
		if err != nil {
			return nil, err
		}
		world, byCountry := worldProduction(reg, c)
		byParty := map[string]map[int]float64{}
		top, topQ := "", 0.0
		for code, q := range byCountry {
			if q[2024] > topQ || q[2024] == topQ && code < top {
				top, topQ = code, q[2024]
			}
			party := code
			if slices.Contains(eu, code) {
				party = "EU"
			}
			if byParty[party] == nil {
				byParty[party] = map[int]float64{}
			}
			byParty[party][2024] += q[2024]
			byParty[party][2025] += q[2025]
		}
		world[2021], world[2022], world[2023] = world[2024], world[2024], world[2024]
		if world[2024] <= 0 {
			return nil, fmt.Errorf("stockpile: MCS 2026 gives no world production of %s", s.Mineral)
		}
		share := math.Round(topQ/world[2024]*1000) / 1000
		for _, p := range a.Parties {
			g.Exposures = append(g.Exposures, Exposure{Party: p.ID, Mineral: s.Mineral, Stage: s.Stage, Origin: top, Share: decOf(share)})
			if p.ID == "US" {
				ys, err := usFlows(c, s)
				if err != nil {
					return nil, err
				}
				g.Flows = append(g.Flows, ys...)
				continue
			}
			f := math.Exp(0.25 * rng.NormFloat64())
			trade := 0.1 + 0.3*rng.Float64()
			for _, y := range GenYears {
				prodY := y
				if y < 2024 {
					prodY = 2024
				}
				cons := world[y] * demandShare[p.ID] * f
				prod := byParty[p.ID][prodY]
				imp := cons*trade + math.Max(0, cons-prod)
				exp := imp + prod - cons
				g.Flows = append(g.Flows, FlowYear{Party: p.ID, Mineral: s.Mineral, Stage: s.Stage, Year: y,
					Production: wholeT(prod), Imports: wholeT(imp), Exports: wholeT(exp), Consumption: wholeT(prod) + wholeT(imp) - wholeT(exp),
					Source: "ILLUSTRATIVE: generated (docs/stockpile.md), calibrated to USGS MCS 2026 world production", Illustrative: true})
			}
		}
	}
	in, err := a.AsOf(date.MustParse("2026-07-01"))
	if err != nil {
		return nil, err
	}
	c := Check(in, &Flows{Years: g.Flows, Exposures: g.Exposures}, nil)
	for _, rc := range c.Regimes {
		s := in.Agreement.StockRegime(rc.Mineral, rc.Stage)
		for _, pc := range rc.Parties {
			if pc.Obligation <= 0 {
				continue
			}
			total := wholeT(pc.Obligation.Float() * (0.4 + 0.9*rng.Float64()))
			pub := total * 3 / 5 / 1000 * 1000
			second := s.Forms[min(1, len(s.Forms)-1)].Form
			d := date.MustParse("2026-07-01")
			g.Holdings = append(g.Holdings,
				Holding{Party: pc.Party, Mineral: rc.Mineral, Stage: rc.Stage, Date: d, Form: s.Forms[0].Form, Tonnes: pub, Holder: Public},
				Holding{Party: pc.Party, Mineral: rc.Mineral, Stage: rc.Stage, Date: d, Form: second, Tonnes: total - pub, Holder: Private})
		}
	}
	return g, nil
}

// worldProduction reads a chapter's world production table: the world
// total and each country's production, in tonnes, for 2024 and 2025.
func worldProduction(reg *registry.Registry, c *registry.Commodity) (world map[int]float64, byCountry map[string]map[int]float64) {
	world, byCountry = map[int]float64{}, map[string]map[int]float64{}
	for _, w := range c.World {
		scale := 1.0
		if strings.HasPrefix(w.Unit, "kilograms") {
			scale = 0.001
		}
		p24, p25 := w.Prod2024.Value.Float64()*scale, w.Prod2025.Value.Float64()*scale
		if strings.HasPrefix(w.Country, "World total") {
			world[2024], world[2025] = p24, p25
			continue
		}
		code, ok := reg.CountryCode(w.Country)
		if !ok {
			continue
		}
		if byCountry[code] == nil {
			byCountry[code] = map[int]float64{}
		}
		byCountry[code][2024] += p24
		byCountry[code][2025] += p25
	}
	return world, byCountry
}

// MCSProduction returns a country's production of a mineral in 2024 or 2025
// from the USGS MCS 2026 world production table (2024 for earlier years).
func MCSProduction(reg *registry.Registry, mineral string) func(country string, year int) (Kg, bool) {
	c, err := reg.MCS(mineral)
	if err != nil {
		return func(string, int) (Kg, bool) { return 0, false }
	}
	_, by := worldProduction(reg, c)
	return func(country string, year int) (Kg, bool) {
		q, ok := by[country]
		if !ok {
			return 0, false
		}
		return kgOf(q[max(2024, min(2025, year))]), true
	}
}

func usFlows(c *registry.Commodity, s agreement.Stockpile) ([]FlowYear, error) {
	rows, ok := usRows[s.Mineral]
	if !ok {
		return nil, fmt.Errorf("stockpile: no rule for the U.S. rows of %s in USGS MCS 2026", s.Mineral)
	}
	sum := func(which [][2]string, y int) (float64, bool) {
		var t float64
		found := false
		for _, r := range c.Salient {
			if r.Year != y {
				continue
			}
			for _, w := range which {
				if r.Section == w[0] && r.Statistic == w[1] {
					scale := 1.0
					if strings.HasPrefix(r.Unit, "kilograms") {
						scale = 0.001
					}
					t += r.Value.Value.Float64() * scale
					found = found || r.Value.Known
				}
			}
		}
		return t, found
	}
	var out []FlowYear
	for _, y := range GenYears {
		imp, ok1 := sum(rows.imports, y)
		exp, _ := sum(rows.exports, y)
		cons, ok3 := sum(rows.consumption, y)
		if !ok1 || !ok3 {
			return nil, fmt.Errorf("stockpile: USGS MCS 2026 %s gives no U.S. imports or consumption for %d", s.Mineral, y)
		}
		// Tonnes to the kilogram: gallium's kilograms stay exact.
		i, e, k := kgOf(imp), kgOf(exp), kgOf(cons)
		out = append(out, FlowYear{Party: "US", Mineral: s.Mineral, Stage: s.Stage, Year: y, Imports: i, Exports: e, Consumption: k,
			Production: max(0, k-i+e), Source: "USGS MCS 2026 " + c.Name + " (U.S. salient statistics; production = consumption − imports + exports)"})
	}
	return out, nil
}

func wholeT(t float64) Kg { return Kg(math.Round(math.Max(0, t))) * 1000 }
func kgOf(t float64) Kg   { return Kg(math.Round(t * 1000)) }

// WriteFlows writes flows as a flows file.
func WriteFlows(w io.Writer, fs []FlowYear) error {
	return writeCSV(w, FlowColumns, len(fs), func(i int) []string {
		f := fs[i]
		return []string{f.Party, f.Mineral, string(f.Stage), strconv.Itoa(f.Year), f.Production.Tonnes(), f.Imports.Tonnes(), f.Exports.Tonnes(), f.Consumption.Tonnes(), f.Source, strconv.FormatBool(f.Illustrative)}
	})
}

// WriteExposures writes exposures as an exposures file.
func WriteExposures(w io.Writer, es []Exposure) error {
	return writeCSV(w, ExposureColumns, len(es), func(i int) []string {
		e := es[i]
		return []string{e.Party, e.Mineral, string(e.Stage), e.Origin, e.Share.String()}
	})
}

// WriteHoldings writes holdings as a holdings file.
func WriteHoldings(w io.Writer, hs []Holding) error {
	return writeCSV(w, HoldingColumns, len(hs), func(i int) []string {
		h := hs[i]
		return []string{h.Party, h.Mineral, string(h.Stage), h.Date.String(), h.Form, h.Tonnes.Tonnes(), string(h.Holder)}
	})
}

// writeCSV writes a header and n rows.
func writeCSV(w io.Writer, header []string, n int, row func(int) []string) error {
	cw := csv.NewWriter(w)
	cw.Write(header)
	for i := range n {
		cw.Write(row(i))
	}
	cw.Flush()
	return cw.Error()
}

func decOf(x float64) dec.Decimal {
	d, _ := dec.FromFloat(x)
	return d
}

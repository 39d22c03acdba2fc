package main

import (
	"context"
	"fmt"
	"io"
	"strconv"

	"github.com/mineralpact/mineralpact/internal/market"
)

// Comparison is `simulate compare`: two designs over one scenario and the
// differences that matter to a negotiator.
type Comparison struct {
	Scenario    market.ScenarioInfo `json:"scenario"`
	A           string              `json:"a"`
	B           string              `json:"b"`
	Differences []CompareRow        `json:"differences"`
	ResultA     *market.Result      `json:"result_a"`
	ResultB     *market.Result      `json:"result_b"`
}

// CompareRow is one figure for both designs; Diff is B − A (null where the
// figure is not a number, such as a month).
type CompareRow struct {
	Metric string   `json:"metric"`
	A      string   `json:"a"`
	B      string   `json:"b"`
	Diff   *float64 `json:"b_minus_a"`

	// a and b are the figures of a numeric row, and places the decimals a
	// terminal shows them with.
	a, b   float64
	places int
}

func runSimulateCompare(ctx context.Context, args []string, s streams) error {
	o, err := parseSimFlags("simulate compare", args, true)
	if err != nil {
		return err
	}
	agB := o.agreements[len(o.agreements)-1]
	bar := newProgress(s, "design A", "paths")
	a, err := simulateOne(ctx, o, o.agreements[0], 1, bar.step)
	bar.done()
	if err != nil {
		return err
	}
	bar = newProgress(s, "design B", "paths")
	b, err := simulateOne(ctx, o, agB, o.floorScale, bar.step)
	bar.done()
	if err != nil {
		return err
	}
	nameB := agB
	if o.floorScale != 1 {
		nameB = fmt.Sprintf("%s, floor × %s", agB, strconv.FormatFloat(o.floorScale, 'f', -1, 64))
	}
	c := &Comparison{Scenario: a.Scenario, A: o.agreements[0], B: nameB, ResultA: a, ResultB: b, Differences: compareRows(a, b)}
	if o.format == "json" {
		return writeJSON(s.out, c)
	}
	return compareTable(s.out, c, simFigures{human: s.outTTY})
}

// compareRows lists the figures of both designs.
func compareRows(a, b *market.Result) []CompareRow {
	var rows []CompareRow
	numRow := func(metric string, places int, x, y float64) {
		d := y - x
		rows = append(rows, CompareRow{Metric: metric, A: num(x), B: num(y), Diff: &d, a: x, b: y, places: places})
	}
	textRow := func(metric, x, y string) {
		rows = append(rows, CompareRow{Metric: metric, A: x, B: y})
	}
	if a.Replay != nil || b.Replay != nil {
		textRow("replay", "-", "-")
		return rows
	}
	if len(a.Design.Floors) > 0 && len(b.Design.Floors) > 0 {
		numRow("floor at the start ("+a.Currency+"/"+a.Unit+")", pricePlaces, a.Design.Floors[0].Floor, b.Design.Floors[0].Floor)
	}
	for i, ra := range a.Comparison.Regions {
		if i >= len(b.Comparison.Regions) {
			break
		}
		rb := b.Comparison.Regions[i]
		numRow("mean price, "+ra.ID, pricePlaces, ra.MeanPrice, rb.MeanPrice)
	}
	for i, ra := range a.Comparison.Regions {
		if i < len(b.Comparison.Regions) {
			numRow("tariff revenue, "+ra.ID, moneyPlaces, ra.TariffRevenue, b.Comparison.Regions[i].TariffRevenue)
		}
	}
	numRow("cost to consumers in the zone", moneyPlaces, a.Comparison.ZoneConsumerCost, b.Comparison.ZoneConsumerCost)
	var wa, wb float64
	for i := range a.Comparison.Regions {
		wa += a.Comparison.Regions[i].Welfare
		if i < len(b.Comparison.Regions) {
			wb += b.Comparison.Regions[i].Welfare
		}
	}
	numRow("Δ world welfare against no agreement", moneyPlaces, wa, wb)
	numRow("projects committed", 0, float64(a.Comparison.ProjectsCommitted), float64(b.Comparison.ProjectsCommitted))
	numRow("producers closed", 0, float64(a.Comparison.ClosedDesign), float64(b.Comparison.ClosedDesign))
	if a.Central.Buffer != nil || b.Central.Buffer != nil {
		ex := func(r *market.Result) string {
			if r.Central.Buffer == nil {
				return "no buffer stock"
			}
			return dash(r.Central.Buffer.Exhausted)
		}
		textRow("buffer stock exhausted (central path)", ex(a), ex(b))
	}
	if a.MonteCarlo != nil && b.MonteCarlo != nil {
		n := len(a.Months) - 1
		numRow("Monte Carlo P50 price at the end, "+a.MonteCarlo.Region, pricePlaces, a.MonteCarlo.Price.P50[n], b.MonteCarlo.Price.P50[n])
		numRow("Monte Carlo P95 price at the end, "+a.MonteCarlo.Region, pricePlaces, a.MonteCarlo.Price.P95[n], b.MonteCarlo.Price.P95[n])
		numRow("probability the buffer stock is exhausted", sharePlaces, a.MonteCarlo.ExhaustionProbability, b.MonteCarlo.ExhaustionProbability)
	}
	return rows
}

func compareTable(w io.Writer, c *Comparison, f simFigures) error {
	writeScenarioHeader(w, c.ResultA, f)
	fmt.Fprintf(w, "\nA: %s\nB: %s\n\n", c.A, c.B)
	t := table{header: []string{"METRIC", "A", "B", "B − A"}}
	for _, r := range c.Differences {
		if r.Diff == nil {
			t.add(r.Metric, r.A, r.B, "-")
			continue
		}
		t.add(r.Metric, f.fixed(r.a, r.places), f.fixed(r.b, r.places), f.fixed(*r.Diff, r.places))
	}
	return t.writeText(w)
}

package market_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// twoLines are two variable duties of the United States on cobalt at the
// processed stage, each on its own tariff line, added after the example's
// us-vd-co-processed, which lists no line and exempts party origins. They
// differ in how they treat goods from a party, so the figure says which one
// applied: on 282200 (oxides) a party origin pays half, on 810520 (unwrought
// cobalt) all of it.
const twoLines = `      - id: us-vd-co-oxide
        type: variable_duty
        mineral: cobalt
        stage: processed
        hs: ["282200"]
        party_origin: {treatment: reduced, factor: 0.5}
        basis: "Art. 8.2"
      - id: us-vd-co-unwrought
        type: variable_duty
        mineral: cobalt
        stage: processed
        hs: ["810520"]
        party_origin: {treatment: full}
        basis: "Art. 8.2"
`

// twoLinesEnv is the shipped registry, the example agreement with twoLines at
// the end of the United States' schedule (just before Mexico, the next
// party), and its floors.
func twoLinesEnv(t *testing.T) market.Env {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	text := string(examples.Pact2026)
	i := strings.Index(text, "\n  - id: MX\n")
	if i < 0 {
		t.Fatal("examples/pact-2026.yaml: no party MX after the United States")
	}
	text = strings.TrimRight(text[:i], "\n") + "\n" + twoLines + text[i:]
	a, _, err := agreement.Load("two-lines.yaml", []byte(text), agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatalf("agreement.Load(example with two lines) = %v", err)
	}
	return market.Env{Registry: reg, Agreement: a, Floors: refprice.New(a, market.PriceSources(reg))}
}

// lineScenario is a one-month market in which Australia (a party) supplies
// the zone at cost + transport = border, so that the zone's floor levy per
// tonne imported is the variable duty on a tonne of contained cobalt from a
// party at that border price.
func lineScenario(t *testing.T, hs string, floor, cost, transport float64) *market.Scenario {
	t.Helper()
	sc, err := market.DecodeScenario("border-line.yaml", []byte(lineText(hs, floor, cost, transport)))
	if err != nil {
		t.Fatalf("DecodeScenario = %v", err)
	}
	return sc
}

func lineText(hs string, floor, cost, transport float64) string {
	line := ""
	if hs != "" {
		line = "  hs: \"" + hs + "\"\n"
	}
	return fmt.Sprintf(`version: 1
id: border-line
title: The variable duty of a tariff line
illustrative: true
notice: every figure is invented for the test
mineral: cobalt
stage: processed
unit: t
start: 2027-01-01
months: 1
design:
  duty_party: US
%sdemand:
  ref_price: %g
  ref_quantity: 12000
  elasticity: -0.5
regions:
  - {id: zone, countries: [parties], share: 0.5}
  - {id: AU, countries: [AU], share: 0.5}
transport:
  default: %g
supply:
  producers:
    - {id: au-1, country: AU, capacity: 1000000, cost: %g}
`, line, floor, transport, cost)
}

// assessOne assesses one declaration of 100 t at a content of 0.5 (50 t of
// cobalt) from Australia into the United States under code, valued FOB at
// border a tonne of contained cobalt, and returns its variable duty a tonne of
// cobalt.
func assessOne(t *testing.T, as *duty.Assessor, code string, on date.Date, border float64) float64 {
	t.Helper()
	decl := fmt.Sprintf(`{"id":"D1","accepted_on":"%s","importer":"US","origin":"AU","hs_code":"%s","quantity":"100","unit":"t","content":"0.5","customs_value":"%s","currency":"USD","incoterm":"FOB"}`+"\n",
		on, code, strconv.FormatFloat(border*50, 'f', 2, 64))
	var out, errs bytes.Buffer
	if _, err := as.AssessStream(context.Background(), strings.NewReader(decl), &out, &errs, duty.BulkOptions{Format: "jsonl", Workers: 1}); err != nil {
		t.Fatalf("AssessStream(%s) = %v", code, err)
	}
	if errs.Len() > 0 {
		t.Fatalf("AssessStream(%s) rejected the declaration: %s", code, errs.String())
	}
	var row struct {
		Stage        string `json:"stage"`
		VariableDuty string `json:"variable_duty"`
	}
	if err := json.Unmarshal(out.Bytes(), &row); err != nil {
		t.Fatalf("AssessStream(%s) output %q: %v", code, out.String(), err)
	}
	if row.Stage != "processed" {
		t.Fatalf("AssessStream(%s) stage = %q, want processed", code, row.Stage)
	}
	vd, err := strconv.ParseFloat(row.VariableDuty, 64)
	if err != nil {
		t.Fatal(err)
	}
	return vd / 50
}

// TestMarketLeviesWhatDutyAssesses: with two variable duties on different
// tariff lines of cobalt/processed (and the example's one without a line),
// the market simulating the design on a line levies, a tonne, what customs
// assesses on a declaration under that line: both ask the agreement for the
// instrument with the longest matching line. Before they shared the
// question, the market took the first variable duty of the schedule (the
// example's, which exempts party origins) whatever the line.
func TestMarketLeviesWhatDutyAssesses(t *testing.T) {
	env := twoLinesEnv(t)
	on := date.MustParse("2027-01-01")
	f, err := env.Floors.Floor("cobalt", "processed", on)
	if err != nil {
		t.Fatal(err)
	}
	floor := f.Price.Float64()
	cost, transport := math.Round(floor/2), 500.0
	border := cost + transport
	as, err := duty.New(env.Agreement, env.Registry, env.Floors)
	if err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct {
		hs, declared string // design.hs ("": the default) and the declaration's code
		instrument   string
		share        float64 // of floor − border a party origin pays
	}{
		{"28220000", "28220000", "US:us-vd-co-oxide", 0.5},
		{"81052060", "81052060", "US:us-vd-co-unwrought", 1},
		{"28332910", "28332910", "US:us-vd-co-processed", 0},
		// The default line is the stage's first in scope, 282200.
		{"", "28220000", "US:us-vd-co-oxide", 0.5},
	} {
		pl, err := market.Build(lineScenario(t, tt.hs, floor, cost, transport), env)
		if err != nil {
			t.Fatalf("Build(hs %q) = %v", tt.hs, err)
		}
		if got := pl.Design.VariableDuty; got != tt.instrument {
			t.Errorf("Build(hs %q).Design.VariableDuty = %s, want %s", tt.hs, got, tt.instrument)
		}
		if pl.Design.HS == "" {
			t.Errorf("Build(hs %q).Design.HS is empty; the lines decide here, so the result must name its line", tt.hs)
		}
		res, err := market.Run(context.Background(), pl, market.Options{})
		if err != nil {
			t.Fatal(err)
		}
		zone := res.Central.Months[0].Regions[0]
		if zone.Imports <= 0 {
			t.Fatalf("hs %q: the zone imports %v, want > 0", tt.hs, zone.Imports)
		}
		levy := zone.TariffRevenue.FloorLevy / zone.Imports
		assessed := assessOne(t, as, tt.declared, on, border)
		want := tt.share * (floor - border)
		// The duty is rounded to the cent on 50 t; the market's figures are floats.
		if math.Abs(levy-assessed) > 0.01/50+1e-9*floor || math.Abs(assessed-want) > 0.01/50+1e-9*floor {
			t.Errorf("hs %q: market levies %.6f a tonne, duty assesses %.6f under %s; want both %.6f", tt.hs, levy, assessed, tt.declared, want)
		}
	}
}

// TestDesignLineErrors: design.hs must be a tariff line of the stage in the
// agreement's scope.
func TestDesignLineErrors(t *testing.T) {
	_, err := market.Build(lineScenario(t, "26050000", 50000, 20000, 500), twoLinesEnv(t))
	if err == nil || !strings.Contains(err.Error(), "design.hs") || !strings.Contains(err.Error(), "26050000 is not a tariff line of cobalt/processed") {
		t.Errorf("Build(hs 26050000, a line of cobalt/mined) = %v, want a design.hs error", err)
	}
	_, err = market.DecodeScenario("border-line.yaml", []byte(lineText("2822", 50000, 20000, 500)))
	if err == nil || !strings.Contains(err.Error(), "design.hs") {
		t.Errorf("DecodeScenario(hs 2822) = %v, want a design.hs error", err)
	}
}

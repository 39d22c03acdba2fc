package service

import (
	"fmt"
	"io/fs"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/stockpile"
	"github.com/mineralpact/mineralpact/scenarios"
)

// StockpileCompliance is the served agreement's stockholding compliance on
// asOf over the shipped flows and ILLUSTRATIVE holdings (data/stockpile),
// for the API and the portal alike.
func (s Services) StockpileCompliance(asOf date.Date) (*stockpile.Compliance, error) {
	flows, hs, err := s.stockpileData()
	if err != nil {
		return nil, err
	}
	in, err := s.Agreement.AsOf(asOf)
	if err != nil {
		return nil, err
	}
	return stockpile.Check(in, flows, hs), nil
}

// StockpileOptions are what a response run may choose.
type StockpileOptions struct {
	Alone   bool
	Initial string // holdings or obligation; "" the default
	Days    int
	Paths   int
	Seed    *uint64
}

// StockpileRun wires a shipped scenario for stockpile.Simulate: the served
// agreement in force on the scenario's design date, the shipped flows and
// holdings, the published floors projected live past the last publication.
func (s Services) StockpileRun(scenario string, o StockpileOptions) (stockpile.ScenarioRun, error) {
	b, file, ok := scenarios.Get(scenario)
	if !ok {
		return stockpile.ScenarioRun{}, &problem.Error{Code: problem.NotFound, Field: "scenario",
			Message: fmt.Sprintf("no shipped scenario %q (shipped: %s)", scenario, strings.Join(scenarios.Names(), ", "))}
	}
	sc, err := market.DecodeScenario(file, b)
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	if s.Floors == nil {
		return stockpile.ScenarioRun{}, problem.Errorf(problem.Internal, "reference prices are not configured on this server")
	}
	in, err := s.Agreement.AsOf(sc.Design.AsOf)
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	flows, hs, err := s.stockpileData()
	if err != nil {
		return stockpile.ScenarioRun{}, err
	}
	if o.Initial != "" && o.Initial != "holdings" && o.Initial != "obligation" {
		return stockpile.ScenarioRun{}, &problem.Error{Code: problem.Invalid, Field: "initial", Message: fmt.Sprintf("initial %q: want holdings or obligation", o.Initial)}
	}
	if o.Days < 0 || o.Days > 3650 {
		return stockpile.ScenarioRun{}, &problem.Error{Code: problem.Invalid, Field: "days", Message: fmt.Sprintf("days must be 0 to 3650, got %d", o.Days)}
	}
	sr := stockpile.ScenarioRun{Scenario: sc, Env: market.Env{Registry: s.Registry, Agreement: s.Agreement, Floors: Projected{Published: s.Floors, Live: s.Prices}, Data: s.Data},
		In: in, Flows: flows, Holdings: hs, Production: stockpile.MCSProduction(s.Registry, sc.Mineral), Initial: o.Initial, Days: o.Days,
		Alone: o.Alone, Paths: o.Paths, MonteCarloWithout: o.Paths > 0, Seed: sc.MonteCarlo.Seed}
	if o.Seed != nil {
		sr.Seed = *o.Seed
	}
	return sr, nil
}

func (s Services) stockpileData() (*stockpile.Flows, []stockpile.Holding, error) {
	if s.Data == nil {
		return nil, nil, problem.Errorf(problem.Internal, "the data directory is not configured on this server")
	}
	d, err := cached(&stockpileShipped, stockpileKey{s.Data, s.Agreement}, func() (stockpileData, error) {
		flows, err := stockpile.ReadShipped(s.Data, s.Agreement)
		if err != nil {
			return stockpileData{}, err
		}
		hs, err := stockpile.ReadShippedHoldings(s.Data, s.Agreement)
		return stockpileData{flows, hs}, err
	})
	return d.flows, d.holdings, err
}

// stockpileShipped keeps the shipped flows and holdings read for an
// agreement: embedded files that do not change while the process runs, read
// once rather than on every page and request.
var stockpileShipped sync.Map // stockpileKey → stockpileData

type stockpileKey struct {
	data fs.FS
	a    *agreement.Agreement
}

type stockpileData struct {
	flows    *stockpile.Flows
	holdings []stockpile.Holding
}

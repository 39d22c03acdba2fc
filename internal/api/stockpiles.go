package api

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/stockpile"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Stockpiles (issue 15): GET /v1/stockpiles/compliance answers every
// party's obligation, countable holdings, shortfall and days of cover on a
// date, over the shipped flows and ILLUSTRATIVE holdings; POST
// /v1/stockpiles/responses queues a response plan for a shipped scenario as
// a job of the simulation queue, which GET /v1/stockpiles/responses/{id}
// reports on. docs/stockpile.md.
const (
	// stockpileRunPrefix marks a stockpile run among the simulation rows.
	stockpileRunPrefix = "stockpile:"
	// maxStockpilePaths bounds the Monte Carlo paths of one response run.
	maxStockpilePaths = 100_000
	maxStockpileBody  = 1 << 12
)

func (s *Server) stockpileCompliance(w http.ResponseWriter, r *http.Request) {
	asOf, err := asOfOf(r.URL.Query().Get("as_of"), true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	c, err := s.deps.StockpileCompliance(asOf)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if m := r.URL.Query().Get("mineral"); m != "" {
		var keep []stockpile.RegimeCompliance
		for _, rc := range c.Regimes {
			if rc.Mineral == m {
				keep = append(keep, rc)
			}
		}
		if keep == nil {
			writeError(w, r, &problem.Error{Code: problem.NotFound, Field: "mineral", Message: fmt.Sprintf("agreement %s has no stockholding regime for %q", c.Agreement, m)})
			return
		}
		c.Regimes = keep
	}
	writeJSON(w, http.StatusOK, c)
}

// stockpileResponseRequest is the body of POST /v1/stockpiles/responses.
type stockpileResponseRequest struct {
	Scenario string  `json:"scenario"`
	Alone    bool    `json:"alone,omitempty"`
	Initial  string  `json:"initial,omitempty"`
	Days     int     `json:"days,omitempty"`
	Paths    int     `json:"paths,omitempty"`
	Seed     *uint64 `json:"seed,omitempty"`
}

func (s *Server) submitStockpileResponse(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxStockpileBody)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in stockpileResponseRequest
	if err := decodeStrict(body, &in); err != nil {
		writeError(w, r, err)
		return
	}
	if in.Scenario == "" {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "scenario", Message: "scenario (a shipped scenario's name) is required"})
		return
	}
	if in.Paths < 0 || in.Paths > maxStockpilePaths {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "paths", Message: fmt.Sprintf("paths must be 0 to %d, got %d", maxStockpilePaths, in.Paths)})
		return
	}
	sr, err := s.deps.StockpileRun(in.Scenario, service.StockpileOptions{Alone: in.Alone, Initial: in.Initial, Days: in.Days, Paths: in.Paths, Seed: in.Seed})
	if err != nil {
		writeError(w, r, err)
		return
	}
	if s.deps.Store == nil || s.deps.Simulations == nil {
		writeError(w, r, problem.Errorf(unavailable, "a response plan runs as a job, which needs a store and a simulation queue"))
		return
	}
	now := time.Now().UTC() // the adapter's clock, never an engine's
	sim := store.Simulation{ID: newSimulationID(), Status: store.SimulationQueued, Scenario: stockpileRunPrefix + in.Scenario, AgreementHash: s.hash,
		Request: body, CreatedAt: now, UpdatedAt: now}
	sim, err = s.deps.Simulations.SubmitWork(r.Context(), sim, func(ctx context.Context, progress func(int, int)) ([]byte, []byte, error) {
		sr.Progress = progress
		res, err := stockpile.Simulate(ctx, sr)
		if err != nil {
			return nil, nil, err
		}
		full, err := json.Marshal(res)
		if err != nil {
			return nil, nil, err
		}
		summary, err := json.Marshal(summarizeResponse(res))
		return full, summary, err
	})
	writeQueued(w, r, err, "/v1/stockpiles/responses/"+sim.ID, func() any { return stockpileRunOf(sim) })
}

// responseSummary is what stays of a response run once its result expires:
// the triggers and each response's totals.
type responseSummary struct {
	Scenario  string                   `json:"scenario"`
	Triggers  []stockpile.TriggerEvent `json:"triggers"`
	Responses []responseTotals         `json:"responses"`
}

type responseTotals struct {
	Response            string  `json:"response"`
	MeanPrice           float64 `json:"mean_price"`
	PeakPrice           float64 `json:"peak_price"`
	ShortageUnitMonths  float64 `json:"shortage_unit_months"`
	Released            string  `json:"released,omitempty"`
	ProbabilityShortage float64 `json:"probability_of_shortage,omitempty"`
}

func summarizeResponse(sim *stockpile.Simulation) responseSummary {
	out := responseSummary{Scenario: sim.Scenario.ID, Triggers: sim.Assessment.Triggers}
	for _, o := range []*stockpile.Outcome{sim.Without, sim.Coordinated, sim.Alone} {
		if o == nil {
			continue
		}
		t := responseTotals{Response: o.Response, MeanPrice: o.MeanPrice, PeakPrice: o.PeakPrice, ShortageUnitMonths: o.ShortageTonneMonths}
		if o.Plan != nil {
			t.Released = o.Plan.Released.Tonnes()
		}
		if o.MonteCarlo != nil {
			t.ProbabilityShortage = o.MonteCarlo.Probability
		}
		out.Responses = append(out.Responses, t)
	}
	return out
}

// stockpileRun is a queued response run as the API reports it.
type stockpileRun struct {
	jobBody
	Scenario string `json:"scenario"`
}

func stockpileRunOf(sim store.Simulation) stockpileRun {
	return stockpileRun{jobBody: jobOf(sim), Scenario: strings.TrimPrefix(sim.Scenario, stockpileRunPrefix)}
}

func (s *Server) getStockpileResponse(w http.ResponseWriter, r *http.Request) {
	sim, err := s.queuedRun(r, "response")
	if err == nil && !strings.HasPrefix(sim.Scenario, stockpileRunPrefix) {
		err = &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no stockpile response run %q", sim.ID)}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, stockpileRunOf(sim))
}

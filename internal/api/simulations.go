package api

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/scenarios"
)

// Simulations: POST /v1/simulations runs a scenario under the served
// agreement (or one sent with the request); a short run (paths × months up to
// syncPathMonths) answers at once, a longer one is queued and answers 202 with
// the run's id, which GET /v1/simulations/{id} reports on — status, progress
// and, once done, the result. Runs go to the store, so any API node can answer
// for a run another node is doing or has done.
const (
	// syncPathMonths is the largest run answered at once: 200 paths of 120
	// months, about a quarter of a second on two cores.
	syncPathMonths = 24_000
	// maxAPIPaths bounds the paths of one run.
	maxAPIPaths = 100_000
	// SimQueue is how many long runs may wait; SimWorkers how many run at a
	// time (each uses every core): serve's service.NewSimulations takes them.
	SimQueue   = 8
	SimWorkers = 1
	// maxSimRequest bounds a request's body (an inline scenario and agreement).
	maxSimRequest = 4 << 20
)

// simulationRequest is the body of POST /v1/simulations.
type simulationRequest struct {
	Scenario     string   `json:"scenario,omitempty"`      // a shipped scenario
	ScenarioYAML string   `json:"scenario_yaml,omitempty"` // or a scenario file's text
	Agreement    string   `json:"agreement,omitempty"`     // an agreement file's text; default the served agreement
	FloorScale   *float64 `json:"floor_scale,omitempty"`   // multiplies the design's floor (a variant)
	Paths        *int     `json:"paths,omitempty"`         // default the scenario's
	Seed         *uint64  `json:"seed,omitempty"`          // default the scenario's
}

// simulationBody is a run as the API reports it.
type simulationBody struct {
	jobBody
	Scenario string `json:"scenario"`
}

// jobBody is what the API reports of any queued run (a simulation, a
// projects run): the store's row, whatever its engine.
type jobBody struct {
	ID            string          `json:"id"`
	Status        string          `json:"status"`
	Progress      float64         `json:"progress"`
	AgreementHash string          `json:"agreement_hash"`
	CreatedAt     time.Time       `json:"created_at"`
	UpdatedAt     time.Time       `json:"updated_at"`
	Error         string          `json:"error,omitempty"`
	Result        json.RawMessage `json:"result,omitempty"`
	// Summary is the result without its paths; it stays once the result
	// expires (ResultExpiresAt). A run answered at once keeps only it.
	Summary         json.RawMessage `json:"summary,omitempty"`
	ResultExpiresAt *time.Time      `json:"result_expires_at,omitempty"`
	ResultExpired   bool            `json:"result_expired,omitempty"`
}

func bodyOf(s store.Simulation) simulationBody {
	return simulationBody{jobBody: jobOf(s), Scenario: s.Scenario}
}

func jobOf(s store.Simulation) jobBody {
	b := jobBody{ID: s.ID, Status: s.Status, Progress: s.Progress, AgreementHash: s.AgreementHash,
		CreatedAt: s.CreatedAt, UpdatedAt: s.UpdatedAt, Error: s.Error, ResultExpired: s.ResultExpired}
	if len(s.Result) > 0 {
		b.Result = s.Result
	}
	if len(s.Summary) > 0 {
		b.Summary = s.Summary
	}
	if !s.ExpiresAt.IsZero() {
		t := s.ExpiresAt
		b.ResultExpiresAt = &t
	}
	return b
}

func (s *Server) postSimulation(w http.ResponseWriter, r *http.Request) {
	req, err := decodeSimulationRequest(r)
	if err != nil {
		writeError(w, r, err)
		return
	}
	plan, hash, opts, err := s.planSimulation(req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	reqJSON, _ := json.Marshal(req)
	now := time.Now().UTC() // the adapter's clock, never an engine's
	sim := store.Simulation{ID: newSimulationID(), Status: store.SimulationQueued, Scenario: plan.Scenario.ID, AgreementHash: hash,
		Request: reqJSON, CreatedAt: now, UpdatedAt: now}
	if opts.Paths*len(plan.Months) <= syncPathMonths {
		s.shortSimulation(w, r, sim, plan, opts)
		return
	}
	if s.deps.Store == nil || s.deps.Simulations == nil {
		writeError(w, r, problem.Errorf(unavailable, "a run of %d paths × %d months is queued, which needs a store and a simulation queue; ask for at most %d path-months", opts.Paths, len(plan.Months), syncPathMonths))
		return
	}
	// Submit stores the run only once the queue has room: a refused run
	// leaves no row.
	sim, err = s.deps.Simulations.Submit(r.Context(), sim, plan, opts)
	writeQueued(w, r, err, "/v1/simulations/"+sim.ID, func() any { return bodyOf(sim) })
}

// writeQueued answers the submission of a queued run (a simulation, a
// projects run): 202 with where to follow it and body, or 503 with
// Retry-After when the queue is full or closing.
func writeQueued(w http.ResponseWriter, r *http.Request, err error, location string, body func() any) {
	if errors.Is(err, service.ErrBusy) || errors.Is(err, service.ErrClosed) {
		w.Header().Set("Retry-After", "30")
		writeError(w, r, problem.Errorf(unavailable, "%v", err))
		return
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	w.Header().Set("Location", location)
	writeJSON(w, http.StatusAccepted, body())
}

// shortSimulation answers a short run at once, on one core. Each token may
// have service.SimConfig.SyncPerToken of them under way or waiting, and the
// node runs SyncTotal at a time, a run waiting SyncWait at most for its
// turn: past that, 429 and nothing stored. A run answered
// stores its summary only, the result being in the answer.
func (s *Server) shortSimulation(w http.ResponseWriter, r *http.Request, sim store.Simulation, plan *market.Plan, opts market.Options) {
	if q := s.deps.Simulations; q != nil {
		release, err := q.Acquire(r.Context(), auth.From(r.Context()).TokenID)
		if errors.Is(err, service.ErrClosed) || r.Context().Err() != nil {
			writeError(w, r, problem.Errorf(unavailable, "%v", err))
			return
		}
		if err != nil {
			per, total := q.Limits()
			w.Header().Set("Retry-After", "1")
			writeJSON(w, http.StatusTooManyRequests, errorBody{errorDetail{Code: problem.TooMany,
				Message: fmt.Sprintf("too many short simulations under way (at most %d a token, %d at a time on this server): try again when one is answered", per, total)}})
			return
		}
		defer release()
		opts.Workers = 1 // a short run takes one core: assessments keep the others
	}
	res, err := market.Run(r.Context(), plan, opts)
	if err != nil {
		writeError(w, r, err)
		return
	}
	out, err := json.Marshal(res)
	if err != nil {
		writeError(w, r, err)
		return
	}
	sim.Status, sim.Progress, sim.UpdatedAt = store.SimulationDone, 1, time.Now().UTC()
	if sim.Summary, err = service.Summary(res); err != nil {
		writeError(w, r, err)
		return
	}
	if s.deps.Store != nil {
		if err := s.deps.Store.PutSimulation(r.Context(), sim); err != nil { // the summary only: the answer has the result
			slog.Warn("api: storing a simulation", "id", sim.ID, "err", err)
		}
	}
	b := bodyOf(sim)
	b.Result = out
	writeJSON(w, http.StatusOK, b)
}

func (s *Server) getSimulation(w http.ResponseWriter, r *http.Request) {
	sim, err := s.queuedRun(r, "simulation")
	if err == nil && strings.HasPrefix(sim.Scenario, projectRunPrefix) {
		err = &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no simulation %q (it is a projects run: GET /v1/projects/runs/%s)", sim.ID, sim.ID)}
	}
	if err == nil && strings.HasPrefix(sim.Scenario, stockpileRunPrefix) {
		err = &problem.Error{Code: problem.NotFound, Field: "id", Message: fmt.Sprintf("no simulation %q (it is a stockpile response run: GET /v1/stockpiles/responses/%s)", sim.ID, sim.ID)}
	}
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, bodyOf(sim))
}

// queuedRun reads the run of the queue the path's id names; noun names the
// kind of run in the error of a malformed id.
func (s *Server) queuedRun(r *http.Request, noun string) (store.Simulation, error) {
	id := r.PathValue("id")
	if err := store.CheckSimulationID(id); err != nil {
		return store.Simulation{}, &problem.Error{Code: problem.Invalid, Field: "id", Message: fmt.Sprintf("%s id %q: want lowercase letters, digits and dashes", noun, id)}
	}
	if s.deps.Store == nil {
		return store.Simulation{}, problem.Errorf(unavailable, "no store configured")
	}
	return s.deps.Store.GetSimulation(r.Context(), id)
}

// decodeSimulationRequest reads the body strictly.
func decodeSimulationRequest(r *http.Request) (*simulationRequest, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, maxSimRequest+1))
	if err != nil {
		return nil, &problem.Error{Code: problem.Invalid, Message: "cannot read the request body"}
	}
	if len(body) > maxSimRequest {
		return nil, &problem.Error{Code: problem.Invalid, Message: fmt.Sprintf("request body is larger than %d bytes", maxSimRequest)}
	}
	var req simulationRequest
	if err := decodeStrict(body, &req); err != nil {
		return nil, err
	}
	switch {
	case req.Scenario == "" && req.ScenarioYAML == "":
		return nil, &problem.Error{Code: problem.Invalid, Field: "scenario", Message: "scenario (a shipped scenario's name) or scenario_yaml (a scenario file's text) is required"}
	case req.Scenario != "" && req.ScenarioYAML != "":
		return nil, &problem.Error{Code: problem.Invalid, Field: "scenario", Message: "give scenario or scenario_yaml, not both"}
	}
	if req.Paths != nil && (*req.Paths < 0 || *req.Paths > maxAPIPaths) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "paths", Message: fmt.Sprintf("paths must be 0 to %d, got %d", maxAPIPaths, *req.Paths)}
	}
	if f := req.FloorScale; f != nil && (*f <= 0 || *f > 100 || math.IsNaN(*f)) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "floor_scale", Message: fmt.Sprintf("floor_scale must be above 0 and at most 100, got %g", *f)}
	}
	return &req, nil
}

// planSimulation builds the run: the scenario, the agreement (served or sent)
// and the options. It returns the agreement's hash.
func (s *Server) planSimulation(req *simulationRequest) (*market.Plan, string, market.Options, error) {
	var opts market.Options
	var sc *market.Scenario
	var err error
	if req.Scenario != "" {
		b, file, ok := scenarios.Get(req.Scenario)
		if !ok {
			return nil, "", opts, &problem.Error{Code: problem.NotFound, Field: "scenario", Message: fmt.Sprintf("no shipped scenario %q (shipped: %v)", req.Scenario, scenarios.Names())}
		}
		sc, err = market.DecodeScenario(file, b)
	} else {
		sc, err = market.DecodeScenario("scenario_yaml", []byte(req.ScenarioYAML))
	}
	if err != nil {
		return nil, "", opts, err
	}
	if req.FloorScale != nil {
		base := sc.Design.FloorScale
		if base == 0 {
			base = 1
		}
		sc.Design.FloorScale = base * *req.FloorScale
	}
	// The served agreement is judged against its published floors, projected
	// live past the last publication; an agreement sent with the request is
	// a preview, computed live throughout.
	env := market.Env{Registry: s.deps.Registry, Agreement: s.deps.Agreement, Data: s.deps.Data}
	if s.deps.Floors != nil {
		env.Floors = service.Projected{Published: s.deps.Floors, Live: s.deps.Prices}
	}
	hash := s.hash
	if req.Agreement != "" {
		if s.deps.NewPrices == nil {
			return nil, "", opts, &problem.Error{Code: problem.Invalid, Field: "agreement", Message: "this server simulates its served agreement only"}
		}
		a, _, err := agreement.Load("agreement", []byte(req.Agreement), agreement.RegistryCatalog(s.deps.Registry))
		if err != nil {
			return nil, "", opts, err
		}
		if hash, err = a.Hash(); err != nil {
			return nil, "", opts, err
		}
		env.Agreement, env.Floors = a, s.deps.NewPrices(a)
	}
	if env.Floors == nil && sc.Kind != market.KindReplay {
		return nil, "", opts, problem.Errorf(unavailable, "reference prices are not configured on this server")
	}
	plan, err := market.Build(sc, env)
	if err != nil {
		return nil, "", opts, err
	}
	opts.Paths, opts.Seed = sc.MonteCarlo.Paths, sc.MonteCarlo.Seed
	if req.Paths != nil {
		opts.Paths = *req.Paths
	}
	if req.Seed != nil {
		opts.Seed = *req.Seed
	}
	if sc.Kind == market.KindReplay {
		opts.Paths = 0
	}
	return plan, hash, opts, nil
}

// newSimulationID returns 16 random hex digits.
func newSimulationID() string {
	var b [8]byte
	rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

package api

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/auth"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/projects"
	"github.com/mineralpact/mineralpact/internal/service"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/scenarios"
)

// Projects (issue 17): GET /v1/projects lists the served pipelines (public:
// the pipeline is data); GET /v1/projects/{id} values one project at once;
// POST /v1/projects:value and POST /v1/projects:rank answer a short run at
// once and queue a long one as a job of the simulation queue (the same
// store rows, leases and expiry as a simulation run), which GET
// /v1/projects/runs/{id} reports on. docs/projects.md, "API".
const (
	// projectRunPrefix marks a projects run among the simulation rows.
	projectRunPrefix = "projects:"
	// maxProjectPaths bounds the paths of one valuation or ranking.
	maxProjectPaths = 100_000
	// syncProjectWork is the largest GBM run answered at once, in path-years
	// of valuation: 500 projects × 1,000 paths × 30 years, about a second.
	syncProjectWork = 15_000_000
	// maxProjectRequest bounds a request's body (an inline offtake contract).
	maxProjectRequest = 1 << 20
)

// pipelines returns the served pipelines: the shipped ones of the data
// directory and the illustrative example.
func (s *Server) pipelines() ([]*projects.Pipeline, error) {
	return service.Pipelines(s.deps.Data, s.deps.Registry)
}

// pipelineOf returns the served pipeline id (example: the illustrative
// example's projects-2026).
func pipelineOf(ps []*projects.Pipeline, id string) (*projects.Pipeline, error) {
	if id == "example" {
		id = projects.ExampleID
	}
	var ids []string
	for _, p := range ps {
		if p.ID == id {
			return p, nil
		}
		ids = append(ids, p.ID)
	}
	return nil, &problem.Error{Code: problem.NotFound, Field: "pipeline", Message: fmt.Sprintf("no pipeline %q (served: %s)", id, strings.Join(ids, ", "))}
}

// findProject returns the pipeline holding project id: the one named, or
// the only one that has it.
func (s *Server) findProject(pipeline, id string) (*projects.Pipeline, *projects.Project, error) {
	ps, err := s.pipelines()
	if err != nil {
		return nil, nil, err
	}
	if pipeline != "" {
		p, err := pipelineOf(ps, pipeline)
		if err != nil {
			return nil, nil, err
		}
		if pr := p.Project(id); pr != nil {
			return p, pr, nil
		}
		return nil, nil, &problem.Error{Code: problem.NotFound, Field: "project", Message: fmt.Sprintf("no project %q in pipeline %s", id, p.ID)}
	}
	var hits []*projects.Pipeline
	for _, p := range ps {
		if p.Project(id) != nil {
			hits = append(hits, p)
		}
	}
	switch len(hits) {
	case 0:
		return nil, nil, &problem.Error{Code: problem.NotFound, Field: "project", Message: fmt.Sprintf("no project %q in any served pipeline", id)}
	case 1:
		return hits[0], hits[0].Project(id), nil
	}
	return nil, nil, &problem.Error{Code: problem.Invalid, Field: "pipeline", Message: fmt.Sprintf("project %q is in more than one pipeline: name the pipeline", id)}
}

// pipelineSummary is a served pipeline as the list gives it.
type pipelineSummary struct {
	ID           string `json:"id"`
	Title        string `json:"title,omitempty"`
	Currency     string `json:"currency"`
	Illustrative bool   `json:"illustrative"`
	Notice       string `json:"notice,omitempty"`
	File         string `json:"file"`
	Projects     int    `json:"projects"`
}

// projectSummary is one project of the list: what it is, not what it is
// worth.
type projectSummary struct {
	Pipeline      string            `json:"pipeline"`
	Illustrative  bool              `json:"illustrative"`
	ID            string            `json:"id"`
	Name          string            `json:"name"`
	Mineral       string            `json:"mineral"`
	Stage         string            `json:"stage"`
	Country       string            `json:"country"`
	Owner         string            `json:"owner,omitempty"`
	OwnerID       string            `json:"owner_id,omitempty"` // the owner's id in the ownership register
	Unit          string            `json:"unit"`
	Capacity      float64           `json:"capacity_per_year"`
	Capital       float64           `json:"capital"`
	UnitOpex      float64           `json:"unit_opex"`
	LifeYears     int               `json:"life_years"`
	LeadTimeYears int               `json:"lead_time_years"`
	Supported     bool              `json:"public_support"`
	Sources       []projects.Source `json:"sources"`
}

// ListProjects is what GET /v1/projects answers (and the portal shows).
type ListProjects struct {
	Pipelines []pipelineSummary `json:"pipelines"`
	Projects  []projectSummary  `json:"projects"`
}

func summarizeProject(p *projects.Pipeline, pr *projects.Project) projectSummary {
	ps := projectSummary{Pipeline: p.ID, Illustrative: p.Illustrative, ID: pr.ID, Name: pr.Name, Mineral: pr.Mineral, Stage: string(pr.Stage), Country: pr.Country, Owner: pr.Owner, OwnerID: pr.OwnerID,
		Unit: pr.Capacity.Unit, Capacity: pr.Capacity.PerYear, Capital: pr.Capital.Total, UnitOpex: pr.UnitOpex, LifeYears: pr.LifeYears, LeadTimeYears: pr.LeadTimeYears,
		Supported: pr.Support != nil, Sources: pr.Sources}
	if ps.Sources == nil {
		ps.Sources = []projects.Source{}
	}
	return ps
}

// Projects returns the served pipelines and their projects, filtered by
// pipeline and mineral ("" for all).
func (s *Server) Projects(pipeline, mineral string) (*ListProjects, error) {
	ps, err := s.pipelines()
	if err != nil {
		return nil, err
	}
	if pipeline != "" {
		p, err := pipelineOf(ps, pipeline)
		if err != nil {
			return nil, err
		}
		ps = []*projects.Pipeline{p}
	}
	out := &ListProjects{Pipelines: []pipelineSummary{}, Projects: []projectSummary{}}
	for _, p := range ps {
		out.Pipelines = append(out.Pipelines, pipelineSummary{ID: p.ID, Title: p.Title, Currency: p.Currency, Illustrative: p.Illustrative, Notice: p.Notice, File: p.File(), Projects: len(p.Projects)})
		for i := range p.Projects {
			if pr := &p.Projects[i]; mineral == "" || pr.Mineral == mineral {
				out.Projects = append(out.Projects, summarizeProject(p, pr))
			}
		}
	}
	return out, nil
}

func (s *Server) listProjects(w http.ResponseWriter, r *http.Request) {
	out, err := s.Projects(r.URL.Query().Get("pipeline"), r.URL.Query().Get("mineral"))
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, out)
}

// projectValueRequest is the body of POST /v1/projects:value (and the query
// of GET /v1/projects/{id}).
type projectValueRequest struct {
	Pipeline    string   `json:"pipeline,omitempty"`
	Project     string   `json:"project"`
	AsOf        string   `json:"as_of,omitempty"`
	Floor       *float64 `json:"floor,omitempty"`
	Scenario    string   `json:"scenario,omitempty"` // a shipped scenario
	Paths       *int     `json:"paths,omitempty"`
	Seed        *uint64  `json:"seed,omitempty"`
	OfftakeYAML string   `json:"offtake_yaml,omitempty"` // an offtake contract's text
}

// projectRankRequest is the body of POST /v1/projects:rank.
type projectRankRequest struct {
	Pipeline string   `json:"pipeline"`
	Parties  []string `json:"parties"`
	AsOf     string   `json:"as_of"`
	Mineral  string   `json:"mineral,omitempty"`
	Budget   float64  `json:"budget,omitempty"`
	Scenario string   `json:"scenario,omitempty"`
	Paths    *int     `json:"paths,omitempty"`
	Seed     *uint64  `json:"seed,omitempty"`
}

// projectRankAnswer is a ranking with what it was made under.
type projectRankAnswer struct {
	Pipeline     string   `json:"pipeline"`
	Illustrative bool     `json:"illustrative"`
	Notice       string   `json:"notice,omitempty"`
	Agreement    string   `json:"agreement"`
	AsOf         string   `json:"as_of"`
	Warnings     []string `json:"warnings,omitempty"`
	// Each ranked project carries its owner screening (owner_screening),
	// against the shipped ownership register.
	*projects.Ranking
}

// projectEnv is what a valuation reads: the served agreement and its
// published floors, projected live past the last publication, and the
// shipped ownership register the projects' owner_id name.
func (s *Server) projectEnv() (projects.Env, error) {
	if s.deps.Floors == nil {
		return projects.Env{}, problem.Errorf(unavailable, "reference prices are not configured on this server")
	}
	owners, err := s.ownershipRegister()
	if err != nil {
		return projects.Env{}, err
	}
	return projects.Env{Registry: s.deps.Registry, Agreement: s.deps.Agreement, Floors: service.Projected{Published: s.deps.Floors, Live: s.deps.Prices}, Data: s.deps.Data, Ownership: owners}, nil
}

func scenarioNamed(name string) (*market.Scenario, error) {
	if name == "" {
		return nil, nil
	}
	b, file, ok := scenarios.Get(name)
	if !ok {
		return nil, &problem.Error{Code: problem.NotFound, Field: "scenario", Message: fmt.Sprintf("no shipped scenario %q (shipped: %v)", name, scenarios.Names())}
	}
	return market.DecodeScenario(file, b)
}

func pathsOf(p *int, def int) (int, error) {
	if p == nil {
		return def, nil
	}
	if *p < 1 || *p > maxProjectPaths {
		return 0, &problem.Error{Code: problem.Invalid, Field: "paths", Message: fmt.Sprintf("paths must be 1 to %d, got %d", maxProjectPaths, *p)}
	}
	return *p, nil
}

func asOfOf(s string, required bool) (date.Date, error) {
	if s == "" && !required {
		return date.Date{}, nil
	}
	d, err := agreement.ParseAsOf(s)
	if err != nil {
		return d, &problem.Error{Code: problem.Invalid, Field: "as_of", Message: "as_of: want a date YYYY-MM-DD (the server never reads its clock)"}
	}
	return d, nil
}

// valueJob is a valuation ready to run, and whether it is long.
type valueJob struct {
	p    *projects.Pipeline
	env  projects.Env
	req  projects.ValueRequest
	long bool
}

func (s *Server) planValue(in projectValueRequest) (*valueJob, error) {
	if in.Project == "" {
		return nil, &problem.Error{Code: problem.Invalid, Field: "project", Message: "project is required"}
	}
	p, pr, err := s.findProject(in.Pipeline, in.Project)
	if err != nil {
		return nil, err
	}
	env, err := s.projectEnv()
	if err != nil {
		return nil, err
	}
	sc, err := scenarioNamed(in.Scenario)
	if err != nil {
		return nil, err
	}
	def := 10_000
	if sc != nil {
		def = 1000
	}
	n, err := pathsOf(in.Paths, def)
	if err != nil {
		return nil, err
	}
	asOf, err := asOfOf(in.AsOf, in.Floor == nil && sc == nil)
	if err != nil {
		return nil, err
	}
	if f := in.Floor; f != nil && !(*f >= 0) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "floor", Message: fmt.Sprintf("floor must be ≥ 0, got %g", *f)}
	}
	req := projects.ValueRequest{Project: pr.ID, AsOf: asOf, Floor: in.Floor, Scenario: sc, Paths: n, Seed: 1}
	if in.Seed != nil {
		req.Seed, req.SeedGiven = *in.Seed, true
	}
	if in.OfftakeYAML != "" {
		if req.Offtake, err = projects.DecodeOfftake("offtake_yaml", []byte(in.OfftakeYAML), p); err != nil {
			return nil, err
		}
	}
	j := &valueJob{p: p, env: env, req: req}
	if sc != nil {
		j.long = n*sc.Months > syncPathMonths
	} else {
		j.long = n*pr.Horizon() > syncProjectWork
	}
	return j, nil
}

// getProject values a project at once: GET takes short runs only.
func (s *Server) getProject(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	in := projectValueRequest{Pipeline: q.Get("pipeline"), Project: r.PathValue("id"), AsOf: q.Get("as_of"), Scenario: q.Get("scenario")}
	for _, f := range []struct {
		name string
		set  func(string) error
	}{
		{"paths", func(v string) error { n, err := strconv.Atoi(v); in.Paths = &n; return err }},
		{"seed", func(v string) error { n, err := strconv.ParseUint(v, 10, 64); in.Seed = &n; return err }},
		{"floor", func(v string) error { x, err := strconv.ParseFloat(v, 64); in.Floor = &x; return err }},
	} {
		if v := q.Get(f.name); v != "" {
			if err := f.set(v); err != nil {
				writeError(w, r, &problem.Error{Code: problem.Invalid, Field: f.name, Message: fmt.Sprintf("%s: %q is not a number", f.name, v)})
				return
			}
		}
	}
	j, err := s.planValue(in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if j.long {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "paths", Message: "too long a run to answer at once: POST it to /v1/projects:value, which queues it"})
		return
	}
	s.answerValue(w, r, j)
}

func (s *Server) answerValue(w http.ResponseWriter, r *http.Request, j *valueJob) {
	if j.req.Scenario != nil {
		release, ok := s.shortRun(w, r)
		if !ok {
			return
		}
		defer release()
		j.req.Workers = 1
	}
	v, err := j.p.Value(r.Context(), j.env, j.req)
	if err != nil {
		writeError(w, r, err)
		return
	}
	writeJSON(w, http.StatusOK, v)
}

// shortRun takes a place among the node's short runs for a run of the
// market feed answered at once (as a short simulation); false when it has
// answered 429 or 503.
func (s *Server) shortRun(w http.ResponseWriter, r *http.Request) (func(), bool) {
	q := s.deps.Simulations
	if q == nil {
		return func() {}, true
	}
	release, err := q.Acquire(r.Context(), auth.From(r.Context()).TokenID)
	if errors.Is(err, service.ErrClosed) || r.Context().Err() != nil {
		writeError(w, r, problem.Errorf(unavailable, "%v", err))
		return nil, false
	}
	if err != nil {
		per, total := q.Limits()
		w.Header().Set("Retry-After", "1")
		writeError(w, r, problem.Errorf(problem.TooMany, "too many short runs under way (at most %d a token, %d at a time on this server): try again when one is answered", per, total))
		return nil, false
	}
	return release, true
}

func (s *Server) valueProject(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxProjectRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in projectValueRequest
	if err := decodeStrict(body, &in); err != nil {
		writeError(w, r, err)
		return
	}
	j, err := s.planValue(in)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !j.long {
		s.answerValue(w, r, j)
		return
	}
	s.queueProjectRun(w, r, "value "+j.p.ID+"/"+j.req.Project, body, func(ctx context.Context, progress func(int, int)) ([]byte, []byte, error) {
		j.req.Progress = progress
		v, err := j.p.Value(ctx, j.env, j.req)
		if err != nil {
			return nil, nil, err
		}
		res, err := json.Marshal(v)
		if err != nil {
			return nil, nil, err
		}
		sum := *v
		sum.CashFlows, sum.Fan = nil, nil
		summary, err := json.Marshal(sum)
		return res, summary, err
	})
}

func (s *Server) rankProjects(w http.ResponseWriter, r *http.Request) {
	body, err := readBody(w, r, maxProjectRequest)
	if err != nil {
		writeError(w, r, err)
		return
	}
	var in projectRankRequest
	if err := decodeStrict(body, &in); err != nil {
		writeError(w, r, err)
		return
	}
	ps, err := s.pipelines()
	if err != nil {
		writeError(w, r, err)
		return
	}
	if in.Pipeline == "" {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "pipeline", Message: "pipeline is required"})
		return
	}
	p, err := pipelineOf(ps, in.Pipeline)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if len(in.Parties) == 0 {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "parties", Message: "name at least one party (e.g. [\"US\", \"MX\"])"})
		return
	}
	asOf, err := asOfOf(in.AsOf, true)
	if err != nil {
		writeError(w, r, err)
		return
	}
	env, err := s.projectEnv()
	if err != nil {
		writeError(w, r, err)
		return
	}
	sc, err := scenarioNamed(in.Scenario)
	if err != nil {
		writeError(w, r, err)
		return
	}
	n, err := pathsOf(in.Paths, 1000)
	if err != nil {
		writeError(w, r, err)
		return
	}
	if !(in.Budget >= 0) {
		writeError(w, r, &problem.Error{Code: problem.Invalid, Field: "budget", Message: fmt.Sprintf("budget must be ≥ 0, got %g", in.Budget)})
		return
	}
	req := projects.RankRequest{Parties: in.Parties, AsOf: asOf, Mineral: in.Mineral, Budget: in.Budget, Scenario: sc, Paths: n, Seed: 1}
	if in.Seed != nil {
		req.Seed, req.SeedGiven = *in.Seed, true
	}
	years, count := 1, 0
	for i := range p.Projects {
		pr := &p.Projects[i]
		if sc != nil && (pr.Mineral != sc.Mineral || string(pr.Stage) != sc.Stage) || in.Mineral != "" && pr.Mineral != in.Mineral {
			continue
		}
		years, count = max(years, pr.Horizon()), count+1
	}
	long := count*n*years > syncProjectWork
	if sc != nil {
		long = n*sc.Months > syncPathMonths
	}
	run := func(ctx context.Context, progress func(int, int)) (*projectRankAnswer, error) {
		req.Progress = progress
		rk, warnings, err := p.RankFor(ctx, env, req)
		if err != nil {
			return nil, err
		}
		return &projectRankAnswer{Pipeline: p.ID, Illustrative: p.Illustrative, Notice: p.Notice, Agreement: env.Agreement.ID, AsOf: asOf.String(), Warnings: warnings,
			Ranking: rk}, nil
	}
	if !long {
		if sc != nil {
			release, ok := s.shortRun(w, r)
			if !ok {
				return
			}
			defer release()
			req.Workers = 1
		}
		out, err := run(r.Context(), nil)
		if err != nil {
			writeError(w, r, err)
			return
		}
		writeJSON(w, http.StatusOK, out)
		return
	}
	s.queueProjectRun(w, r, "rank "+p.ID, body, func(ctx context.Context, progress func(int, int)) ([]byte, []byte, error) {
		out, err := run(ctx, progress)
		if err != nil {
			return nil, nil, err
		}
		res, err := json.Marshal(out)
		return res, res, err
	})
}

// queueProjectRun stores a long run as a job of the simulation queue and
// answers 202 with where to follow it.
func (s *Server) queueProjectRun(w http.ResponseWriter, r *http.Request, what string, request []byte, work service.Work) {
	if s.deps.Store == nil || s.deps.Simulations == nil {
		writeError(w, r, problem.Errorf(unavailable, "a long projects run is queued, which needs a store and a simulation queue; ask for fewer paths"))
		return
	}
	now := time.Now().UTC() // the adapter's clock, never an engine's
	sim := store.Simulation{ID: newSimulationID(), Status: store.SimulationQueued, Scenario: projectRunPrefix + what, AgreementHash: s.hash,
		Request: request, CreatedAt: now, UpdatedAt: now}
	sim, err := s.deps.Simulations.SubmitWork(r.Context(), sim, work)
	writeQueued(w, r, err, "/v1/projects/runs/"+sim.ID, func() any { return projectRunOf(sim) })
}

// projectRunOf is a queued projects run as the API reports it: a job of
// the simulation queue, named by its run rather than a scenario.
func projectRunOf(sim store.Simulation) prefixedRun { return prefixedRunOf(sim, projectRunPrefix) }

func (s *Server) getProjectRun(w http.ResponseWriter, r *http.Request) {
	s.getPrefixedRun(w, r, projectRunPrefix, "projects run")
}

package store

import (
	"context"
	"encoding/json"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// The states of a stored simulation.
const (
	SimulationQueued  = "queued"
	SimulationRunning = "running"
	SimulationDone    = "done"
	SimulationFailed  = "failed"
)

// Simulation is one market simulation run through the API: its request, its
// progress and, once done, its result, so that any API node can answer for a
// run another node is doing or has done.
type Simulation struct {
	// ID is chosen by the caller: 1 to 64 characters of [a-z0-9-].
	ID string
	// Status is queued, running, done or failed.
	Status string
	// Scenario and AgreementHash say what was simulated.
	Scenario      string
	AgreementHash string
	// Request is the request as JSON.
	Request []byte
	// Progress is the share of the work done, 0 to 1.
	Progress float64
	// Result is the result as JSON once done; Error the message once failed.
	// A result is the run's detail: it is dropped at ExpiresAt (zero: kept)
	// and the Summary kept. A run answered at once keeps only its summary.
	Result []byte
	Error  string
	// Summary is the result without its paths, as JSON: what stays of a
	// done run once its result expires.
	Summary []byte
	// ExpiresAt is when the result is dropped (ExpireSimulations); zero:
	// never. ResultExpired, on reading, says it was.
	ExpiresAt     time.Time
	ResultExpired bool
	// Owner names the node that queued or runs the run, and LeaseUntil how
	// long its claim holds: the owner renews it (RenewSimulations); past
	// it, any node fails the run once (ReclaimSimulations).
	Owner      string
	LeaseUntil time.Time
	// CreatedAt and UpdatedAt are set by the caller; kept to Precision, in UTC.
	CreatedAt, UpdatedAt time.Time
}

// Simulations keeps simulation runs.
type Simulations interface {
	// PutSimulation stores a new run; an ID already stored is a
	// problem.Conflict error.
	PutSimulation(ctx context.Context, s Simulation) error
	// UpdateSimulation sets a run's status, progress, result and error and
	// its UpdatedAt; an unknown ID is a problem.NotFound error. A run that is
	// done or failed no longer changes (a problem.Conflict error).
	UpdateSimulation(ctx context.Context, s Simulation) error
	// GetSimulation returns the run with the given ID, or a problem.NotFound
	// error naming it.
	GetSimulation(ctx context.Context, id string) (Simulation, error)
	// RenewSimulations sets the lease of owner's runs not finished to until
	// and returns how many it renewed.
	RenewSimulations(ctx context.Context, owner string, until time.Time) (int, error)
	// ReclaimSimulations fails, with reason and at now, every run queued or
	// running whose lease ended before now (or that has none: a run of a
	// node older than leases), and returns their IDs. Each such run is
	// failed exactly once however many nodes reclaim at the same time.
	ReclaimSimulations(ctx context.Context, now time.Time, reason string) ([]string, error)
	// ExpireSimulations drops the result of every run whose ExpiresAt is
	// not after now, keeping its summary, and returns how many it dropped.
	ExpireSimulations(ctx context.Context, now time.Time) (int, error)
}

// CheckSimulation reports what is wrong with s before a store writes it.
func CheckSimulation(s Simulation) error {
	var l problem.List
	if err := CheckSimulationID(s.ID); err != nil {
		l.Add(problem.Pos{}, "id", "%s", messageOf(err))
	}
	switch s.Status {
	case SimulationQueued, SimulationRunning, SimulationDone, SimulationFailed:
	default:
		l.Add(problem.Pos{}, "status", "store: simulation %s: status %q is not queued, running, done or failed", s.ID, s.Status)
	}
	if s.Progress < 0 || s.Progress > 1 || s.Progress != s.Progress {
		l.Add(problem.Pos{}, "progress", "store: simulation %s: progress %g is not between 0 and 1", s.ID, s.Progress)
	}
	if len(s.Request) == 0 || !json.Valid(s.Request) {
		l.Add(problem.Pos{}, "request", "store: simulation %s: request is not valid JSON", s.ID)
	}
	if len(s.Result) > 0 && !json.Valid(s.Result) {
		l.Add(problem.Pos{}, "result", "store: simulation %s: result is not valid JSON", s.ID)
	}
	if len(s.Summary) > 0 && !json.Valid(s.Summary) {
		l.Add(problem.Pos{}, "summary", "store: simulation %s: summary is not valid JSON", s.ID)
	}
	if s.Status == SimulationDone && len(s.Result) == 0 && len(s.Summary) == 0 {
		l.Add(problem.Pos{}, "result", "store: simulation %s: a done run needs its result or its summary", s.ID)
	}
	if s.CreatedAt.IsZero() || s.UpdatedAt.IsZero() {
		l.Add(problem.Pos{}, "created_at", "store: simulation %s: created-at and updated-at times are required", s.ID)
	}
	return l.Err()
}

// CheckSimulationID reports whether id is a valid simulation ID.
func CheckSimulationID(id string) error {
	if len(id) == 0 || len(id) > 64 {
		return problem.Errorf(problem.Invalid, "store: simulation id %q: want 1 to 64 characters", id)
	}
	for i := 0; i < len(id); i++ {
		if c := id[i]; !('a' <= c && c <= 'z' || '0' <= c && c <= '9' || c == '-') {
			return problem.Errorf(problem.Invalid, "store: simulation id %q: want lowercase letters, digits and dashes", id)
		}
	}
	return nil
}

// Finished reports whether a run no longer changes.
func (s Simulation) Finished() bool {
	return s.Status == SimulationDone || s.Status == SimulationFailed
}

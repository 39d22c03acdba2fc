package storetest

import (
	"bytes"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

var simulationTests = []struct {
	name string
	run  func(t *testing.T, s store.Store)
}{
	{"simulation lifecycle", testSimulationLifecycle},
	{"simulation conflict and not found", testSimulationConflict},
	{"invalid simulation", testInvalidSimulation},
}

func simulation(id string) store.Simulation {
	return store.Simulation{ID: id, Status: store.SimulationQueued, Scenario: "cobalt-drc-2025",
		AgreementHash: "0f1e2d3c4b5a69788796a5b4c3d2e1f00f1e2d3c4b5a69788796a5b4c3d2e1f0",
		Request:       []byte(`{"scenario": "cobalt-drc-2025", "paths": 1000}`), CreatedAt: base, UpdatedAt: base}
}

// testSimulationLifecycle: queued → running with progress → done with its
// result, read back byte for byte; a finished run no longer changes.
func testSimulationLifecycle(t *testing.T, s store.Store) {
	sim := simulation("run-1")
	if err := s.PutSimulation(ctx(t), sim); err != nil {
		t.Fatalf("PutSimulation error: %v", err)
	}
	got, err := s.GetSimulation(ctx(t), "run-1")
	if err != nil {
		t.Fatalf("GetSimulation error: %v", err)
	}
	if got.Status != store.SimulationQueued || !bytes.Equal(got.Request, sim.Request) || !got.CreatedAt.Equal(store.Time(base)) || got.Result != nil {
		t.Errorf("GetSimulation = %+v, want the queued run as put", got)
	}
	sim.Status, sim.Progress, sim.UpdatedAt = store.SimulationRunning, 0.25, base.Add(1e9)
	if err := s.UpdateSimulation(ctx(t), sim); err != nil {
		t.Fatalf("UpdateSimulation(running) error: %v", err)
	}
	result := []byte(`{"months": ["2025-01"], "price": [26100.5]}`)
	sim.Status, sim.Progress, sim.Result, sim.UpdatedAt = store.SimulationDone, 1, result, base.Add(2e9)
	if err := s.UpdateSimulation(ctx(t), sim); err != nil {
		t.Fatalf("UpdateSimulation(done) error: %v", err)
	}
	got, err = s.GetSimulation(ctx(t), "run-1")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.SimulationDone || got.Progress != 1 || !bytes.Equal(got.Result, result) || !got.UpdatedAt.Equal(store.Time(base.Add(2e9))) {
		t.Errorf("after done, GetSimulation = %+v, want done, progress 1 and the result byte for byte", got)
	}
	sim.Status = store.SimulationFailed
	sim.Error = "too late"
	wantCode(t, "UpdateSimulation(finished run)", s.UpdateSimulation(ctx(t), sim), problem.Conflict, "no longer changes")
}

func testSimulationConflict(t *testing.T, s store.Store) {
	if err := s.PutSimulation(ctx(t), simulation("run-2")); err != nil {
		t.Fatal(err)
	}
	wantCode(t, "PutSimulation(same id)", s.PutSimulation(ctx(t), simulation("run-2")), problem.Conflict, "already exists")
	_, err := s.GetSimulation(ctx(t), "no-such-run")
	wantCode(t, "GetSimulation(unknown)", err, problem.NotFound, "no-such-run")
	wantCode(t, "UpdateSimulation(unknown)", s.UpdateSimulation(ctx(t), simulation("no-such-run")), problem.NotFound, "no-such-run")
}

func testInvalidSimulation(t *testing.T, s store.Store) {
	bad := simulation("Bad ID!")
	bad.Status = "paused"
	bad.Request = []byte("{")
	bad.Progress = 2
	wantCode(t, "PutSimulation(invalid)", s.PutSimulation(ctx(t), bad), problem.Invalid, "id", "status", "progress", "request")
	done := simulation("run-3")
	done.Status = store.SimulationDone
	wantCode(t, "PutSimulation(done without result)", s.PutSimulation(ctx(t), done), problem.Invalid, "needs its result")
}

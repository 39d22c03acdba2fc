package storetest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

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
	{"simulation leases reclaimed once", testSimulationReclaim},
	{"simulation reclaimed once by racing nodes", testSimulationReclaimRace},
	{"simulation results expire, summaries stay", testSimulationExpiry},
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
	wantCode(t, "PutSimulation(done without result)", s.PutSimulation(ctx(t), done), problem.Invalid, "needs its result or its summary")
}

// testSimulationReclaim: a run whose owner stopped renewing its lease, and
// one stored without a lease, are failed with the reason, naming the node,
// once; a run whose lease holds, and a finished one, are left alone; the
// owner's later update of a reclaimed run is refused.
func testSimulationReclaim(t *testing.T, s store.Store) {
	now := base.Add(time.Hour)
	dead := simulation("lease-dead")
	dead.Status, dead.Owner, dead.LeaseUntil = store.SimulationRunning, "node-dead", now.Add(-time.Second)
	live := simulation("lease-live")
	live.Owner, live.LeaseUntil = "node-live", now.Add(-time.Second)
	legacy := simulation("lease-none")
	done := simulation("lease-done")
	done.Status, done.Result, done.Owner, done.LeaseUntil = store.SimulationDone, []byte(`{}`), "node-dead", now.Add(-time.Minute)
	for _, sim := range []store.Simulation{dead, live, legacy, done} {
		if err := s.PutSimulation(ctx(t), sim); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.RenewSimulations(ctx(t), "node-live", now.Add(30*time.Second)); err != nil || n != 1 {
		t.Fatalf("RenewSimulations(node-live) = %d, %v, want 1 run renewed", n, err)
	}
	ids, err := s.ReclaimSimulations(ctx(t), now, "interrupted: its node stopped")
	if err != nil {
		t.Fatal(err)
	}
	slices.Sort(ids)
	if !slices.Equal(ids, []string{"lease-dead", "lease-none"}) {
		t.Errorf("ReclaimSimulations = %v, want [lease-dead lease-none]", ids)
	}
	got, err := s.GetSimulation(ctx(t), "lease-dead")
	if err != nil {
		t.Fatal(err)
	}
	if got.Status != store.SimulationFailed || !strings.Contains(got.Error, "interrupted: its node stopped") || !strings.Contains(got.Error, "node-dead") {
		t.Errorf("reclaimed run = %s %q, want failed with the reason and the node", got.Status, got.Error)
	}
	if got, _ := s.GetSimulation(ctx(t), "lease-live"); got.Status != store.SimulationQueued || !got.LeaseUntil.Equal(store.Time(now.Add(30*time.Second))) {
		t.Errorf("run with a renewed lease = %s until %v, want queued until %v", got.Status, got.LeaseUntil, now.Add(30*time.Second))
	}
	if ids, err := s.ReclaimSimulations(ctx(t), now, "again"); err != nil || len(ids) != 0 {
		t.Errorf("second ReclaimSimulations = %v, %v, want nothing: each run is reclaimed once", ids, err)
	}
	dead.Status, dead.Progress, dead.Result, dead.UpdatedAt = store.SimulationDone, 1, []byte(`{}`), now
	wantCode(t, "UpdateSimulation(reclaimed run)", s.UpdateSimulation(ctx(t), dead), problem.Conflict, "no longer changes")
}

// testSimulationReclaimRace: several nodes reclaiming at once fail each
// expired run exactly once between them.
func testSimulationReclaimRace(t *testing.T, s store.Store) {
	now := base.Add(2 * time.Hour)
	const runs, nodes = 40, 4
	for i := range runs {
		sim := simulation(fmt.Sprintf("race-%d", i))
		sim.Owner, sim.LeaseUntil = "node-gone", now.Add(-time.Minute)
		if err := s.PutSimulation(ctx(t), sim); err != nil {
			t.Fatal(err)
		}
	}
	var mu sync.Mutex
	seen := map[string]int{}
	var wg sync.WaitGroup
	for n := range nodes {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ids, err := s.ReclaimSimulations(ctx(t), now, fmt.Sprintf("reclaimed by node %d", n))
			if err != nil {
				t.Errorf("node %d: ReclaimSimulations: %v", n, err)
			}
			mu.Lock()
			for _, id := range ids {
				seen[id]++
			}
			mu.Unlock()
		}()
	}
	wg.Wait()
	if len(seen) != runs {
		t.Errorf("%d nodes reclaimed %d runs between them, want %d", nodes, len(seen), runs)
	}
	for id, n := range seen {
		if n != 1 {
			t.Errorf("run %s reclaimed %d times, want once", id, n)
		}
	}
}

// testSimulationExpiry: a done run's result is dropped at its expiry and
// its summary kept; a run answered at once is stored with its summary only.
func testSimulationExpiry(t *testing.T, s store.Store) {
	at := base.Add(3 * time.Hour)
	sim := simulation("expiring")
	sim.Status, sim.Progress, sim.Result, sim.Summary, sim.ExpiresAt = store.SimulationDone, 1, []byte(`{"months": ["2025-01"], "price": [1]}`), []byte(`{"regions": ["us"]}`), at
	keep := simulation("kept")
	keep.Status, keep.Progress, keep.Result, keep.Summary, keep.ExpiresAt = store.SimulationDone, 1, []byte(`{"price": [2]}`), []byte(`{}`), at.Add(time.Hour)
	sync := simulation("summary-only")
	sync.Status, sync.Progress, sync.Summary = store.SimulationDone, 1, []byte(`{"regions": ["eu"]}`)
	for _, x := range []store.Simulation{sim, keep, sync} {
		if err := s.PutSimulation(ctx(t), x); err != nil {
			t.Fatal(err)
		}
	}
	if n, err := s.ExpireSimulations(ctx(t), at.Add(-time.Second)); err != nil || n != 0 {
		t.Errorf("ExpireSimulations before the expiry = %d, %v, want 0", n, err)
	}
	if n, err := s.ExpireSimulations(ctx(t), at); err != nil || n != 1 {
		t.Errorf("ExpireSimulations at the expiry = %d, %v, want 1", n, err)
	}
	got, err := s.GetSimulation(ctx(t), "expiring")
	if err != nil {
		t.Fatal(err)
	}
	if got.Result != nil || !got.ResultExpired || !bytes.Equal(got.Summary, sim.Summary) || !got.ExpiresAt.Equal(store.Time(at)) {
		t.Errorf("expired run = result %s, expired %v, summary %s, expires %v; want no result, expired, the summary kept", got.Result, got.ResultExpired, got.Summary, got.ExpiresAt)
	}
	if got, _ := s.GetSimulation(ctx(t), "kept"); got.Result == nil || got.ResultExpired {
		t.Errorf("run not yet expired lost its result: %+v", got)
	}
	if got, _ := s.GetSimulation(ctx(t), "summary-only"); got.Result != nil || got.ResultExpired || !bytes.Equal(got.Summary, sync.Summary) {
		t.Errorf("summary-only run = %+v, want its summary, no result, not expired", got)
	}
}

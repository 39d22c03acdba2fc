package service

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
	"github.com/mineralpact/mineralpact/internal/store/postgres"
	"github.com/mineralpact/mineralpact/internal/store/postgres/pgtest"
	"github.com/mineralpact/mineralpact/internal/store/sqlite"
)

// simStores opens n connections ("nodes") to one store of each kind: an
// SQLite file, and a PostgreSQL schema when MINERALPACT_TEST_POSTGRES is set.
func simStores(t *testing.T, n int) map[string][]store.Store {
	t.Helper()
	ctx := context.Background()
	out := map[string][]store.Store{}
	file := filepath.Join(t.TempDir(), "sims.db")
	for range n {
		st, err := sqlite.Open(ctx, file)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { st.Close() })
		out["sqlite"] = append(out["sqlite"], st)
	}
	if dsn := pgDSN(t); dsn != "" {
		for range n {
			st, err := postgres.Open(ctx, dsn)
			if err != nil {
				t.Fatal(err)
			}
			t.Cleanup(func() { st.Close() })
			out["postgres"] = append(out["postgres"], st)
		}
	}
	return out
}

// pgDSN is a fresh PostgreSQL schema's DSN, or "" when PostgreSQL tests are off.
func pgDSN(t *testing.T) string {
	if os.Getenv(pgtest.EnvDSN) == "" {
		return ""
	}
	return pgtest.DSN(t)
}

func run(id, status, owner string, lease time.Time) store.Simulation {
	now := time.Now().UTC()
	return store.Simulation{ID: id, Status: status, Scenario: "cobalt-drc-2025", AgreementHash: strings.Repeat("ab", 32),
		Request: []byte(`{"scenario": "cobalt-drc-2025", "paths": 5000}`), Owner: owner, LeaseUntil: lease, CreatedAt: now, UpdatedAt: now}
}

// counting records the runs each node's store reclaims.
type counting struct {
	store.Simulations
	mu   *sync.Mutex
	seen map[string]int
}

func (c counting) ReclaimSimulations(ctx context.Context, now time.Time, reason string) ([]string, error) {
	ids, err := c.Simulations.ReclaimSimulations(ctx, now, reason)
	c.mu.Lock()
	for _, id := range ids {
		c.seen[id]++
	}
	c.mu.Unlock()
	return ids, err
}

// TestSimulationsSurviveDeadNode: runs left queued or running by a node
// that died (its lease ran out) are failed with the reason exactly once when
// three nodes start at the same time over one store; a run whose node lives
// is left alone.
func TestSimulationsSurviveDeadNode(t *testing.T) {
	for kind, nodes := range simStores(t, 3) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			past, future := time.Now().Add(-time.Minute), time.Now().Add(time.Hour)
			for i := range 20 {
				status := store.SimulationQueued
				if i%2 == 0 {
					status = store.SimulationRunning
				}
				if err := nodes[0].PutSimulation(ctx, run(fmt.Sprintf("dead-%d", i), status, "node-dead", past)); err != nil {
					t.Fatal(err)
				}
			}
			if err := nodes[0].PutSimulation(ctx, run("live-1", store.SimulationQueued, "node-live", future)); err != nil {
				t.Fatal(err)
			}
			var mu sync.Mutex
			seen := map[string]int{}
			var wg sync.WaitGroup
			for _, st := range nodes {
				wg.Add(1)
				go func() {
					defer wg.Done()
					q := NewSimulations(counting{st, &mu, seen}, 1, 2)
					q.Close()
				}()
			}
			wg.Wait()
			if len(seen) != 20 {
				t.Errorf("3 nodes starting reclaimed %d runs between them, want the 20 of the dead node", len(seen))
			}
			for id, n := range seen {
				if n != 1 || !strings.HasPrefix(id, "dead-") {
					t.Errorf("run %s reclaimed %d times, want each dead node's run once", id, n)
				}
			}
			got, err := nodes[1].GetSimulation(ctx, "dead-3")
			if err != nil {
				t.Fatal(err)
			}
			if got.Status != store.SimulationFailed || !strings.Contains(got.Error, "lease ran out") || !strings.Contains(got.Error, "node-dead") {
				t.Errorf("dead node's run = %s %q, want failed, saying why and naming the node", got.Status, got.Error)
			}
			if got, _ := nodes[2].GetSimulation(ctx, "live-1"); got.Status != store.SimulationQueued {
				t.Errorf("a live node's run = %s, want it left queued", got.Status)
			}
		})
	}
}

// TestSimulationsLeaseRenewed: a node's queued run outlives many leases
// while the node lives, and other nodes leave it alone; once the node stops
// renewing (it died), another node fails it.
func TestSimulationsLeaseRenewed(t *testing.T) {
	for kind, nodes := range simStores(t, 2) {
		t.Run(kind, func(t *testing.T) {
			ctx := context.Background()
			a := NewSimulations(nodes[0], 0, 1) // no worker: its run waits
			a.Configure(SimConfig{Lease: 300 * time.Millisecond})
			sim, err := a.Submit(ctx, run("waiting", store.SimulationQueued, "", time.Time{}), nil, market.Options{})
			if err != nil {
				t.Fatal(err)
			}
			if sim.Owner != a.Node() {
				t.Errorf("submitted run's owner = %q, want the node %q", sim.Owner, a.Node())
			}
			time.Sleep(time.Second) // more than three leases
			var reclaimed []string
			if reclaimed, err = nodes[1].ReclaimSimulations(ctx, time.Now(), "by b"); err != nil || len(reclaimed) != 0 {
				t.Errorf("another node reclaimed %v, %v while the owner lives, want nothing", reclaimed, err)
			}
			a.cancel() // the node dies: its upkeep stops, nothing is failed
			a.wg.Wait()
			time.Sleep(400 * time.Millisecond)
			if reclaimed, err = nodes[1].ReclaimSimulations(ctx, time.Now(), "by b"); err != nil || len(reclaimed) != 1 {
				t.Errorf("another node reclaimed %v, %v after the owner died, want its run", reclaimed, err)
			}
		})
	}
}

// TestSimulationsRefusedStoreNothing: a run refused on a full or closed
// queue leaves no row.
func TestSimulationsRefusedStoreNothing(t *testing.T) {
	st := simStores(t, 1)["sqlite"][0]
	ctx := context.Background()
	q := NewSimulations(st, 0, 1)
	if _, err := q.Submit(ctx, run("first", store.SimulationQueued, "", time.Time{}), nil, market.Options{}); err != nil {
		t.Fatal(err)
	}
	if _, err := q.Submit(ctx, run("refused", store.SimulationQueued, "", time.Time{}), nil, market.Options{}); !errors.Is(err, ErrBusy) {
		t.Errorf("Submit on a full queue = %v, want ErrBusy", err)
	}
	if _, err := st.GetSimulation(ctx, "refused"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("the refused run is stored (%v), want no row", err)
	}
	q.Close()
	if got, _ := st.GetSimulation(ctx, "first"); got.Status != store.SimulationFailed || !strings.Contains(got.Error, "shut down") {
		t.Errorf("run queued at Close = %s %q, want failed saying the server shut down", got.Status, got.Error)
	}
	if _, err := q.Submit(ctx, run("late", store.SimulationQueued, "", time.Time{}), nil, market.Options{}); !errors.Is(err, ErrClosed) {
		t.Errorf("Submit on a closed queue = %v, want ErrClosed", err)
	}
	if _, err := st.GetSimulation(ctx, "late"); problem.CodeOf(err) != problem.NotFound {
		t.Errorf("the run refused after Close is stored (%v), want no row", err)
	}
}

// TestSimulationsAcquire: short runs are bounded per token (under way or
// waiting) and per node, a run waiting its turn up to SyncWait.
func TestSimulationsAcquire(t *testing.T) {
	q := NewSimulations(simStores(t, 1)["sqlite"][0], 0, 1)
	defer q.Close()
	ctx := context.Background()
	q.Configure(SimConfig{SyncPerToken: 1, SyncTotal: 2, SyncWait: 50 * time.Millisecond})
	r1, err := q.Acquire(ctx, "tok_a")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := q.Acquire(ctx, "tok_a"); !errors.Is(err, ErrTooMany) {
		t.Errorf("a second short run of one token = %v, want ErrTooMany", err)
	}
	r2, err := q.Acquire(ctx, "tok_b")
	if err != nil {
		t.Fatalf("another token's short run = %v, want a place", err)
	}
	if _, err := q.Acquire(ctx, "tok_c"); !errors.Is(err, ErrTooMany) {
		t.Errorf("a third short run on a node of 2 = %v, want ErrTooMany after waiting", err)
	}
	go func() {
		time.Sleep(10 * time.Millisecond)
		r1()
		r1() // twice: given back once
	}()
	r3, err := q.Acquire(ctx, "tok_c")
	if err != nil {
		t.Errorf("a short run whose place frees while it waits = %v, want the place", err)
	} else {
		r3()
	}
	r2()
}

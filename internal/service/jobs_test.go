package service

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// TestSubmitWork runs works of another engine through the simulation
// queue, on each store: one done with its result, summary and expiry,
// its progress written; one failed with its message; and a queue closed
// under a running work records it as interrupted.
func TestSubmitWork(t *testing.T) {
	for kind, sts := range simStores(t, 1) {
		t.Run(kind, func(t *testing.T) {
			st := sts[0]
			q := NewSimulations(st, 1, 4)
			defer q.Close()
			ctx := context.Background()
			wait := func(id string) store.Simulation {
				t.Helper()
				for end := time.Now().Add(20 * time.Second); time.Now().Before(end); time.Sleep(20 * time.Millisecond) {
					s, err := st.GetSimulation(ctx, id)
					if err != nil {
						t.Fatal(err)
					}
					if s.Finished() {
						return s
					}
				}
				t.Fatalf("run %s did not finish", id)
				return store.Simulation{}
			}
			ok := run("work-ok", store.SimulationQueued, "", time.Time{})
			ok.Scenario = "projects:value example/li-brine-mx"
			if _, err := q.SubmitWork(ctx, ok, func(ctx context.Context, progress func(int, int)) ([]byte, []byte, error) {
				progress(1, 2)
				return []byte(`{"floor_value": 1}`), []byte(`{"floor_value": 1}`), nil
			}); err != nil {
				t.Fatal(err)
			}
			got := wait("work-ok")
			if got.Status != store.SimulationDone || string(got.Result) != `{"floor_value": 1}` || len(got.Summary) == 0 || got.ExpiresAt.IsZero() || got.Owner != q.Node() {
				t.Errorf("a done work = %+v", got)
			}
			bad := run("work-bad", store.SimulationQueued, "", time.Time{})
			if _, err := q.SubmitWork(ctx, bad, func(context.Context, func(int, int)) ([]byte, []byte, error) {
				return nil, nil, problem.Errorf(problem.Invalid, "no floor for nickel/processed")
			}); err != nil {
				t.Fatal(err)
			}
			if got := wait("work-bad"); got.Status != store.SimulationFailed || got.Error != "no floor for nickel/processed" {
				t.Errorf("a failed work = %s %q", got.Status, got.Error)
			}
			started := make(chan struct{})
			long := run("work-long", store.SimulationQueued, "", time.Time{})
			if _, err := q.SubmitWork(ctx, long, func(ctx context.Context, _ func(int, int)) ([]byte, []byte, error) {
				close(started)
				<-ctx.Done()
				return nil, nil, errors.New("cancelled")
			}); err != nil {
				t.Fatal(err)
			}
			<-started
			q.Close()
			if got := wait("work-long"); got.Status != store.SimulationFailed || got.Error != "interrupted: the server shut down during the run; submit the run again" {
				t.Errorf("a work interrupted by Close = %s %q", got.Status, got.Error)
			}
		})
	}
}

package service

import (
	"context"
	"time"

	"github.com/mineralpact/mineralpact/internal/store"
)

// Work is a long run of an engine other than the market simulation (the
// projects engine's valuations and rankings, issue 17), queued, leased,
// reclaimed and expired exactly as a simulation run: it reports its
// progress and returns its result and summary as JSON.
type Work func(ctx context.Context, progress func(done, total int)) (result, summary []byte, err error)

// SubmitWork stores sim as queued, owned by this node under its lease, and
// queues w to run in its turn among the simulation runs; see Submit.
func (s *Simulations) SubmitWork(ctx context.Context, sim store.Simulation, w Work) (store.Simulation, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.closed {
		return sim, ErrClosed
	}
	if len(s.queue) >= cap(s.queue) {
		return sim, ErrBusy
	}
	sim.Status, sim.Owner, sim.LeaseUntil = store.SimulationQueued, s.node, time.Now().UTC().Add(s.cfg.Lease)
	if err := s.st.PutSimulation(ctx, sim); err != nil {
		return sim, err
	}
	s.queue <- job{sim: sim, work: w}
	return sim, nil
}

package service

import (
	"context"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Errors Submit returns; the API answers both as "unavailable".
var (
	ErrBusy   = errors.New("too many simulation runs waiting; try again later")
	ErrClosed = errors.New("the server is shutting down; try another node or later")
)

// progressEvery is how often a running job writes its progress.
const progressEvery = 300 * time.Millisecond

// Simulations is the bounded queue of long simulation runs. Jobs run one
// after another on each worker, writing their progress and result to the
// store, so any API node can answer for a run another node is doing. Close
// stops it: the running job is cancelled and, like every job still waiting,
// recorded as failed with the reason, so no run is left "running" by a node
// that stopped.
type Simulations struct {
	st     store.Simulations
	queue  chan job
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex // guards closed and sending on queue
	closed bool
}

type job struct {
	sim  store.Simulation
	plan *market.Plan
	opts market.Options
}

// NewSimulations starts workers that run jobs from a queue of at most
// waiting runs, recording them in st.
func NewSimulations(st store.Simulations, workers, waiting int) *Simulations {
	ctx, cancel := context.WithCancel(context.Background())
	s := &Simulations{st: st, queue: make(chan job, waiting), ctx: ctx, cancel: cancel}
	for range workers {
		s.wg.Add(1)
		go s.work()
	}
	return s
}

// Submit queues the run sim (already stored as queued) of plan with opts.
// A full queue is ErrBusy and a closed one ErrClosed; either way the run is
// recorded as failed with the reason.
func (s *Simulations) Submit(sim store.Simulation, plan *market.Plan, opts market.Options) error {
	s.mu.Lock()
	err := ErrClosed
	if !s.closed {
		select {
		case s.queue <- job{sim: sim, plan: plan, opts: opts}:
			err = nil
		default:
			err = ErrBusy
		}
	}
	s.mu.Unlock()
	if err != nil {
		s.fail(sim, err.Error())
	}
	return err
}

// Close stops taking runs, cancels the running ones and records every run
// not finished as failed; it returns when the workers have stopped.
func (s *Simulations) Close() {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return
	}
	s.closed = true
	close(s.queue)
	s.mu.Unlock()
	s.cancel()
	s.wg.Wait()
}

func (s *Simulations) work() {
	defer s.wg.Done()
	for j := range s.queue {
		if s.ctx.Err() != nil {
			s.fail(j.sim, "interrupted: the server shut down before the run started")
			continue
		}
		s.run(j)
	}
}

// fail records sim as failed with reason.
func (s *Simulations) fail(sim store.Simulation, reason string) {
	sim.Status, sim.Error, sim.UpdatedAt = store.SimulationFailed, reason, time.Now().UTC()
	if err := s.st.UpdateSimulation(context.Background(), sim); err != nil {
		slog.Error("simulation", "id", sim.ID, "err", err)
	}
}

func (s *Simulations) run(j job) {
	ctx := context.Background() // the store's writes outlive a cancelled run
	sim := j.sim
	sim.Status, sim.UpdatedAt = store.SimulationRunning, time.Now().UTC() // the adapter's clock, never an engine's
	if err := s.st.UpdateSimulation(ctx, sim); err != nil {
		slog.Error("simulation", "id", sim.ID, "err", err)
		return
	}
	var mu sync.Mutex
	last := time.Now()
	j.opts.Progress = func(done, total int) {
		mu.Lock()
		defer mu.Unlock()
		if time.Since(last) < progressEvery {
			return
		}
		last = time.Now()
		sim.Progress = math.Min(0.99, float64(done)/float64(total))
		sim.UpdatedAt = last.UTC()
		if err := s.st.UpdateSimulation(ctx, sim); err != nil {
			slog.Warn("simulation progress", "id", sim.ID, "err", err)
		}
	}
	res, err := market.Run(s.ctx, j.plan, j.opts)
	mu.Lock()
	defer mu.Unlock()
	sim.UpdatedAt = time.Now().UTC()
	if err == nil {
		sim.Result, err = json.Marshal(res)
	}
	switch {
	case err != nil && s.ctx.Err() != nil:
		sim.Status, sim.Error = store.SimulationFailed, "interrupted: the server shut down during the run"
	case err != nil:
		sim.Status, sim.Error = store.SimulationFailed, messageOf(err)
		if problem.CodeOf(err) == problem.Internal {
			slog.Error("simulation failed", "id", sim.ID, "err", err)
			sim.Error = "internal error"
		}
	default:
		sim.Status, sim.Progress = store.SimulationDone, 1
	}
	if err := s.st.UpdateSimulation(ctx, sim); err != nil {
		slog.Error("simulation", "id", sim.ID, "err", err)
	}
}

func messageOf(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) {
		return pe.Message
	}
	return err.Error()
}

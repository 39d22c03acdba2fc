package service

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"errors"
	"log/slog"
	"math"
	"runtime"
	"sync"
	"time"

	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/store"
)

// Errors Submit and Acquire return; the API answers ErrBusy and ErrClosed
// as "unavailable" and ErrTooMany as 429.
var (
	ErrBusy    = errors.New("too many simulation runs waiting; try again later")
	ErrClosed  = errors.New("the server is shutting down; try another node or later")
	ErrTooMany = errors.New("too many simulations answered at once")
)

// progressEvery is how often a running job writes its progress.
const progressEvery = 300 * time.Millisecond

// SimConfig tunes the queue beyond its size; a zero field takes
// DefaultSimConfig's.
type SimConfig struct {
	// Lease is how long a node's claim on its queued and running jobs holds
	// without renewal (it renews every third of it): past it, another node
	// (or this one restarted) fails them, with the reason.
	Lease time.Duration
	// ResultTTL is how long a done job's result (its paths, the detail) is
	// kept; its summary stays.
	ResultTTL time.Duration
	// SyncPerToken bounds the short runs of one token under way or waiting;
	// SyncTotal those the node runs at once (each on one core), a run
	// waiting at most SyncWait for its turn.
	SyncPerToken, SyncTotal int
	SyncWait                time.Duration
}

// DefaultSimConfig is the queue's configuration unless told otherwise: a
// short run at a time for every two cores, so that assessments keep the
// others.
var DefaultSimConfig = SimConfig{Lease: 30 * time.Second, ResultTTL: 24 * time.Hour, SyncPerToken: 2, SyncTotal: max(1, runtime.GOMAXPROCS(0)/2), SyncWait: 2 * time.Second}

// Simulations is the bounded queue of long simulation runs, and the bound
// on short runs answered at once. Jobs run one after another on each
// worker, writing their progress and result to the store, so any API node
// can answer for a run another node is doing. Each job carries this node's
// lease, renewed while the node lives: a node that dies leaves jobs whose
// lease runs out, and the next node to look (every node looks on start and
// then every third of a lease) fails them once with the reason. Close stops
// the queue: the running job is cancelled and, like every job still
// waiting, recorded as failed with the reason.
type Simulations struct {
	st     store.Simulations
	node   string // this node's name in the runs' owner column
	queue  chan job
	ctx    context.Context
	cancel context.CancelFunc
	wg     sync.WaitGroup

	mu     sync.Mutex // guards closed, cfg, slots, the token counts and sending on queue
	closed bool
	cfg    SimConfig
	tokens map[string]int // short runs under way or waiting, per token
	slots  chan struct{}  // a place for each short run the node runs at once
}

type job struct {
	sim  store.Simulation
	plan *market.Plan
	opts market.Options
	work Work // a run of another engine (jobs.go); nil: market.Run(plan, opts)
}

// NewSimulations starts workers that run jobs from a queue of at most
// waiting runs, recording them in st, and the node's upkeep: it fails at
// once the jobs of dead nodes whose lease ran out, then renews its own
// jobs' lease, reclaims others' and drops expired results every third of a
// lease.
func NewSimulations(st store.Simulations, workers, waiting int) *Simulations {
	ctx, cancel := context.WithCancel(context.Background())
	var b [6]byte
	rand.Read(b[:])
	s := &Simulations{st: st, node: "node-" + hex.EncodeToString(b[:]), queue: make(chan job, waiting), ctx: ctx, cancel: cancel,
		cfg: DefaultSimConfig, tokens: map[string]int{}, slots: make(chan struct{}, DefaultSimConfig.SyncTotal)}
	s.upkeep()
	for range workers {
		s.wg.Add(1)
		go s.work()
	}
	s.wg.Add(1)
	go func() {
		defer s.wg.Done()
		for {
			s.mu.Lock()
			every := s.cfg.Lease / 3
			s.mu.Unlock()
			select {
			case <-ctx.Done():
				return
			case <-time.After(every):
				s.upkeep()
			}
		}
	}()
	return s
}

// Configure sets the queue's configuration; zero fields keep theirs.
func (s *Simulations) Configure(c SimConfig) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if c.Lease > 0 {
		s.cfg.Lease = c.Lease
	}
	if c.ResultTTL > 0 {
		s.cfg.ResultTTL = c.ResultTTL
	}
	if c.SyncPerToken > 0 {
		s.cfg.SyncPerToken = c.SyncPerToken
	}
	if c.SyncTotal > 0 && c.SyncTotal != s.cfg.SyncTotal {
		s.cfg.SyncTotal = c.SyncTotal
		s.slots = make(chan struct{}, c.SyncTotal) // runs holding the old places give them back there
	}
	if c.SyncWait > 0 {
		s.cfg.SyncWait = c.SyncWait
	}
}

// Node is this node's name in the runs it owns.
func (s *Simulations) Node() string { return s.node }

// reclaimReason is the error of a job failed because its node's lease ran out.
const reclaimReason = "interrupted: the node that queued or ran it stopped without finishing it, its lease ran out; submit the run again"

// upkeep renews this node's leases, fails the jobs whose lease ran out and
// drops expired results. Errors are logged: the next round tries again.
func (s *Simulations) upkeep() {
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	s.mu.Lock()
	lease := s.cfg.Lease
	s.mu.Unlock()
	now := time.Now().UTC() // the adapter's clock, never an engine's
	if _, err := s.st.RenewSimulations(ctx, s.node, now.Add(lease)); err != nil {
		slog.Warn("simulations: renewing leases", "err", err)
	}
	ids, err := s.st.ReclaimSimulations(ctx, now, reclaimReason)
	if err != nil {
		slog.Warn("simulations: reclaiming the runs of stopped nodes", "err", err)
	}
	if len(ids) > 0 {
		slog.Warn("simulations: failed the runs of stopped nodes", "runs", ids)
	}
	if _, err := s.st.ExpireSimulations(ctx, now); err != nil {
		slog.Warn("simulations: dropping expired results", "err", err)
	}
}

// Acquire takes a place for a short run answered at once for token ("" is
// one shared place of the public), waiting up to SyncWait for one of the
// node's: ErrTooMany when the token has its most under way or waiting, or
// no place came. release gives the place back. Nothing is stored.
func (s *Simulations) Acquire(ctx context.Context, token string) (release func(), err error) {
	s.mu.Lock()
	if s.closed {
		s.mu.Unlock()
		return nil, ErrClosed
	}
	if s.tokens[token] >= s.cfg.SyncPerToken {
		s.mu.Unlock()
		return nil, ErrTooMany
	}
	s.tokens[token]++
	slots, wait := s.slots, s.cfg.SyncWait
	s.mu.Unlock()
	done := func() {
		s.mu.Lock()
		defer s.mu.Unlock()
		if s.tokens[token]--; s.tokens[token] == 0 {
			delete(s.tokens, token)
		}
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case slots <- struct{}{}:
	case <-t.C:
		done()
		return nil, ErrTooMany
	case <-ctx.Done():
		done()
		return nil, ctx.Err()
	}
	var once sync.Once
	return func() {
		once.Do(func() {
			<-slots
			done()
		})
	}, nil
}

// Limits returns the places for short runs: per token and for the node.
func (s *Simulations) Limits() (perToken, total int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.cfg.SyncPerToken, s.cfg.SyncTotal
}

// Submit stores the run sim as queued, owned by this node under its lease,
// and queues it with plan and opts; it returns the run as stored. A full
// queue is ErrBusy and a closed one ErrClosed, and then nothing is stored.
func (s *Simulations) Submit(ctx context.Context, sim store.Simulation, plan *market.Plan, opts market.Options) (store.Simulation, error) {
	s.mu.Lock()
	defer s.mu.Unlock() // held while storing: only Submit sends, so the room checked stays
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
	s.queue <- job{sim: sim, plan: plan, opts: opts}
	return sim, nil
}

// Summary is a result without its paths: the scenario, the design, the
// regions and the comparison with the baseline; what is kept of a run once
// its result expires.
func Summary(res *market.Result) ([]byte, error) {
	sum := *res
	sum.Months, sum.Central, sum.Baseline, sum.MonteCarlo, sum.Replay = nil, nil, nil, nil, nil
	return json.Marshal(sum)
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
	for j := range s.queue { // left by no worker (a queue without workers)
		s.fail(j.sim, "interrupted: the server shut down before the run started; submit the run again")
	}
}

func (s *Simulations) work() {
	defer s.wg.Done()
	for j := range s.queue {
		if s.ctx.Err() != nil {
			s.fail(j.sim, "interrupted: the server shut down before the run started; submit the run again")
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
		slog.Error("simulation", "id", sim.ID, "err", err) // reclaimed by another node meanwhile: it is failed
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
	var err error
	if j.work != nil {
		var result, summary []byte
		result, summary, err = j.work(s.ctx, j.opts.Progress)
		mu.Lock()
		defer mu.Unlock()
		sim.Result, sim.Summary = result, summary
	} else {
		var res *market.Result
		res, err = market.Run(s.ctx, j.plan, j.opts)
		mu.Lock()
		defer mu.Unlock()
		if err == nil {
			if sim.Result, err = json.Marshal(res); err == nil {
				sim.Summary, err = Summary(res)
			}
		}
	}
	sim.UpdatedAt = time.Now().UTC()
	switch {
	case err != nil && s.ctx.Err() != nil:
		sim.Status, sim.Error = store.SimulationFailed, "interrupted: the server shut down during the run; submit the run again"
	case err != nil:
		sim.Status, sim.Error = store.SimulationFailed, messageOf(err)
		if problem.CodeOf(err) == problem.Internal {
			slog.Error("simulation failed", "id", sim.ID, "err", err)
			sim.Error = "internal error"
		}
	default:
		s.mu.Lock()
		ttl := s.cfg.ResultTTL
		s.mu.Unlock()
		sim.Status, sim.Progress, sim.ExpiresAt = store.SimulationDone, 1, sim.UpdatedAt.Add(ttl)
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

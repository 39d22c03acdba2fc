package design

import (
	"cmp"
	"context"
	"slices"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/scope"
)

// Comparer compares agreement versions over one workload. It keeps each
// version's results under the version's content hash (agreement.Hash), so
// that in a loop of edits the previous design is never recomputed, and
// derives a new version's results from the old one's, recomputing only what
// the change reaches (Touch). A Comparer is safe for concurrent use;
// comparisons run one at a time.
type Comparer struct {
	opt    Options
	w      Workload
	groups *groups

	mu        sync.Mutex
	versions  map[string]*version
	scopeData *scope.Data // gathered once, on first use
	scopeErr  error
	order     []string  // hashes, least recently used first
	sink      *streamer // the parts of the comparison running (stream.go), or nil
}

// version is one agreement version's engines and results.
type version struct {
	hash     string
	ag       *agreement.Agreement
	prices   *refprice.Engine
	floors   *refprice.InProcess
	assessor *duty.Assessor
	minerals map[string]*mineralFloors // by mineral
	duty     *dutyState
	outcomes []*Outcome // by the workload's scenario
	scope    *scope.Report
	scopeErr string
	done     bool
}

// NewComparer returns a Comparer over the workload w.
func NewComparer(w Workload, opt Options) (*Comparer, error) {
	if opt.Registry == nil {
		return nil, problem.Errorf(problem.Internal, "design: a registry is required")
	}
	if opt.Prices.Registry == nil {
		opt.Prices.Registry = opt.Registry
	}
	if opt.Top <= 0 {
		opt.Top = 10
	}
	if opt.Keep <= 0 {
		opt.Keep = 4
	}
	if w.To.Before(w.From) {
		return nil, &problem.Error{Code: problem.Invalid, Field: "to", Message: "to " + w.To.String() + " is before from " + w.From.String()}
	}
	for _, sc := range w.Scenarios {
		if sc.Kind != market.KindReplay && sc.Mineral == "" {
			return nil, problem.Errorf(problem.Invalid, "scenario %s names no mineral", sc.ID)
		}
	}
	return &Comparer{opt: opt, w: w, groups: newGroups(), versions: map[string]*version{}}, nil
}

// Compare compares old with new over the workload w: a Comparer used once.
func Compare(ctx context.Context, old, new *agreement.Agreement, w Workload, opt Options) (*Comparison, error) {
	c, err := NewComparer(w, opt)
	if err != nil {
		return nil, err
	}
	return c.Compare(ctx, old, new)
}

// Compare compares old with new over the Comparer's workload.
func (c *Comparer) Compare(ctx context.Context, old, new *agreement.Agreement) (*Comparison, error) {
	return c.CompareStream(ctx, old, new, nil)
}

// compare is Compare, handing the parts to s as they are ready (stream.go).
func (c *Comparer) compare(ctx context.Context, old, new *agreement.Agreement, s *streamer) (*Comparison, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.sink = s
	defer func() { c.sink = nil }()
	diffs, err := agreement.Diff(old, new)
	if err != nil {
		return nil, err
	}
	t := Touch(old, new, diffs, c.opt.Registry)
	if err := s.changes(c, old, new, diffs, t); err != nil {
		return nil, err
	}
	vo, err := c.version(old)
	if err != nil {
		return nil, err
	}
	if err := c.full(ctx, vo); err != nil {
		return nil, err
	}
	var vn *version
	var w Work
	if c.opt.Full {
		if vn, err = c.newVersion(new); err != nil {
			return nil, err
		}
		s.versions(vo, vn, t)
		if err := c.full(ctx, vn); err != nil {
			return nil, err
		}
		w = Work{Full: true, Reassessed: len(c.w.Declarations)}
		for _, m := range new.Minerals {
			w.Floors = append(w.Floors, m.ID)
		}
		for _, sc := range c.w.Scenarios {
			w.Scenarios = append(w.Scenarios, sc.ID)
		}
	} else {
		if vn, err = c.version(new); err != nil {
			return nil, err
		}
		s.versions(vo, vn, t)
		if vn.done {
			w.Cached = true
		} else if w, err = c.derive(ctx, vo, vn, t); err != nil {
			return nil, err
		}
	}
	c.keep(vo.hash, vn.hash)
	return c.comparison(vo, vn, diffs, t, w)
}

// Work says what the new version cost: what was recomputed, and whether
// it was found whole under its hash.
type Work struct {
	Cached     bool     `json:"cached"`
	Full       bool     `json:"full"`
	Floors     []string `json:"floors_recomputed"`       // minerals
	Reassessed int      `json:"declarations_reassessed"` // declarations
	Scenarios  []string `json:"scenarios_rerun"`         // scenario ids
}

// version returns the version of ag, from the cache or new.
func (c *Comparer) version(ag *agreement.Agreement) (*version, error) {
	h, err := ag.Hash()
	if err != nil {
		return nil, err
	}
	if v, ok := c.versions[h]; ok {
		return v, nil
	}
	v, err := c.newVersion(ag)
	if err != nil {
		return nil, err
	}
	c.versions[h] = v
	c.order = append(c.order, h)
	return v, nil
}

// newVersion builds the engines of ag, with no results yet.
func (c *Comparer) newVersion(ag *agreement.Agreement) (*version, error) {
	h, err := ag.Hash()
	if err != nil {
		return nil, err
	}
	prices := refprice.New(ag, c.opt.Prices)
	floors := refprice.NewInProcess(prices)
	a, err := duty.New(ag, c.opt.Registry, floors)
	if err != nil {
		return nil, err
	}
	return &version{hash: h, ag: ag, prices: prices, floors: floors, assessor: a, minerals: map[string]*mineralFloors{}}, nil
}

// keep marks the two versions as just used and forgets the least recently
// used beyond Options.Keep.
func (c *Comparer) keep(hs ...string) {
	for _, h := range hs {
		if i := slices.Index(c.order, h); i >= 0 {
			c.order = append(slices.Delete(c.order, i, i+1), h)
		}
	}
	for len(c.order) > c.opt.Keep {
		delete(c.versions, c.order[0])
		c.order = c.order[1:]
	}
}

// full computes everything of v that is not there yet. The scenarios run
// beside the floors and the declarations: those have steps on one core (the
// floors, the quota ledger) that leave the other to the market.
func (c *Comparer) full(ctx context.Context, v *version) error {
	if v.done {
		return nil
	}
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	outcomes := make([]*Outcome, len(c.w.Scenarios))
	var wg sync.WaitGroup
	wg.Go(func() {
		for i, sc := range c.w.Scenarios {
			outcomes[i] = c.runScenario(ctx, v, sc)
			c.sink.scenarioReady(c, v, i, outcomes[i])
		}
	})
	for i := range v.ag.Minerals {
		m := &v.ag.Minerals[i]
		if v.minerals[m.ID] == nil {
			v.minerals[m.ID] = c.floorsOf(v.prices, m)
		}
	}
	c.sink.floorsReady(v)
	v.scope, v.scopeErr = c.scopeOf(v)
	c.sink.scopeReady(v)
	var err error
	if v.duty == nil {
		var st *dutyState
		if st, err = c.fullDuty(ctx, v.assessor); err == nil {
			v.duty = st
			c.sink.dutyReady(c, v)
		} else {
			cancel()
		}
	}
	wg.Wait()
	if err != nil {
		return err
	}
	if err := ctx.Err(); err != nil {
		return err
	}
	v.outcomes = outcomes
	v.done = true
	return nil
}

// derive computes vn from vo, recomputing what t reaches; the scenarios
// reached run beside the floors and the declarations.
func (c *Comparer) derive(ctx context.Context, vo, vn *version, t *Touched) (Work, error) {
	var w Work
	ctx, cancel := context.WithCancel(ctx)
	defer cancel()
	vn.outcomes = make([]*Outcome, len(c.w.Scenarios))
	var rerun []int
	for i, sc := range c.w.Scenarios {
		if sc.Kind != market.KindReplay && t.reachesScenario(sc.Mineral) {
			rerun = append(rerun, i)
			w.Scenarios = append(w.Scenarios, sc.ID)
		} else {
			vn.outcomes[i] = vo.outcomes[i]
			c.sink.scenarioReady(c, vn, i, vn.outcomes[i])
		}
	}
	var wg sync.WaitGroup
	wg.Go(func() {
		for _, i := range rerun {
			vn.outcomes[i] = c.runScenario(ctx, vn, c.w.Scenarios[i])
			c.sink.scenarioReady(c, vn, i, vn.outcomes[i])
		}
	})
	for i := range vn.ag.Minerals {
		m := &vn.ag.Minerals[i]
		reached := vo.minerals[m.ID] == nil
		for _, s := range m.Stages {
			reached = reached || t.reachesFloor(m.ID, string(s.Stage))
		}
		if reached {
			vn.minerals[m.ID] = c.floorsOf(vn.prices, m)
			w.Floors = append(w.Floors, m.ID)
		} else {
			vn.minerals[m.ID] = vo.minerals[m.ID]
		}
	}
	c.sink.floorsReady(vn)
	if len(t.All) > 0 || len(t.Zone) > 0 {
		vn.scope, vn.scopeErr = c.scopeOf(vn)
	} else {
		vn.scope, vn.scopeErr = vo.scope, vo.scopeErr
	}
	c.sink.scopeReady(vn)
	var err error
	if t.Nothing() {
		vn.duty = vo.duty
		c.sink.dutyReady(c, vn)
	} else {
		st, idx, derr := c.incrementalDuty(ctx, vn.assessor, vo.duty, t)
		if derr != nil {
			err = derr
			cancel()
		} else {
			vn.duty, w.Reassessed = st, len(idx)
			c.sink.dutyReady(c, vn)
		}
	}
	wg.Wait()
	if err != nil {
		return w, err
	}
	if err := ctx.Err(); err != nil {
		return w, err
	}
	vn.done = true
	return w, nil
}

// byKey sorts rows by their key strings.
func byKey[T any](xs []T, key func(T) []string) {
	slices.SortStableFunc(xs, func(a, b T) int {
		ka, kb := key(a), key(b)
		for i := range min(len(ka), len(kb)) {
			if c := cmp.Compare(ka[i], kb[i]); c != 0 {
				return c
			}
		}
		return cmp.Compare(len(ka), len(kb))
	})
}

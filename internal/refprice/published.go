package refprice

import (
	"context"
	"errors"
	"fmt"
	"sync"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// Publication says which publication a floor was read from. The floor a
// customs service applies is the one the secretariat published for the date,
// not a recomputation: two API nodes, or a data file updated after
// publication, must never give two legal floors for one day. A floor computed
// live (prices compute, explain, design previews) has none.
type Publication struct {
	// ID is the store's publication id; 0 for a floor published in process.
	ID int64 `json:"id,omitempty"`
	// Supersedes is the publication this one corrects, 0 if none.
	Supersedes int64 `json:"supersedes,omitempty"`
	// InProcess is true for a file-only run without a store: the floor was
	// computed and "published" in this process and stored nowhere.
	InProcess bool `json:"in_process,omitempty"`
}

// String names the publication as a trace shows it.
func (p *Publication) String() string {
	switch {
	case p == nil:
		return "unpublished (computed live)"
	case p.InProcess:
		return "in process (file-only run, not stored)"
	case p.Supersedes != 0:
		return fmt.Sprintf("%d (corrects %d)", p.ID, p.Supersedes)
	}
	return fmt.Sprint(p.ID)
}

// InProcess is the floor source of a run without a store: it computes each
// floor with the engine, once per revision, and hands out that published
// floor for every date of the revision, marked as published in process. It is
// safe for concurrent use.
type InProcess struct {
	e  *Engine
	mu sync.Mutex
	// published maps the engine's floor (memoized per revision) to its
	// published copy, so a revision is published once.
	published map[*Floor]*Floor
	// byDay is the answer for each (mineral, stage, date) asked: nothing in
	// process changes once published, so a repeated question (an assessment
	// a declaration) costs one map lookup under a read lock, not the
	// engine's schedule. A typed map, not sync.Map, whose lookups hash the
	// key through an interface at twice the cost.
	dayMu sync.RWMutex
	byDay map[dayKey]*Floor
}

type dayKey struct {
	mineral, stage string
	on             date.Date
}

// NewInProcess returns a source that publishes e's floors in process.
func NewInProcess(e *Engine) *InProcess {
	return &InProcess{e: e, published: map[*Floor]*Floor{}, byDay: map[dayKey]*Floor{}}
}

// Floor returns the floor of mineral at stage in force on d, as published in
// process.
func (p *InProcess) Floor(mineral, stage string, d date.Date) (*Floor, error) {
	k := dayKey{mineral, stage, d}
	p.dayMu.RLock()
	f, ok := p.byDay[k]
	p.dayMu.RUnlock()
	if ok {
		return f, nil
	}
	f, err := p.e.Floor(mineral, stage, d)
	if err != nil {
		return nil, err
	}
	p.mu.Lock()
	pf, ok := p.published[f]
	if !ok {
		c := *f
		c.Publication = &Publication{InProcess: true}
		pf = &c
		p.published[f] = pf
	}
	p.mu.Unlock()
	p.dayMu.Lock()
	p.byDay[k] = pf
	p.dayMu.Unlock()
	return pf, nil
}

// Floors returns the floors in force on d that can be computed, as published
// in process, in the agreement's order; the ones that cannot are left out
// (Floor says why).
func (p *InProcess) Floors(_ context.Context, d date.Date) ([]*Floor, error) {
	floors, err := p.e.Compute(d)
	var failed problem.List
	if err != nil && !errors.As(err, &failed) {
		return nil, err
	}
	out := make([]*Floor, 0, len(floors))
	for _, f := range floors {
		pf, err := p.Floor(f.Mineral, f.Stage, d)
		if err != nil {
			return nil, err
		}
		out = append(out, pf)
	}
	return out, nil
}

// History returns every revision of mineral at stage whose validity overlaps
// [from, to] that can be computed, as published in process.
func (p *InProcess) History(_ context.Context, mineral, stage string, from, to date.Date) ([]*Floor, error) {
	floors, err := p.e.History(mineral, stage, from, to)
	if err != nil && len(floors) == 0 {
		return nil, err
	}
	out := make([]*Floor, 0, len(floors))
	for _, f := range floors {
		pf, err := p.Floor(mineral, stage, f.ValidFrom)
		if err != nil {
			return nil, err
		}
		out = append(out, pf)
	}
	return out, nil
}

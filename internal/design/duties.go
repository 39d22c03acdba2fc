package design

import (
	"context"
	"maps"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// A group is the declarations of one mineral under one party's schedule:
// the unit re-assessed. A tariff-rate quota is a party's, for one mineral,
// so the declarations that share a quota are always re-assessed together, in
// acceptance order. Group 0 is the declarations that could not be assessed.
type group struct{ party, mineral string }

// dutyState is a version's assessment of the whole workload: each
// declaration's total duty and group, and each group's sums.
type dutyState struct {
	total  []int64           // by declaration, millionths of the party's currency (or noMicro)
	odd    map[int32]exact.Q // the totals that are not whole millionths
	group  []uint32          // by declaration
	groups map[uint32]*groupSums
}

// totalOf is declaration i's total duty.
func (st *dutyState) totalOf(i int) exact.Q {
	if v := st.total[i]; v != noMicro {
		return fromMicro(v)
	}
	return st.odd[int32(i)]
}

// sameTotal reports whether declaration i has the same total in st and t.
func (st *dutyState) sameTotal(t *dutyState, i int) bool {
	if st.total[i] != t.total[i] {
		return false
	}
	return st.total[i] != noMicro || st.odd[int32(i)].Cmp(t.odd[int32(i)]) == 0
}

// groupSums is what one group's declarations add up to.
type groupSums struct {
	rows      int
	lines     map[lineKey]*sum       // duty by stage, measure and type, as Duties shows each line
	grants    map[int32]duty.Grant   // quota grants, by declaration (for the traces)
	exhausted map[quotaKey]date.Date // first acceptance date a quota period was exhausted
	errs      map[int32]string       // group 0: why a declaration could not be assessed
}

type lineKey struct {
	stage, measure, currency string
	typ                      agreement.InstrumentType
}

type quotaKey struct {
	quota  string
	period date.Date
}

func newGroupSums() *groupSums {
	return &groupSums{lines: map[lineKey]*sum{}, grants: map[int32]duty.Grant{}, exhausted: map[quotaKey]date.Date{}, errs: map[int32]string{}}
}

// groups interns groups as small integers, shared by every version.
type groups struct {
	mu   sync.Mutex
	ids  map[group]uint32
	keys []group
}

func newGroups() *groups {
	return &groups{ids: map[group]uint32{{}: 0}, keys: []group{{}}}
}

func (g *groups) id(party, mineral string) uint32 {
	g.mu.Lock()
	defer g.mu.Unlock()
	k := group{party, mineral}
	if id, ok := g.ids[k]; ok {
		return id
	}
	id := uint32(len(g.keys))
	g.ids[k] = id
	g.keys = append(g.keys, k)
	return id
}

func (g *groups) key(id uint32) group {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.keys[id]
}

// chunkRows is how many declarations a worker takes at a time.
const chunkRows = 4096

// pending is a declaration waiting for its quota allocation.
type pending struct {
	i   int32
	as  *duty.Assessment
	req *duty.QuotaRequest
}

// passWorker is one goroutine's share of a pass.
type passWorker struct {
	buf    duty.Assessment
	text   []byte
	odd    map[int32]exact.Q
	sums   map[uint32]*groupSums
	lastP  string
	lastM  string
	lastID uint32
}

// assess re-assesses the declarations idx (ascending) under a into st,
// returning the sums of the groups they fall in. Quotas are allocated by a
// ledger of the pass's own, in the declarations' order, as the bulk path
// does: first come at once, pro rata by day.
func (c *Comparer) assess(ctx context.Context, a *duty.Assessor, st *dutyState, idx []int32) (map[uint32]*groupSums, error) {
	decls := c.w.Declarations
	workers := c.opt.Workers
	if workers <= 0 {
		workers = runtime.GOMAXPROCS(0)
	}
	nChunks := (len(idx) + chunkRows - 1) / chunkRows
	waiting := make([][]pending, nChunks)
	ws := make([]*passWorker, workers)
	next := make(chan int)
	var wg sync.WaitGroup
	for k := range ws {
		w := &passWorker{sums: map[uint32]*groupSums{}, odd: map[int32]exact.Q{}}
		ws[k] = w
		wg.Go(func() {
			sc := a.NewScratch()
			for ch := range next {
				lo, hi := ch*chunkRows, min((ch+1)*chunkRows, len(idx))
				for _, i := range idx[lo:hi] {
					req, err := a.PrepareInto(&decls[i], &w.buf, sc)
					if err != nil {
						st.total[i], st.group[i] = 0, 0
						w.groupSums(0).errs[i] = err.Error()
						continue
					}
					if req != nil {
						as := new(duty.Assessment)
						*as = w.buf
						waiting[ch] = append(waiting[ch], pending{i, as, req})
						continue
					}
					c.record(w, st, i, &w.buf)
				}
			}
		})
	}
	for ch := range nChunks {
		if ctx.Err() != nil {
			break
		}
		next <- ch
	}
	close(next)
	wg.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	// Quotas, in the declarations' order, on one goroutine.
	w := ws[0]
	led := duty.NewMemLedger()
	type dayGroup struct {
		batch duty.QuotaBatch
		reqs  []duty.Request
		items []pending
	}
	open := map[quotaKey]*dayGroup{}
	var lastDay date.Date
	complete := func(p pending, g duty.Grant) {
		a.Complete(p.as, g)
		c.record(w, st, p.i, p.as)
		gs := w.groupSums(st.group[p.i])
		gs.grants[p.i] = g
		if g.Status == duty.QuotaExhausted {
			k := quotaKey{p.req.Quota, p.req.PeriodStart}
			if d, ok := gs.exhausted[k]; !ok || p.as.On.Before(d) {
				gs.exhausted[k] = p.as.On
			}
		}
	}
	settle := func(before date.Date, all bool) error {
		var keys []quotaKey
		for k, g := range open {
			if all || g.batch.Day.Before(before) {
				keys = append(keys, k)
			}
		}
		slices.SortFunc(keys, func(x, y quotaKey) int {
			if c := open[x].batch.Day.Compare(open[y].batch.Day); c != 0 {
				return c
			}
			return strings.Compare(x.quota, y.quota)
		})
		for _, k := range keys {
			g := open[k]
			delete(open, k)
			grants, err := led.Allocate(ctx, g.batch, g.reqs)
			if err != nil {
				return err
			}
			for j, p := range g.items {
				complete(p, grants[j])
			}
		}
		return nil
	}
	for _, ps := range waiting {
		for _, p := range ps {
			if p.as.On.After(lastDay) {
				if err := settle(p.as.On, false); err != nil {
					return nil, err
				}
				lastDay = p.as.On
			}
			if !p.req.ProRata {
				grants, err := led.Allocate(ctx, *p.req.Batch(), []duty.Request{p.req.Request})
				if err != nil {
					return nil, err
				}
				complete(p, grants[0])
				continue
			}
			k := quotaKey{p.req.Quota + "@" + p.req.Day.String(), p.req.PeriodStart}
			g := open[k]
			if g == nil {
				g = &dayGroup{batch: *p.req.Batch()}
				open[k] = g
			}
			g.reqs = append(g.reqs, p.req.Request)
			g.items = append(g.items, p)
		}
	}
	if err := settle(date.Date{}, true); err != nil {
		return nil, err
	}
	// The workers' sums, added up.
	out := map[uint32]*groupSums{}
	for _, w := range ws {
		for i, x := range w.odd {
			st.odd[i] = x
		}
		for id, s := range w.sums {
			t := out[id]
			if t == nil {
				out[id] = s
				continue
			}
			t.add(s)
		}
	}
	return out, nil
}

func (w *passWorker) groupSums(id uint32) *groupSums {
	s := w.sums[id]
	if s == nil {
		s = newGroupSums()
		w.sums[id] = s
	}
	return s
}

// record files an assessment: its total and group, and its duty lines in
// the group's sums.
func (c *Comparer) record(w *passWorker, st *dutyState, i int32, as *duty.Assessment) {
	id := w.lastID
	if as.Party != w.lastP || as.Mineral != w.lastM || id == 0 {
		id = c.groups.id(as.Party, as.Mineral)
		w.lastP, w.lastM, w.lastID = as.Party, as.Mineral, id
	}
	st.group[i] = id
	if v, ok := toMicro(as.TotalDuty(), &w.text); ok {
		st.total[i] = v
	} else {
		st.total[i] = noMicro
		w.odd[i] = as.TotalDuty()
	}
	gs := w.groupSums(id)
	gs.rows++
	cur, stage := as.Currency(), as.Stage
	as.EachDuty(func(measure string, t agreement.InstrumentType, x exact.Q) {
		k := lineKey{stage: stage, measure: measure, currency: cur, typ: t}
		s := gs.lines[k]
		if s == nil {
			s = &sum{}
			gs.lines[k] = s
		}
		if v, ok := shownMicro(x, &w.text); ok {
			s.addMicro(v)
		} else {
			s.addExact(x)
		}
	})
}

// add adds t's sums to s.
func (s *groupSums) add(t *groupSums) {
	s.rows += t.rows
	for k, x := range t.lines {
		if y := s.lines[k]; y != nil {
			y.add(x)
		} else {
			s.lines[k] = x
		}
	}
	for k, g := range t.grants {
		s.grants[k] = g
	}
	for k, d := range t.exhausted {
		if e, ok := s.exhausted[k]; !ok || d.Before(e) {
			s.exhausted[k] = d
		}
	}
	for k, e := range t.errs {
		s.errs[k] = e
	}
}

// fullDuty assesses every declaration under a.
func (c *Comparer) fullDuty(ctx context.Context, a *duty.Assessor) (*dutyState, error) {
	n := len(c.w.Declarations)
	st := &dutyState{total: make([]int64, n), group: make([]uint32, n), odd: map[int32]exact.Q{}}
	idx := make([]int32, n)
	for i := range idx {
		idx[i] = int32(i)
	}
	gs, err := c.assess(ctx, a, st, idx)
	if err != nil {
		return nil, err
	}
	st.groups = gs
	return st, nil
}

// incrementalDuty is old's state with the groups t reaches re-assessed
// under a. It returns the declarations re-assessed. A declaration that
// lands in a group t did not reach makes that group re-assessed too, so the
// result never depends on the rule being complete.
func (c *Comparer) incrementalDuty(ctx context.Context, a *duty.Assessor, old *dutyState, t *Touched) (*dutyState, []int32, error) {
	reached := map[uint32]bool{}
	for id := range old.groups {
		g := c.groups.key(id)
		if t.reachesDuty(g.party, g.mineral) {
			reached[id] = true
		}
	}
	st := &dutyState{total: slices.Clone(old.total), group: slices.Clone(old.group), groups: map[uint32]*groupSums{}}
	reset := func() {
		st.odd = maps.Clone(old.odd)
		if st.odd == nil {
			st.odd = map[int32]exact.Q{}
		}
	}
	reset()
	for {
		var idx []int32
		for i, id := range old.group {
			if reached[id] {
				idx = append(idx, int32(i))
				delete(st.odd, int32(i))
			}
		}
		gs, err := c.assess(ctx, a, st, idx)
		if err != nil {
			return nil, nil, err
		}
		grew := false
		for id := range gs {
			if _, had := old.groups[id]; had && !reached[id] {
				reached[id] = true
				grew = true
			}
		}
		if grew {
			copy(st.total, old.total)
			copy(st.group, old.group)
			reset()
			continue
		}
		for id, s := range old.groups {
			if !reached[id] {
				st.groups[id] = s
			}
		}
		for id, s := range gs {
			st.groups[id] = s
		}
		return st, idx, nil
	}
}

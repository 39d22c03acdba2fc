package design

import (
	"context"
	"encoding/json"
	"sync"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The parts of a comparison, in the order a cold or warm comparison usually
// finishes them: changes first and work last; the others as their engines
// finish.
const (
	PartChanges  = "changes"  // the versions, the diff, what it reaches, the range
	PartFloors   = "floors"   // every floor revision (refprice)
	PartScope    = "scope"    // the scope indicators (scope)
	PartDuty     = "duty"     // the declarations re-assessed (duty)
	PartScenario = "scenario" // one market scenario and the buffer stock (market), one part each
	PartWork     = "work"     // what the new version cost: always the last part
)

// Part is one part of a comparison, handed to CompareStream's callback as
// soon as both versions have it. The fields of its Name are set; Add puts
// it in a Comparison. A part is the same value the whole comparison holds:
// the parts of a comparison, added to an empty Comparison, are the
// comparison.
type Part struct {
	Name string
	// changes
	Old, New *Version
	Changes  []agreement.Difference
	Touched  *Touched
	Range    *[2]date.Date
	// floors
	Floors []FloorChange
	// duty
	Duty *DutyComparison
	// scenario: the workload's Index-th scenario
	Index    int
	Scenario *ScenarioChange
	// scope
	Scope      []ScopeChange
	ScopeError string
	// work
	Work *Work
}

// MarshalJSON writes a part as one object, {"part": NAME, ...}, with the
// fields of NAME under the Comparison's own JSON names; a scenario part also
// carries "index" and "rows", its rows of the scenarios table (Tables).
func (p Part) MarshalJSON() ([]byte, error) {
	switch p.Name {
	case PartChanges:
		return json.Marshal(struct {
			Part    string                 `json:"part"`
			Old     *Version               `json:"old"`
			New     *Version               `json:"new"`
			Changes []agreement.Difference `json:"changes"`
			Touched *Touched               `json:"touched"`
			Range   *[2]date.Date          `json:"range"`
		}{p.Name, p.Old, p.New, p.Changes, p.Touched, p.Range})
	case PartFloors:
		return json.Marshal(struct {
			Part   string        `json:"part"`
			Floors []FloorChange `json:"floors"`
		}{p.Name, p.Floors})
	case PartDuty:
		return json.Marshal(struct {
			Part string          `json:"part"`
			Duty *DutyComparison `json:"duty"`
		}{p.Name, p.Duty})
	case PartScenario:
		var rows [][]string
		if p.Scenario != nil {
			rows = p.Scenario.TableRows()
		}
		if rows == nil {
			rows = [][]string{}
		}
		return json.Marshal(struct {
			Part     string          `json:"part"`
			Index    int             `json:"index"`
			Scenario *ScenarioChange `json:"scenario"`
			Rows     [][]string      `json:"rows"` // its rows of the scenarios table
		}{p.Name, p.Index, p.Scenario, rows})
	case PartScope:
		return json.Marshal(struct {
			Part       string        `json:"part"`
			Scope      []ScopeChange `json:"scope"`
			ScopeError string        `json:"scope_error,omitempty"`
		}{p.Name, p.Scope, p.ScopeError})
	case PartWork:
		return json.Marshal(struct {
			Part string `json:"part"`
			Work *Work  `json:"work"`
		}{p.Name, p.Work})
	}
	return nil, problem.Errorf(problem.Internal, "design: no part %q", p.Name)
}

// Add puts p in c.
func (c *Comparison) Add(p Part) {
	switch p.Name {
	case PartChanges:
		if p.Old != nil {
			c.Old = *p.Old
		}
		if p.New != nil {
			c.New = *p.New
		}
		c.Changes, c.Touched = p.Changes, p.Touched
		if p.Range != nil {
			c.Range = *p.Range
		}
	case PartFloors:
		c.Floors = p.Floors
	case PartDuty:
		if p.Duty != nil {
			c.Duty = *p.Duty
		}
	case PartScenario:
		for len(c.Scenarios) <= p.Index {
			c.Scenarios = append(c.Scenarios, ScenarioChange{})
		}
		if p.Scenario != nil {
			c.Scenarios[p.Index] = *p.Scenario
		}
	case PartScope:
		c.Scope, c.ScopeError = p.Scope, p.ScopeError
	case PartWork:
		if p.Work != nil {
			c.Work = *p.Work
		}
	}
}

// CompareStream compares old with new as Compare does, and hands each part
// of the comparison to emit as soon as both versions have it: the changes
// at once, then the floors, the scope indicators, the duty and each
// scenario as their engines finish (the scenarios run beside the others),
// the work last. emit is called from the comparison's goroutines, one call
// at a time, and should return quickly: the engine waits for it. Each part
// is emitted once; a part the new version shares with the old (not reached
// by the change) is emitted when the comparison reaches it. When the
// comparison fails, the parts emitted so far stand, no work part follows,
// and the error is returned. A nil emit is Compare.
//
// Whether the new version is derived incrementally, recomputed in full
// (Options.Full) or found whole under its hash, the parts are the same
// values as the returned Comparison's.
func (c *Comparer) CompareStream(ctx context.Context, old, new *agreement.Agreement, emit func(Part)) (*Comparison, error) {
	var s *streamer
	if emit != nil {
		s = &streamer{emit: emit, scen: map[int]*ScenarioChange{}}
	}
	return c.compare(ctx, old, new, s)
}

// streamer collects the parts of one comparison as they are ready and
// emits each once. Its methods are safe on a nil streamer (no streaming):
// they compute the part and return it.
type streamer struct {
	emit func(Part)

	mu         sync.Mutex
	vo, vn     *version // set once both are known and vo is done
	t          *Touched
	floors     []FloorChange
	duty       *DutyComparison
	scope      *Part
	scen       map[int]*ScenarioChange
	floorsDone bool
}

func (s *streamer) send(p Part) {
	if s != nil {
		s.emit(p)
	}
}

// changes emits the first part.
func (s *streamer) changes(c *Comparer, old, new *agreement.Agreement, diffs []agreement.Difference, t *Touched) error {
	if s == nil {
		return nil
	}
	oh, err := old.Hash()
	if err != nil {
		return err
	}
	nh, err := new.Hash()
	if err != nil {
		return err
	}
	if diffs == nil {
		diffs = []agreement.Difference{}
	}
	s.send(Part{Name: PartChanges, Old: &Version{ID: old.ID, Hash: oh, Illustrative: old.Illustrative},
		New: &Version{ID: new.ID, Hash: nh, Illustrative: new.Illustrative}, Changes: diffs, Touched: t, Range: &[2]date.Date{c.w.From, c.w.To}})
	return nil
}

// versions says which versions are compared, once vo is done: from then on
// the parts of vn are emitted as they are ready.
func (s *streamer) versions(vo, vn *version, t *Touched) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.vo, s.vn, s.t = vo, vn, t
}

// ready reports whether v is the new version of a streamed comparison whose
// old version is done.
func (s *streamer) ready(v *version) bool {
	return s != nil && s.vn == v && s.vo != nil && s.vo.done
}

// floorsReady is called when v's floors are all computed.
func (s *streamer) floorsReady(v *version) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready(v) && !s.floorsDone {
		s.floors, s.floorsDone = compareFloors(s.vo, v, s.t), true
		s.send(Part{Name: PartFloors, Floors: s.floors})
	}
}

// floorsOf returns the floors part, computing (and emitting) it unless it
// was.
func (s *streamer) floorsOf(vo, vn *version, t *Touched) []FloorChange {
	if s == nil {
		return compareFloors(vo, vn, t)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if !s.floorsDone {
		s.floors, s.floorsDone = compareFloors(vo, vn, t), true
		s.send(Part{Name: PartFloors, Floors: s.floors})
	}
	return s.floors
}

// dutyReady is called when v's duty is computed.
func (s *streamer) dutyReady(c *Comparer, v *version) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready(v) && s.duty == nil {
		d := c.compareDuty(s.vo, v, s.t)
		s.duty = &d
		s.send(Part{Name: PartDuty, Duty: s.duty})
	}
}

func (s *streamer) dutyOf(c *Comparer, vo, vn *version, t *Touched) DutyComparison {
	if s == nil {
		return c.compareDuty(vo, vn, t)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.duty == nil {
		d := c.compareDuty(vo, vn, t)
		s.duty = &d
		s.send(Part{Name: PartDuty, Duty: s.duty})
	}
	return *s.duty
}

// scopeReady is called when v's scope indicators are computed.
func (s *streamer) scopeReady(v *version) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready(v) && s.scope == nil {
		p := scopePart(s.vo, v, s.t)
		s.scope = &p
		s.send(p)
	}
}

func (s *streamer) scopeOf(vo, vn *version, t *Touched) Part {
	if s == nil {
		return scopePart(vo, vn, t)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scope == nil {
		p := scopePart(vo, vn, t)
		s.scope = &p
		s.send(p)
	}
	return *s.scope
}

func scopePart(vo, vn *version, t *Touched) Part {
	p := Part{Name: PartScope, Scope: compareScope(vo.scope, vn.scope, t), ScopeError: vo.scopeErr}
	if p.ScopeError == "" {
		p.ScopeError = vn.scopeErr
	}
	return p
}

// scenarioReady is called when v's outcome of the i-th scenario is n.
func (s *streamer) scenarioReady(c *Comparer, v *version, i int, n *Outcome) {
	if s == nil {
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.ready(v) && s.scen[i] == nil {
		ch := c.scenarioChange(i, s.vo.outcomes[i], n, s.t)
		s.scen[i] = &ch
		s.send(Part{Name: PartScenario, Index: i, Scenario: s.scen[i]})
	}
}

func (s *streamer) scenarioOf(c *Comparer, i int, o, n *Outcome, t *Touched) ScenarioChange {
	if s == nil {
		return c.scenarioChange(i, o, n, t)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.scen[i] == nil {
		ch := c.scenarioChange(i, o, n, t)
		s.scen[i] = &ch
		s.send(Part{Name: PartScenario, Index: i, Scenario: s.scen[i]})
	}
	return *s.scen[i]
}

// scenarioChange is the i-th scenario under both versions.
func (c *Comparer) scenarioChange(i int, o, n *Outcome, t *Touched) ScenarioChange {
	sc := c.w.Scenarios[i]
	ch := ScenarioChange{ID: sc.ID, Title: sc.Title, Mineral: sc.Mineral, Stage: sc.Stage, Old: o, New: n, Changed: !o.equal(n)}
	if ch.Changed {
		ch.Why = scenarioWhy(t, sc.Mineral)
	}
	return ch
}

package design

import (
	"slices"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/duty"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// Comparison is two agreement versions side by side over one workload.
type Comparison struct {
	Old     Version                `json:"old"`
	New     Version                `json:"new"`
	Changes []agreement.Difference `json:"changes"` // the agreement diff
	Touched *Touched               `json:"touched"` // what the change reaches
	Range   [2]date.Date           `json:"range"`   // of the floors
	Floors  []FloorChange          `json:"floors"`
	Duty    DutyComparison         `json:"duty"`
	// Scenarios are the market scenarios, in the workload's order.
	Scenarios []ScenarioChange `json:"scenarios"`
	// Scope is each mineral's criticality on the zone basis (the scope
	// indicators), as in force on the range's last day; ScopeError says why
	// it could not be computed.
	Scope      []ScopeChange `json:"scope"`
	ScopeError string        `json:"scope_error,omitempty"`
	// Work says what the new version cost to compute.
	Work Work `json:"work"`
}

// Version names an agreement version.
type Version struct {
	ID           string `json:"id"`
	Hash         string `json:"hash"`
	Illustrative bool   `json:"illustrative"`
}

// FloorChange is one floor revision (mineral, stage, valid from) under both
// versions. Why are the paths of the diff that reach it, when it changed.
type FloorChange struct {
	Mineral   string    `json:"mineral"`
	Stage     string    `json:"stage"`
	ValidFrom date.Date `json:"valid_from"`
	Currency  string    `json:"currency"`
	Unit      string    `json:"unit"`
	Old       string    `json:"old,omitempty"` // the price; empty: no such revision
	New       string    `json:"new,omitempty"`
	Delta     string    `json:"delta,omitempty"`
	Changed   bool      `json:"changed"`
	Why       []string  `json:"why,omitempty"`
	OldError  string    `json:"old_error,omitempty"`
	NewError  string    `json:"new_error,omitempty"`
}

// DutyComparison is the declarations re-assessed.
type DutyComparison struct {
	Declarations int    `json:"declarations"`
	Source       string `json:"source"`
	Illustrative bool   `json:"illustrative"`
	OldFailed    int    `json:"old_failed"` // declarations that could not be assessed
	NewFailed    int    `json:"new_failed"`
	// Changed is how many declarations' total duty (or whether they could
	// be assessed) differs.
	Changed int `json:"changed"`
	// Lines is the duty by party, mineral, stage and measure.
	Lines []DutyTotal `json:"lines"`
	// ByPartyMineral is the duty by party and mineral (every measure).
	ByPartyMineral []DutyTotal `json:"by_party_mineral"`
	// Largest are the declarations whose duty changed most, with their
	// traces under both versions.
	Largest []DeclarationChange `json:"largest"`
	// Quotas are the quota periods exhausted under either version, and when.
	Quotas []QuotaChange `json:"quotas,omitempty"`
}

// DutyTotal is a sum of duty under both versions, in the party's currency.
// Measure and Type are empty in a total over every measure.
type DutyTotal struct {
	Party    string   `json:"party"`
	Mineral  string   `json:"mineral"`
	Stage    string   `json:"stage,omitempty"`
	Measure  string   `json:"measure,omitempty"`
	Type     string   `json:"type,omitempty"`
	Currency string   `json:"currency"`
	Old      string   `json:"old"`
	New      string   `json:"new"`
	Delta    string   `json:"delta"`
	Changed  bool     `json:"changed"`
	Why      []string `json:"why,omitempty"`
}

// DeclarationChange is one declaration under both versions.
type DeclarationChange struct {
	ID       string          `json:"id"`
	Row      int             `json:"row"` // 1 = the first declaration of the workload
	Party    string          `json:"party"`
	Mineral  string          `json:"mineral"`
	Stage    string          `json:"stage"`
	Currency string          `json:"currency"`
	Old      string          `json:"old"`
	New      string          `json:"new"`
	Delta    string          `json:"delta"`
	OldLines []duty.DutyLine `json:"old_lines,omitempty"`
	NewLines []duty.DutyLine `json:"new_lines,omitempty"`
	OldTrace []duty.Step     `json:"old_trace,omitempty"`
	NewTrace []duty.Step     `json:"new_trace,omitempty"`
	OldError string          `json:"old_error,omitempty"`
	NewError string          `json:"new_error,omitempty"`
}

// QuotaChange is a quota period's exhaustion under both versions (zero:
// not exhausted within the workload).
type QuotaChange struct {
	Quota        string    `json:"quota"`
	PeriodStart  date.Date `json:"period_start"`
	OldExhausted date.Date `json:"old_exhausted,omitzero"`
	NewExhausted date.Date `json:"new_exhausted,omitzero"`
	Changed      bool      `json:"changed"`
}

// ScenarioChange is one scenario's outcome under both versions.
type ScenarioChange struct {
	ID      string   `json:"id"`
	Title   string   `json:"title"`
	Mineral string   `json:"mineral,omitempty"`
	Stage   string   `json:"stage,omitempty"`
	Old     *Outcome `json:"old"`
	New     *Outcome `json:"new"`
	Changed bool     `json:"changed"`
	Why     []string `json:"why,omitempty"`
}

func (c *Comparer) comparison(vo, vn *version, diffs []agreement.Difference, t *Touched, w Work) (*Comparison, error) {
	out := &Comparison{
		Old:     Version{ID: vo.ag.ID, Hash: vo.hash, Illustrative: vo.ag.Illustrative},
		New:     Version{ID: vn.ag.ID, Hash: vn.hash, Illustrative: vn.ag.Illustrative},
		Changes: diffs, Touched: t, Range: [2]date.Date{c.w.From, c.w.To}, Work: w,
	}
	if out.Changes == nil {
		out.Changes = []agreement.Difference{}
	}
	// The parts a streamed comparison emitted already are taken as they
	// were emitted; the others are computed (and emitted) now.
	s := c.sink
	out.Floors = s.floorsOf(vo, vn, t)
	sp := s.scopeOf(vo, vn, t)
	out.Scope, out.ScopeError = sp.Scope, sp.ScopeError
	out.Duty = s.dutyOf(c, vo, vn, t)
	for i := range c.w.Scenarios {
		out.Scenarios = append(out.Scenarios, s.scenarioOf(c, i, vo.outcomes[i], vn.outcomes[i], t))
	}
	s.send(Part{Name: PartWork, Work: &out.Work})
	return out, nil
}

func compareFloors(vo, vn *version, t *Touched) []FloorChange {
	type fkey struct {
		mineral, stage string
		from           date.Date
	}
	rows := map[fkey]*FloorChange{}
	var keys []fkey
	row := func(k fkey) *FloorChange {
		r := rows[k]
		if r == nil {
			r = &FloorChange{Mineral: k.mineral, Stage: k.stage, ValidFrom: k.from}
			rows[k] = r
			keys = append(keys, k)
		}
		return r
	}
	for side, v := range []*version{vo, vn} {
		for _, m := range v.ag.Minerals {
			mf := v.minerals[m.ID]
			if mf == nil {
				continue
			}
			for _, sf := range mf.stages {
				if sf.err != "" {
					r := row(fkey{m.ID, sf.stage, date.Date{}})
					if side == 0 {
						r.OldError = sf.err
					} else {
						r.NewError = sf.err
					}
				}
				for _, f := range sf.floors {
					r := row(fkey{m.ID, sf.stage, f.ValidFrom})
					r.Currency, r.Unit = f.Currency, f.Unit
					if side == 0 {
						r.Old = f.Price.String()
					} else {
						r.New = f.Price.String()
					}
				}
			}
		}
	}
	out := make([]FloorChange, 0, len(keys))
	for _, k := range keys {
		r := rows[k]
		r.Changed = r.Old != r.New || r.OldError != r.NewError
		if r.Old != "" && r.New != "" {
			r.Delta = subDecimal(r.New, r.Old)
		}
		if r.Changed {
			r.Why = floorWhy(t, k.mineral, k.stage)
		}
		out = append(out, *r)
	}
	order := mineralOrder(vo.ag, vn.ag)
	slicesSortFloors(out, order)
	return out
}

func slicesSortFloors(out []FloorChange, order map[string]int) {
	slices.SortStableFunc(out, func(a, b FloorChange) int {
		if a.Mineral != b.Mineral {
			return order[a.Mineral] - order[b.Mineral]
		}
		if a.Stage != b.Stage {
			return stageRank(a.Stage) - stageRank(b.Stage)
		}
		return a.ValidFrom.Compare(b.ValidFrom)
	})
}

func stageRank(s string) int {
	switch s {
	case "mined":
		return 0
	case "processed":
		return 1
	case "derivative":
		return 2
	}
	return 3
}

// mineralOrder is the minerals' order in the agreement (old first).
func mineralOrder(as ...*agreement.Agreement) map[string]int {
	m := map[string]int{}
	for _, a := range as {
		for _, x := range a.Minerals {
			if _, ok := m[x.ID]; !ok {
				m[x.ID] = len(m)
			}
		}
	}
	return m
}

func subDecimal(a, b string) string {
	x, err1 := dec.Parse(a)
	y, err2 := dec.Parse(b)
	if err1 != nil || err2 != nil {
		return ""
	}
	return exact.FromDecimal(x).Sub(exact.FromDecimal(y)).String()
}

func floorWhy(t *Touched, mineral, stage string) []string {
	if len(t.All) > 0 {
		return t.All
	}
	return t.Floors[mineral+"/"+stage]
}

// dutyWhy is the paths that reach the duty of party p's declarations of
// mineral m.
func dutyWhy(t *Touched, p, m string) []string {
	if len(t.All) > 0 {
		return t.All
	}
	var out []string
	add := func(ps []string) {
		for _, x := range ps {
			if !slices.Contains(out, x) {
				out = append(out, x)
			}
		}
	}
	add(t.Zone)
	for _, x := range t.Minerals[m] {
		if strings.HasPrefix(x, "minerals[") {
			add([]string{x})
		}
	}
	add(t.PartyMinerals[p+"/"+m])
	add(t.PartyMinerals[p+"/"+anyMineral])
	return out
}

func scenarioWhy(t *Touched, m string) []string {
	if len(t.All) > 0 {
		return t.All
	}
	out := slices.Clone(t.Zone)
	for _, x := range append(slices.Clone(t.Minerals[m]), t.Minerals[anyMineral]...) {
		if !slices.Contains(out, x) {
			out = append(out, x)
		}
	}
	return out
}

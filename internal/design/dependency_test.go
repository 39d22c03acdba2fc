package design

import (
	"context"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/duty"
)

// TestFloorParameterReachesOnlyItsDependants: raising lithium's mined-stage
// percentile (a cost_curve parameter) changes the lithium floors at every
// stage chained to it, the duty of lithium declarations and the lithium
// scenario, and nothing else. The full recomputation is what is checked,
// so that the claim does not rest on the dependency rule; the incremental
// result must equal it.
func TestFloorParameterReachesOnlyItsDependants(t *testing.T) {
	f := testFixture(t)
	nw := load(t, f.reg, replaceLine(t, examples.Pact2026, "          percentile: 75", "          percentile: 85"))
	fullOpt := f.opt
	fullOpt.Full = true
	full, err := NewComparer(f.w, fullOpt)
	if err != nil {
		t.Fatal(err)
	}
	want, err := full.Compare(context.Background(), f.ag, nw)
	if err != nil {
		t.Fatal(err)
	}
	const path = "minerals[lithium].stages[mined].price.percentile"
	if len(want.Changes) != 1 || want.Changes[0].Path != path {
		t.Fatalf("Diff = %v, want the one path %s", want.Changes, path)
	}
	stages := map[string]bool{}
	for _, fc := range want.Floors {
		if fc.Mineral == "lithium" {
			if !fc.Changed {
				t.Errorf("floor lithium/%s from %s: unchanged (%s), want changed: every lithium stage chains to the mined floor", fc.Stage, fc.ValidFrom, fc.Old)
			}
			stages[fc.Stage] = true
			if len(fc.Why) == 0 || fc.Why[0] != path {
				t.Errorf("floor lithium/%s from %s: why = %v, want [%s]", fc.Stage, fc.ValidFrom, fc.Why, path)
			}
		} else if fc.Changed {
			t.Errorf("floor %s/%s from %s changed %s -> %s: it does not depend on lithium", fc.Mineral, fc.Stage, fc.ValidFrom, fc.Old, fc.New)
		}
	}
	if len(stages) != 3 {
		t.Errorf("lithium floors compared at stages %v, want mined, processed and derivative", stages)
	}
	changedLines := 0
	for _, l := range want.Duty.Lines {
		if l.Changed {
			changedLines++
			if l.Mineral != "lithium" {
				t.Errorf("duty %s/%s/%s/%s changed %s -> %s: not a lithium line", l.Party, l.Mineral, l.Stage, l.Measure, l.Old, l.New)
			}
		}
	}
	if changedLines == 0 || want.Duty.Changed == 0 {
		t.Errorf("no lithium duty changed (lines %d, declarations %d): the workload has lithium declarations below the floor", changedLines, want.Duty.Changed)
	}
	for _, d := range want.Duty.Largest {
		if d.Mineral != "lithium" {
			t.Errorf("declaration %s (%s) changed %s -> %s: not lithium", d.ID, d.Mineral, d.Old, d.New)
		}
	}
	for _, sc := range want.Scope {
		if sc.Changed {
			t.Errorf("scope of %s changed: the zone did not", sc.Mineral)
		}
	}
	if len(want.Scope) == 0 {
		t.Errorf("no scope indicators compared (%s)", want.ScopeError)
	}
	for _, s := range want.Scenarios {
		if (s.Mineral == "lithium") != s.Changed {
			t.Errorf("scenario %s (%s): changed = %v, want %v", s.ID, s.Mineral, s.Changed, s.Mineral == "lithium")
		}
	}
	inc, err := Compare(context.Background(), f.ag, nw, f.w, f.opt)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := comparableJSON(t, inc), comparableJSON(t, want); g != w {
		t.Errorf("incremental comparison differs from the full one\n%s", firstDifference(g, w))
	}
	if inc.Work.Reassessed == 0 || inc.Work.Reassessed == len(f.w.Declarations) {
		t.Errorf("incremental: %d of %d declarations re-assessed, want the lithium ones only", inc.Work.Reassessed, len(f.w.Declarations))
	}
	if len(inc.Work.Floors) != 1 || inc.Work.Floors[0] != "lithium" {
		t.Errorf("incremental: floors recomputed for %v, want [lithium]", inc.Work.Floors)
	}
}

// TestPartiesDecideWhoPaysTheVariableDuty: when Australia accedes a year
// later, goods of Australian origin lose the party-origin exemption from the
// variable duty, and only declarations Australia is part of change.
func TestPartiesDecideWhoPaysTheVariableDuty(t *testing.T) {
	f := testFixture(t)
	text := replaceAfter(t, examples.Pact2026, "  - id: AU", "    accession: 2026-01-01", "    accession: 2027-01-01")
	nw := load(t, f.reg, text)
	c, err := NewComparer(f.w, f.opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Compare(context.Background(), f.ag, nw)
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Touched.Zone) == 0 {
		t.Fatalf("Touched = %+v: want the zone reached by %v", got.Touched, got.Changes)
	}
	scopeChanged := false
	for _, sc := range got.Scope {
		if sc.Changed && sc.Mineral == "lithium" {
			scopeChanged = true
		}
	}
	if !scopeChanged {
		t.Errorf("lithium's zone supply risk did not change without Australia, the largest lithium miner (scope: %d rows, %s)", len(got.Scope), got.ScopeError)
	}
	vo, vn := c.versions[got.Old.Hash], c.versions[got.New.Hash]
	au := map[string]bool{"AU": true}
	newlyPaying := 0
	for i := range f.w.Declarations {
		d := &f.w.Declarations[i]
		if vo.duty.sameTotal(vn.duty, i) && (vo.duty.group[i] == 0) == (vn.duty.group[i] == 0) {
			continue
		}
		if !au[d.Origin()] && !au[d.Importer()] {
			t.Errorf("declaration %s (%s from %s) changed %s -> %s: Australia is not part of it", d.ID(), d.Importer(), d.Origin(), money(vo.duty.totalOf(i)), money(vn.duty.totalOf(i)))
			continue
		}
		dc := c.declarationChange(vo, vn, int32(i))
		if d.Origin() == "AU" && variableDuty(dc.NewLines) > 0 && variableDuty(dc.OldLines) == 0 {
			newlyPaying++
		}
	}
	if newlyPaying == 0 {
		t.Errorf("no declaration of Australian origin pays the variable duty once Australia accedes in 2027")
	}
	t.Logf("%d declarations of Australian origin pay the variable duty they were exempt from", newlyPaying)
}

func variableDuty(ls []duty.DutyLine) float64 {
	s := 0.0
	for _, l := range ls {
		if l.Type == string(agreement.VariableDuty) && l.Amount != "0" {
			s++
		}
	}
	return s
}

package design

import (
	"context"
	"encoding/json"
	"errors"
	"math/rand/v2"
	"slices"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
)

// streamed is what CompareStream handed to its callback.
type streamed struct {
	names []string
	parts []Part
}

func (s *streamed) emit(p Part) {
	s.names = append(s.names, p.Name)
	s.parts = append(s.parts, p)
}

// assembled is the comparison the parts make.
func (s *streamed) assembled() *Comparison {
	var c Comparison
	for _, p := range s.parts {
		c.Add(p)
	}
	return &c
}

// checkParts checks the parts' order and count: changes first, work last,
// every other part once, one scenario part per scenario; and that each
// encodes as one JSON object naming its part.
func checkParts(t *testing.T, what string, s *streamed, scenarios int) {
	t.Helper()
	if len(s.names) == 0 || s.names[0] != PartChanges || s.names[len(s.names)-1] != PartWork {
		t.Fatalf("%s: parts %v, want changes first and work last", what, s.names)
	}
	count := map[string]int{}
	for _, n := range s.names {
		count[n]++
	}
	for _, n := range []string{PartChanges, PartFloors, PartScope, PartDuty, PartWork} {
		if count[n] != 1 {
			t.Errorf("%s: %d %s parts, want 1 (parts %v)", what, count[n], n, s.names)
		}
	}
	if count[PartScenario] != scenarios {
		t.Errorf("%s: %d scenario parts, want %d", what, count[PartScenario], scenarios)
	}
	var idx []int
	for _, p := range s.parts {
		b, err := json.Marshal(p)
		if err != nil {
			t.Fatalf("%s: encoding the %s part: %v", what, p.Name, err)
		}
		var head struct{ Part string }
		if err := json.Unmarshal(b, &head); err != nil || head.Part != p.Name {
			t.Errorf("%s: the %s part encodes as %.80s, want {\"part\": %q, ...}", what, p.Name, b, p.Name)
		}
		if p.Name == PartScenario {
			idx = append(idx, p.Index)
		}
	}
	slices.Sort(idx)
	for i, x := range idx {
		if x != i {
			t.Errorf("%s: scenario parts %v, want each index once", what, idx)
			break
		}
	}
}

// TestStreamedPartsAreTheComparison: for random one-line edits, the parts
// streamed by the incremental path, by the full recomputation and by the
// cache (the same edit again) each make the comparison returned, and the
// incremental parts equal the full ones (but for the work part).
func TestStreamedPartsAreTheComparison(t *testing.T) {
	f := testFixture(t)
	inc, full := comparers(t, f)
	ctx := context.Background()
	r := rand.New(rand.NewPCG(4, 18))
	for step := 0; step < 4; {
		e := randomEdit(r, examples.Pact2026)
		nw, _, err := agreement.Load(examples.Pact2026Name, e.apply(examples.Pact2026), agreement.RegistryCatalog(f.reg))
		if err != nil {
			continue
		}
		step++
		var si, sf, sc streamed
		got, err := inc.CompareStream(ctx, f.ag, nw, si.emit)
		if err != nil {
			t.Fatalf("%v: incremental CompareStream = %v", e, err)
		}
		want, err := full.CompareStream(ctx, f.ag, nw, sf.emit)
		if err != nil {
			t.Fatalf("%v: full CompareStream = %v", e, err)
		}
		cached, err := inc.CompareStream(ctx, f.ag, nw, sc.emit)
		if err != nil {
			t.Fatalf("%v: cached CompareStream = %v", e, err)
		}
		if !cached.Work.Cached {
			t.Errorf("%v: the same edit again was not found under its hash: %+v", e, cached.Work)
		}
		n := len(f.w.Scenarios)
		for _, x := range []struct {
			what string
			s    *streamed
			c    *Comparison
		}{{"incremental", &si, got}, {"full", &sf, want}, {"cached", &sc, cached}} {
			checkParts(t, e.String()+": "+x.what, x.s, n)
			a := x.s.assembled()
			if g, w := comparableJSON(t, a), comparableJSON(t, x.c); g != w {
				t.Errorf("%v: %s parts differ from the comparison returned\n%s", e, x.what, firstDifference(g, w))
			}
			if a.Work.Cached != x.c.Work.Cached || a.Work.Reassessed != x.c.Work.Reassessed {
				t.Errorf("%v: %s work part %+v, returned %+v", e, x.what, a.Work, x.c.Work)
			}
		}
		if g, w := comparableJSON(t, si.assembled()), comparableJSON(t, sf.assembled()); g != w {
			t.Errorf("%v: incremental parts differ from the full ones\n%s", e, firstDifference(g, w))
		}
		t.Logf("%v: incremental parts %v", e, si.names)
	}
	// Compare without a callback is the same comparison.
	plain, err := inc.Compare(ctx, f.ag, f.ag)
	if err != nil {
		t.Fatal(err)
	}
	var s streamed
	again, err := inc.CompareStream(ctx, f.ag, f.ag, s.emit)
	if err != nil {
		t.Fatal(err)
	}
	if g, w := comparableJSON(t, plain), comparableJSON(t, again); g != w {
		t.Errorf("Compare and CompareStream of the same versions differ\n%s", firstDifference(g, w))
	}
}

// TestStreamStopsOnError: a comparison cancelled after its first part
// returns the error and emits no work part.
func TestStreamStopsOnError(t *testing.T) {
	f := testFixture(t)
	c, err := NewComparer(f.w, f.opt) // cold: the old version is computed whole
	if err != nil {
		t.Fatal(err)
	}
	nw := load(t, f.reg, replaceLine(t, examples.Pact2026, "          percentile: 75", "          percentile: 81"))
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var s streamed
	_, err = c.CompareStream(ctx, f.ag, nw, func(p Part) {
		s.emit(p)
		cancel()
	})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("CompareStream cancelled after its first part = %v, want context.Canceled", err)
	}
	if len(s.names) == 0 || s.names[0] != PartChanges || slices.Contains(s.names, PartWork) {
		t.Errorf("parts %v, want changes first and no work part", s.names)
	}
}

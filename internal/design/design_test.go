package design

import (
	"context"
	"encoding/json"
	"sync"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/market"
	"github.com/mineralpact/mineralpact/internal/registry"
	"github.com/mineralpact/mineralpact/scenarios"
)

// fixture is the test workload: the example agreement, a few thousand
// generated declarations, and the shipped scenarios at few paths.
type fixture struct {
	reg *registry.Registry
	ag  *agreement.Agreement
	opt Options
	w   Workload
}

var fix struct {
	sync.Once
	f   *fixture
	err error
}

const testDeclarations = 3000

func testFixture(tb testing.TB) *fixture {
	tb.Helper()
	fix.Do(func() {
		reg, ag := exampletest.Load(tb)
		f := &fixture{reg: reg, ag: ag, opt: Options{Registry: reg, Prices: exampletest.Sources(reg), Data: data.FS, Top: 5}}
		ds, src, err := Generate(ag, f.opt, testDeclarations, DefaultSeed, date.Date{})
		if err != nil {
			fix.err = err
			return
		}
		f.w = Workload{From: date.MustParse("2026-01-01"), To: date.MustParse("2026-12-31"), Declarations: ds, DeclarationsSource: src, DeclarationsIllustrative: true, Paths: 20}
		for _, name := range scenarios.Names() {
			b, file, _ := scenarios.Get(name)
			sc, err := market.DecodeScenario(file, b)
			if err != nil {
				fix.err = err
				return
			}
			f.w.Scenarios = append(f.w.Scenarios, sc)
		}
		fix.f = f
	})
	if fix.err != nil {
		tb.Fatal(fix.err)
	}
	return fix.f
}

// load decodes an agreement text as the example's file.
func load(tb testing.TB, reg *registry.Registry, text []byte) *agreement.Agreement {
	tb.Helper()
	a, _, err := agreement.Load(examples.Pact2026Name, text, agreement.RegistryCatalog(reg))
	if err != nil {
		tb.Fatalf("agreement.Load(edited example) = %v", err)
	}
	return a
}

func TestCompareSmoke(t *testing.T) {
	f := testFixture(t)
	text := replaceLine(t, examples.Pact2026, "          percentile: 75", "          percentile: 80")
	nw := load(t, f.reg, text)
	c, err := NewComparer(f.w, f.opt)
	if err != nil {
		t.Fatal(err)
	}
	got, err := c.Compare(context.Background(), f.ag, nw)
	if err != nil {
		t.Fatal(err)
	}
	b, _ := json.MarshalIndent(struct {
		T *Touched
		W Work
		F []FloorChange
		D int
		S []ScenarioChange
	}{got.Touched, got.Work, got.Floors[:6], got.Duty.Changed, got.Scenarios}, "", " ")
	t.Logf("%s", b)
}

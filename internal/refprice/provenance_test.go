package refprice

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// provenanceOf returns the inputs of f's provenance of quality q.
func provenanceOf(f *Floor, q Quality) []string {
	for _, p := range f.Provenance {
		if p.Quality == q {
			return p.Inputs
		}
	}
	return nil
}

// TestProvenance: a floor names the qualities its value depends on, the
// marginal producer's cost source, and a cost basis that is not deflated;
// a stage chain inherits them; a market average names its series once.
func TestProvenance(t *testing.T) {
	src := handSources(t)
	curves := src.Curves
	src.Curves = func(name, mineral, stage string) (*CostCurve, error) {
		cc, err := curves(name, mineral, stage)
		if err != nil {
			return nil, err
		}
		cc.Capacity = Estimated
		for i := range cc.Producers {
			cc.Producers[i].CostQuality = Imputed
			cc.Producers[i].CostSource = "hand-imputed"
		}
		return cc, nil
	}
	e := New(loadHand(t), src)
	on := date.MustParse("2026-01-01")
	mined, err := e.Floor("cobalt", "mined", on)
	if err != nil {
		t.Fatal(err)
	}
	if got := provenanceOf(mined, Imputed); !slices.Equal(got, []string{"marginal producer"}) {
		t.Errorf("cobalt/mined imputed = %q, want [marginal producer]", got)
	}
	if got := provenanceOf(mined, Estimated); !slices.Equal(got, []string{"production that counts"}) {
		t.Errorf("cobalt/mined estimated = %q, want [production that counts]", got)
	}
	if got := provenanceOf(mined, NotDeflated); !slices.Equal(got, []string{"cost basis"}) {
		t.Errorf("cobalt/mined not_deflated = %q (curve costs of 2025, floor of 2026), want [cost basis]", got)
	}
	if mined.Provenance[0].Quality != Imputed {
		t.Errorf("provenance starts with %s, want the weakest quality (imputed) first", mined.Provenance[0].Quality)
	}
	if !strings.Contains(mined.MarginalCost, "imputed: hand-imputed") {
		t.Errorf("marginal cost source = %q, want the producer's quality and source", mined.MarginalCost)
	}
	if got := mined.Flags(); !slices.Equal(got, []string{"imputed", "estimated", "not_deflated"}) {
		t.Errorf("flags = %q", got)
	}

	chained, err := e.Floor("cobalt", "processed", on)
	if err != nil {
		t.Fatal(err)
	}
	if got := provenanceOf(chained, Imputed); !slices.Equal(got, []string{"cobalt/mined: marginal producer"}) {
		t.Errorf("cobalt/processed imputed = %q, want the upstream's, named by its stage", got)
	}
	if !strings.HasPrefix(chained.MarginalCost, "cobalt/mined: ") {
		t.Errorf("cobalt/processed marginal cost source = %q, want the upstream's", chained.MarginalCost)
	}

	ma, err := e.Floor("copper", "processed", on)
	if err != nil {
		t.Fatal(err)
	}
	if got := provenanceOf(ma, Reported); !slices.Equal(got, []string{"series"}) {
		t.Errorf("copper/processed reported = %q, want the series once", got)
	}
	for _, in := range ma.Inputs {
		if strings.HasPrefix(in.Name, "store:HAND ") && in.Quality != Reported {
			t.Errorf("input %s quality %q, want reported", in.Name, in.Quality)
		}
	}
	if ma.MarginalCost != "" {
		t.Errorf("market average marginal cost source = %q, want none", ma.MarginalCost)
	}
}

// TestProvenanceGenerated: a generated curve's floor is illustrative and
// says generated, and so is the floor chained to it.
func TestProvenanceGenerated(t *testing.T) {
	src := handSources(t)
	curves := src.Curves
	src.Curves = func(name, mineral, stage string) (*CostCurve, error) {
		cc, err := curves(name, mineral, stage)
		if err == nil {
			cc.Illustrative = true
		}
		return cc, err
	}
	e := New(loadHand(t), src)
	f, err := e.Floor("cobalt", "processed", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if !f.Illustrative || !slices.Contains(provenanceOf(f, Generated), "cobalt/mined: marginal producer") {
		t.Errorf("illustrative %v, generated %q; want true and the upstream's marginal producer", f.Illustrative, provenanceOf(f, Generated))
	}
}

// TestProvenanceKeepsHash: qualities describe inputs and leave the inputs
// hash as the figures make it.
func TestProvenanceKeepsHash(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	f, err := e.Floor("copper", "processed", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	g := *f
	g.Inputs = slices.Clone(f.Inputs)
	for i := range g.Inputs {
		g.Inputs[i].Quality = ""
	}
	if hashInputs(&g) != f.InputsHash {
		t.Error("the inputs hash depends on the qualities")
	}
}

// TestExplainMinimum: explain shows the rule's minimum whether or not it
// binds.
func TestExplainMinimum(t *testing.T) {
	for _, tc := range []struct {
		minimum, step string
	}{{"700", "minimum: max(price, minimum)"}, {"600", "minimum (not binding)"}} {
		a := loadHand(t)
		for i := range a.Minerals {
			if a.Minerals[i].ID == "gallium" {
				a.Minerals[i].Stages[0].Price.Revision.Minimum = dec.MustParse(tc.minimum)
			}
		}
		f, err := New(a, handSources(t)).Floor("gallium", "processed", date.MustParse("2026-06-30"))
		if err != nil {
			t.Fatal(err)
		}
		var b strings.Builder
		if err := Explain(&b, f); err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(b.String(), tc.step) || !strings.Contains(b.String(), "minimum = "+tc.minimum) {
			t.Errorf("minimum %s: explain lacks %q and the minimum:\n%s", tc.minimum, tc.step, b.String())
		}
	}
}

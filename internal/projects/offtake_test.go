package projects

import (
	"math"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func mustOfftake(t *testing.T, p *Pipeline, file string) *Offtake {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	o, err := DecodeOfftake(filepath.Base(file), data, p)
	if err != nil {
		t.Fatalf("DecodeOfftake(%s): %v", file, err)
	}
	return o
}

func TestDecodeOfftakeBad(t *testing.T) {
	p := mustPipeline(t)
	files, _ := filepath.Glob("testdata/offtake/bad-*.yaml")
	if len(files) < 2 {
		t.Fatalf("testdata/offtake: %d bad files", len(files))
	}
	for _, f := range files {
		name := strings.TrimPrefix(filepath.ToSlash(f), "testdata/")
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, line := range strings.Split(string(data), "\n") {
			if w, ok := strings.CutPrefix(line, "# want: "); ok {
				want = append(want, w)
			}
		}
		_, err = DecodeOfftake(name, data, p)
		if err == nil || err.Error() != strings.Join(want, "\n") {
			t.Errorf("DecodeOfftake(%s) problems:\n%v\nwant:\n%s", name, err, strings.Join(want, "\n"))
		}
	}
}

func TestValueOfftake(t *testing.T) {
	p := mustPipeline(t)
	o := mustOfftake(t, p, "testdata/offtake/collar.yaml")
	pr := p.Project(o.Project)
	paths, err := GBM{Spot: 20000, Drift: 0.02, Vol: 0.4, Antithetic: true}.Draw(2000, pr.Horizon(), 7)
	if err != nil {
		t.Fatal(err)
	}
	ov, err := pr.ValueOfftake(paths, 0.08, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	// A collar narrows the distribution of the producer's NPV.
	if !(ov.With.StdDev < ov.Without.StdDev) {
		t.Errorf("ValueOfftake: std dev with the collar %g, without %g: want smaller with", ov.With.StdDev, ov.Without.StdDev)
	}
	if !(ov.With.Quantiles[0] > ov.Without.Quantiles[0]) {
		t.Errorf("ValueOfftake: P5 with the collar %g, without %g: want higher with", ov.With.Quantiles[0], ov.Without.Quantiles[0])
	}

	// Without royalty and tax the contract is zero-sum: what the buyer gains
	// the producer loses, path by path and so in expectation.
	bare := *pr
	bare.Royalty, bare.Tax = Royalty{}, Tax{}
	ov, err = bare.ValueOfftake(paths, 0.08, nil, o)
	if err != nil {
		t.Fatal(err)
	}
	if math.Abs(ov.Producer+ov.Buyer) > 1e-6*math.Abs(ov.Buyer) {
		t.Errorf("untaxed offtake: producer %g, buyer %g, want opposite", ov.Producer, ov.Buyer)
	}

	long := *o
	long.TenorYears = pr.LifeYears + 1
	if _, err := pr.ValueOfftake(paths, 0.08, nil, &long); err == nil || !strings.Contains(err.Error(), "longer than project li-brine-mx's life") {
		t.Errorf("ValueOfftake with a tenor past the life: err %v", err)
	}
	linked := *o
	linked.Price = OfftakePrice{Kind: PriceFloorLinked}
	if _, err := pr.ValueOfftake(paths, 0.08, nil, &linked); err == nil {
		t.Errorf("ValueOfftake floor-linked without a floor: want an error")
	}
}

// TestFastPathAgrees holds the Monte Carlo's NPV (evaluator.npv) to the
// cash-flow table's (CashFlowsUnder) on every project of the illustrative
// pipeline, with and without a floor and an offtake: the two share
// evaluator.revenue, and this keeps the rest of them in step.
func TestFastPathAgrees(t *testing.T) {
	p := mustPipeline(t)
	o := mustOfftake(t, p, "testdata/offtake/collar.yaml")
	for i := range p.Projects {
		pr := &p.Projects[i]
		h := pr.Horizon()
		paths, err := GBM{Spot: 20000, Drift: 0.02, Vol: 0.5}.Draw(50, h, uint64(i))
		if err != nil {
			t.Fatal(err)
		}
		floor := Flat(16000, h)
		offtake := *o
		offtake.Project = pr.ID
		offtake.TenorYears = min(o.TenorYears, pr.LifeYears)
		offtake.VolumePerYear = min(o.VolumePerYear, pr.Capacity.PerYear)
		for _, terms := range []Terms{{}, {Floor: floor}, {Offtake: &offtake}, {Floor: floor, Offtake: &offtake}} {
			e := newEvaluator(pr, 0.08, terms)
			for j := range paths.N {
				path := paths.Path(j)
				cf, err := pr.CashFlowsUnder(path, 0.08, terms)
				if err != nil {
					t.Fatal(err)
				}
				if got := e.npv(path); math.Abs(got-cf.NPV) > 1e-9*max(1, math.Abs(cf.NPV)) {
					t.Fatalf("%s, floor %v, offtake %v, path %d: fast NPV %g, table %g", pr.ID, terms.Floor != nil, terms.Offtake != nil, j, got, cf.NPV)
				}
			}
		}
	}
}

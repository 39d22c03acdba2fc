package market

import (
	"math"
	"os"
	"path/filepath"
	"testing"
)

func loadInstance(t testing.TB, name string) *Instance {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	in, err := DecodeInstance(name, b)
	if err != nil {
		t.Fatalf("DecodeInstance(%s) = %v", name, err)
	}
	return in
}

// solveChecked solves in and fails the test unless every residual is within
// tolerance.
func solveChecked(t testing.TB, name string, in *Instance) *Equilibrium {
	t.Helper()
	eq, err := Solve(in)
	if err != nil {
		t.Fatalf("Solve(%s) = %v", name, err)
	}
	if c := CheckEquilibrium(in, eq); !c.OK {
		t.Fatalf("CheckEquilibrium(%s) = %+v, want ok", name, c)
	}
	return eq
}

func near(a, b float64) bool { return math.Abs(a-b) <= 1e-9*math.Max(1, math.Abs(b)) }

func TestRandomAgainstQP(t *testing.T) {
	for seed := uint64(1); seed <= 40; seed++ {
		in := RandomInstance(seed, 2+int(seed%9), 10+int(seed*7%120), Generated{})
		eq := solveChecked(t, "random", in)
		p, dem := marketQP(in)
		_, y, _, err := p.solve()
		if err != nil {
			t.Fatalf("seed %d: qp.solve() = %v", seed, err)
		}
		for r, rr := range eq.Regions {
			if rr.Consumption == 0 {
				continue // above the choke price the price is not unique
			}
			if got, want := rr.Price, y[dem[r]]; math.Abs(got-want) > 1e-6*math.Max(1, math.Abs(want)) {
				t.Errorf("seed %d: Solve price of %s = %v, want %v (QP)", seed, rr.ID, got, want)
			}
		}
	}
}

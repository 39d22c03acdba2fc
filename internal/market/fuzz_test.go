package market

import (
	"context"
	"os"
	"path/filepath"
	"testing"
)

// FuzzDecodeInstance: any input decodes to a valid instance or an error,
// never a panic; a valid instance solves or fails with an error.
func FuzzDecodeInstance(f *testing.F) {
	for _, name := range []string{"testdata/two-region.json", "testdata/gsim-two.json"} {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte(`{"currency":"USD","unit":"t","regions":[{"id":"A","demand":{"kind":"constant_elasticity","ref_price":1,"ref_quantity":1,"elasticity":-2}}],"producers":[{"id":"p","region":"A","capacity":1,"unit_cost":0}],"transport":[]}`))
	f.Add([]byte(`{"regions":[{"id":"*"}],"floors":[{"importer":"A","exempt":["A","A"]}]}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		in, err := DecodeInstance("fuzz.json", b)
		if err == nil && len(in.Producers) <= 50 && len(in.Regions) <= 10 {
			_, _ = Solve(in)
		}
		if g, err := DecodeGSIM("fuzz.json", b); err == nil {
			_, _ = SolveGSIM(g)
		}
	})
}

// FuzzDecodeScenario: any input decodes to a scenario or to problems with
// their positions, never a panic; a scenario that decodes builds, and one that
// builds with at most 24 months runs its central paths.
func FuzzDecodeScenario(f *testing.F) {
	files, _ := filepath.Glob("testdata/scenarios/*.yaml")
	bad, _ := filepath.Glob("testdata/scenarios/bad/*.yaml")
	shipped, _ := filepath.Glob("../../scenarios/*.yaml")
	for _, name := range append(append(files, bad...), shipped...) {
		if b, err := os.ReadFile(name); err == nil {
			f.Add(b)
		}
	}
	f.Add([]byte("a: &a [*a, *a]\nb: *a\n"))
	f.Add([]byte("version: 1\nregions: {id: x}\n"))
	env := testEnv(f)
	f.Fuzz(func(t *testing.T, b []byte) {
		sc, err := DecodeScenario("fuzz.yaml", b)
		if err != nil {
			return
		}
		pl, err := Build(sc, env)
		if err != nil || len(pl.Months) > 24 || len(pl.producers) > 60 {
			return
		}
		_, _ = Run(context.Background(), pl, Options{})
	})
}

package market

import (
	"os"
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

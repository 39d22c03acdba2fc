package costcurve

import (
	"bytes"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

var update = flag.Bool("update", false, "rewrite data/costcurves from the recorded parameters")

func defaultRegistry(tb testing.TB) *registry.Registry {
	tb.Helper()
	reg, err := registry.Default()
	if err != nil {
		tb.Fatal(err)
	}
	return reg
}

// generateRecorded regenerates the file of a recorded request.
func generateRecorded(tb testing.TB, reg *registry.Registry, q Request) []byte {
	tb.Helper()
	p, err := ParamsFor(reg, q)
	if err != nil {
		tb.Fatalf("ParamsFor(%s/%s) = %v", q.Mineral, q.Stage, err)
	}
	c, err := Generate(p)
	if err != nil {
		tb.Fatalf("Generate(%s/%s) = %v", q.Mineral, q.Stage, err)
	}
	var b bytes.Buffer
	if err := Encode(&b, c, q.Command()); err != nil {
		tb.Fatal(err)
	}
	return b.Bytes()
}

// TestRecordedFiles regenerates every committed generated curve from its
// recorded parameters and requires the same bytes, so the files cannot drift
// from the generator. Run with -update to rewrite them, and review the diff.
func TestRecordedFiles(t *testing.T) {
	reg := defaultRegistry(t)
	for _, q := range Recorded {
		path := filepath.Join("..", "..", "data", filepath.FromSlash(FileName(q.Mineral, q.Stage)))
		got := generateRecorded(t, reg, q)
		if *update {
			if err := os.WriteFile(path, got, 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		want, err := os.ReadFile(path)
		if err != nil {
			t.Fatalf("%v (run go test ./internal/costcurve -run TestRecordedFiles -update)", err)
		}
		if !bytes.Equal(got, want) {
			t.Errorf("%s differs from what %s generates; rerun with -update and review the diff", path, q.Command())
		}
	}
}

// TestRecordedCurves checks the committed curves as Load reads them: labelled
// illustrative, positive capacities and costs, the weighted mean exactly the
// target, and the production of the MCS countries kept.
func TestRecordedCurves(t *testing.T) {
	reg := defaultRegistry(t)
	for _, q := range Recorded {
		c, err := Load(data.FS, Generated, q.Mineral, q.Stage)
		if err != nil {
			t.Fatalf("Load(generated, %s, %s) = %v", q.Mineral, q.Stage, err)
		}
		if !c.Illustrative || c.Name != Generated || c.Unit != q.Unit || c.Currency != "USD" {
			t.Errorf("%s/%s: Illustrative %v, Name %q, Unit %q, Currency %q; want true, generated, %s, USD", q.Mineral, q.Stage, c.Illustrative, c.Name, c.Unit, c.Currency, q.Unit)
		}
		for _, p := range c.Producers {
			if p.Capacity.Sign() <= 0 || p.Cost.Sign() <= 0 {
				t.Errorf("%s/%s: producer %s capacity %s cost %s, want both > 0", q.Mineral, q.Stage, p.ID, p.Capacity, p.Cost)
			}
		}
		p, err := ParamsFor(reg, q)
		if err != nil {
			t.Fatal(err)
		}
		target, _ := p.TargetMean()
		if got := c.WeightedMeanCost(); got.Cmp(target) != 0 {
			t.Errorf("%s/%s: WeightedMeanCost() = %s, want exactly %s", q.Mineral, q.Stage, got, target)
		}
		var world dec.Decimal
		for _, cp := range p.Countries {
			world = world.Add(cp.Production)
		}
		if got := c.TotalCapacity(); got.Cmp(world) != 0 {
			t.Errorf("%s/%s: TotalCapacity() = %s, want the MCS production %s", q.Mineral, q.Stage, got, world)
		}
	}
}

package refprice_test

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/costcurve"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/refprice"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestBackcastVintages: a backcast obeys the vintage rule. On the shipped
// data, lithium's cost curve (Busch et al., released 2025-02-01) and the WGI
// 2023 update (released 2023-09-30) are not available to a backcast of
// 2023-01-01 (cut-off 2022-12-02): a strict engine refuses it, the default one
// flags both. A backcast whose cut-off is after both releases computes the
// same floor as the entry into force (the inputs did not change), while a
// market average changes with the Pink Sheet months public at each cut-off.
func TestBackcastVintages(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	src := costcurve.PriceSources(reg, data.FS)
	strict := refprice.New(a, src, refprice.Backcast(), refprice.StrictVintages())
	flagged := refprice.New(a, src, refprice.Backcast())

	early := date.MustParse("2023-01-01")
	if f, err := strict.Floor("lithium", "mined", early); err == nil {
		t.Errorf("strict backcast of lithium/mined on %s = %s, want a problem (Busch et al. released 2025-02-01)", early, f.Price)
	} else if !strings.Contains(err.Error(), "released on 2025-02-01, after the data cut-off 2022-12-02") {
		t.Errorf("strict backcast error = %q, want the release and the cut-off", err)
	}
	f, err := flagged.Floor("lithium", "mined", early)
	if err != nil {
		t.Fatal(err)
	}
	if !f.Backcast || !strings.Contains(strings.Join(f.Flags(), ","), "after_cut_off") {
		t.Errorf("backcast %v, flags %q; want a backcast flagged after_cut_off", f.Backcast, f.Flags())
	}

	late, err := strict.Floor("lithium", "mined", date.MustParse("2025-07-01"))
	if err != nil {
		t.Fatalf("strict backcast of lithium/mined on 2025-07-01 (cut-off after every release): %v", err)
	}
	now, err := strict.Floor("lithium", "mined", a.EntryIntoForce)
	if err != nil {
		t.Fatal(err)
	}
	if late.Price.Cmp(now.Price) != 0 {
		t.Errorf("lithium/mined: backcast %s, entry into force %s; the same inputs should give the same floor", late.Price, now.Price)
	}

	b, err := strict.Floor("copper", "processed", date.MustParse("2025-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	c, err := strict.Floor("copper", "processed", a.EntryIntoForce)
	if err != nil {
		t.Fatal(err)
	}
	if b.Price.Cmp(c.Price) == 0 {
		t.Errorf("copper/processed backcast of 2025-01-01 = entry into force = %s; the Pink Sheet months differ", b.Price)
	}
	for _, fl := range []*refprice.Floor{b, c} {
		for _, in := range fl.Inputs {
			if in.Released != "" && in.Released > fl.CutOff.String() {
				t.Errorf("copper/processed %s: %s released %s after the cut-off %s", fl.ValidFrom, in.Name, in.Released, fl.CutOff)
			}
		}
	}
}

package agreement

import (
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

func loadMini(t *testing.T) *Agreement {
	t.Helper()
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := Load("testdata/mini.yaml", data, fakeCatalog{})
	if err != nil {
		t.Fatalf("Load(mini.yaml) = %v", err)
	}
	return a
}

func TestLoadMini(t *testing.T) {
	a := loadMini(t)
	if a.ID != "mini" || len(a.Parties) != 2 || len(a.Minerals) != 2 {
		t.Fatalf("Load(mini.yaml) = id %q, %d parties, %d minerals; want mini, 2, 2", a.ID, len(a.Parties), len(a.Minerals))
	}
	if got := a.Minerals[1].Stages[0].HS; len(got) != 1 || got[0] != "261100" {
		t.Errorf("tungsten/mined HS = %v, want the registry default [261100]", got)
	}
	w := a.Parties[0].Instruments[1].Rate.Specific
	if w.Amount.String() != "0.375" || w.On != "contained" {
		t.Errorf("us-mfn-w specific = %s on %s, want 0.375 on contained", w.Amount, w.On)
	}
}

func TestAsOf(t *testing.T) {
	a := loadMini(t)
	tests := []struct {
		on      string
		parties int
		usInstr int
		liPrice string
		applied int
	}{
		{"2026-01-01", 1, 7, "10000", 0},
		{"2026-07-01", 2, 7, "10000", 0},
		{"2027-01-01", 2, 6, "12000", 1},
	}
	for _, tt := range tests {
		in, err := a.AsOf(date.MustParse(tt.on))
		if err != nil {
			t.Fatalf("AsOf(%s) = %v", tt.on, err)
		}
		g := in.Agreement
		us, _ := g.Party("US")
		li, _ := g.Mineral("lithium")
		if len(g.Parties) != tt.parties || len(us.Instruments) != tt.usInstr || li.Stages[0].Price.Price.String() != tt.liPrice || len(in.Applied) != tt.applied {
			t.Errorf("AsOf(%s) = %d parties, %d US instruments, lithium %s, %d amendments; want %d, %d, %s, %d",
				tt.on, len(g.Parties), len(us.Instruments), li.Stages[0].Price.Price, len(in.Applied), tt.parties, tt.usInstr, tt.liPrice, tt.applied)
		}
	}
	if _, err := a.AsOf(date.MustParse("2025-12-31")); err == nil || !strings.Contains(err.Error(), "not in force") {
		t.Errorf("AsOf(before entry into force) error = %v, want 'not in force'", err)
	}
	// AsOf must not change the agreement it was asked of.
	if len(a.Amendments) != 1 || a.Minerals[0].Stages[0].Price.Price.String() != "10000" {
		t.Error("AsOf changed its receiver")
	}
}

func TestHashStable(t *testing.T) {
	a, b := loadMini(t), loadMini(t)
	ha, _ := a.Hash()
	hb, _ := b.Hash()
	if ha != hb || len(ha) != 64 {
		t.Fatalf("Hash = %s and %s, want equal sha256 hex", ha, hb)
	}
	b.Title = "changed"
	if hc, _ := b.Hash(); hc == ha {
		t.Fatal("Hash did not change with the title")
	}
}

func TestDiff(t *testing.T) {
	a := loadMini(t)
	in, err := a.AsOf(date.MustParse("2027-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	before, _ := a.AsOf(date.MustParse("2026-12-31"))
	diffs, err := Diff(before.Agreement, in.Agreement)
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{
		"minerals[lithium].stages[processed].price.price": "changed",
		"parties[US].instruments[us-und-1]":               "removed",
	}
	if len(diffs) != len(want) {
		t.Fatalf("Diff = %+v, want %d differences", diffs, len(want))
	}
	for _, d := range diffs {
		if want[d.Path] != d.Kind {
			t.Errorf("Diff has %s %s, want %v", d.Kind, d.Path, want)
		}
	}
}

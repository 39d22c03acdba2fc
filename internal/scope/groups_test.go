package scope

import (
	"testing"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	scopedata "github.com/mineralpact/mineralpact/data/scope"
)

func exampleRelations(tb testing.TB) *Relations {
	tb.Helper()
	reg, _ := exampleRegistry(tb)
	rel, err := LoadRelations(reg, Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS})
	if err != nil {
		tb.Fatal(err)
	}
	return rel
}

// ownedRelations is exampleRelations with the shipped ownership register,
// which the candidates' ownership factor reads.
func ownedRelations(tb testing.TB) *Relations {
	tb.Helper()
	reg, _ := exampleRegistry(tb)
	rel, err := LoadRelations(reg, Sources{Data: data.FS, Scope: scopedata.FS, Ownership: ownershipdata.FS, OwnershipFiles: ownershipdata.Files})
	if err != nil {
		tb.Fatal(err)
	}
	return rel
}

func TestGroupsShipped(t *testing.T) {
	d, _ := example(t)
	rel := exampleRelations(t)
	gs := d.Groups(rel)
	seen := map[string]string{}
	for _, g := range gs {
		t.Logf("%s (%s): %v", g.ID, g.Basis, g.Minerals)
		for _, m := range g.Minerals {
			if prev, ok := seen[m]; ok {
				t.Errorf("%s in %s and %s: a mineral belongs to one group", m, prev, g.ID)
			}
			seen[m] = g.ID
		}
		if len(g.Reasons) == 0 {
			t.Errorf("group %s has no reason", g.ID)
		}
	}
	if len(seen) != len(d.Minerals) {
		t.Errorf("groups hold %d minerals, want all %d", len(seen), len(d.Minerals))
	}
	for _, c := range [][2]string{{"gallium", "aluminum"}, {"hafnium", "zirconium"}, {"rhodium", "platinum"}, {"cobalt", "nickel"}, {"germanium", "indium"}} {
		if seen[c[0]] != seen[c[1]] {
			t.Errorf("%s in %s, %s in %s: want one group", c[0], seen[c[0]], c[1], seen[c[1]])
		}
	}
}

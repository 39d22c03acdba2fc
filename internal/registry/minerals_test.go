package registry

import (
	"slices"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestMineralLists(t *testing.T) {
	r := testRegistry(t)
	var on2022, on2025 int
	for _, m := range r.Minerals() {
		if m.On2022 {
			on2022++
		}
		if m.On2025 {
			on2025++
		}
	}
	if on2022 != 50 {
		t.Errorf("minerals on the 2022 list = %d, want 50", on2022)
	}
	if on2025 != 60 {
		t.Errorf("minerals on the 2025 list = %d, want 60", on2025)
	}
	ms := r.Minerals()
	if !slices.IsSortedFunc(ms, func(a, b Mineral) int { return strings.Compare(a.ID, b.ID) }) {
		t.Errorf("Minerals() is not sorted by ID")
	}
}

func TestMineral(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		id   string
		want Mineral
	}{
		{"lithium", Mineral{ID: "lithium", Name: "Lithium", Symbol: "Li", On2022: true, On2025: true}},
		{"copper", Mineral{ID: "copper", Name: "Copper", Symbol: "Cu", On2022: false, On2025: true}},
		{"neodymium", Mineral{ID: "neodymium", Name: "Neodymium", Symbol: "Nd", Group: RareEarths, On2022: true, On2025: true}},
		{"rhodium", Mineral{ID: "rhodium", Name: "Rhodium", Symbol: "Rh", Group: PlatinumGroupMetals, On2022: true, On2025: true}},
	}
	for _, tt := range tests {
		got, err := r.Mineral(tt.id)
		if err != nil || got != tt.want {
			t.Errorf("Mineral(%q) = %+v, %v, want %+v", tt.id, got, err, tt.want)
		}
	}
}

func TestMineralErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		id   string
		want string // the whole message
	}{
		{"litium", `mineral: unknown mineral "litium" (did you mean "lithium"?)`},
		{"Lithium", `mineral: unknown mineral "Lithium" (did you mean "lithium"?)`},
		{"cobolt", `mineral: unknown mineral "cobolt" (did you mean "cobalt"?)`},
		{"platinum_group", `mineral: unknown mineral "platinum_group" (did you mean "platinum_group_metals"?)`},
		{"unobtainium", `mineral: unknown mineral "unobtainium"`},
	}
	for _, tt := range tests {
		_, err := r.Mineral(tt.id)
		if err == nil || err.Error() != tt.want || problem.CodeOf(err) != problem.NotFound {
			t.Errorf("Mineral(%q) error = %v (code %s), want %q (not_found)", tt.id, err, problem.CodeOf(err), tt.want)
		}
	}
}

func TestGroups(t *testing.T) {
	r := testRegistry(t)
	want := map[string]int{RareEarths: 15, PlatinumGroupMetals: 5}
	gs := r.Groups()
	if len(gs) != len(want) {
		t.Fatalf("Groups() has %d groups, want %d", len(gs), len(want))
	}
	for _, g := range gs {
		if len(g.Members) != want[g.ID] {
			t.Errorf("Groups(): %s has %d members, want %d", g.ID, len(g.Members), want[g.ID])
		}
	}
	tests := []struct {
		id        string
		group     bool
		nMembers  int
		hasMember string
	}{
		{"lithium", false, 1, "lithium"},
		{RareEarths, true, 15, "neodymium"},
		{RareEarths, true, 15, "yttrium"},
		{PlatinumGroupMetals, true, 5, "iridium"},
	}
	for _, tt := range tests {
		ms, group, err := r.MineralOrGroup(tt.id)
		if err != nil || group != tt.group || len(ms) != tt.nMembers || !slices.Contains(ms, tt.hasMember) {
			t.Errorf("MineralOrGroup(%q) = %v, %v, %v, want %d members with %q, group %v", tt.id, ms, group, err, tt.nMembers, tt.hasMember, tt.group)
		}
	}
	if _, _, err := r.MineralOrGroup("rare_earth"); problem.CodeOf(err) != problem.NotFound || !strings.Contains(err.Error(), `"rare_earths"`) {
		t.Errorf("MineralOrGroup(%q) error = %v, want not_found suggesting rare_earths", "rare_earth", err)
	}
}

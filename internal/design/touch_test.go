package design

import (
	"slices"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
)

// TestTouch: what a path of the diff reaches, read from the example.
func TestTouch(t *testing.T) {
	f := testFixture(t)
	tests := []struct {
		path          string
		all, zone     bool
		minerals      []string // keys of Minerals
		partyMinerals []string // keys of PartyMinerals
		floors        []string // keys of Floors
	}{
		{path: "minerals[lithium].stages[mined].price.percentile", minerals: []string{"lithium"},
			floors: []string{"lithium/derivative", "lithium/mined", "lithium/processed"}}, // processed chains to mined, derivative to processed
		{path: "minerals[lithium].stages[derivative].price.margin", minerals: []string{"lithium"}, floors: []string{"lithium/derivative"}},
		{path: "parties[US].instruments[us-vd-li-processed].cap.ad_valorem", minerals: []string{"lithium"}, partyMinerals: []string{"US/lithium"}},
		{path: "parties[EU].instruments[eu-trq-li-cl].volume.value", minerals: []string{"lithium"}, partyMinerals: []string{"EU/lithium"}},
		// The ferro-silicon quota names lines, and a safeguard names the quota.
		{path: "parties[EU].instruments[eu-trq-fesi].volume.value", minerals: []string{"*", "silicon"}, partyMinerals: []string{"EU/*", "EU/silicon"}},
		{path: "parties[AU].accession", zone: true, floors: []string{"graphite/mined", "graphite/processed"}}, // graphite/mined counts the parties' producers; processed chains to it
		{path: "title"},
		{path: "stockpiles[0].quantity.value"},
		{path: "entry_into_force", all: true},
	}
	for _, tt := range tests {
		got := Touch(f.ag, f.ag, []agreement.Difference{{Path: tt.path, Kind: "changed"}}, f.reg)
		if (len(got.All) > 0) != tt.all || (len(got.Zone) > 0) != tt.zone {
			t.Errorf("Touch(%s): all %v, zone %v; want %v, %v", tt.path, got.All, got.Zone, tt.all, tt.zone)
		}
		if k := slices.Sorted(mapKeys(got.Minerals)); !slices.Equal(k, tt.minerals) && !(len(k) == 0 && tt.minerals == nil) {
			t.Errorf("Touch(%s).Minerals = %v, want %v", tt.path, k, tt.minerals)
		}
		if k := slices.Sorted(mapKeys(got.PartyMinerals)); !slices.Equal(k, tt.partyMinerals) && !(len(k) == 0 && tt.partyMinerals == nil) {
			t.Errorf("Touch(%s).PartyMinerals = %v, want %v", tt.path, k, tt.partyMinerals)
		}
		if !tt.all {
			if k := slices.Sorted(mapKeys(got.Floors)); !slices.Equal(k, tt.floors) && !(len(k) == 0 && tt.floors == nil) {
				t.Errorf("Touch(%s).Floors = %v, want %v", tt.path, k, tt.floors)
			}
		}
	}
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

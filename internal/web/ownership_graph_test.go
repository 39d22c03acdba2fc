package web

import (
	"fmt"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// TestOwnershipGraphOf builds the graph of two made-up Australian lithium
// mines under the example's AU rule (notify from 10%, review from 25%,
// aggregated): one held through an Australian company of which a Chinese
// company holds 5–30% (no decision at the lower bound, review possible at
// the upper: the hops marked possible, not trigger), and
// one with 200 direct holders (the graph cut at maxGraphNodes, the rest
// counted as omitted).
func TestOwnershipGraphOf(t *testing.T) {
	reg, a := exampletest.Load(t)
	ents := "id,name,kind,jurisdiction,nationalities,source\ncnco,CN Co,entity,CN,,test\nauco,AU Co,entity,AU,,test\n"
	owners := "owner,owned,interest,share,share_min,share_max,start,end,source\ncnco,auco,shareholding,,5,30,,,test\nauco,mine-a,shareholding,100,,,,,test\n"
	for i := range 200 {
		ents += fmt.Sprintf("h%03d,Holder %d,entity,AU,,test\n", i, i)
		owners += fmt.Sprintf("h%03d,mine-b,shareholding,0.5,,,,,test\n", i)
	}
	fsys := fstest.MapFS{
		"facilities.csv": {Data: []byte("id,name,asset_type,country,commodity,stage,source\nmine-a,Mine A,Mine,AU,lithium,mined,test\nmine-b,Mine B,Mine,AU,lithium,mined,test\n")},
		"entities.csv":   {Data: []byte(ents)},
		"owners.csv":     {Data: []byte(owners)},
	}
	r, err := ownership.ReadFS(fsys, []string{"facilities.csv", "entities.csv", "owners.csv"}, "", reg.CountryCode)
	if err != nil {
		t.Fatal(err)
	}
	on := a.EntryIntoForce
	in, err := a.AsOf(on)
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	sc, err := ownership.NewScreen(r, in, z)
	if err != nil {
		t.Fatal(err)
	}

	f, _ := r.Find("mine-a")
	dec := sc.Facility(f)
	var kinds []string
	for _, tr := range dec.Triggers {
		kinds = append(kinds, fmt.Sprintf("%s %s possible=%v", tr.Kind, tr.Level, tr.Possible))
	}
	t.Logf("mine-a: %s, triggers %v", dec.Decision, kinds)
	g := graphOf(sc, f, dec)
	var ids []string
	for _, n := range g.Nodes {
		ids = append(ids, n.ID+":"+n.Class)
	}
	if want := []string{"mine-a:party", "auco:party", "cnco:non_party"}; !slices.Equal(ids, want) {
		t.Errorf("mine-a's nodes = %v, want %v", ids, want)
	}
	marks := map[string]string{}
	for _, e := range g.Edges {
		marks[e.ID] = e.Share + " " + e.Trigger
	}
	if want := map[string]string{"cnco→auco": "5–30% possible", "auco→mine-a": "100% possible"}; fmt.Sprint(marks) != fmt.Sprint(want) {
		t.Errorf("mine-a's edges = %v, want %v", marks, want)
	}
	possible := 0
	for _, tr := range g.Triggers {
		if tr.Possible {
			possible++
			if !slices.Equal(tr.Edges, []string{"cnco→auco", "auco→mine-a"}) {
				t.Errorf("the possible trigger's edges = %v", tr.Edges)
			}
		}
	}
	if possible != 1 || dec.Decision != "" {
		t.Errorf("decision %q with %d possible triggers, want none and one possible trigger", dec.Decision, possible)
	}

	f, _ = r.Find("mine-b")
	g = graphOf(sc, f, sc.Facility(f))
	if len(g.Nodes) != maxGraphNodes || g.Omitted != 201-maxGraphNodes || len(g.Edges) != maxGraphNodes-1 {
		t.Errorf("mine-b: %d nodes, %d edges, %d omitted; want %d, %d, %d", len(g.Nodes), len(g.Edges), g.Omitted, maxGraphNodes, maxGraphNodes-1, 201-maxGraphNodes)
	}
	for _, e := range g.Edges {
		if e.Trigger != "" || !strings.HasSuffix(e.ID, "→mine-b") {
			t.Errorf("mine-b edge %s marked %q", e.ID, e.Trigger)
		}
	}
}

package scope

import (
	"math"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// mapZone is a zone for tests: country → party.
type mapZone map[string]string

func (z mapZone) PartyOf(c string) (string, bool) { p, ok := z[c]; return p, ok }

// TestOwnershipFactorByHand works the candidate score's ownership factor by
// hand. Candidate CD, zone {US}, on 2026-06-01; four facilities in CD:
//
//	F1: cnco (CN) 60% → controlled by a non-party                    counted
//	F2: cdco (CD) 100% → a party once CD joins                         not counted
//	F3: hk (HK) 30% + ch (CH) 25% + cdco 45% → no controller,
//	    aggregate non-party 0.30 + 0.25 = 0.55 ≥ 0.5                   counted
//	F4: jv (CD) 100%, jv held 70% by cnco: cnco controls F4 through jv counted
//	F5: no holder recorded                                             not a facility of the count
//
// share = 3/4 = 0.75, factor 0.25; a risk removed of 2 scores 0.5. With CN
// in the zone too, F1 and F4 are party-held and F3's aggregate is 0.55
// still: share 1/4, factor 0.75. A country with no held facility: factor 1,
// share nil, and a note.
func TestOwnershipFactorByHand(t *testing.T) {
	r := ownership.NewRegister()
	node := func(id string, k ownership.Kind, j string) int {
		return r.AddNode(ownership.Node{ID: id, Kind: k, Jurisdiction: j})
	}
	f1, f2, f3, f4 := node("F1", ownership.Facility, "CD"), node("F2", ownership.Facility, "CD"), node("F3", ownership.Facility, "CD"), node("F4", ownership.Facility, "CD")
	node("F5", ownership.Facility, "CD")
	cnco, cdco, hk, ch, jv := node("cnco", ownership.Entity, "CN"), node("cdco", ownership.Entity, "CD"), node("hk", ownership.Entity, "HK"), node("ch", ownership.Entity, "CH"), node("jv", ownership.Entity, "CD")
	hold := func(h, s int, x float64) {
		r.AddEdge(ownership.Edge{Statement: "t", Holder: h, Subject: s, Type: ownership.Shareholding, Share: ownership.Share{Low: x, High: x, Known: true}})
	}
	hold(cnco, f1, 0.6)
	hold(cdco, f2, 1)
	hold(hk, f3, 0.3)
	hold(ch, f3, 0.25)
	hold(cdco, f3, 0.45)
	hold(jv, f4, 1)
	hold(cnco, jv, 0.7)
	on := date.MustParse("2026-06-01")
	o, err := ownersOn(r, on)
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range []struct {
		zone     mapZone
		country  string
		held, of int
		factor   float64
	}{
		{mapZone{"US": "US"}, "CD", 3, 4, 0.25},
		{mapZone{"US": "US", "CN": "CN"}, "CD", 1, 4, 0.75},
	} {
		got, err := o.of(c.zone, c.country)
		if err != nil {
			t.Fatal(err)
		}
		if got.NonParty != c.held || got.Facilities != c.of || math.Abs(got.Factor-c.factor) > 1e-9 {
			t.Errorf("ownership of %s in %v = %d/%d factor %v, want %d/%d factor %v (held %+v)", c.country, c.zone, got.NonParty, got.Facilities, got.Factor, c.held, c.of, c.factor, got.Held)
		}
	}
	none, _ := o.of(mapZone{"US": "US"}, "ZA")
	if none.Share != nil || none.Factor != 1 || none.Note == "" {
		t.Errorf("ownership of ZA = %+v, want no share, factor 1 and a note", none)
	}
}

// TestRankOwnershipShipped ranks the example's candidates with the shipped
// ownership register: the Democratic Republic of the Congo's five held
// facilities, three controlled or held by non-parties (CMOC and Zijin, CN;
// Glencore, CH), give it a factor of 0.4 and a score of 0.4 × its risk
// removed; China's own facilities are party-held once it joins (factor 1).
func TestRankOwnershipShipped(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	rel := ownedRelations(t)
	cs, err := d.Rank(a, reg, rel, date.MustParse("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Candidate{}
	for i, c := range cs.Candidates {
		by[c.Country] = c
		if c.Ownership == nil {
			t.Fatalf("%s has no ownership with the register loaded", c.Country)
		}
		if math.Abs(c.Score-round(c.RiskRemoved*c.Ownership.Factor)) > 1e-9 {
			t.Errorf("%s score %v, want risk removed %v × factor %v", c.Country, c.Score, c.RiskRemoved, c.Ownership.Factor)
		}
		if i > 0 && c.Score > cs.Candidates[i-1].Score {
			t.Errorf("%s after %s with a higher score", c.Country, cs.Candidates[i-1].Country)
		}
	}
	cd := by["CD"]
	if o := cd.Ownership; o.Facilities != 5 || o.NonParty != 3 || o.Factor != 0.4 {
		t.Errorf("CD ownership %d/%d factor %v, want 3/5 factor 0.4 (held %+v)", o.NonParty, o.Facilities, o.Factor, o.Held)
	}
	if cn := by["CN"].Ownership; cn.NonParty != 0 || cn.Factor != 1 {
		t.Errorf("CN ownership %+v, want nothing non-party held once it joins", cn)
	}
}

package projects

import (
	"fmt"
	"math"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/data"
	ownershipdata "github.com/mineralpact/mineralpact/data/ownership"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exampletest"
	"github.com/mineralpact/mineralpact/internal/ownership"
)

// ownersRegister is a hand-made ownership register (invented entities):
// sub-au, an Australian company, is held 60% by cn-parent (a Chinese
// company) and 40% by us-fund; us-co is held in full by a US national.
const (
	ownersEntities = `id,name,kind,jurisdiction,nationalities,source
cn-parent,Invented Chinese parent,entity,CN,,invented
us-fund,Invented US fund,entity,US,,invented
sub-au,Invented Australian subsidiary,entity,AU,,invented
us-co,Invented US company,entity,US,,invented
us-person,Invented US national,person,,US,invented
`
	ownersHoldings = `owner,owned,interest,share,share_min,share_max,start,end,source
cn-parent,sub-au,shareholding,60,,,,,invented
us-fund,sub-au,shareholding,40,,,,,invented
us-person,us-co,shareholding,100,,,,,invented
`
	// Flat prices: every project clears; the ranking is not what is tested.
	ownersPipeline = `version: 1
id: owners-test
illustrative: true
notice: every figure is invented
discount_rate: 0.10
public_discount_rate: 0.04
prices:
  - {mineral: lithium, stage: mined, spot: 20000, volatility: 0}
projects:
  - id: li-au
    name: Invented lithium mine in Australia of a Chinese-controlled company
    mineral: lithium
    stage: mined
    country: AU
    owner_id: sub-au
    capacity: {per_year: 1000, unit: t}
    capital: {total: 1000000}
    unit_opex: 5000
    life_years: 10
  - id: li-us
    name: Invented lithium mine in the US of a US company
    mineral: lithium
    stage: mined
    country: US
    owner_id: us-co
    capacity: {per_year: 1000, unit: t}
    capital: {total: 1000000}
    unit_opex: 5000
    life_years: 10
  - id: li-unknown
    name: Invented lithium mine whose owner the register does not hold
    mineral: lithium
    stage: mined
    country: US
    owner: Someone Not Recorded Ltd
    capacity: {per_year: 1000, unit: t}
    capital: {total: 1000000}
    unit_opex: 5000
    life_years: 10
`
)

func ownersFixture(t *testing.T) (*ownership.Register, *agreement.InForce, *agreement.Zone, func(string) []string) {
	t.Helper()
	reg, a := exampletest.Load(t)
	r := ownership.NewRegister()
	if err := ownership.ReadCSV(r, "entities.csv", []byte(ownersEntities)); err != nil {
		t.Fatal(err)
	}
	if err := ownership.ReadCSV(r, "owners.csv", []byte(ownersHoldings)); err != nil {
		t.Fatal(err)
	}
	in, err := a.AsOf(date.MustParse("2026-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	return r, in, z, ownership.GroupMembers(reg.Minerals())
}

// TestOwnerScreening: the hand-worked cases, under the example agreement's
// rules on 2026-07-01.
//
//   - li-au, owned by sub-au: sub-au is an Australian company (attributed
//     party by its jurisdiction) in which the non-party cn-parent holds 60%,
//     and which it controls (60% of the votes > 50%). The project, held in
//     full by sub-au, carries the same 60% non-party interest. AU's rule
//     au-fdi aggregates non-party interests: 0.60 ≥ prohibit 0.50, so
//     prohibit; its control clause adds review for cn-parent's control. The
//     decision is the highest: prohibit.
//   - li-us, owned by us-co (a US company held in full, and so controlled,
//     by a US national, a party person): no
//     non-party interest, no non-party controller; us-cfius applies and
//     nothing triggers: clean.
//   - li-unknown names no owner_id: "owner not in the ownership register",
//     no decision, never clean.
func TestOwnerScreening(t *testing.T) {
	r, in, z, members := ownersFixture(t)
	p, err := DecodePipeline("owners.yaml", []byte(ownersPipeline))
	if err != nil {
		t.Fatal(err)
	}
	rk, err := p.Rank(RankOptions{Zone: z, Parties: []string{"US", "AU"}, Rate: 0.1, PublicRate: 0.04, Paths: 4, Seed: 1,
		Owners: &Owners{Register: r, InForce: in, Members: members}})
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]OwnerScreening{}
	for _, e := range rk.Projects {
		by[e.Project] = e.OwnerScreening
	}
	au := by["li-au"]
	if au.Status != OwnerScreened || au.Owner != "sub-au" || au.Attribution == nil || au.Attribution.Class != ownership.PartyClass {
		t.Fatalf("li-au = %+v, want screened, owner sub-au attributed party", au)
	}
	if b := *au.NonPartyInOwner; math.Abs(b.Min-0.6) > 1e-12 || math.Abs(b.Max-0.6) > 1e-12 {
		t.Errorf("li-au: non-party interest in the owner %v, want 60%%", b)
	}
	d := au.Screening
	if au.Decision != agreement.Prohibit || d.Rule != "au-fdi" || d.Controller != "cn-parent" || d.CtlClass != ownership.NonParty || math.Abs(d.NonParty.Min-0.6) > 1e-12 {
		t.Errorf("li-au: decision %q rule %q controller %q (%s) non-party %v; want prohibit au-fdi cn-parent (non_party) 60%%", au.Decision, d.Rule, d.Controller, d.CtlClass, d.NonParty)
	}
	kinds := map[string]agreement.ScreeningLevel{}
	for _, tr := range d.Triggers {
		kinds[tr.Kind] = tr.Level
	}
	if kinds["aggregate"] != agreement.Prohibit || kinds["control"] != agreement.Review {
		t.Errorf("li-au triggers = %v, want aggregate prohibit and control review", kinds)
	}
	if want := "prohibit (au-fdi); owner sub-au (party), non-party interest 60%, controlled by cn-parent (non_party)"; au.Flag != want {
		t.Errorf("li-au flag = %q, want %q", au.Flag, want)
	}

	us := by["li-us"]
	if us.Status != OwnerScreened || us.Decision != "" || us.Attribution.Class != ownership.PartyClass || us.NonPartyInOwner.Max != 0 || us.Screening.Rule != "us-cfius" {
		t.Errorf("li-us = %+v, want screened under us-cfius, party owner, no decision", us)
	}
	if want := "clean (us-cfius); owner us-co (party), controlled by us-person (party)"; us.Flag != want {
		t.Errorf("li-us flag = %q, want %q", us.Flag, want)
	}

	un := by["li-unknown"]
	if un.Status != OwnerNotInRegist || un.Flag != OwnerNotInRegist || un.Decision != "" || un.Screening != nil || un.Owner != "" {
		t.Errorf("li-unknown = %+v, want owner not in the ownership register", un)
	}

	// The same decision as the ownership engine gives a facility that
	// sub-au holds in full: nothing re-derived.
	r2, _, _, _ := ownersFixture(t)
	if err := ownership.ReadCSV(r2, "facilities.csv", []byte("id,name,asset_type,country,commodity,stage,source\nmine,Invented mine,Mine,AU,lithium,mined,invented\n")); err != nil {
		t.Fatal(err)
	}
	if err := ownership.ReadCSV(r2, "held.csv", []byte("owner,owned,interest,share,share_min,share_max,start,end,source\nsub-au,mine,shareholding,100,,,,,invented\n")); err != nil {
		t.Fatal(err)
	}
	sc, err := ownership.NewScreen(r2, in, z)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := r2.Lookup("mine")
	if got := sc.Facility(f); got.Decision != au.Decision || got.NonParty != d.NonParty || got.Controller != d.Controller || len(got.Triggers) != len(d.Triggers) {
		t.Errorf("ownership screen of the same holding = %s %v %s (%d triggers), ranking gave %s %v %s (%d)", got.Decision, got.NonParty, got.Controller, len(got.Triggers), au.Decision, d.NonParty, d.Controller, len(d.Triggers))
	}

	// Without a register, no project is screened, and each says so.
	rk, err = p.Rank(RankOptions{Zone: z, Parties: []string{"US"}, Rate: 0.1, PublicRate: 0.04, Paths: 4, Seed: 1})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range rk.Projects {
		if e.OwnerScreening.Status != OwnerNoRegister {
			t.Errorf("%s without a register: %q", e.Project, e.OwnerScreening.Status)
		}
	}
}

// TestOwnerIDUnknown: an owner_id the register does not hold, or that names
// a facility, is an error at its line naming the id.
func TestOwnerIDUnknown(t *testing.T) {
	r, _, _, _ := ownersFixture(t)
	if err := ownership.ReadCSV(r, "facilities.csv", []byte("id,name,asset_type,country,commodity,stage,source\nmine,Invented mine,Mine,AU,lithium,mined,invented\n")); err != nil {
		t.Fatal(err)
	}
	text := strings.Replace(ownersPipeline, "owner_id: us-co", "owner_id: no-such-co", 1)
	text = strings.Replace(text, "owner_id: sub-au", "owner_id: mine", 1)
	p, err := DecodePipeline("owners.yaml", []byte(text))
	if err != nil {
		t.Fatal(err)
	}
	err = p.CheckOwners(r)
	if err == nil {
		t.Fatal("CheckOwners: no error")
	}
	for _, want := range []string{`owners.yaml:25:15: projects[1].owner_id: unknown owner "no-such-co"`, `owners.yaml:15:15: projects[0].owner_id: "mine" is a facility`} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("CheckOwners = %v\nwant %s", err, want)
		}
	}
}

// TestShippedOwners: the shipped pipelines' owner_id are all in the shipped
// ownership register (six Busch deposits), and Greenbushes is screened as
// the register has it on 2026-07-01: Talison, an Australian company, is
// controlled by Tianqi (CN, a non-party) through TLEA (Tianqi 51%) and
// Windfield (TLEA 51%); Tianqi's effective interest is 0.51 × 0.51 =
// 26.01%, which au-fdi's aggregate rule puts at review (≥ 25%), as its
// control clause does.
func TestShippedOwners(t *testing.T) {
	reg, a := exampletest.Load(t)
	r, err := ownership.ReadFS(ownershipdata.FS, ownershipdata.Files, "data/ownership/", reg.CountryCode)
	if err != nil {
		t.Fatal(err)
	}
	ps, err := LoadShipped(data.FS, reg)
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, p := range ps {
		if err := p.CheckOwners(r); err != nil {
			t.Errorf("%s: %v", p.ID, err)
		}
		for _, pr := range p.Projects {
			if pr.OwnerID != "" {
				n++
			}
		}
	}
	if n != 6 {
		t.Errorf("%d shipped projects name an owner_id, want 6", n)
	}
	in, err := a.AsOf(date.MustParse("2026-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	b := ps[0]
	rk, err := b.Rank(RankOptions{Zone: z, Parties: []string{"US", "AU"}, Rate: 0.06, PublicRate: 0.04, Paths: 4, Seed: 1,
		Owners: &Owners{Register: r, InForce: in, Members: ownership.GroupMembers(reg.Minerals())}})
	if err != nil {
		t.Fatal(err)
	}
	screened := 0
	for _, e := range rk.Projects {
		o := e.OwnerScreening
		if o.Status == OwnerScreened {
			screened++
		}
		if e.Project != "busch-13" {
			continue
		}
		d := o.Screening
		if o.Decision != agreement.Review || d.Controller != "tianqi" || math.Abs(d.NonParty.Min-0.2601) > 1e-9 || o.Attribution.Class != ownership.PartyClass {
			t.Errorf("Greenbushes: %s, controller %s, non-party %v, owner %s; want review, tianqi, 26.01%%, party", o.Decision, d.Controller, d.NonParty, o.Attribution.Class)
		}
	}
	if screened != 6 {
		t.Errorf("%d Busch projects screened, want 6", screened)
	}
}

// BenchmarkOwnerScreening: the owner screening of a ranking of 500
// projects, 250 of which name an owner of the shipped register.
func BenchmarkOwnerScreening(b *testing.B) {
	reg, a := exampletest.Load(b)
	r, err := ownership.ReadFS(ownershipdata.FS, ownershipdata.Files, "data/ownership/", reg.CountryCode)
	if err != nil {
		b.Fatal(err)
	}
	in, err := a.AsOf(date.MustParse("2026-07-01"))
	if err != nil {
		b.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		b.Fatal(err)
	}
	owners := []string{"cmoc", "zijin", "glencore", "mp-materials", "talison", "erg"}
	countries := []string{"US", "MX", "CD", "CN", "AU", "ID"}
	p := &Pipeline{ID: "bench"}
	rs := make([]Ranked, 500)
	for i := range 500 {
		pr := Project{ID: fmt.Sprintf("p%03d", i), Name: "bench", Mineral: "cobalt", Stage: "mined", Country: countries[i%len(countries)]}
		if i%2 == 1 {
			pr.OwnerID = owners[i%len(owners)]
		}
		p.Projects = append(p.Projects, pr)
		rs[i].Project = pr.ID
	}
	o := &Owners{Register: r, InForce: in, Members: ownership.GroupMembers(reg.Minerals())}
	b.ResetTimer()
	for b.Loop() {
		if err := p.screenOwners(rs, o, z); err != nil {
			b.Fatal(err)
		}
	}
}

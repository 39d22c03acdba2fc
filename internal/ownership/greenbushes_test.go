package ownership

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// shipped loads data/ownership: the ICMM facilities, the project's
// facilities, entities and owners.
func shipped(t testing.TB) (*Register, *registry.Registry) {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	r := NewRegister()
	for _, f := range []string{"icmm/ICMM_FacilityData.csv", "facilities.csv", "entities.csv", "owners.csv"} {
		p := filepath.Join("../../data/ownership", f)
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := Read(r, p, b, reg.CountryCode); err != nil {
			t.Fatal(err)
		}
	}
	return r, reg
}

func exampleInForce(t testing.TB, reg *registry.Registry, on string) (*agreement.InForce, *agreement.Zone) {
	t.Helper()
	a, _, err := agreement.Load(examples.Pact2026Name, examples.Pact2026, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	in, err := a.AsOf(date.MustParse(on))
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	return in, z
}

// TestGreenbushes works the Greenbushes chain of the shipped data by hand:
// TLEA (51% Tianqi, 49% IGO) holds 51% of Windfield, Albemarle 49%;
// Windfield holds Talison, which holds the mine. Tianqi's effective
// interest is 0.51 × 0.51 = 0.2601, IGO's 0.49 × 0.51 = 0.2499, Albemarle's
// 0.49. Tianqi controls TLEA (51%), which controls Windfield (51%), which
// controls Talison and so the mine: a non-party controls it with 26.01%.
// Under the example's illustrative AU rule (aggregate; review from 25%;
// review on non-party control) the decision is review, on both counts.
func TestGreenbushes(t *testing.T) {
	r, reg := shipped(t)
	in, z := exampleInForce(t, reg, "2026-06-01")
	s, err := NewScreen(r, in, z)
	if err != nil {
		t.Fatal(err)
	}
	g, _ := r.Lookup("greenbushes")
	for _, c := range []struct {
		holder string
		want   float64
	}{{"tianqi", 0.2601}, {"igo", 0.2499}, {"albemarle", 0.49}, {"tlea", 0.51}, {"windfield", 1}, {"talison", 1}} {
		h, _ := r.Lookup(c.holder)
		got, _ := s.X.Between(h, g)
		if !near(got.Low, c.want) || !near(got.High, c.want) {
			t.Errorf("Effective(%s in greenbushes) = [%v, %v], want %v", c.holder, got.Low, got.High, c.want)
		}
	}
	d := s.Facility(g)
	if d.Controller != "tianqi" || d.CtlClass != NonParty {
		t.Errorf("controller of greenbushes = %s (%s), want tianqi (non_party)", d.Controller, d.CtlClass)
	}
	if !near(d.NonParty.Min, 0.2601) {
		t.Errorf("non-party interest in greenbushes = %v, want 0.2601", d.NonParty)
	}
	if d.Party != "AU" || d.Rule != "au-fdi" || d.Decision != agreement.Review {
		t.Errorf("Facility(greenbushes) = party %s, rule %s, decision %q, want AU, au-fdi, review", d.Party, d.Rule, d.Decision)
	}
	kinds := map[string]bool{}
	for _, tr := range d.Triggers {
		kinds[tr.Kind] = true
		if len(tr.Paths) == 0 {
			t.Errorf("trigger %s has no path", tr.Kind)
		}
	}
	if !kinds["aggregate"] || !kinds["control"] {
		t.Errorf("triggers = %+v, want aggregate and control", d.Triggers)
	}
	// The control chain, hop by hop, with its sources.
	var chain []string
	for _, tr := range d.Triggers {
		if tr.Kind == "control" {
			for _, h := range tr.Paths[0].Hops {
				chain = append(chain, h.Holder)
				if len(h.Sources) == 0 {
					t.Errorf("hop %s→%s has no source", h.Holder, h.Subject)
				}
			}
		}
	}
	if want := []string{"tianqi", "tlea", "windfield", "talison"}; !equalStrings(chain, want) {
		t.Errorf("control chain = %v, want %v", chain, want)
	}
}

func equalStrings(a, b []string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// TestTransaction: Tianqi acquiring a further 30% of Windfield (hand: its
// interest in Greenbushes becomes 0.2601 + 0.30 = 0.5601, past the AU
// rule's 50% prohibition threshold) is prohibited, and the right of first
// refusal is offered to US, JP and EU in 30 days (EU in force from
// 2026-07-01). Albemarle (US, a party) acquiring 10% of TLEA is not screened.
func TestTransaction(t *testing.T) {
	r, reg := shipped(t)
	in, z := exampleInForce(t, reg, "2026-08-01")
	res, err := Evaluate(r, Transaction{Buyer: "tianqi", Target: "windfield", Share: 0.30, On: in.AsOf}, in, z, GroupMembers(reg.Minerals()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != agreement.Prohibit {
		t.Fatalf("Evaluate(tianqi +30%% windfield) = %q, want prohibit: %+v", res.Decision, res.Facilities)
	}
	var gb *TransactionFacility
	for i := range res.Facilities {
		if res.Facilities[i].Facility == "greenbushes" {
			gb = &res.Facilities[i]
		}
	}
	if gb == nil || gb.Before != agreement.Review || gb.Offer == nil || !equalStrings(gb.Offer.OfferedTo, []string{"US", "JP", "EU"}) || gb.Offer.Days != 30 {
		t.Fatalf("greenbushes = %+v, want before review and an offer to US, JP, EU in 30 days", gb)
	}
	if !near(gb.After.NonParty.Min, 0.5601) {
		t.Errorf("non-party interest after = %v, want 0.5601", gb.After.NonParty)
	}
	if len(res.Warnings) == 0 {
		t.Errorf("no warning that Windfield's shares now sum to 130%%")
	}
	res, err = Evaluate(r, Transaction{Buyer: "albemarle", Target: "tlea", Share: 0.10, On: in.AsOf}, in, z, GroupMembers(reg.Minerals()))
	if err != nil {
		t.Fatal(err)
	}
	if res.Decision != "" {
		t.Errorf("Evaluate(albemarle +10%% tlea) = %q, want none", res.Decision)
	}
}

func TestShippedData(t *testing.T) {
	r, _ := shipped(t)
	// The ICMM file's non-empty rows (every country known), and the
	// project's five.
	if n := len(r.Facilities()); n < 2255+5 {
		t.Errorf("%d facilities, want at least 2,260", n)
	}
	for _, w := range r.Warnings {
		t.Log(w)
	}
	// Every node an owner row names is described by entities.csv or a
	// facility file: a typo in an id would make a node with no jurisdiction.
	for _, n := range r.Nodes {
		if n.Kind != Facility && n.Statement == "" {
			t.Errorf("node %q is named by owners.csv but described nowhere", n.ID)
		}
	}
}

// TestGroupCoverage: Mount Weld is a rare_earths mine; the example's AU rule
// lists neodymium and its neighbours, not the group: the group is expanded
// to its members, so au-fdi covers it (and, without Members, nothing does).
func TestGroupCoverage(t *testing.T) {
	r, reg := shipped(t)
	in, z := exampleInForce(t, reg, "2026-08-01")
	s, err := NewScreen(r, in, z)
	if err != nil {
		t.Fatal(err)
	}
	f, _ := r.Lookup("mount-weld")
	if d := s.Facility(f); d.Rule != "" {
		t.Errorf("without Members, Facility(mount-weld).Rule = %q, want none", d.Rule)
	}
	s.Members = GroupMembers(reg.Minerals())
	if d := s.Facility(f); d.Rule != "au-fdi" {
		t.Errorf("Facility(mount-weld).Rule = %q (%s), want au-fdi through the group's members", d.Rule, d.Note)
	}
}

package scope

import (
	"fmt"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// wgiTable is a WGI source of a few estimates, the year WGIYear.
type wgiTable map[string]map[string]string

func (w wgiTable) WGI(country, indicator string, year int) (registry.Governance, error) {
	if e, ok := w[country][indicator]; ok && year == WGIYear {
		return registry.Governance{Indicator: indicator, Year: year, Estimate: dec.MustParse(e)}, nil
	}
	return registry.Governance{}, problem.Errorf(problem.NotFound, "no WGI %s for %s", indicator, country)
}

// TestCriteriaByHand evaluates each kind of accession criterion for two
// candidates worked by hand: AA with every figure, BB with none.
func TestCriteriaByHand(t *testing.T) {
	d := func(s string) *dec.Decimal { x := dec.MustParse(s); return &x }
	src := &agreement.Citation{Title: "EITI country page", URL: "https://eiti.org", Date: date.MustParse("2026-01-01")}
	a := &agreement.Agreement{ID: "t", Parties: []agreement.Party{{ID: "US"}, {ID: "JP"}},
		Membership: &agreement.Membership{
			Criteria: []agreement.Criterion{
				{ID: "rl", Kind: agreement.CriterionGovernance, Indicator: "RL", Min: d("0.5"), Basis: "Art. 5.3"},
				{ID: "mean", Kind: agreement.CriterionGovernance, Indicator: agreement.WGIMean, Min: d("0.3"), Basis: "Art. 5.3"},
				{ID: "fw", Kind: agreement.CriterionFramework, Parties: 1, Basis: "Art. 5.3"},
				{ID: "eiti", Kind: agreement.CriterionStandard, Measure: agreement.EITI, Basis: "Art. 5.3"},
				{ID: "held", Kind: agreement.CriterionOwnership, Max: d("0.5"), Basis: "Art. 5.3"},
				{ID: "li", Kind: agreement.CriterionWorldShare, Of: agreement.ShareProduction, Mineral: "lithium", Min: d("0.05"), Basis: "Art. 5.3"},
				{ID: "li-res", Kind: agreement.CriterionWorldShare, Of: agreement.ShareReserves, Mineral: "lithium", Min: d("0.05"), Basis: "Art. 5.3"},
				{ID: "any", Kind: agreement.CriterionWorldShare, Of: agreement.ShareProduction, Min: d("0.1"), Basis: "Art. 5.3"},
			},
			Candidates: []agreement.CandidateProfile{{Country: "AA", Standards: []agreement.Standard{{Measure: agreement.EITI, Source: src}}}},
		}}
	// AA: the mean of 0.2, −0.1, 0.5, 0.6, 0.4, 0.3 is 1.9 / 6 = 0.316667.
	reg := wgiTable{"AA": {"VA": "0.2", "PV": "-0.1", "GE": "0.5", "RQ": "0.6", "RL": "0.4", "CC": "0.3"}}
	two3 := 0.666667
	aa := &Candidate{Country: "AA",
		Frameworks: []Framework{{Country: "AA", Instrument: "framework or MOU", Status: "signed", SignedOn: "2026-02-04"}},
		Ownership:  &Ownership{Facilities: 3, NonParty: 2, Share: &two3, Factor: 0.333333},
		Minerals: []CandidateMineral{
			{Mineral: "lithium", Production: 0.08},
			{Mineral: "cobalt", Production: 0.12, Reserves: ptr(0.2)},
		}}
	bb := &Candidate{Country: "BB", Frameworks: []Framework{{Country: "BB", Instrument: "memorandum of understanding", Status: "intended"}}}
	for _, tt := range []struct {
		k     *Candidate
		on    string
		want  string // id=status:value, in order
		count CriteriaCount
	}{
		{aa, "2026-06-01", "rl=not_met:0.4 mean=met:0.316667 fw=met:1 eiti=met:1 held=not_met:0.666667 li=met:0.08 li-res=not_recorded:- any=met:0.12", CriteriaCount{5, 2, 1}},
		// before the framework is signed it does not count
		{aa, "2026-01-15", "rl=not_met:0.4 mean=met:0.316667 fw=not_met:0 eiti=met:1 held=not_met:0.666667 li=met:0.08 li-res=not_recorded:- any=met:0.12", CriteriaCount{4, 3, 1}},
		// an intended memorandum is below signed; nothing else is recorded
		{bb, "2026-06-01", "rl=not_recorded:- mean=not_recorded:- fw=not_met:0 eiti=not_recorded:- held=not_recorded:- li=not_recorded:- li-res=not_recorded:- any=not_recorded:-", CriteriaCount{0, 1, 7}},
	} {
		on := date.MustParse(tt.on)
		got, n := criteria(&agreement.InForce{AsOf: on, Agreement: a}, reg, tt.k, on)
		var parts []string
		for _, r := range got {
			v := "-"
			if r.Value != nil {
				v = fmt.Sprint(*r.Value)
			}
			parts = append(parts, r.ID+"="+r.Status+":"+v)
			if r.Basis != "Art. 5.3" || r.Criterion == "" || r.Detail == "" {
				t.Errorf("%s %s: basis %q, criterion %q, detail %q; want each stated", tt.k.Country, r.ID, r.Basis, r.Criterion, r.Detail)
			}
		}
		if g := strings.Join(parts, " "); g != tt.want || n != tt.count {
			t.Errorf("criteria(%s, %s) =\n %s %+v\nwant\n %s %+v", tt.k.Country, tt.on, g, n, tt.want, tt.count)
		}
	}
	// Without the United States in force, a U.S. framework joins no party.
	a2 := *a
	a2.Parties = []agreement.Party{{ID: "JP"}}
	on := date.MustParse("2026-06-01")
	got, _ := criteria(&agreement.InForce{AsOf: on, Agreement: &a2}, reg, aa, on)
	if got[2].Status != NotMet || !strings.Contains(got[2].Detail, "not a party in force") {
		t.Errorf("framework without US in force = %+v, want not_met saying US is not a party in force", got[2])
	}
}

// TestCriteriaShipped reads the example's accession criteria through the
// ranking and the what-if: every candidate carries them in the text's
// order, the EITI entries the example records decide that criterion, and a
// country it does not list is not recorded.
func TestCriteriaShipped(t *testing.T) {
	d, _ := example(t)
	reg, a := exampleRegistry(t)
	rel := ownedRelations(t)
	on := date.MustParse("2027-01-01")
	cs, err := d.Rank(a, reg, rel, on)
	if err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(cs.Criteria, " "); got != "governance rule-of-law framework eiti ownership supply" {
		t.Fatalf("Rank criteria = %q, want the example's six in order", got)
	}
	want := map[string]string{"ID": Met, "CN": NotMet, "BR": NotRecorded}
	for _, k := range cs.Candidates {
		if len(k.Criteria) != len(cs.Criteria) {
			t.Fatalf("%s: %d criteria, want %d", k.Country, len(k.Criteria), len(cs.Criteria))
		}
		n := k.CriteriaCount
		if n.Met+n.NotMet+n.NotRecorded != len(k.Criteria) {
			t.Errorf("%s: count %+v does not add up to %d", k.Country, n, len(k.Criteria))
		}
		// Ownership, with the shipped register: China's two held
		// facilities are Chinese-held, parties once it joins; South Africa
		// has no facility with a recorded holder.
		if o := map[string]string{"CN": Met, "ZA": NotRecorded}[k.Country]; o != "" && k.Criteria[4].Status != o {
			t.Errorf("%s ownership = %+v, want %s", k.Country, k.Criteria[4], o)
		}
		if w, ok := want[k.Country]; ok {
			if got := k.Criteria[3].Status; got != w {
				t.Errorf("%s eiti = %s, want %s", k.Country, got, w)
			}
			delete(want, k.Country)
		}
	}
	if len(want) > 0 {
		t.Errorf("not ranked: %v", want)
	}
	w, err := d.Evaluate(a, reg, on, Change{Add: []string{"CN", "BR"}})
	if err != nil {
		t.Fatal(err)
	}
	if err := d.Joining(w, a, reg, rel); err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, k := range w.Joining {
		got = append(got, k.Country+":"+k.Criteria[3].Status)
	}
	if g := strings.Join(got, " "); g != "CN:not_met BR:not_recorded" {
		t.Errorf("Joining(add CN, BR) = %q, want CN:not_met BR:not_recorded", g)
	}
}

package agreement

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestMembershipStandard: what membership.candidates records of a
// country's measure, the last covering entry winning, a mineral-specific
// entry counting only for its mineral, and nothing recorded as unknown.
func TestMembershipStandard(t *testing.T) {
	src := &Citation{Title: "t", URL: "https://example.org", Date: date.MustParse("2026-01-01")}
	m := &Membership{Candidates: []CandidateProfile{
		{Country: "CL", Standards: []Standard{
			{Measure: EITI, Source: src},
			{Measure: EITI, Status: DoesNotApply, Source: src},
			{Measure: IRMA, Minerals: []string{"lithium"}, Source: src},
		}},
		{Country: "PE", Standards: []Standard{{Measure: OECDDDG, Source: src}}},
	}}
	for _, tt := range []struct {
		country, mineral     string
		measure              Measure
		wantApplies, wantKno bool
	}{
		{"CL", "", EITI, false, true},       // the later does_not_apply wins
		{"CL", "lithium", IRMA, true, true}, // specific to lithium
		{"CL", "", IRMA, false, false},      // no entry covers every mineral
		{"CL", "copper", IRMA, false, false},
		{"PE", "lithium", OECDDDG, true, true}, // an entry without minerals covers each
		{"PE", "", EITI, false, false},
		{"AR", "", OECDDDG, false, false},
	} {
		applies, known, _ := m.Standard(tt.country, tt.measure, tt.mineral)
		if applies != tt.wantApplies || known != tt.wantKno {
			t.Errorf("Standard(%s, %s, %q) = %v, %v; want %v, %v", tt.country, tt.measure, tt.mineral, applies, known, tt.wantApplies, tt.wantKno)
		}
	}
	var none *Membership
	if _, known, _ := none.Standard("CL", EITI, ""); known {
		t.Error("nil Membership: Standard known = true, want false")
	}
}

// TestMembershipDiff: the generic Diff names a changed threshold by the
// criterion's id and an added candidate by its country, so agreement diff
// and the design studio show the section without code of their own.
func TestMembershipDiff(t *testing.T) {
	a := loadMini(t)
	b := loadMini(t)
	x := dec.MustParse("0.5")
	b.Membership.Criteria[0].Min = &x
	b.Membership.Candidates = append(b.Membership.Candidates, CandidateProfile{Country: "CL"})
	diffs, err := Diff(a, b)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, d := range diffs {
		got = append(got, d.Kind+" "+d.Path)
	}
	if g := strings.Join(got, "; "); g != "added membership.candidates; changed membership.criteria[rule-of-law].min" {
		t.Errorf("Diff = %q, want the criterion's min changed and the candidates added", g)
	}
}

package agreement

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
)

// withScreening returns testdata/mini.yaml with a screening section put
// before its amendments, and the line the section starts on.
func withScreening(t *testing.T, section string) ([]byte, int) {
	t.Helper()
	data, err := os.ReadFile("testdata/mini.yaml")
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	i := strings.Index(s, "\namendments:")
	if i < 0 {
		t.Fatal("mini.yaml has no amendments section")
	}
	line := strings.Count(s[:i+1], "\n") + 1
	return []byte(s[:i+1] + section + s[i+1:]), line
}

func TestScreeningValid(t *testing.T) {
	data, _ := withScreening(t, `screening:
  - id: us-1
    party: US
    minerals: [lithium]
    stages: [mined]
    notify: 0.1
    review: 0.25
    prohibit: 0.5
    aggregate: true
    control: review
    government: prohibit
    first_refusal: {offered_to: [JP], days: 30}
    basis: "Art. 5"
`)
	a, _, err := Load("mini.yaml", data, fakeCatalog{})
	if err != nil {
		t.Fatalf("Load = %v", err)
	}
	in, err := a.AsOf(date.MustParse("2026-06-01"))
	if err != nil {
		t.Fatal(err)
	}
	if r := in.ScreeningRule("US", "lithium", "mined"); r == nil || r.ID != "us-1" || r.Review.String() != "0.25" {
		t.Errorf("ScreeningRule(US, lithium, mined) = %+v, want us-1 with review 0.25", r)
	}
	if r := in.ScreeningRule("US", "lithium", "processed"); r != nil {
		t.Errorf("ScreeningRule(US, lithium, processed) = %s, want none (stage not covered)", r.ID)
	}
	if r := in.ScreeningRule("US", "tungsten", "mined"); r != nil {
		t.Errorf("ScreeningRule(US, tungsten, mined) = %s, want none (mineral not covered)", r.ID)
	}
	if r := in.ScreeningRule("JP", "lithium", "mined"); r != nil {
		t.Errorf("ScreeningRule(JP, ...) = %s, want none (JP has no rule)", r.ID)
	}
}

// TestScreeningBad: each mistake is reported at its line and field, all in
// one run.
func TestScreeningBad(t *testing.T) {
	data, line := withScreening(t, `screening:
  - id: x-1
    party: XX
    minerals: [lithium, unobtainium]
    notify: 0.3
    review: 0.2
    prohibit: 1.5
    control: block
    first_refusal: {offered_to: [ZZ], days: 0}
    basis: "Art. 99"
  - id: x-1
    party: US
    basis: "Art. 5"
`)
	_, _, err := Load("mini.yaml", data, fakeCatalog{})
	if err == nil {
		t.Fatal("Load = nil, want errors")
	}
	got := err.Error()
	at := func(n int) string { return "mini.yaml:" + strconv.Itoa(line+n) + ":" }
	for _, w := range []struct{ prefix, want string }{
		{at(2), `screening[0].party: party "XX" is not a party`},
		{at(3), `screening[0].minerals[1]: mineral "unobtainium" is not in scope`},
		{at(5), `screening[0].review: must be above notify (0.3), got 0.2`},
		{at(6), `screening[0].prohibit: a threshold is a fraction between 0 and 1 (100%), got 1.5`},
		{at(7), `screening[0].control`},
		{at(8), `screening[0].first_refusal.offered_to[0]: party "ZZ"`},
		{at(8), `screening[0].first_refusal.days: must be > 0`},
		{at(9), `screening[0].basis: basis "Art. 99" names no article`},
		{at(10), `screening[1].id: duplicate screening id "x-1"`},
		{"", `screening[1]: the rule sets no threshold`},
	} {
		found := false
		for l := range strings.SplitSeq(got, "\n") {
			if strings.HasPrefix(l, w.prefix) && strings.Contains(l, w.want) {
				found = true
			}
		}
		if !found {
			t.Errorf("Load errors:\n%s\nwant a line %q%q", got, w.prefix, w.want)
		}
	}
}

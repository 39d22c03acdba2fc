package projects

import (
	"fmt"
	"math"
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exampletest"
)

var _ Zone = (*agreement.Zone)(nil)

// exampleZone is the example agreement's zone on a date, asked of the
// agreement as every engine does.
func exampleZone(t testing.TB, on string) *agreement.Zone {
	t.Helper()
	reg, a := exampletest.Load(t)
	in, err := a.AsOf(date.MustParse(on))
	if err != nil {
		t.Fatal(err)
	}
	z, err := in.Zone(reg)
	if err != nil {
		t.Fatal(err)
	}
	return z
}

func rankPipeline(t testing.TB) *Pipeline {
	t.Helper()
	data, err := os.ReadFile("testdata/rank.yaml")
	if err != nil {
		t.Fatal(err)
	}
	p, err := DecodePipeline("rank.yaml", data)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func TestRank(t *testing.T) {
	p := rankPipeline(t)
	opts := RankOptions{Zone: exampleZone(t, "2026-07-01"), Parties: []string{"US", "MX"}, Floors: map[string]float64{"lithium/processed": 12000},
		Rate: p.DiscountRate, PublicRate: p.PublicDiscountRate, Paths: 10, Seed: 1}
	r, err := p.Rank(opts)
	if err != nil {
		t.Fatal(err)
	}
	by := map[string]Ranked{}
	var order []string
	for _, e := range r.Projects {
		by[e.Project] = e
		order = append(order, fmt.Sprintf("%s:%d", e.Project, e.Rank))
	}
	// Lithium: the grant to li-ar is certain and li-mx's loan has a cost;
	// both and the guaranteed Chilean project are ranked by supply per
	// million; the bare Chilean project adds no secure supply.
	for _, c := range []struct {
		id, location, party string
		counts              bool
		pWithout, pWith     float64
		floor               float64
	}{
		{"li-mx", InParty, "MX", true, 0, 1, 12000},
		{"li-ar", InZone, "AR", true, 1, 1, 12000},
		{"li-cl-guaranteed", InThirdCountry, "", true, 1, 1, 12000},
		{"li-cl-bare", InThirdCountry, "", false, 1, 1, 12000},
		{"co-us", InParty, "US", true, 1, 1, 0},
	} {
		e, ok := by[c.id]
		if !ok {
			t.Fatalf("Rank: no %s in %v", c.id, order)
		}
		if e.Location != c.location || e.Party != c.party || e.PClearWithout != c.pWithout || e.PClearWith != c.pWith || e.Floor != c.floor {
			t.Errorf("Rank %s = location %q party %q P(hurdle) %g → %g floor %g, want %q %q %g → %g %g", c.id, e.Location, e.Party, e.PClearWithout, e.PClearWith, e.Floor, c.location, c.party, c.pWithout, c.pWith, c.floor)
		}
		if want := e.Output * e.PClearWith; c.counts && e.SecureSupply != want || !c.counts && (e.SecureSupply != 0 || e.Rank != 0) {
			t.Errorf("Rank %s: secure supply %g rank %d (%s), counts %v", c.id, e.SecureSupply, e.Rank, e.Counts, c.counts)
		}
		if e.SupplyPerMillion != nil && math.Abs(*e.SupplyPerMillion-e.SecureSupply/(e.PublicCost/1e6)) > 1e-9 {
			t.Errorf("Rank %s: supply per million %g, want %g / %g", c.id, *e.SupplyPerMillion, e.SecureSupply, e.PublicCost/1e6)
		}
	}
	if e := by["li-mx"]; !e.OnlyWithFloor || !(e.FloorValue > 0) {
		t.Errorf("li-mx: only with the floor %v, floor value %g; want true, > 0", e.OnlyWithFloor, e.FloorValue)
	}
	if e := by["li-ar"]; e.PublicCost != 10e6 || e.OnlyWithFloor {
		t.Errorf("li-ar: cost %g (want the grant, 10,000,000), only with floor %v", e.PublicCost, e.OnlyWithFloor)
	}
	// The guarantee never pays on flat prices that clear: no expected cost.
	if e := by["li-cl-guaranteed"]; e.PublicCost != 0 || e.SupplyPerMillion != nil || e.Rank != 1 {
		t.Errorf("li-cl-guaranteed: cost %g, per million %v, rank %d; want 0, nil, 1 (no expected cost ranks first)", e.PublicCost, e.SupplyPerMillion, e.Rank)
	}
	// The ranking within lithium follows supply per million.
	mx, ar := by["li-mx"], by["li-ar"]
	if (*mx.SupplyPerMillion > *ar.SupplyPerMillion) != (mx.Rank < ar.Rank) {
		t.Errorf("li-mx %g per million rank %d, li-ar %g rank %d", *mx.SupplyPerMillion, mx.Rank, *ar.SupplyPerMillion, ar.Rank)
	}
	if got := strings.Join(order, " "); !strings.HasPrefix(got, "co-us:1 li-cl-guaranteed:1") || !strings.HasSuffix(got, "li-cl-bare:0") {
		t.Errorf("Rank order = %s", got)
	}

	// A budget is spent down each mineral's ranking.
	opts.Budget = 5e6
	r, err = p.Rank(opts)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range r.Projects {
		if e.WithinBudget != (e.Rank > 0 && e.Cumulative <= 5e6) {
			t.Errorf("budget 5m: %s cumulative %g within %v", e.Project, e.Cumulative, e.WithinBudget)
		}
	}
}

func TestRankErrors(t *testing.T) {
	p := rankPipeline(t)
	z := exampleZone(t, "2026-03-01")
	for _, c := range []struct {
		name string
		opts RankOptions
		want string
	}{
		{"not a party", RankOptions{Zone: z, Parties: []string{"US", "CL"}, Paths: 10}, "CL is not a party in force on the date"},
		{"not yet a party", RankOptions{Zone: z, Parties: []string{"AR"}, Paths: 10}, "AR is not a party in force on the date"},
		{"no project", RankOptions{Zone: z, Parties: []string{"US"}, Mineral: "nickel", Paths: 10}, "no project in pipeline rank-test produces nickel"},
		{"no paths", RankOptions{Zone: z, Parties: []string{"US"}}, "want at least one price path"},
	} {
		_, err := p.Rank(c.opts)
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("Rank(%s) = %v, want %q", c.name, err, c.want)
		}
	}
	p.Prices = p.Prices[:1]
	if _, err := p.Rank(RankOptions{Zone: z, Parties: []string{"US"}, Paths: 10}); err == nil || !strings.Contains(err.Error(), "no price model for cobalt/processed") {
		t.Errorf("Rank without a cobalt price model = %v", err)
	}
}

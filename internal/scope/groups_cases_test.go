package scope

import (
	"bufio"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/registry"
)

type groupCase struct {
	id   string
	line int
	data *Data
	rel  *Relations
	want []string // "id (basis): m1 m2", sorted
}

func readGroupCases(t *testing.T, path string) []*groupCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*groupCase
	var c *groupCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		if l == "" || strings.HasPrefix(l, "#") {
			continue
		}
		fs := strings.Fields(l)
		bad := func() { t.Fatalf("%s:%d: cannot read %q", path, n, l) }
		if fs[0] == "case" {
			c = &groupCase{id: fs[1], line: n, data: &Data{Governance: map[string]Governance{}},
				rel: &Relations{Markets: map[string]Market{}, Counts: map[string]int{}, group: map[string]string{}}}
			cases = append(cases, c)
			continue
		}
		if c == nil || len(fs) < 3 {
			bad()
		}
		switch fs[0] {
		case "mineral":
			id, mk := fs[1], Market{Mineral: fs[1], Formation: fs[2]}
			rest := fs[3:]
			if mk.Exchange() {
				mk.Venue, rest = fs[3], fs[4:]
			}
			c.rel.Markets[id] = mk
			t := Table{Mineral: id, Chapter: id, Stage: registry.Mined, Label: "World Mine Production", Unit: "t"}
			for _, kv := range rest {
				country, q, ok := strings.Cut(kv, "=")
				v, err := strconv.ParseFloat(q, 64)
				if !ok || err != nil {
					bad()
				}
				t.Producers = append(t.Producers, Producer{Label: country, Country: country, Quantity: v, Known: true})
				t.World += v
			}
			c.data.Minerals = append(c.data.Minerals, Mineral{ID: id, Chapter: id, Tables: []Table{t},
				Coverage: registry.MCSCoverage{Mineral: id, Chapter: id, Status: registry.MCSFigures}})
		case "group":
			c.rel.group[fs[1]] = fs[2]
		case "host":
			l := HostLink{Mineral: fs[1], Host: fs[2], Hosts: []string{fs[2]}, Relation: fs[3], Source: "case " + c.id}
			if len(fs) == 5 {
				v, err := strconv.ParseFloat(fs[4], 64)
				if err != nil {
					bad()
				}
				l.Share = &v
			}
			c.rel.Hosts = append(c.rel.Hosts, l)
		case "want":
			c.want = append(c.want, strings.TrimSpace(strings.TrimPrefix(l, "want")))
		default:
			bad()
		}
	}
	for _, c := range cases {
		slices.SortFunc(c.data.Minerals, func(a, b Mineral) int { return strings.Compare(a.ID, b.ID) })
		slices.Sort(c.want)
	}
	return cases
}

// TestGroupCases runs the hand-worked grouping cases of testdata/groups.txt:
// every group of each case, its basis and members.
func TestGroupCases(t *testing.T) {
	for _, c := range readGroupCases(t, "testdata/groups.txt") {
		var got []string
		for _, g := range c.data.Groups(c.rel) {
			got = append(got, g.ID+" ("+g.Basis+"): "+strings.Join(g.Minerals, " "))
			if len(g.Reasons) == 0 {
				t.Errorf("testdata/groups.txt:%d: %s: group %s without reasons", c.line, c.id, g.ID)
			}
		}
		slices.Sort(got)
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("testdata/groups.txt:%d: case %s:\n got  %q\n want %q", c.line, c.id, got, c.want)
		}
	}
}

package scope

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

type warnCase struct {
	id     string
	line   int
	floors []StageFloor
	rel    *Relations
	want   []string
}

func readWarnCases(t *testing.T, path string) []*warnCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*warnCase
	var c *warnCase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		fs := strings.Fields(line)
		bad := func() { t.Fatalf("%s:%d: cannot read %q", path, n, line) }
		if fs[0] == "case" {
			c = &warnCase{id: fs[1], line: n, rel: &Relations{Markets: map[string]Market{}}}
			cases = append(cases, c)
			continue
		}
		if c == nil {
			bad()
		}
		switch fs[0] {
		case "scope":
			if len(fs) != 5 {
				bad()
			}
			method, figure, _ := strings.Cut(fs[3], ":")
			r := agreement.PriceRule{Method: agreement.PriceMethod(method)}
			if figure != "" {
				r.Price = dec.MustParse(figure)
			}
			c.floors = append(c.floors, StageFloor{Mineral: fs[1], Stage: registry.Stage(fs[2]), HS: strings.Split(fs[4], ","), Rule: r, Unit: "t"})
		case "host":
			if len(fs) < 4 {
				bad()
			}
			l := HostLink{Mineral: fs[1], Host: fs[2], Hosts: []string{fs[2]}, Relation: fs[3], Source: "case " + c.id}
			if len(fs) == 5 {
				v, err := strconv.ParseFloat(fs[4], 64)
				if err != nil {
					bad()
				}
				l.Share = &v
			}
			c.rel.Hosts = append(c.rel.Hosts, l)
		case "market":
			c.rel.Markets[fs[1]] = Market{Mineral: fs[1], Formation: fs[2], Venue: fs[3], Source: "case " + c.id}
		case "want":
			if fs[1] != "none" {
				c.want = append(c.want, strings.Join(fs[1:], " "))
			}
		default:
			bad()
		}
	}
	return cases
}

// TestWarningCases runs the hand-worked cases of testdata/warnings.txt: for
// each warning one case that fires and one that does not.
func TestWarningCases(t *testing.T) {
	cases := readWarnCases(t, "testdata/warnings.txt")
	if len(cases) < 6 {
		t.Fatalf("%d cases, want at least one firing and one quiet per warning", len(cases))
	}
	for _, c := range cases {
		var got []string
		for _, w := range Warnings(c.floors, c.rel) {
			s := w.Kind + " " + w.Mineral + " " + w.Other
			if w.Line != "" {
				s += " " + w.Line
			}
			got = append(got, s)
		}
		if strings.Join(got, "\n") != strings.Join(c.want, "\n") {
			t.Errorf("testdata/warnings.txt:%d: case %s: Warnings = %q, want %q", c.line, c.id, got, c.want)
		}
	}
}

// TestWarningsShipped checks the warnings of the example agreement with
// every party in force: gallium and germanium (hosts out of scope), the rare
// earths' shared lines, and the two praseodymium and neodymium negotiated
// floors at one price, which share lines without a warning.
func TestWarningsShipped(t *testing.T) {
	_, a := exampleRegistry(t)
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	ws := Warnings(in.Agreement.Floors(), exampleRelations(t))
	has := func(kind, m, other string) bool {
		for _, w := range ws {
			if w.Kind == kind && w.Mineral == m && w.Other == other {
				return true
			}
		}
		return false
	}
	for _, c := range [][3]string{{WarnHostOutOfScope, "gallium", "aluminum, zinc"}, {WarnHostOutOfScope, "germanium", "zinc, coal"},
		{WarnSharedHSLine, "neodymium", "dysprosium"}} {
		if !has(c[0], c[1], c[2]) {
			t.Errorf("no %s for %s (%s) in %d warnings", c[0], c[1], c[2], len(ws))
		}
	}
	for _, w := range ws {
		if w.Kind == WarnSharedHSLine && w.Mineral == "cobalt" && !strings.Contains(w.Message, "HS 283329 of manganese (processed, stage_chain) covers 28332910 of cobalt") {
			t.Errorf("cobalt and manganese: %q, want manganese's 283329 named as covering cobalt's 28332910", w.Message)
		}
		if w.Kind == WarnSharedHSLine && w.Stage == registry.Processed && w.Mineral == "neodymium" && w.Other == "praseodymium" {
			t.Errorf("neodymium and praseodymium processed share one negotiated price: no warning wanted, got %s", w.Message)
		}
	}
}

// TestWarningsShippedLinks runs the shipped host links on small scopes:
// tellurium alone (GLOMBO: copper 77%, lead 8%, both out of scope), and
// cobalt with nickel (copper's 35% on the LME, out of scope).
func TestWarningsShippedLinks(t *testing.T) {
	rel := exampleRelations(t)
	te := Warnings([]StageFloor{{Mineral: "tellurium", Stage: registry.Processed, HS: []string{"280450"}, Rule: agreement.PriceRule{Method: agreement.Negotiated}, Unit: "kg"}}, rel)
	if len(te) != 1 || te[0].Kind != WarnHostOutOfScope || !strings.Contains(te[0].Message, "85% of its mine production comes from copper and lead") {
		t.Errorf("tellurium alone: %+v, want one by-product warning naming 85%% from copper and lead", te)
	}
	co := Warnings([]StageFloor{
		{Mineral: "cobalt", Stage: registry.Mined, HS: []string{"260500"}, Rule: agreement.PriceRule{Method: agreement.CostCurve}, Unit: "t"},
		{Mineral: "nickel", Stage: registry.Mined, HS: []string{"260400"}, Rule: agreement.PriceRule{Method: agreement.CostCurve}, Unit: "t"},
	}, rel)
	if len(co) != 1 || co[0].Kind != WarnCoProductMarket || co[0].Other != "copper" {
		t.Errorf("cobalt and nickel: %+v, want one co-product warning for copper", co)
	}
}

package scope

import (
	"bufio"
	"fmt"
	"maps"
	"os"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/registry"
)

type handCase struct {
	id, title string
	line      int
	data      *Data
	zone      zoneSet
	after     zoneSet // what-if cases (testdata/whatif.txt): the zone after the change
	want      map[string]string
	missing   []string
}

type zoneSet map[string]bool

func (z zoneSet) Contains(c string) bool { return z[c] }

func (z zoneSet) Countries() []string { return slices.Sorted(maps.Keys(z)) }

func readCases(t *testing.T, path string) []*handCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*handCase
	var c *handCase
	var tab *Table
	sc := bufio.NewScanner(f)
	n := 0
	fail := func(format string, args ...any) { t.Fatalf("%s:%d: %s", path, n, fmt.Sprintf(format, args...)) }
	num := func(s string) float64 {
		v, err := strconv.ParseFloat(s, 64)
		if err != nil {
			fail("%q is not a number", s)
		}
		return v
	}
	for sc.Scan() {
		n++
		l := strings.TrimSpace(sc.Text())
		key, rest, _ := strings.Cut(l, ":")
		rest = strings.TrimSpace(rest)
		kv := func() map[string]string {
			m := map[string]string{}
			for _, f := range strings.Fields(rest) {
				k, v, ok := strings.Cut(f, "=")
				if !ok {
					m[""] = f
					continue
				}
				m[k] = v
			}
			return m
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#") || key == "work":
		case strings.HasPrefix(l, "case "):
			id, title, _ := strings.Cut(strings.TrimPrefix(l, "case "), " ")
			c = &handCase{id: id, title: title, line: n, zone: zoneSet{}, want: map[string]string{}}
			c.data = &Data{Governance: map[string]Governance{}, Minerals: []Mineral{{ID: "testium",
				Coverage: registry.MCSCoverage{Mineral: "testium", Chapter: "testium", Status: registry.MCSFigures}, Chapter: "testium"}}}
			c.data.Minerals[0].Tables = []Table{{Mineral: "testium", Chapter: "testium", Stage: registry.Mined, Label: "World Mine Production and Reserves", Unit: "t"}}
			tab = &c.data.Minerals[0].Tables[0]
			cases = append(cases, c)
		case key == "table":
			m := kv()
			tab.World = num(m["world"])
			if v, ok := m["other"]; ok {
				tab.Unattributed = num(v)
			}
			if v, ok := m["world_reserves"]; ok {
				tab.WorldReserves, tab.WorldReservesKnown = num(v), true
			}
			if v, ok := m["nir"]; ok {
				r := Reliance{Raw: v}
				switch {
				case v == "E" || v == "NA" || v == "W":
					r.Marker = v
				case v[0] == '>' || v[0] == '<':
					r.Marker, r.Percent, r.Known = v[:1], num(v[1:]), true
				default:
					r.Percent, r.Known = num(v), true
				}
				c.data.Minerals[0].Reliance = r
			}
		case key == "prod":
			m := kv()
			p := Producer{Label: m[""], Country: m[""]}
			switch q := m["qty"]; q {
			case "W", "NA":
				p.Marker = q
			default:
				p.Quantity, p.Known = num(q), true
			}
			if v, ok := m["reserves"]; ok {
				p.Reserves, p.ReservesKnown = num(v), true
			}
			if v := m["wgi_mean"]; v != "none" {
				mean := num(v)
				c.data.Governance[p.Country] = Governance{Country: p.Country, Mean: mean, Scaled: min(10, max(0, 5-2*mean)), N: 6}
			}
			tab.Producers = append(tab.Producers, p)
		case key == "imports":
			for k, v := range kv() {
				code := k
				if k == "other" {
					code = ""
				}
				c.data.Minerals[0].Imports = append(c.data.Minerals[0].Imports, ImportShare{Label: k, Country: code, Share: num(v)})
			}
		case key == "zone":
			for _, z := range strings.Fields(rest) {
				c.zone[z] = true
			}
		case key == "after":
			c.after = zoneSet{}
			for _, z := range strings.Fields(rest) {
				c.after[z] = true
			}
		case key == "want":
			for k, v := range kv() {
				c.want[k] = v
			}
		case key == "missing":
			c.missing = append(c.missing, rest)
		default:
			fail("unknown line %q", l)
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func TestHandCases(t *testing.T) {
	for _, c := range readCases(t, "testdata/cases.txt") {
		t.Run(c.id, func(t *testing.T) {
			r := c.data.Score(c.zone)
			st := r.Minerals[0].Stages[0]
			got := map[string]*float64{
				"zone_production": st.ZoneProduction, "zone_reserves": st.ZoneReserves, "us_production": st.USProduction,
			}
			for _, b := range st.Bases {
				p := string(b.Basis) + "."
				got[p+"eu_sr"], got[p+"usgs_dp"], got[p+"usgs_te"], got[p+"usgs_sr"], got[p+"eu_sr_src"] = b.EUSR, b.USGSDP, b.USGSTE, b.USGSSR, b.EUSRSourcing
				got[p+"hhi"], got[p+"hhi_wgi"], got[p+"secure_share"] = ptr(round(b.HHI)), ptr(round(b.HHIWGI)), ptr(round(b.SecureShare))
			}
			for k, want := range c.want {
				g, ok := got[k]
				if !ok {
					t.Errorf("testdata/cases.txt:%d: unknown want key %q", c.line, k)
					continue
				}
				switch {
				case want == "none" && g != nil:
					t.Errorf("testdata/cases.txt:%d: %s = %v, want none", c.line, k, *g)
				case want == "none":
				case g == nil:
					t.Errorf("testdata/cases.txt:%d: %s not computed, want %s", c.line, k, want)
				case fnum(*g) != want:
					t.Errorf("testdata/cases.txt:%d: %s = %s, want %s", c.line, k, fnum(*g), want)
				}
			}
			for _, m := range c.missing {
				if !hasMissing(st.Missing, m) {
					t.Errorf("testdata/cases.txt:%d: %q not reported missing; missing: %v", c.line, m, st.Missing)
				}
			}
		})
	}
}

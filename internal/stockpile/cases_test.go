package stockpile

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// A case (testdata/cases/*.case) is a rule worked by hand: the regime
// (spliced into the example agreement in place of its stockpiles section),
// flows, exposures, holdings and disruptions as files, a command, and the
// figures wanted, with the hand computation written in its comments.
//
//	-- run --      check DATE | respond START MONTHS coordinated|alone
//	-- want --     check:   MINERAL/STAGE PARTY|zone FIELD VALUE
//	               respond: MONTH PARTY|zone FIELD VALUE
//
// FIELD is the JSON name of a PartyCompliance, RegimeCompliance, PartyMonth
// or PlanMonth field; VALUE as the JSON shows it (tonnes exact).
type testCase struct {
	name  string
	files map[string]string
}

func readCase(t *testing.T, path string) testCase {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	c := testCase{name: filepath.Base(path), files: map[string]string{}}
	cur := ""
	for _, line := range strings.SplitAfter(string(b), "\n") {
		if strings.HasPrefix(line, "-- ") && strings.HasSuffix(strings.TrimSpace(line), " --") {
			cur = strings.TrimSuffix(strings.TrimPrefix(strings.TrimSpace(line), "-- "), " --")
			continue
		}
		if cur != "" {
			c.files[cur] += line
		}
	}
	return c
}

var stockpilesSection = regexp.MustCompile(`(?ms)^stockpiles:\n.*?\n\n`)

// caseAgreement is the example agreement with the case's regime.
func caseAgreement(t *testing.T, reg *registry.Registry, regime string) *agreement.Agreement {
	t.Helper()
	text := stockpilesSection.ReplaceAllLiteralString(string(examples.Pact2026), regime+"\n")
	a, _, err := agreement.Load("case.yaml", []byte(text), agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatalf("agreement with the case's regime: %v", err)
	}
	return a
}

func TestCases(t *testing.T) {
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	paths, _ := filepath.Glob("testdata/cases/*.case")
	if len(paths) < 8 {
		t.Fatalf("%d cases, want at least 8", len(paths))
	}
	for _, path := range paths {
		t.Run(filepath.Base(path), func(t *testing.T) {
			c := readCase(t, path)
			a := caseAgreement(t, reg, c.files["regime.yaml"])
			flows := &Flows{}
			if f := c.files["flows.csv"]; f != "" {
				if flows.Years, err = ReadFlows("flows.csv", []byte(f), a); err != nil {
					t.Fatal(err)
				}
			}
			if f := c.files["exposures.csv"]; f != "" {
				if flows.Exposures, err = ReadExposures("exposures.csv", []byte(f), a); err != nil {
					t.Fatal(err)
				}
			}
			var hs []Holding
			if f := c.files["holdings.csv"]; f != "" {
				if hs, err = ReadHoldings("holdings.csv", []byte(f), a); err != nil {
					t.Fatal(err)
				}
			}
			run := strings.Fields(c.files["run"])
			var got any
			switch run[0] {
			case "check":
				in := inForce(t, a, run[1])
				got = Check(in, flows, hs)
			case "respond":
				start := date.MustParse(run[1])
				months, _ := strconv.Atoi(run[2])
				ds, err := ReadDisruptions("disruptions.csv", []byte(c.files["disruptions.csv"]), a)
				if err != nil {
					t.Fatal(err)
				}
				in := inForce(t, a, run[1])
				as, err := Assess(in, flows, ds[0].Mineral, ds[0].Stage, ds, start, months)
				if err != nil {
					t.Fatal(err)
				}
				var prices []float64
				for _, p := range strings.Fields(c.files["prices"]) {
					x, _ := strconv.ParseFloat(p, 64)
					prices = append(prices, x)
				}
				pl, err := Respond(as, StocksAt(hs, as.Parties, as.Mineral, as.Stage, start), Mode(run[3]), prices)
				if err != nil {
					t.Fatal(err)
				}
				checkBalance(t, pl)
				got = pl
			default:
				t.Fatalf("unknown command %q", run[0])
			}
			doc := toMap(t, got)
			n := 0
			for _, line := range strings.Split(c.files["want"], "\n") {
				f := strings.Fields(line)
				if len(f) == 0 || strings.HasPrefix(f[0], "#") {
					continue
				}
				n++
				if len(f) != 4 {
					t.Fatalf("want line %q: need 4 fields", line)
				}
				v, ok := lookup(doc, run[0], f[0], f[1], f[2])
				if !ok {
					t.Errorf("%s %s %s: no such figure", f[0], f[1], f[2])
					continue
				}
				if v != f[3] {
					t.Errorf("%s %s %s = %s, want %s", f[0], f[1], f[2], v, f[3])
				}
			}
			if n == 0 {
				t.Fatal("case wants nothing")
			}
		})
	}
}

func inForce(t *testing.T, a *agreement.Agreement, d string) *agreement.InForce {
	t.Helper()
	in, err := a.AsOf(date.MustParse(d))
	if err != nil {
		t.Fatal(err)
	}
	return in
}

func toMap(t *testing.T, v any) map[string]any {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	var m map[string]any
	if err := json.Unmarshal(b, &m); err != nil {
		t.Fatal(err)
	}
	return m
}

// lookup finds a figure: for check, regimes[mineral/stage].parties[party].field
// (party "zone": the regime's own field); for respond,
// months[month].parties[party].field (party "zone": the month's field).
func lookup(doc map[string]any, cmd, where, who, field string) (string, bool) {
	list, key := "regimes", func(m map[string]any) string { return fmt.Sprint(m["mineral"], "/", m["stage"]) }
	if cmd == "respond" {
		list, key = "months", func(m map[string]any) string { return fmt.Sprint(m["month"]) }
	}
	for _, x := range asList(doc[list]) {
		m := x.(map[string]any)
		if key(m) != where {
			continue
		}
		if who == "zone" {
			return show(m, field)
		}
		for _, y := range asList(m["parties"]) {
			pm := y.(map[string]any)
			if pm["party"] == who {
				return show(pm, field)
			}
		}
	}
	return "", false
}

func asList(v any) []any {
	l, _ := v.([]any)
	return l
}

func show(m map[string]any, field string) (string, bool) {
	v, ok := m[field]
	if !ok {
		return "", false
	}
	switch x := v.(type) {
	case []any:
		s := make([]string, len(x))
		for i, e := range x {
			s[i] = fmt.Sprint(e)
		}
		return strings.Join(s, ","), true
	}
	return fmt.Sprint(v), true
}

// checkBalance checks that every party's stock balances in every month:
// open − release + replenish = close, close of one month = open of the next,
// nothing negative, the zone's totals the sums of the parties'.
func checkBalance(t *testing.T, pl *Plan) {
	t.Helper()
	for i, m := range pl.Months {
		var rel, rep, stock Kg
		for p, pm := range m.Parties {
			if pm.Open-pm.Release+pm.Replenish != pm.Close {
				t.Fatalf("%s %s: open %s − release %s + replenish %s ≠ close %s", m.Month, pm.Party, pm.Open.Tonnes(), pm.Release.Tonnes(), pm.Replenish.Tonnes(), pm.Close.Tonnes())
			}
			if pm.Close < 0 || pm.Release < 0 || pm.Replenish < 0 {
				t.Fatalf("%s %s: negative figure %+v", m.Month, pm.Party, pm)
			}
			if i > 0 && pl.Months[i-1].Parties[p].Close != pm.Open {
				t.Fatalf("%s %s: opens at %s, closed at %s", m.Month, pm.Party, pm.Open.Tonnes(), pl.Months[i-1].Parties[p].Close.Tonnes())
			}
			rel += pm.Release
			rep += pm.Replenish
			stock += pm.Close
		}
		if rel != m.Release || rep != m.Replenish || stock != m.Stock {
			t.Fatalf("%s: zone release %s replenish %s stock %s, parties sum to %s %s %s", m.Month, m.Release.Tonnes(), m.Replenish.Tonnes(), m.Stock.Tonnes(), rel.Tonnes(), rep.Tonnes(), stock.Tonnes())
		}
	}
}

func examplePact() []byte { return examples.Pact2026 }

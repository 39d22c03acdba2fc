package main

import (
	"encoding/json"
	"strings"
	"testing"
)

// Gallium's EU supply risk on the world basis, from the shipped MCS 2026
// table (China's low-purity production) and WGI 2022: docs/scope.md.
const (
	galliumWorldSR      = "5.666842"
	galliumWorldSRHuman = "5.67"
)

func TestScopeScoreTerminalAndPipe(t *testing.T) {
	tests := []struct {
		name string
		tty  bool
		args []string
		want []string // substrings of standard output
		not  []string
	}{
		{name: "terminal", tty: true, args: []string{"scope", "score", "--mineral", "gallium"},
			want: []string{"in force on 2026-01-01, its entry into force (--as-of not given)", "ILLUSTRATIVE", "EU SR", "ZONE PRODUCTION",
				" " + galliumWorldSRHuman + " ", "0.3%", "no_reserves", "t = 1, EOL_RIR = 0, SI_SR = 1"},
			not: []string{galliumWorldSR}},
		{name: "pipe", args: []string{"scope", "score", "--mineral", "gallium", "--basis", "world"},
			want: []string{"gallium  processed  World Low-Purity Production and Production Capacity  world  " + galliumWorldSR, "0.003333"},
			not:  []string{"  us  ", "  zone  "}},
		{name: "zone in full", args: []string{"scope", "score", "--as-of", "2027-07-01", "--basis", "zone", "--mineral", "silver"},
			want: []string{"in force on 2027-07-01: 13 parties, 39 countries", "silver", "silver", "0.152067", "0.063104", "0.573077", "0.543279"},
			not:  []string{"entry into force"}},
		{name: "csv", args: []string{"scope", "score", "--format", "csv", "--basis", "world"},
			want: []string{"mineral,stage,table,basis,eu_sr,", "gallium,processed,World Low-Purity Production and Production Capacity,world," + galliumWorldSR + ",-,0.566684,-,-,0.003333,-,no_reserves", "cesium,-,-,world,", ",no_table"}},
	}
	for _, c := range tests {
		t.Run(c.name, func(t *testing.T) {
			out, errs, code := runAs(t, c.tty, c.args...)
			if code != exitOK {
				t.Fatalf("%v: exit %d, stderr %s", c.args, code, errs)
			}
			for _, w := range c.want {
				if !strings.Contains(out, w) {
					t.Errorf("%v: output lacks %q:\n%s", c.args, w, out)
				}
			}
			for _, n := range c.not {
				if strings.Contains(out, n) {
					t.Errorf("%v: output has %q:\n%s", c.args, n, out)
				}
			}
		})
	}
}

func TestScopeScoreJSON(t *testing.T) {
	out, errs, code := runCLI(t, "scope", "score", "--format", "json", "--mineral", "gallium")
	if code != exitOK {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var r struct {
		Agreement   string   `json:"agreement"`
		AsOf        string   `json:"as_of"`
		AsOfDefault bool     `json:"as_of_is_entry_into_force"`
		Parties     []string `json:"parties"`
		Minerals    []struct {
			Mineral    string            `json:"mineral"`
			Missing    []json.RawMessage `json:"missing"`
			Importance *struct {
				EI      json.Number       `json:"economic_importance"`
				Inputs  []json.RawMessage `json:"inputs"`
				Steps   []json.RawMessage `json:"steps"`
				Missing []json.RawMessage `json:"missing"`
			} `json:"economic_importance"`
			Stages []struct {
				Inputs  []json.RawMessage `json:"inputs"`
				Missing []json.RawMessage `json:"missing"`
				Bases   []struct {
					Basis string            `json:"basis"`
					EUSR  json.Number       `json:"eu_supply_risk"`
					Steps []json.RawMessage `json:"steps"`
				} `json:"bases"`
			} `json:"stages"`
		} `json:"minerals"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatalf("scope score --format json: %v\n%s", err, out)
	}
	if r.Agreement != "pact-2026" || r.AsOf != "2026-01-01" || !r.AsOfDefault || len(r.Parties) != 4 {
		t.Errorf("agreement %q as of %q (default %v), parties %v; want pact-2026 on its entry into force 2026-01-01, 4 parties", r.Agreement, r.AsOf, r.AsOfDefault, r.Parties)
	}
	if len(r.Minerals) != 1 || len(r.Minerals[0].Stages) != 1 {
		t.Fatalf("%d minerals, want gallium with one stage", len(r.Minerals))
	}
	g := r.Minerals[0]
	st := g.Stages[0]
	if len(st.Bases) != 3 || st.Bases[0].Basis != "world" || st.Bases[0].EUSR.String() != galliumWorldSR {
		t.Errorf("gallium bases %+v, want world first with EU SR %s", st.Bases, galliumWorldSR)
	}
	if len(st.Inputs) == 0 || len(st.Missing) == 0 || len(st.Bases[0].Steps) == 0 {
		t.Errorf("gallium: %d inputs, %d missing, %d steps; want all", len(st.Inputs), len(st.Missing), len(st.Bases[0].Steps))
	}
	// gallium's economic importance: 0.99 × 125.6 (computer and electronic products) / 181.8 × 10, with its
	// inputs (two shares, one sector's value added), two steps (sum, scale) and SI_EI reported missing (the
	// chapter's unassigned 1% has no row, so it only lowers the sum)
	if imp := g.Importance; imp == nil || imp.EI.String() != "6.839604" || len(imp.Inputs) != 3 || len(imp.Steps) != 2 || len(imp.Missing) != 1 {
		t.Errorf("gallium economic importance %+v, want 6.839604 with 3 inputs, 2 steps, 1 missing (SI_EI)", imp)
	}
}

func TestScopeScoreErrors(t *testing.T) {
	tests := []struct {
		args []string
		code int
		errs string
	}{
		{[]string{"scope", "score", "--basis", "eu"}, exitUsage, `--basis "eu": want world, us or zone`},
		{[]string{"scope", "score", "--format", "yaml"}, exitUsage, "--format"},
		{[]string{"scope", "score", "gallium"}, exitUsage, "takes no arguments"},
		{[]string{"scope", "score", "--as-of", "2025-12-31"}, exitInvalid, "enters into force on 2026-01-01"},
		{[]string{"scope", "score", "--mineral", "unobtainium"}, exitInvalid, `mineral: "unobtainium" is not on the 2025 list`},
	}
	for _, c := range tests {
		_, errs, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errs, c.errs) {
			t.Errorf("%v: exit %d, stderr %q; want %d and %q", c.args, code, errs, c.code, c.errs)
		}
	}
}

// TestScopeScoreGolden holds the rows of three minerals (gallium, a
// processed table; silver, the zone's largest share; neodymium, the rare-earth
// group's figures) on the example's full zone, as a terminal and as a pipe.
func TestScopeScoreGolden(t *testing.T) {
	for _, tty := range []bool{true, false} {
		var b strings.Builder
		for _, m := range []string{"gallium", "silver", "neodymium"} {
			out, errs, code := runAs(t, tty, "scope", "score", "--as-of", "2027-07-01", "--mineral", m)
			if code != exitOK {
				t.Fatalf("scope score --mineral %s: exit %d, %s", m, code, errs)
			}
			b.WriteString(out)
		}
		name := "scope-score.pipe.golden"
		if tty {
			name = "scope-score.tty.golden"
		}
		golden(t, name, b.String())
	}
}

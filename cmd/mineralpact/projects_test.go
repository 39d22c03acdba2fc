package main

import (
	"encoding/csv"
	"encoding/json"
	"math"
	"os"
	"regexp"
	"strings"
	"testing"
)

var grouped = regexp.MustCompile(`\d,\d{3}`)

// TestProjectsValue runs `projects value` as a pipe (exact figures, json)
// and as a terminal (a table with thousands separators), with the floor
// given and with the agreement's.
func TestProjectsValue(t *testing.T) {
	out, stderr, code := runCLI(t, "projects", "value", "--pipeline", "example", "--project", "co-refinery-us", "--floor", "30000", "--paths", "500", "--format", "json")
	if code != 0 || stderr != "" {
		t.Fatalf("projects value --floor --format json: exit %d, stderr %q (a given floor needs no date)", code, stderr)
	}
	var v projectValue
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("projects value json: %v\n%s", err, out)
	}
	if !v.Illustrative || v.Floor.Source != "--floor" || v.Floor.Price != 30000 || v.Prices.Paths != 500 || v.Support == nil {
		t.Errorf("projects value json = illustrative %v floor %+v paths %d support %v", v.Illustrative, v.Floor, v.Prices.Paths, v.Support)
	}
	if !(v.With.PClear >= v.Without.PClear) || !(v.FloorValue > 0) || v.FloorValue != v.With.Mean-v.Without.Mean {
		t.Errorf("projects value: P(hurdle) %g → %g, floor value %g (means %g, %g)", v.Without.PClear, v.With.PClear, v.FloorValue, v.Without.Mean, v.With.Mean)
	}
	if sp := v.Support.With; sp.Loan == nil || sp.GrantCost != 50e6 || sp.Cost != sp.Loan.Cost+sp.GrantCost {
		t.Errorf("projects value support = %+v, want a loan and the 50,000,000 grant adding up", sp)
	}

	// The agreement's floor on a date, labelled illustrative, for people.
	tty, stderr, code := runAs(t, true, "projects", "value", "--pipeline", "example", "--project", "co-refinery-us", "--as-of", "2026-07-01", "--paths", "500")
	if code != 0 {
		t.Fatalf("projects value (terminal): exit %d, %s", code, stderr)
	}
	for _, want := range []string{"ILLUSTRATIVE pipeline projects-2026", "floor 31,702.94 USD/t from pact-2026 as of 2026-07-01 (stage_chain), ILLUSTRATIVE", "expected public cost", "  grant", "50,000,000", "floor value"} {
		if !strings.Contains(tty, want) {
			t.Errorf("projects value (terminal) lacks %q:\n%s", want, tty)
		}
	}
	pipe, _, _ := runCLI(t, "projects", "value", "--pipeline", "example", "--project", "co-refinery-us", "--as-of", "2026-07-01", "--paths", "500")
	if !strings.Contains(pipe, "floor 31702.94 USD/t") || grouped.MatchString(pipe) {
		t.Errorf("projects value (pipe) is not exact:\n%s", pipe)
	}
	// Same seed, same figures: the terminal and the pipe differ only in form.
	if strings.Count(tty, "\n") != strings.Count(pipe, "\n") {
		t.Errorf("terminal and pipe outputs differ in lines:\n%s\n%s", tty, pipe)
	}
	// Without --as-of the floor is the entry into force's, said on stderr.
	if _, stderr, code := runCLI(t, "projects", "value", "--pipeline", "example", "--project", "li-brine-mx", "--paths", "100"); code != 0 || !strings.Contains(stderr, "as of 2026-01-01, the entry into force") {
		t.Errorf("projects value without --as-of: exit %d, stderr %q", code, stderr)
	}
}

func TestProjectsRank(t *testing.T) {
	args := []string{"projects", "rank", "--pipeline", "example", "--agreement", "example", "--as-of", "2026-07-01", "--parties", "US,MX", "--paths", "400"}
	out, stderr, code := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("projects rank --format json: exit %d, %s", code, stderr)
	}
	if !strings.Contains(stderr, "no floor for nickel/processed on 2026-07-01") {
		t.Errorf("projects rank: stderr %q, want the missing nickel floor said", stderr)
	}
	var r struct {
		Illustrative bool     `json:"illustrative"`
		Parties      []string `json:"parties"`
		Projects     []struct {
			Rank          int      `json:"rank"`
			Project       string   `json:"project"`
			Location      string   `json:"location"`
			Output        float64  `json:"output_per_year"`
			PWithout      *float64 `json:"p_hurdle_without_floor"`
			PWith         *float64 `json:"p_hurdle_with_floor"`
			Secure        float64  `json:"secure_supply_added"`
			Cost          *float64 `json:"expected_public_cost"`
			PerMillion    *float64 `json:"supply_per_million"`
			OnlyWithFloor bool     `json:"investable_only_with_floor"`
			Counts        string   `json:"counts"`
			Owner         struct {
				Status string `json:"status"`
				Flag   string `json:"flag"`
			} `json:"owner_screening"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	// The example's projects name no owner in the register: each says so.
	for _, e := range r.Projects {
		if e.Owner.Status != "owner not in the ownership register" || e.Owner.Flag != e.Owner.Status {
			t.Errorf("%s owner screening = %+v, want not in the register", e.Project, e.Owner)
		}
	}
	if !r.Illustrative || strings.Join(r.Parties, ",") != "US,MX" || len(r.Projects) != 9 {
		t.Fatalf("projects rank = illustrative %v parties %v, %d projects", r.Illustrative, r.Parties, len(r.Projects))
	}
	loc := map[string]string{}
	for _, e := range r.Projects {
		loc[e.Project] = e.Location
		if e.PWithout == nil || e.PWith == nil || e.Cost == nil || e.Counts == "" {
			t.Errorf("%s lacks the numbers that rank it: %+v", e.Project, e)
		}
		if e.PerMillion != nil && *e.PerMillion != e.Secure/(*e.Cost/1e6) {
			t.Errorf("%s: supply per million %g, want %g / %g", e.Project, *e.PerMillion, e.Secure, *e.Cost/1e6)
		}
	}
	for id, want := range map[string]string{"li-brine-mx": "party", "co-refinery-us": "party", "li-brine-ar": "zone", "ni-mine-ca": "zone", "li-brine-cl": "third country", "ni-hpal-id": "third country"} {
		if loc[id] != want {
			t.Errorf("projects rank: %s location %q, want %q", id, loc[id], want)
		}
	}

	// csv: one row a project; the table for people groups thousands.
	csvOut, _, code := runCLI(t, append(args, "--format", "csv")...)
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if code != 0 || err != nil || len(rows) != 10 || rows[0][1] != "rank" {
		t.Errorf("projects rank --format csv: exit %d, %v, %d rows", code, err, len(rows))
	}
	tty, _, _ := runAs(t, true, append(args, "--mineral", "lithium", "--budget", "100000000")...)
	if !strings.Contains(tty, "ILLUSTRATIVE") || !grouped.MatchString(tty) || strings.Contains(tty, "co-refinery-us") || !strings.Contains(tty, "within budget") {
		t.Errorf("projects rank (terminal, lithium, budget):\n%s", tty)
	}
	pipe, _, _ := runCLI(t, append(args, "--mineral", "lithium")...)
	if grouped.MatchString(pipe) {
		t.Errorf("projects rank (pipe) groups digits:\n%s", pipe)
	}
}

// TestProjectsRankOwners: the shipped Busch pipeline's owners screened
// against the shipped register: Greenbushes (Talison, which Tianqi controls
// through TLEA and Windfield, 0.51 × 0.51 = 26.01%) is at review under
// au-fdi in every format; Pilgangoora's owner is clean; a deposit whose
// owner the register does not hold says so.
func TestProjectsRankOwners(t *testing.T) {
	args := []string{"projects", "rank", "--pipeline", "busch-lithium-2024", "--agreement", "example", "--as-of", "2026-07-01", "--parties", "US,AU", "--paths", "20"}
	out, stderr, code := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("exit %d, %s", code, stderr)
	}
	var r struct {
		Projects []struct {
			Project string `json:"project"`
			Owner   struct {
				Status     string `json:"status"`
				Flag       string `json:"flag"`
				Owner      string `json:"owner"`
				Decision   string `json:"decision"`
				NonPartyIn struct {
					Min, Max float64
				} `json:"non_party_interest_in_owner"`
				Screening struct {
					Controller string `json:"controller"`
					Rule       string `json:"rule"`
				} `json:"screening"`
			} `json:"owner_screening"`
		} `json:"projects"`
	}
	if err := json.Unmarshal([]byte(out), &r); err != nil {
		t.Fatal(err)
	}
	by := map[string]int{}
	for i, e := range r.Projects {
		by[e.Project] = i
	}
	gb := r.Projects[by["busch-13"]].Owner
	if gb.Decision != "review" || gb.Owner != "talison" || gb.Screening.Controller != "tianqi" || gb.Screening.Rule != "au-fdi" || math.Abs(gb.NonPartyIn.Min-0.2601) > 1e-9 {
		t.Errorf("Greenbushes owner screening = %+v", gb)
	}
	if pg := r.Projects[by["busch-15"]].Owner; pg.Decision != "" || pg.Flag != "clean (au-fdi); owner pilbara-minerals (party)" {
		t.Errorf("Pilgangoora owner screening = %+v", pg)
	}
	if tp := r.Projects[by["busch-9"]].Owner; tp.Status != "owner not in the ownership register" {
		t.Errorf("Thacker Pass owner screening = %+v", tp)
	}
	csvOut, _, _ := runCLI(t, append(args, "--format", "csv")...)
	rows, err := csv.NewReader(strings.NewReader(csvOut)).ReadAll()
	if err != nil || rows[0][len(rows[0])-1] != "owner screening" {
		t.Fatalf("csv: %v, header %v", err, rows[0])
	}
	want := "review (au-fdi); owner talison (party), non-party interest 26.01%, controlled by tianqi (non_party)"
	for _, row := range rows {
		if row[2] == "busch-13" && row[len(row)-1] != want {
			t.Errorf("csv Greenbushes owner screening = %q, want %q", row[len(row)-1], want)
		}
	}
	if _, stderr, code := runCLI(t, append(args, "--ownership", "testdata/projects/no-such.csv")...); code == 0 || !strings.Contains(stderr, "no-such.csv") {
		t.Errorf("--ownership of a missing file: exit %d, %s", code, stderr)
	}
}

func TestProjectsErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"projects", "rank", "--pipeline", "example", "--as-of", "2026-07-01", "--parties", "US,CL"}, 1, "CL is not a party in force on the date"},
		{[]string{"projects", "rank", "--pipeline", "example", "--parties", "US"}, 2, "--as-of is required"},
		{[]string{"projects", "rank", "--pipeline", "example", "--as-of", "2026-07-01"}, 2, "--parties US,MX is required"},
		{[]string{"projects", "value", "--pipeline", "example", "--project", "nope"}, 1, `no project "nope"`},
		{[]string{"projects", "value", "--project", "li-brine-mx"}, 2, "--pipeline FILE is required"},
		{[]string{"projects", "value", "--pipeline", "example", "--project", "ni-hpal-id", "--as-of", "2026-07-01"}, 1, "give --floor PRICE"},
		{[]string{"projects", "value", "--pipeline", "testdata/projects/offtake-collar.yaml", "--project", "x"}, 1, `offtake-collar.yaml:5:1: project: unknown field "project" (did you mean "projects"?)`},
		{[]string{"projects", "offtake", "--pipeline", "example", "--project", "li-brine-mx", "--contract", "testdata/projects/offtake-bad-tenor.yaml"}, 1,
			"testdata/projects/offtake-bad-tenor.yaml:5:14: tenor_years: 25 years is longer than project li-brine-mx's life of 20 years"},
	} {
		_, stderr, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(stderr, c.want) {
			t.Errorf("mineralpact %s: exit %d, stderr %q; want exit %d and %q", strings.Join(c.args, " "), code, stderr, c.code, c.want)
		}
	}
}

func TestProjectsOfftake(t *testing.T) {
	args := []string{"projects", "offtake", "--pipeline", "example", "--project", "li-brine-mx", "--contract", "testdata/projects/offtake-collar.yaml", "--floor", "0", "--paths", "500"}
	out, stderr, code := runCLI(t, append(args, "--format", "json")...)
	if code != 0 {
		t.Fatalf("projects offtake: exit %d, %s", code, stderr)
	}
	var v struct {
		Kind     string     `json:"kind"`
		Without  npvSummary `json:"without_contract"`
		With     npvSummary `json:"with_contract"`
		Producer float64    `json:"value_to_producer"`
		Buyer    *float64   `json:"value_to_buyer"`
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Kind != "collar" || v.Buyer == nil || v.Producer != v.With.Mean-v.Without.Mean || !(v.With.P5 > v.Without.P5) {
		t.Errorf("projects offtake = %+v; want a collar raising the 5th percentile, producer value the difference of means", v)
	}
	tty, _, _ := runAs(t, true, args...)
	if !strings.Contains(tty, "value to the buyer") || !grouped.MatchString(tty) {
		t.Errorf("projects offtake (terminal):\n%s", tty)
	}
}

// TestProjectsValueScenario takes the price paths from a market scenario's
// Monte Carlo: the json names the scenario, the region and the design's
// floor by year, and the agreement's value is its market effect plus the
// guarantee; a project of another mineral is refused at the field.
func TestProjectsValueScenario(t *testing.T) {
	out, stderr, code := runCLI(t, "projects", "value", "--pipeline", "example", "--project", "co-mine-cd", "--scenario", "cobalt-drc-2025", "--paths", "30", "--format", "json")
	if code != 0 {
		t.Fatalf("projects value --scenario: exit %d, %s", code, stderr)
	}
	var v projectValue
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatalf("projects value --scenario json: %v\n%s", err, out)
	}
	m := v.Market
	if m == nil || v.Prices != nil || m.Scenario != "cobalt-drc-2025" || m.Region != "CD" || m.Paths != 30 || m.Seed != 2025 || m.Start != "2025-01" || len(m.Floor) == 0 || !(m.Floor[0] > 0) {
		t.Fatalf("projects value --scenario json: market %+v, prices %+v", m, v.Prices)
	}
	if d := v.FloorValue - (m.MarketEffect + m.Guarantee); d*d > 1e-6*v.FloorValue*v.FloorValue+1e-6 || m.Guarantee < 0 {
		t.Errorf("projects value --scenario: value %g, market effect %g, guarantee %g", v.FloorValue, m.MarketEffect, m.Guarantee)
	}
	if _, stderr, code := runCLI(t, "projects", "value", "--pipeline", "example", "--project", "li-brine-mx", "--scenario", "cobalt-drc-2025", "--paths", "5"); code == 0 || !strings.Contains(stderr, "simulates cobalt/mined") {
		t.Errorf("projects value of a lithium project on a cobalt scenario: exit %d, %s", code, stderr)
	}
	tty, stderr, code := runAs(t, true, "projects", "value", "--pipeline", "example", "--project", "co-mine-cd", "--scenario", "cobalt-drc-2025", "--paths", "30")
	if code != 0 {
		t.Fatalf("projects value --scenario (terminal): exit %d, %s", code, stderr)
	}
	for _, want := range []string{"market scenario cobalt-drc-2025 (ILLUSTRATIVE scenario), producer price of region CD", "without agreement", "design", "with floor", "value of the agreement"} {
		if !strings.Contains(tty, want) {
			t.Errorf("projects value --scenario (terminal) lacks %q:\n%s", want, tty)
		}
	}
}

// TestProjectsShipped values a project of the shipped Busch et al. pipeline
// by its id: its notice says what is derived and what assumed, and its
// hurdle rate carries the agreement's country risk premium for the United
// States (PV 2022 −0.036: 0.02 × 1.036 over the 6% base).
func TestProjectsShipped(t *testing.T) {
	out, stderr, code := runCLI(t, "projects", "value", "--pipeline", "busch-lithium-2024", "--project", "busch-3", "--as-of", "2026-07-01", "--paths", "200", "--format", "json")
	if code != 0 {
		t.Fatalf("projects value --pipeline busch-lithium-2024: exit %d, %s", code, stderr)
	}
	var v projectValue
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Illustrative || !strings.Contains(v.Notice, "Busch et al. (2024)") || v.Country != "US" || v.Name != "Salton Sea (All)" {
		t.Errorf("busch-3: illustrative %v, notice %q, %s %s", v.Illustrative, v.Notice, v.Country, v.Name)
	}
	if h := v.Hurdle; h.Base != 0.06 || !(h.Premium > 0.0207 && h.Premium < 0.0208) || h.Rate != v.Rate || !strings.Contains(h.Basis, "WGI PV 2022 of US") {
		t.Errorf("busch-3 hurdle = %+v (rate %g), want 0.06 + the US premium", h, v.Rate)
	}
	if _, stderr, code := runCLI(t, "projects", "value", "--pipeline", "scenario-projects", "--project", "nickel-indonesia-surge-us-tamarack", "--floor", "15000", "--paths", "100"); code != 0 {
		t.Errorf("projects value --pipeline scenario-projects: exit %d, %s", code, stderr)
	}
}

// TestProjectsOfftakeScenario values a collar on the market feed's paths.
func TestProjectsOfftakeScenario(t *testing.T) {
	path := t.TempDir() + "/collar.yaml"
	if err := os.WriteFile(path, []byte("version: 1\nid: co-collar\nproject: co-mine-cd\nvolume_per_year: 5000\ntenor_years: 8\nprice: {kind: collar, floor: 25000, ceiling: 45000}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	out, stderr, code := runCLI(t, "projects", "offtake", "--pipeline", "example", "--project", "co-mine-cd", "--contract", path, "--scenario", "cobalt-drc-2025", "--paths", "50", "--format", "json")
	if code != 0 {
		t.Fatalf("projects offtake --scenario: exit %d, %s", code, stderr)
	}
	var v struct {
		Paths    int     `json:"paths"`
		Seed     uint64  `json:"seed"`
		Producer float64 `json:"value_to_producer"`
		Buyer    float64 `json:"value_to_buyer"`
		Floor    struct{ Method string }
	}
	if err := json.Unmarshal([]byte(out), &v); err != nil {
		t.Fatal(err)
	}
	if v.Paths != 50 || v.Seed != 2025 || v.Floor.Method != "scenario cobalt-drc-2025" || v.Producer == 0 || v.Buyer == 0 {
		t.Errorf("projects offtake --scenario = %+v", v)
	}
}

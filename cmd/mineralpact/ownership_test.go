package main

import (
	"encoding/json"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/ownership"
)

// shippedOwnership names the four files of data/ownership.
var shippedOwnership = []string{
	"--ownership", "../../data/ownership/icmm/ICMM_FacilityData.csv",
	"--ownership", "../../data/ownership/facilities.csv",
	"--ownership", "../../data/ownership/entities.csv",
	"--ownership", "../../data/ownership/owners.csv",
}

func ownershipArgs(verb string, more ...string) []string {
	return append(append([]string{"ownership", verb}, shippedOwnership...), more...)
}

// TestOwnershipScreenGreenbushes: the shipped Greenbushes chain screened by
// the example's AU rule: review, on the aggregate non-party interest
// (26.01%, Tianqi through TLEA, Windfield and Talison) and on control.
func TestOwnershipScreenGreenbushes(t *testing.T) {
	out, errOut, code := runCLI(t, ownershipArgs("screen", "--facility", "greenbushes", "--as-of", "2026-08-01")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"non-party interest 26.01%", "controlled by tianqi (non_party)", "rule au-fdi (Art. 15): decision review",
		"- aggregate: all non-party holders 26.01%, review", "- control: tianqi", "tlea holds 51% of windfield  [../../data/ownership/owners.csv:4]"} {
		if !strings.Contains(out, want) {
			t.Errorf("ownership screen --facility greenbushes: no %q in\n%s", want, out)
		}
	}
	out, _, code = runCLI(t, ownershipArgs("screen", "--facility", "greenbushes", "--as-of", "2026-08-01", "--format", "json")...)
	var d ownership.Decision
	if err := json.Unmarshal([]byte(out), &d); code != 0 || err != nil {
		t.Fatalf("json: exit %d, %v", code, err)
	}
	if d.Decision != "review" || d.NonParty.Min < 0.2601-1e-12 || d.NonParty.Min > 0.2601+1e-12 {
		t.Errorf("json decision = %s, non-party %v; want review, 0.2601", d.Decision, d.NonParty)
	}
}

func TestOwnershipScreenList(t *testing.T) {
	out, errOut, code := runCLI(t, ownershipArgs("screen", "--as-of", "2026-08-01")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(out), "\n")
	// The weightiest decision first: Kwinana, held 100% by TLEA (51% Tianqi).
	if len(lines) < 3 || !strings.HasPrefix(lines[1], "kwinana-lioh") || !strings.Contains(lines[1], "prohibit") || !strings.HasPrefix(lines[2], "greenbushes") {
		t.Errorf("ownership screen: want kwinana-lioh (prohibit) then greenbushes first, got\n%s", out)
	}
}

func TestOwnershipTransaction(t *testing.T) {
	out, errOut, code := runCLI(t, ownershipArgs("transaction", "--buyer", "tianqi", "--target", "windfield", "--share", "30%", "--on", "2026-08-01")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"decision prohibit", "greenbushes: before review, the transaction prohibit", "right of first refusal offered to US, JP, EU within 30 days (Art. 15)", "non-party interest 56.01%"} {
		if !strings.Contains(out, want) {
			t.Errorf("ownership transaction: no %q in\n%s", want, out)
		}
	}
}

func TestOwnershipPaths(t *testing.T) {
	out, errOut, code := runCLI(t, ownershipArgs("paths", "--from", "tianqi", "--to", "greenbushes", "--as-of", "2026-08-01")...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	for _, want := range []string{"tianqi holds an effective 26.01% of greenbushes on 2026-08-01, through 1 path(s)", "tianqi controls greenbushes", "path, product 26.01%"} {
		if !strings.Contains(out, want) {
			t.Errorf("ownership paths: no %q in\n%s", want, out)
		}
	}
}

func TestOwnershipErrors(t *testing.T) {
	for _, c := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"ownership", "screen", "--as-of", "2026-08-01"}, exitUsage, "--ownership FILE is required"},
		{ownershipArgs("screen"), exitUsage, "--as-of is required"},
		{ownershipArgs("screen", "--as-of", "2026-08-01", "--facility", "nowhere"), exitInvalid, `no facility or entity "nowhere"`},
		{ownershipArgs("transaction", "--buyer", "tianqi", "--target", "windfield", "--share", "130", "--on", "2026-08-01"), exitUsage, "--share"},
		{ownershipArgs("transaction", "--buyer", "nobody", "--target", "windfield", "--share", "10", "--on", "2026-08-01"), exitInvalid, `no holder "nobody"`},
		{[]string{"ownership", "paths", "--ownership", "testdata/ownership-bad.csv", "--from", "a", "--to", "b", "--as-of", "2026-01-01"}, exitInvalid, "ownership-bad.csv:2:4: share"},
	} {
		_, errOut, code := runCLI(t, c.args...)
		if code != c.code || !strings.Contains(errOut, c.want) {
			t.Errorf("%v: exit %d, %q; want exit %d with %q", c.args, code, errOut, c.code, c.want)
		}
	}
}

// TestOwnershipInterests lists the hand-worked cycle (A 30% of B, B 20% of
// A, P 80% of A, Q 70% of B): A in B = 0.3/0.94, P in B = 0.24/0.94.
func TestOwnershipInterests(t *testing.T) {
	out, errOut, code := runCLI(t, "ownership", "interests", "--ownership", "testdata/ownership-cycle.csv", "--as-of", "2026-01-01", "--format", "json")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var res interestsResult
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatal(err)
	}
	want := map[string]float64{"A B": 0.3 / 0.94, "P B": 0.24 / 0.94, "Q A": 0.14 / 0.94, "B A": 0.2 / 0.94}
	for _, i := range res.Interests {
		if w, ok := want[i.Holder+" "+i.Subject]; ok {
			if d := i.Min - w; d > 1e-12 || d < -1e-12 {
				t.Errorf("%s in %s = %v, want %v", i.Holder, i.Subject, i.Min, w)
			}
			delete(want, i.Holder+" "+i.Subject)
		}
	}
	if len(want) > 0 {
		t.Errorf("missing interests %v", want)
	}
	ctl := map[string]string{}
	for _, c := range res.Controllers {
		ctl[c.Subject] = c.Controller
	}
	if ctl["A"] != "P" || ctl["B"] != "Q" {
		t.Errorf("controllers = %v, want A: P, B: Q", ctl)
	}
}

// TestOwnershipScreenWithoutFacilities: a register without facilities (the
// cycle's four entities, a BODS package's kind) is screened entity by
// entity, each in its jurisdiction: four decisions.
func TestOwnershipScreenWithoutFacilities(t *testing.T) {
	out, errOut, code := runCLI(t, "ownership", "screen", "--ownership", "testdata/ownership-cycle.csv", "--as-of", "2026-08-01", "--format", "json", "--all")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	var ds []ownership.Decision
	if err := json.Unmarshal([]byte(out), &ds); err != nil {
		t.Fatal(err)
	}
	if len(ds) != 4 {
		t.Errorf("screened %d entities, want the 4 of the register", len(ds))
	}
}

package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const dutyTestAgreement = "../../internal/duty/testdata/agreement.yaml"

func TestAssessGolden(t *testing.T) {
	errsPath := filepath.Join(t.TempDir(), "errors.csv")
	out, stderr, code := runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", "testdata/assess-small.csv", "--errors", errsPath)
	if code != exitOK {
		t.Fatalf("assess = exit %d: %s", code, stderr)
	}
	golden(t, "assess-small.csv.golden", out)
	errs, err := os.ReadFile(errsPath)
	if err != nil {
		t.Fatal(err)
	}
	golden(t, "assess-small.errors.golden", string(errs))
	if !strings.Contains(stderr, "rows read 7, assessed 5, rejected 2") {
		t.Errorf("summary: %q", stderr)
	}
	if strings.Contains(stderr, "\r") {
		t.Errorf("progress written to a pipe: %q", stderr)
	}
}

func TestAssessUnusableInput(t *testing.T) {
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("id,when\n1,2\n"), 0o644)
	_, stderr, code := runCLI(t, "assess", "--agreement", dutyTestAgreement, "--in", bad)
	if code != exitInvalid || !strings.Contains(stderr, `unknown column "when"`) {
		t.Errorf("assess bad header = exit %d, %q", code, stderr)
	}
	_, stderr, code = runCLI(t, "assess")
	if code != exitUsage || !strings.Contains(stderr, "--in is required") {
		t.Errorf("assess without --in = exit %d, %q", code, stderr)
	}
}

func TestGenDeclarationsDeterministic(t *testing.T) {
	a, stderr, code := runCLI(t, "gen", "declarations", "--n", "200", "--seed", "4", "--bad-rate", "0.1")
	if code != exitOK {
		t.Fatalf("gen = exit %d: %s", code, stderr)
	}
	b, _, _ := runCLI(t, "gen", "declarations", "--n", "200", "--seed", "4", "--bad-rate", "0.1")
	if a != b || strings.Count(a, "\n") != 201 {
		t.Fatalf("gen is not deterministic or has %d lines", strings.Count(a, "\n"))
	}
	in := filepath.Join(t.TempDir(), "d.csv")
	os.WriteFile(in, []byte(a), 0o644)
	_, stderr, code = runCLI(t, "assess", "--in", in, "--out", filepath.Join(t.TempDir(), "o.csv"), "--errors", filepath.Join(t.TempDir(), "e.csv"))
	if code != exitOK || !strings.Contains(stderr, "rows read 200") {
		t.Fatalf("assess of generated = exit %d: %s", code, stderr)
	}
}

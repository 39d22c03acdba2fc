package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestParseStage(t *testing.T) {
	for _, st := range Stages {
		got, err := ParseStage(string(st))
		if err != nil || got != st {
			t.Errorf("ParseStage(%q) = %q, %v, want %q", st, got, err, st)
		}
	}
}

func TestParseStageErrors(t *testing.T) {
	tests := []struct {
		in       string
		contains string
	}{
		{"refined", `unknown stage "refined"`},
		{"Mined", `(did you mean "mined"?)`},
		{"proccessed", `(did you mean "processed"?)`},
		{"", `unknown stage ""`},
	}
	for _, tt := range tests {
		_, err := ParseStage(tt.in)
		if err == nil || problem.CodeOf(err) != problem.Invalid || !strings.Contains(err.Error(), tt.contains) ||
			!strings.Contains(err.Error(), "want one of mined, processed, derivative, scrap") {
			t.Errorf("ParseStage(%q) error = %v, want invalid containing %q and the list of stages", tt.in, err, tt.contains)
		}
	}
}

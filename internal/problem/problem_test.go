package problem

import (
	"errors"
	"fmt"
	"testing"
)

func TestErrorString(t *testing.T) {
	tests := []struct {
		name string
		err  *Error
		want string
	}{
		{"all parts", &Error{Code: Invalid, Field: "parties[3].instruments[1].rate", Pos: Pos{"pact.yaml", 42, 7}, Message: "must be ≥ 0"},
			"pact.yaml:42:7: parties[3].instruments[1].rate: must be ≥ 0"},
		{"no position", &Error{Code: NotFound, Field: "mineral", Message: `unknown mineral "litium"`}, `mineral: unknown mineral "litium"`},
		{"line only", &Error{Pos: Pos{Line: 3}, Message: "bad"}, "3: bad"},
	}
	for _, tt := range tests {
		if got := tt.err.Error(); got != tt.want {
			t.Errorf("%s: Error() = %q, want %q", tt.name, got, tt.want)
		}
	}
}

func TestCodeOf(t *testing.T) {
	var l List
	l.Add(Pos{}, "x", "bad %d", 1)
	tests := []struct {
		err  error
		want Code
	}{
		{nil, ""},
		{Errorf(NotFound, "no"), NotFound},
		{fmt.Errorf("wrapped: %w", Errorf(Conflict, "dup")), Conflict},
		{l, Invalid},
		{errors.New("plain"), Internal},
	}
	for _, tt := range tests {
		if got := CodeOf(tt.err); got != tt.want {
			t.Errorf("CodeOf(%v) = %q, want %q", tt.err, got, tt.want)
		}
	}
	if (List{}).Err() != nil {
		t.Error("empty List.Err() != nil")
	}
}

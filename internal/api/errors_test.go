package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestWriteError(t *testing.T) {
	tests := []struct {
		err         error
		status      int
		code, field string
		message     string
		logged      bool
	}{
		{problem.Errorf(problem.Invalid, "bad"), 400, "invalid", "", "bad", false},
		{&problem.Error{Code: problem.NotFound, Field: "mineral", Message: "unknown"}, 404, "not_found", "mineral", "unknown", false},
		{problem.Errorf(problem.Conflict, "taken"), 409, "conflict", "", "taken", false},
		{problem.Errorf(problem.Unauthorized, "who are you"), 401, "unauthorized", "", "who are you", false},
		{fmt.Errorf("wrapped: %w", problem.Errorf(problem.Invalid, "deep")), 400, "invalid", "", "deep", false},
		{problem.List{{Code: problem.Invalid, Field: "a", Message: "one"}, {Code: problem.Invalid, Field: "b", Message: "two"}}, 400, "invalid", "a", "a: one\nb: two", false},
		{problem.Errorf(problem.Internal, "secret path /etc/x"), 500, "internal", "", "internal error", true},
		{errors.New("disk on fire at /var/db"), 500, "internal", "", "internal error", true},
		{problem.Errorf("made_up", "odd"), 500, "internal", "", "internal error", true},
	}
	for _, tt := range tests {
		var logs bytes.Buffer
		old := slog.Default()
		slog.SetDefault(slog.New(slog.NewTextHandler(&logs, nil)))
		w := httptest.NewRecorder()
		writeError(w, httptest.NewRequest("GET", "/v1/x", nil), tt.err)
		slog.SetDefault(old)

		var body errorBody
		if err := json.Unmarshal(w.Body.Bytes(), &body); err != nil {
			t.Fatalf("writeError(%v): body %q: %v", tt.err, w.Body, err)
		}
		got := body.Error
		if w.Code != tt.status || string(got.Code) != tt.code || got.Field != tt.field || got.Message != tt.message {
			t.Errorf("writeError(%v) = %d %+v, want %d {%s %q %s}", tt.err, w.Code, got, tt.status, tt.code, tt.message, tt.field)
		}
		if logged := strings.Contains(logs.String(), "internal error"); logged != tt.logged {
			t.Errorf("writeError(%v) logged = %v (%q), want %v", tt.err, logged, logs.String(), tt.logged)
		}
		if tt.logged && !strings.Contains(logs.String(), tt.err.Error()) {
			t.Errorf("writeError(%v): log %q lacks the cause", tt.err, logs.String())
		}
	}
}

// TestStatusTable checks that every code of package problem has a status.
func TestStatusTable(t *testing.T) {
	for _, c := range []problem.Code{problem.Invalid, problem.NotFound, problem.Conflict, problem.Unauthorized, problem.Internal} {
		if _, ok := statusOf[c]; !ok {
			t.Errorf("statusOf[%q] is missing", c)
		}
	}
}

package jsonstrict

import (
	"errors"
	"testing"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// The scanner's full table of cases is in internal/api (auth_test.go), which
// calls it through checkDuplicateKeys; these hold the package's own promise.
func TestCheckDuplicateKeys(t *testing.T) {
	for _, c := range []struct{ in, field string }{
		{`{"a":1,"b":2}`, ""},
		{`{"a":1,"a":2}`, "a"},
		{`{"w":{"k":[1,{"x":1,"x":2}]}}`, "w.k[1].x"},
		{`{"a":1,"\u0061":2}`, "a"}, // one key, written two ways
		{`not json`, ""},            // left to the decoder
	} {
		err := CheckDuplicateKeys([]byte(c.in))
		var pe *problem.Error
		switch {
		case c.field == "" && err != nil:
			t.Errorf("%s: %v, want no duplicate", c.in, err)
		case c.field != "" && (!errors.As(err, &pe) || pe.Field != c.field):
			t.Errorf("%s: %v, want a duplicate at %s", c.in, err, c.field)
		}
	}
}

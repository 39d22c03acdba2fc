package stockpile

import "github.com/mineralpact/mineralpact/internal/problem"

// problemf is an invalid-input error of this engine.
func problemf(format string, args ...any) error {
	return problem.Errorf(problem.Invalid, "stockpile: "+format, args...)
}

package customsfx

import (
	"errors"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func timeMonth(m int) time.Month { return time.Month(m) }

func asProblem(err error, pe **problem.Error) bool { return errors.As(err, pe) }

func date0(s string) date.Date { return date.MustParse(s) }

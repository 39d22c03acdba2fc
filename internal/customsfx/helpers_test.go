package customsfx

import (
	"errors"
	"os"
	"strings"
	"testing"
	"time"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func timeMonth(m int) time.Month { return time.Month(m) }

func asProblem(err error, pe **problem.Error) bool { return errors.As(err, pe) }

func date0(s string) date.Date { return date.MustParse(s) }

func readText(t testing.TB, path string) string {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

func stringsReader(s string) *strings.Reader { return strings.NewReader(s) }

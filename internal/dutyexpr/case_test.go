package dutyexpr

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// evalCase is one line of testdata/eval.test.
type evalCase struct {
	id   string
	expr string
	env  *testEnv
	want exact.Q
}

// readCases reads a file of cases: `id "expression" key=value… -> duty`, with
// "--" comment lines (see testdata/eval.test).
func readCases(t *testing.T, path string) []evalCase {
	t.Helper()
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []evalCase
	seen := map[string]bool{}
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 1<<20)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "--") {
			continue
		}
		c, err := parseCase(line)
		if err != "" {
			t.Fatalf("%s:%d: %s", path, n, err)
		}
		if seen[c.id] {
			t.Fatalf("%s:%d: case %s twice", path, n, c.id)
		}
		seen[c.id] = true
		cases = append(cases, c)
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func parseCase(line string) (evalCase, string) {
	var c evalCase
	id, rest, ok := strings.Cut(line, " ")
	if !ok {
		return c, "want: id \"expression\" declaration… -> duty"
	}
	c.id = id
	quoted, err := strconv.QuotedPrefix(strings.TrimSpace(rest))
	if err != nil {
		return c, "the expression must be a double-quoted string"
	}
	c.expr, _ = strconv.Unquote(quoted)
	rest = strings.TrimSpace(rest)[len(quoted):]
	decl, want, ok := strings.Cut(rest, "->")
	if !ok {
		return c, "missing -> duty"
	}
	var good bool
	if c.want, good = exact.ParseString(strings.TrimSpace(want)); !good {
		return c, "bad duty " + want
	}
	c.env = &testEnv{qty: map[qtyKey]exact.Q{}, rates: map[string]exact.Q{}, places: -1}
	for _, f := range strings.Fields(decl) {
		k, v, ok := strings.Cut(f, "=")
		if !ok {
			return c, "bad declaration field " + f
		}
		switch {
		case k == "charged":
			c.env.charging = v
		case k == "round":
			p, err := strconv.Atoi(v)
			if err != nil {
				return c, "bad round " + v
			}
			c.env.places = p
		default:
			x, ok := exact.ParseString(v)
			if !ok {
				return c, "bad number " + v
			}
			switch {
			case k == "value":
				c.env.value = x
			case strings.HasPrefix(k, "rate:"):
				c.env.rates[k[len("rate:"):]] = x
			case strings.HasPrefix(k, "content:"):
				c.env.qty[qtyKey{k[len("content:"):], true}] = x
			default:
				c.env.qty[qtyKey{k, false}] = x
			}
		}
	}
	if c.env.charging == "" {
		return c, "missing charged=CUR"
	}
	return c, ""
}

package customsfx

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/exact"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// TestCases runs testdata/rates.test: cases worked by hand, one a line, in
// the spirit of apd's *.decTest files, so that a customs officer or an
// economist can read and add one. The file's header says the forms.
func TestCases(t *testing.T) {
	const file = "testdata/rates.test"
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	tables := map[string]*Table{}
	ids := map[string]int{}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		text := sc.Text()
		if i := strings.Index(text, "--"); i >= 0 {
			text = text[:i]
		}
		fields := strings.Fields(text)
		if len(fields) == 0 || strings.HasPrefix(fields[0], "#") {
			continue
		}
		at := file + ":" + strconv.Itoa(n)
		if fields[0] == "table" {
			if len(fields) != 4 {
				t.Fatalf("%s: want table <name> <file> <base>", at)
			}
			tables[fields[1]] = loadFile(t, fields[2], fields[3])
			continue
		}
		id := fields[0]
		if l, dup := ids[id]; dup {
			t.Errorf("%s: id %s is used on line %d too", at, id, l)
		}
		ids[id] = n
		arrow := indexOf(fields, "->")
		if arrow < 0 || arrow+1 >= len(fields) || len(fields) < 3 {
			t.Errorf("%s: %s: no \"-> result\"", at, id)
			continue
		}
		tab := tables[fields[2]]
		if tab == nil {
			t.Errorf("%s: %s: no table %q", at, id, fields[2])
			continue
		}
		args, want := fields[3:arrow], fields[arrow+1:]
		switch fields[1] {
		case "rate":
			runRate(t, at+": "+id, tab, args, want)
		case "convert":
			runConvert(t, at+": "+id, tab, args, want)
		default:
			t.Errorf("%s: %s: unknown operation %q", at, id, fields[1])
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	if len(ids) == 0 {
		t.Fatalf("%s has no cases", file)
	}
}

// runRate: <currency> <day> <rule> -> <rate> from <date> line <n> [earlier].
func runRate(t *testing.T, at string, tab *Table, args, want []string) {
	t.Helper()
	if len(args) != 3 {
		t.Errorf("%s: rate wants <currency> <day> <rule>", at)
		return
	}
	got, err := tab.Rate(args[0], date.MustParse(args[1]), Rule(args[2]))
	if wantsError(t, at, err, want) {
		return
	}
	if len(want) < 5 || want[1] != "from" || want[3] != "line" {
		t.Errorf("%s: want <rate> from <date> line <n> [earlier]", at)
		return
	}
	earlier := len(want) == 6 && want[5] == "earlier"
	if got.Rate.Cmp(value(t, at, want[0])) != 0 || got.From.String() != want[2] || strconv.Itoa(got.Line) != want[4] || got.Earlier != earlier {
		t.Errorf("%s: Rate(%s) = %s from %s line %d earlier %v, want %s", at, strings.Join(args, " "),
			got.Rate, got.From, got.Line, got.Earlier, strings.Join(want, " "))
	}
}

// runConvert: <amount> <from> <to> <day> <rule> <direct|cross> -> <result> [via <lines>].
func runConvert(t *testing.T, at string, tab *Table, args, want []string) {
	t.Helper()
	if len(args) != 6 || (args[5] != "direct" && args[5] != "cross") {
		t.Errorf("%s: convert wants <amount> <from> <to> <day> <rule> <direct|cross>", at)
		return
	}
	got, c, err := tab.Convert(value(t, at, args[0]), args[1], args[2], date.MustParse(args[3]), Rule(args[4]), args[5] == "cross")
	if wantsError(t, at, err, want) {
		return
	}
	if got.Cmp(value(t, at, want[0])) != 0 {
		t.Errorf("%s: Convert(%s) = %s, want %s", at, strings.Join(args, " "), got, want[0])
	}
	var lines []string
	for _, q := range c.Quotes() {
		lines = append(lines, strconv.Itoa(q.Line))
	}
	wantLines := ""
	if len(want) == 3 && want[1] == "via" {
		wantLines = want[2]
	}
	if g := strings.Join(lines, ","); g != wantLines {
		t.Errorf("%s: Convert(%s) used lines %q, want %q", at, strings.Join(args, " "), g, wantLines)
	}
}

// wantsError checks err against a result of the form "error <code>" and
// reports whether the case wanted an error.
func wantsError(t *testing.T, at string, err error, want []string) bool {
	t.Helper()
	if want[0] != "error" {
		if err != nil {
			t.Errorf("%s: error %v, want %s", at, err, strings.Join(want, " "))
		}
		return err != nil
	}
	if len(want) != 2 {
		t.Errorf("%s: want error <code>", at)
	} else if code := problem.CodeOf(err); string(code) != want[1] {
		t.Errorf("%s: error %v (code %q), want code %s", at, err, code, want[1])
	}
	return true
}

// value reads a decimal or a fraction a/b.
func value(t *testing.T, at, s string) exact.Q {
	t.Helper()
	num, den, frac := strings.Cut(s, "/")
	n, ok := exact.ParseString(num)
	if !ok {
		t.Fatalf("%s: %q is not a number", at, s)
	}
	if !frac {
		return n
	}
	d, ok := exact.ParseString(den)
	if !ok || d.Sign() == 0 {
		t.Fatalf("%s: %q is not a fraction", at, s)
	}
	return n.Quo(d)
}

func indexOf(fields []string, s string) int {
	for i, f := range fields {
		if f == s {
			return i
		}
	}
	return -1
}

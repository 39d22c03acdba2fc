package design

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/examples"
	"github.com/mineralpact/mineralpact/internal/agreement"
)

// An edit is one changed line of the example agreement.
type edit struct {
	kind string
	line int // 0-based
	old  string
	new  string
}

func (e edit) String() string {
	return fmt.Sprintf("%s, line %d: %q -> %q", e.kind, e.line+1, strings.TrimSpace(e.old), strings.TrimSpace(e.new))
}

func (e edit) apply(text []byte) []byte {
	lines := bytes.Split(bytes.Clone(text), []byte("\n"))
	lines[e.line] = []byte(e.new)
	return bytes.Join(lines, []byte("\n"))
}

var (
	floorParam = regexp.MustCompile(`^(\s+)(percentile|conversion_cost|margin|input_per_output|capital_intensity|base_rate): ([0-9.]+)$`)
	capLine    = regexp.MustCompile(`^(\s+cap: \{kind: ad_valorem, ad_valorem: )([0-9.]+)(\}.*)$`)
	phaseStep  = regexp.MustCompile(`^(\s+- \{from: [0-9-]+, share: )(0\.[0-9]+)(\}.*)$`)
	quotaVol   = regexp.MustCompile(`^(\s+volume: \{value: )([0-9.]+)(,.*)$`)
	accession  = regexp.MustCompile(`^(\s+accession: )(2026-[0-9-]+)$`)
)

// randomEdit draws a one-line change of the example: a floor parameter, a
// variable duty's cap, a phase-in share, a quota volume or a party's
// accession.
func randomEdit(r *rand.Rand, text []byte) edit {
	lines := strings.Split(string(text), "\n")
	kinds := []string{"floor parameter", "cap", "phase-in share", "quota volume", "accession"}
	for {
		kind := kinds[r.IntN(len(kinds))]
		var cands []int
		for i, l := range lines {
			if kindRe(kind).MatchString(l) {
				cands = append(cands, i)
			}
		}
		if len(cands) == 0 {
			continue
		}
		i := cands[r.IntN(len(cands))]
		l := lines[i]
		m := kindRe(kind).FindStringSubmatch(l)
		var nl string
		switch kind {
		case "floor parameter":
			x, _ := strconv.ParseFloat(m[3], 64)
			y := x * (0.8 + 0.4*r.Float64())
			switch m[2] {
			case "percentile":
				y = float64(50 + r.IntN(45))
			case "capital_intensity", "conversion_cost":
				y = float64(int(y))
			}
			nl = m[1] + m[2] + ": " + strconv.FormatFloat(y, 'f', -1, 64)
			if m[2] != "percentile" && m[2] != "capital_intensity" && m[2] != "conversion_cost" {
				nl = m[1] + m[2] + ": " + strconv.FormatFloat(y, 'f', 3, 64)
			}
		case "cap":
			nl = m[1] + strconv.FormatFloat(float64(1+r.IntN(9))/10, 'f', -1, 64) + m[3]
		case "phase-in share":
			nl = m[1] + strconv.FormatFloat(float64(1+r.IntN(9))/10, 'f', -1, 64) + m[3]
		case "quota volume":
			x, _ := strconv.ParseFloat(m[2], 64)
			nl = m[1] + strconv.FormatFloat(float64(int(x*(0.1+r.Float64()))+1), 'f', -1, 64) + m[3]
		case "accession":
			months := []string{"2026-01-01", "2026-03-01", "2026-05-01", "2026-07-01", "2026-09-01", "2026-11-01"}
			nl = m[1] + months[r.IntN(len(months))]
		}
		if nl == l {
			continue
		}
		return edit{kind: kind, line: i, old: l, new: nl}
	}
}

func kindRe(kind string) *regexp.Regexp {
	switch kind {
	case "floor parameter":
		return floorParam
	case "cap":
		return capLine
	case "phase-in share":
		return phaseStep
	case "quota volume":
		return quotaVol
	}
	return accession
}

// comparable is a comparison without what says how it was computed.
func comparableJSON(tb testing.TB, c *Comparison) string {
	tb.Helper()
	x := *c
	x.Work = Work{}
	b, err := json.Marshal(&x)
	if err != nil {
		tb.Fatal(err)
	}
	return string(b)
}

// TestIncrementalEqualsFull: for random one-line changes of the example,
// the incremental comparison equals the full recomputation, field for
// field (traces included).
func TestIncrementalEqualsFull(t *testing.T) {
	f := testFixture(t)
	n := 10
	if s := os.Getenv("DESIGN_PROPERTY_EDITS"); s != "" {
		n, _ = strconv.Atoi(s)
	}
	r := rand.New(rand.NewPCG(18, 2026))
	inc, full := comparers(t, f)
	ctx := context.Background()
	kinds := map[string]int{}
	for tried := 0; len(kinds) < 5 || count(kinds) < n; tried++ {
		if tried > 20*n {
			t.Fatalf("only %v of %d edits loaded", kinds, n)
		}
		e := randomEdit(r, examples.Pact2026)
		nw, _, err := agreement.Load(examples.Pact2026Name, e.apply(examples.Pact2026), agreement.RegistryCatalog(f.reg))
		if err != nil {
			continue // an edit the validator refuses (e.g. an accession after an instrument's start)
		}
		kinds[e.kind]++
		got, err := inc.Compare(ctx, f.ag, nw)
		if err != nil {
			t.Fatalf("%v: incremental Compare = %v", e, err)
		}
		want, err := full.Compare(ctx, f.ag, nw)
		if err != nil {
			t.Fatalf("%v: full Compare = %v", e, err)
		}
		if g, w := comparableJSON(t, got), comparableJSON(t, want); g != w {
			t.Errorf("%v: incremental comparison differs from the full one\n%s", e, firstDifference(g, w))
		}
		t.Logf("%v: reassessed %d, floors %v, scenarios %v", e, got.Work.Reassessed, got.Work.Floors, got.Work.Scenarios)
	}
}

func count(m map[string]int) int {
	s := 0
	for _, v := range m {
		s += v
	}
	return s
}

// firstDifference shows where two texts part.
func firstDifference(a, b string) string {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	lo := max(0, i-200)
	return fmt.Sprintf("incremental: …%s…\nfull:        …%s…", a[lo:min(len(a), i+200)], b[lo:min(len(b), i+200)])
}

// TestLoopOfEdits: a negotiator's session, each edit compared with the one
// before (the old version is the previous new one, found under its hash):
// every comparison equals the full recomputation.
func TestLoopOfEdits(t *testing.T) {
	f := testFixture(t)
	r := rand.New(rand.NewPCG(7, 18))
	inc, full := comparers(t, f)
	ctx := context.Background()
	text, prev := examples.Pact2026, f.ag
	for step := 0; step < 4; {
		e := randomEdit(r, text)
		next := e.apply(text)
		nw, _, err := agreement.Load(examples.Pact2026Name, next, agreement.RegistryCatalog(f.reg))
		if err != nil {
			continue
		}
		got, err := inc.Compare(ctx, prev, nw)
		if err != nil {
			t.Fatalf("step %d, %v: %v", step, e, err)
		}
		want, err := full.Compare(ctx, prev, nw)
		if err != nil {
			t.Fatalf("step %d, %v: full: %v", step, e, err)
		}
		if g, w := comparableJSON(t, got), comparableJSON(t, want); g != w {
			t.Errorf("step %d, %v: incremental differs from full\n%s", step, e, firstDifference(g, w))
		}
		text, prev = next, nw
		step++
	}
}

// comparers are an incremental Comparer and one that recomputes everything
// (Options.Full), over the fixture's workload: what the property tests hold
// to each other.
func comparers(t *testing.T, f *fixture) (inc, full *Comparer) {
	t.Helper()
	inc, err := NewComparer(f.w, f.opt)
	if err != nil {
		t.Fatal(err)
	}
	fullOpt := f.opt
	fullOpt.Full = true
	if full, err = NewComparer(f.w, fullOpt); err != nil {
		t.Fatal(err)
	}
	return inc, full
}

package scope

import (
	"bufio"
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// TestHeterogeneityCases runs the hand-worked cases of
// testdata/heterogeneity.txt through HeterogeneityOf.
func TestHeterogeneityCases(t *testing.T) {
	f, err := os.Open("testdata/heterogeneity.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	type hcase struct {
		id      string
		line    int
		weights Weights
		parties []agreement.Party
		want    map[string]string
	}
	var cases []*hcase
	var c *hcase
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		l := strings.TrimSpace(sc.Text())
		key, rest, _ := strings.Cut(l, ":")
		fields := map[string]string{}
		for _, kv := range strings.Fields(rest) {
			k, v, _ := strings.Cut(kv, "=")
			fields[k] = v
		}
		switch {
		case l == "" || strings.HasPrefix(l, "#") || key == "work":
		case strings.HasPrefix(l, "case "):
			c = &hcase{id: strings.Fields(l)[1], line: n, weights: Weights{}}
			cases = append(cases, c)
		case key == "weights":
			for k, v := range fields {
				x, err := strconv.ParseFloat(v, 64)
				if err != nil {
					t.Fatalf("heterogeneity.txt:%d: %v", n, err)
				}
				c.weights[agreement.Measure(k)] = x
			}
		case key == "want":
			c.want = fields
		default:
			p := agreement.Party{ID: key}
			for k, v := range fields {
				st := agreement.Standard{Measure: agreement.Measure(k), Source: &agreement.Citation{Title: "hand"}}
				switch v {
				case "?":
					continue
				case "0":
					st.Status = agreement.DoesNotApply
				}
				p.Standards = append(p.Standards, st)
			}
			c.parties = append(c.parties, p)
		}
	}
	for _, c := range cases {
		in := &agreement.InForce{AsOf: date.MustParse("2026-01-01"), Agreement: &agreement.Agreement{ID: c.id, Parties: c.parties,
			Minerals: []agreement.Mineral{{ID: "testium", Stages: []agreement.StageScope{{Stage: registry.Mined}}}}}}
		h, err := HeterogeneityOf(in, c.weights, 10)
		if err != nil {
			t.Fatalf("%s (line %d): %v", c.id, c.line, err)
		}
		if len(h.Cells) != 1 {
			t.Fatalf("%s: %d cells, want 1", c.id, len(h.Cells))
		}
		cell := h.Cells[0]
		idx := "none"
		if cell.Index != nil {
			idx = strconv.FormatFloat(*cell.Index, 'g', -1, 64)
		}
		join := func(ms []agreement.Measure) string {
			s := make([]string, len(ms))
			for i, m := range ms {
				s[i] = string(m)
			}
			return strings.Join(s, ",")
		}
		got := map[string]string{"index": idx, "compared": strconv.Itoa(cell.Compared), "differ": join(cell.Differ), "unknown": join(cell.Unknown)}
		for k, w := range c.want {
			if got[k] != w {
				t.Errorf("%s (heterogeneity.txt:%d): %s = %q, want %q", c.id, c.line, k, got[k], w)
			}
		}
	}
	if len(cases) < 5 {
		t.Fatalf("read %d cases, want 5", len(cases))
	}
}

// TestHeterogeneityExample checks the example agreement's profiles: every
// pair of profiled parties appears once, the US and Argentina are compared
// on lithium mined by EITI alone (the only measure recorded for both: the
// US withdrew, Argentina implements), and the arbitrage list is in
// decreasing order.
func TestHeterogeneityExample(t *testing.T) {
	_, a := exampleRegistry(t)
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		t.Fatal(err)
	}
	h, err := HeterogeneityOf(in, DefaultWeights(), 20)
	if err != nil {
		t.Fatal(err)
	}
	profiled := 0
	for _, p := range in.Agreement.Parties {
		if len(p.Standards) > 0 {
			profiled++
		}
	}
	if want := profiled * (profiled - 1) / 2; len(h.Pairs) != want {
		t.Errorf("%d pairs, want %d", len(h.Pairs), want)
	}
	for i := 1; i < len(h.Arbitrage); i++ {
		if *h.Arbitrage[i].Index > *h.Arbitrage[i-1].Index {
			t.Errorf("arbitrage[%d] = %v above arbitrage[%d] = %v", i, *h.Arbitrage[i].Index, i-1, *h.Arbitrage[i-1].Index)
		}
	}
	found := false
	for _, c := range h.Cells {
		if c.A == "US" && c.B == "AR" && c.Mineral == "lithium" && c.Stage == registry.Mined {
			found = true
			if c.Index == nil || *c.Index != 1 || c.Compared != 1 {
				t.Errorf("US–AR lithium mined = %+v, want index 1 on eiti alone (US withdrew, AR implements)", c)
			}
		}
	}
	if !found {
		t.Error("no cell US–AR lithium mined")
	}
}

func BenchmarkHeterogeneity(b *testing.B) {
	_, a := exampleRegistry(b)
	in, err := a.AsOf(date.MustParse("2027-07-01"))
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for b.Loop() {
		if _, err := HeterogeneityOf(in, DefaultWeights(), 20); err != nil {
			b.Fatal(err)
		}
	}
}

package refprice

import (
	"bufio"
	"os"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// handSources are the data of the hand-worked cases: a five-producer cost
// curve (in 2025 USD, or in 2022 USD as "hand2022") and a five-month series,
// written out in testdata/hand_cases.txt.
func handSources(t testing.TB) Sources {
	t.Helper()
	reg, err := registry.Default()
	if err != nil {
		t.Fatal(err)
	}
	d := dec.MustParse
	return Sources{
		Registry: reg,
		Curves: func(name, mineral, stage string) (*CostCurve, error) {
			year := 2025
			if name == "hand2022" { // the deflated case: costs in 2022 USD
				year = 2022
			}
			return &CostCurve{Name: name, Unit: "t", Currency: "USD", Year: year, Source: "hand-made", Producers: []Producer{
				{ID: "A", Name: "A", Country: "AU", Capacity: d("100"), Cost: d("20000")},
				{ID: "B", Name: "B", Country: "CN", Capacity: d("500"), Cost: d("15000")},
				{ID: "C", Name: "C", Country: "CA", Capacity: d("200"), Cost: d("25000")},
				{ID: "D", Name: "D", Country: "CD", Capacity: d("100"), Cost: d("30000")},
				{ID: "E", Name: "E", Country: "US", Capacity: d("100"), Cost: d("40000")},
			}}, nil
		},
		Series: func(id string) (*MonthlySeries, error) {
			return &MonthlySeries{ID: id, Unit: "t", Currency: "USD", Source: "hand-made", Points: map[string]dec.Decimal{
				"2025-09": d("8700"), "2025-10": d("9000"), "2025-11": d("9300"), "2025-12": d("9600"), "2026-01": d("12000"),
			}}, nil
		},
	}
}

func loadHand(t testing.TB) *agreement.Agreement {
	t.Helper()
	reg, _ := registry.Default()
	data, err := os.ReadFile("testdata/hand.yaml")
	if err != nil {
		t.Fatal(err)
	}
	a, _, err := agreement.Load("hand.yaml", data, agreement.RegistryCatalog(reg))
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// TestHandCases runs every case of testdata/hand_cases.txt.
func TestHandCases(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	f, err := os.Open("testdata/hand_cases.txt")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	n := 0
	for sc.Scan() {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		lhs, want, ok := strings.Cut(line, "->")
		fields := strings.Fields(lhs)
		if !ok || len(fields) != 3 {
			t.Fatalf("bad case line %q", line)
		}
		id, ms, on := fields[0], fields[1], fields[2]
		want = strings.TrimSpace(want)
		m, st, _ := strings.Cut(ms, "/")
		fl, err := e.Floor(m, st, date.MustParse(on))
		n++
		if msg, isErr := strings.CutPrefix(want, "error: "); isErr {
			if err == nil || !strings.Contains(err.Error(), msg) {
				t.Errorf("%s: Floor(%s, %s) = %v, %v; want an error containing %q", id, ms, on, fl, err, msg)
			}
			continue
		}
		if err != nil || fl.Price.String() != want {
			t.Errorf("%s: Floor(%s, %s) = %v, %v; want %s", id, ms, on, priceOf(fl), err, want)
		}
	}
	if n < 10 {
		t.Fatalf("ran %d cases, want at least 10", n)
	}
}

func priceOf(f *Floor) string {
	if f == nil {
		return "<nil>"
	}
	return f.Price.String()
}

func TestBandSectors(t *testing.T) {
	e := New(loadHand(t), handSources(t))
	f, err := e.Floor("tin", "mined", date.MustParse("2026-01-01"))
	if err != nil {
		t.Fatal(err)
	}
	if f.Band == nil || f.Band.LowerTop.String() != "23000" || f.Band.UpperBottom.String() != "26000" {
		t.Errorf("band = %+v, want lower sector top 23000 and upper sector bottom 26000", f.Band)
	}
}

func TestSchedule(t *testing.T) {
	tests := []struct {
		every, anchor, on, from, to string
	}{
		{"quarterly", "2026-01-01", "2026-01-01", "2026-01-01", "2026-04-01"},
		{"quarterly", "2026-01-01", "2026-03-31", "2026-01-01", "2026-04-01"},
		{"quarterly", "2026-01-01", "2027-11-22", "2027-10-01", "2028-01-01"},
		{"monthly", "2026-01-31", "2026-03-30", "2026-02-28", "2026-03-31"},
		{"half_yearly", "2026-01-01", "2026-07-01", "2026-07-01", "2027-01-01"},
		{"yearly", "2026-01-01", "2025-06-01", "2025-01-01", "2026-01-01"},
		{"never", "2026-01-01", "2030-01-01", "2026-01-01", ""},
	}
	for _, tt := range tests {
		s, err := newSchedule(agreement.Revision{Every: agreement.Every(tt.every)}, date.MustParse(tt.anchor))
		if err != nil {
			t.Fatal(err)
		}
		from, to := s.revision(date.MustParse(tt.on))
		if from.String() != tt.from || to.String() != tt.to {
			t.Errorf("revision(%s every %s from %s) = %s, %s; want %s, %s", tt.on, tt.every, tt.anchor, from, to, tt.from, tt.to)
		}
	}
}

func TestCompleteMonths(t *testing.T) {
	tests := []struct {
		cut  string
		n    int
		want string
	}{
		{"2025-12-02", 3, "2025-09 2025-10 2025-11"},
		{"2026-01-01", 2, "2025-11 2025-12"},
		{"2025-12-31", 1, "2025-11"},
	}
	for _, tt := range tests {
		if got := strings.Join(completeMonths(date.MustParse(tt.cut), tt.n), " "); got != tt.want {
			t.Errorf("completeMonths(%s, %d) = %s, want %s", tt.cut, tt.n, got, tt.want)
		}
	}
}

// TestDeterminism: two engines over the same inputs publish the same floors,
// byte for byte, with the same inputs hash.
func TestDeterminism(t *testing.T) {
	on := date.MustParse("2026-03-01")
	a, err := New(loadHand(t), handSources(t)).Compute(on)
	b, err2 := New(loadHand(t), handSources(t)).Compute(on)
	if len(a) == 0 || len(a) != len(b) {
		t.Fatalf("Compute = %d and %d floors (%v, %v)", len(a), len(b), err, err2)
	}
	for i := range a {
		if a[i].InputsHash != b[i].InputsHash || a[i].Price.String() != b[i].Price.String() || len(a[i].Inputs) != len(b[i].Inputs) {
			t.Errorf("floor %s/%s differs between runs: %s %s vs %s %s", a[i].Mineral, a[i].Stage, a[i].Price, a[i].InputsHash, b[i].Price, b[i].InputsHash)
		}
	}
	// A changed input changes the hash.
	src := handSources(t)
	old := src.Series
	src.Series = func(id string) (*MonthlySeries, error) {
		s, _ := old(id)
		s.Points["2025-11"] = dec.MustParse("9301")
		return s, nil
	}
	c, _ := New(loadHand(t), src).Floor("copper", "processed", on)
	for _, f := range a {
		if f.Mineral == "copper" && f.InputsHash == c.InputsHash {
			t.Error("changing a series value did not change the inputs hash")
		}
	}
}

// TestRiskPremium checks the premium formula on a real WGI score.
func TestRiskPremium(t *testing.T) {
	reg, _ := registry.Default()
	g, err := reg.WGI("CD", "PV", 2022)
	if err != nil {
		t.Fatal(err)
	}
	e := New(loadHand(t), handSources(t))
	c := &calc{e: e, f: &Floor{CutOff: date.MustParse("2026-01-01")}}
	rule := agreement.PriceRule{BaseRate: dec.MustParse("0.06"), Risk: &agreement.RiskRule{Indicator: "PV", Year: 2022,
		Reference: dec.MustParse("1.0"), Slope: dec.MustParse("0.02"), Max: dec.MustParse("0.08")}}
	got, err := c.riskRate(rule, "CD")
	if err != nil {
		t.Fatal(err)
	}
	premium := dec.Min(dec.MustParse("0.08"), dec.MustParse("0.02").Mul(dec.MustParse("1.0").Sub(g.Estimate)))
	if want := dec.MustParse("0.06").Add(premium); got.Cmp(want) != 0 {
		t.Errorf("riskRate(CD, PV %s) = %s, want %s", g.Estimate, got, want)
	}
	// No score: the maximum premium.
	got, _ = c.riskRate(rule, "ZZ")
	if got.String() != "0.14" {
		t.Errorf("riskRate(no score) = %s, want 0.06 + 0.08 = 0.14", got)
	}
}

package costcurve

import (
	"strings"
	"testing"
	"testing/fstest"

	"github.com/mineralpact/mineralpact/data"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// The Busch figures below were checked by hand (a Python decimal script over
// Deposit.csv): 35 of the 160 deposits have prod_rate2025 > 0.
func TestBusch(t *testing.T) {
	c, err := Load(data.FS, Busch, "lithium", "mined")
	if err != nil {
		t.Fatal(err)
	}
	if c.Illustrative || c.Unit != "t" || c.Currency != "USD" || c.Year != 2022 || !strings.Contains(c.Source, "cost1") || !strings.Contains(c.Source, "prod_rate2025") {
		t.Errorf("curve header = %+v; want not illustrative, t, USD, 2022, Source naming cost1 and prod_rate2025", *c)
	}
	if got := len(c.Producers); got != 35 {
		t.Errorf("producers = %d, want 35", got)
	}
	checks := []struct {
		what string
		got  string
		want string
	}{
		{"TotalCapacity", c.TotalCapacity().Normalize().String(), "333986.42494833735"},
		{"WeightedMeanCost (to 6 places)", round(c.WeightedMeanCost(), 6), "55199.229304"},
	}
	p75, err := c.CostAt(d("75"))
	if err != nil {
		t.Fatal(err)
	}
	checks = append(checks, struct{ what, got, want string }{"CostAt(75)", p75.Name + " " + p75.Cost.String(), "Kathleen Valley 59928.5650861329"},
		struct{ what, got, want string }{"CostAt(75).CostSource", p75.CostSource, "Regression"})
	sources := map[string]int{}
	for _, p := range c.Producers {
		sources[p.CostSource]++
	}
	// docs/costcurves.md: of the 35 producers, 19 Report, 13 Quantile, 3 Regression.
	if sources["Report"] != 19 || sources["Quantile"] != 13 || sources["Regression"] != 3 {
		t.Errorf("cost sources of the producers = %v, want 19 Report, 13 Quantile, 3 Regression", sources)
	}
	for _, ck := range checks {
		if ck.got != ck.want {
			t.Errorf("%s = %s, want %s", ck.what, ck.got, ck.want)
		}
	}
	var atacama *Producer
	for i, p := range c.Producers {
		if p.Country == "" || len(p.Country) != 2 {
			t.Errorf("producer %s country %q, want alpha-2", p.ID, p.Country)
		}
		if p.Name == "Salar de Atacama (SQM)" {
			atacama = &c.Producers[i]
		}
	}
	if atacama == nil {
		t.Fatal("Salar de Atacama (SQM) is missing")
	}
	if atacama.ID != "busch-1" || atacama.Country != "CL" || atacama.Capacity.Cmp(d("39451.4371594965")) != 0 || atacama.Cost.Cmp(d("51066.2005")) != 0 {
		t.Errorf("Salar de Atacama (SQM) = %+v, want busch-1, CL, 39451.4371594965 t, 51066.2005 USD/t", *atacama)
	}
}

func round(x interface{ String() string }, places int32) string {
	v := d(x.String())
	r, _, _ := v.Round(places, "half_up")
	return r.String()
}

// TestBuschCountries maps the country of every deposit, producing or not.
func TestBuschCountries(t *testing.T) {
	names := newCountryNames(defaultRegistry(t))
	b, err := data.FS.Open(BuschFile)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	var errs problem.List
	tb, err := newCSVTable("Deposit.csv", b, 0, &errs, "Country")
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for row, ok := tb.next(); ok; row, ok = tb.next() {
		n++
		if _, ok := names.code(row.str("Country")); !ok {
			t.Errorf("line %d: country %q has no alpha-2 code", row.line, row.str("Country"))
		}
	}
	if n != 160 || len(errs) > 0 {
		t.Errorf("read %d deposits (errors %v), want 160", n, errs)
	}
}

func TestBuschErrors(t *testing.T) {
	header := "d,Country,Deposit_Name,cost1,prod_rate2025,cost_source\n"
	tests := []struct {
		name, body string
		want       []string
	}{
		{"bad production", "1,Chile,A,100,x,Report\n", []string{"data/busch-lithium-deposits/Deposit.csv:2: prod_rate2025: \"x\" is not a decimal number or NA"}},
		{"missing cost", "1,Chile,A,NA,1,Report\n2,Chile,B,,2,Report\n", []string{":2: cost1: \"NA\" is not a decimal number", ":3: cost1: is empty"}},
		{"unknown country", "1,Atlantis,A,100,1,Report\n", []string{":2: Country: \"Atlantis\" has no ISO alpha-2 code"}},
		{"duplicate", "1,Chile,A,100,1,Report\n1,Chile,B,100,1,Report\n", []string{":3: d: deposit 1 is listed twice (first on line 2)"}},
		{"no producer", "1,Chile,A,100,NA,Report\n2,Chile,B,100,0,Report\n", []string{"no deposit produces in 2025"}},
		{"missing column", "", []string{":1: header lacks column(s) prod_rate2025"}},
		{"unknown cost source", "1,Chile,A,100,1,Guess\n", []string{":2: cost_source: \"Guess\" is not Report, Quantile or Regression"}},
	}
	for _, tt := range tests {
		h := header
		if tt.name == "missing column" {
			h = "d,Country,Deposit_Name,cost1,cost_source\n"
		}
		fsys := fstest.MapFS{BuschFile: {Data: []byte(h + tt.body)}}
		_, err := LoadWith(fsys, defaultRegistry(t), Busch, "lithium", "mined")
		if err == nil {
			t.Errorf("%s: Load = nil error, want %q", tt.name, tt.want)
			continue
		}
		for _, w := range tt.want {
			if !strings.Contains(err.Error(), w) {
				t.Errorf("%s: Load error = %q, want it to contain %q", tt.name, err, w)
			}
		}
	}
}

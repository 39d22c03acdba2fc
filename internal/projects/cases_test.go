package projects

import (
	"bufio"
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// hand is one hand-worked case of a testdata/*.txt file.
type hand struct {
	id, title string
	line      int
	fields    map[string][]kv // keyword → its key=value pairs, in order
	lists     map[string][]string
}

type kv struct{ k, v string }

// readCases reads a file of hand-worked cases: `case ID title`, then
// `keyword: ...` lines; `work:` lines and comments are for people.
func readCases(t *testing.T, file string, listKeys ...string) []*hand {
	t.Helper()
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	var cases []*hand
	var c *hand
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		if rest, ok := strings.CutPrefix(line, "case "); ok {
			id, title, _ := strings.Cut(rest, " ")
			c = &hand{id: id, title: title, line: n, fields: map[string][]kv{}, lists: map[string][]string{}}
			cases = append(cases, c)
			continue
		}
		key, rest, ok := strings.Cut(line, ":")
		if !ok || c == nil {
			t.Fatalf("%s:%d: want `case ID title` or `keyword: ...`, got %q", file, n, line)
		}
		if key == "work" {
			continue
		}
		words := strings.Fields(rest)
		if contains(listKeys, key) {
			c.lists[key] = append(c.lists[key], words...)
			continue
		}
		for _, w := range words {
			k, v, ok := strings.Cut(w, "=")
			if !ok {
				t.Fatalf("%s:%d: want key=value, got %q", file, n, w)
			}
			c.fields[key] = append(c.fields[key], kv{k, v})
		}
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	return cases
}

func contains(l []string, s string) bool {
	for _, x := range l {
		if x == s {
			return true
		}
	}
	return false
}

// floats parses a comma-separated list of numbers.
func floats(s string) ([]float64, error) {
	var out []float64
	for _, w := range strings.Split(s, ",") {
		f, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// caseProject builds a project from a case's `project:` pairs.
func caseProject(pairs []kv) (*Project, error) {
	pr := &Project{ID: "case", Name: "case", Mineral: "lithium", Stage: "mined", Country: "AU", Capacity: Capacity{Unit: "t"}}
	for _, p := range pairs {
		var err error
		num := func(dst *float64) { *dst, err = strconv.ParseFloat(p.v, 64) }
		integer := func(dst *int) { *dst, err = strconv.Atoi(p.v) }
		switch p.k {
		case "per_year":
			num(&pr.Capacity.PerYear)
		case "ramp_up":
			pr.Capacity.RampUp, err = floats(p.v)
		case "capital":
			num(&pr.Capital.Total)
		case "schedule":
			pr.Capital.Schedule, err = floats(p.v)
		case "opex":
			num(&pr.UnitOpex)
		case "sustaining":
			num(&pr.SustainingCapex)
		case "life":
			integer(&pr.LifeYears)
		case "lead":
			integer(&pr.LeadTimeYears)
		case "ad_valorem":
			num(&pr.Royalty.AdValorem)
		case "profit":
			num(&pr.Royalty.Profit)
		case "sliding":
			for _, b := range strings.Split(p.v, ",") {
				from, rate, _ := strings.Cut(b, ":")
				var band Band
				if band.FromPrice, err = strconv.ParseFloat(from, 64); err == nil {
					band.Rate, err = strconv.ParseFloat(rate, 64)
				}
				pr.Royalty.Sliding = append(pr.Royalty.Sliding, band)
			}
		case "tax":
			num(&pr.Tax.Rate)
		case "depreciation":
			integer(&pr.Tax.DepreciationYears)
		default:
			return nil, fmt.Errorf("unknown project key %q", p.k)
		}
		if err != nil {
			return nil, fmt.Errorf("project %s=%s: %v", p.k, p.v, err)
		}
	}
	// The case's project must pass the file format's validation too.
	pl := &Pipeline{Version: PipelineVersion, ID: "case", Projects: []Project{*pr}}
	if err := pl.validate(); err != nil {
		return nil, err
	}
	return pr, nil
}

// matches reports whether got agrees with a figure written as want: exactly
// (to 1e-9 relative) below 4 decimals, else to half a unit of its last digit.
func matches(got float64, want string) (bool, error) {
	w, err := strconv.ParseFloat(want, 64)
	if err != nil {
		return false, err
	}
	decimals := 0
	if _, frac, ok := strings.Cut(want, "."); ok {
		decimals = len(frac)
	}
	tol := 1e-9 * max(1, math.Abs(w))
	if decimals >= 4 {
		tol = 0.5 * math.Pow(10, -float64(decimals))
	}
	return math.Abs(got-w) <= tol, nil
}

func TestCashFlowCases(t *testing.T) {
	cases := readCases(t, "testdata/cashflows.txt", "prices", "rate", "floor")
	if len(cases) < 5 {
		t.Fatalf("testdata/cashflows.txt: %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			pr, err := caseProject(c.fields["project"])
			if err != nil {
				t.Fatalf("line %d: %v", c.line, err)
			}
			prices, err := numbers(c.lists["prices"])
			if err != nil {
				t.Fatalf("line %d: prices: %v", c.line, err)
			}
			var terms Terms
			if terms.Floor, err = numbers(c.lists["floor"]); err != nil {
				t.Fatalf("line %d: floor: %v", c.line, err)
			}
			if pairs := c.fields["offtake"]; pairs != nil {
				if terms.Offtake, err = caseOfftake(pairs, pr); err != nil {
					t.Fatalf("line %d: %v", c.line, err)
				}
			}
			if len(c.lists["rate"]) != 1 {
				t.Fatalf("line %d: want one rate", c.line)
			}
			rate, err := strconv.ParseFloat(c.lists["rate"][0], 64)
			if err != nil {
				t.Fatalf("line %d: rate: %v", c.line, err)
			}
			cf, err := pr.CashFlowsUnder(prices, rate, terms)
			if err != nil {
				t.Fatalf("CashFlows: %v", err)
			}
			for _, w := range c.fields["want"] {
				got, ok := caseFigure(cf, w.k)
				if w.k == "buyer" {
					got, ok = newEvaluator(pr, rate, terms).buyerValue(prices), true
				}
				if !ok {
					t.Fatalf("line %d: unknown figure %q", c.line, w.k)
				}
				if w.v == "none" {
					if !math.IsNaN(got) {
						t.Errorf("%s %s: %s = %g, want none", c.id, c.title, w.k, got)
					}
					continue
				}
				ok, err := matches(got, w.v)
				if err != nil {
					t.Fatalf("line %d: %s=%s: %v", c.line, w.k, w.v, err)
				}
				if !ok {
					t.Errorf("%s %s: %s = %.9g, want %s", c.id, c.title, w.k, got, w.v)
					for _, y := range cf.Years {
						t.Log(y)
					}
				}
			}
		})
	}
}

// caseFigure returns a named figure of cash flows; none is NaN.
func caseFigure(cf *CashFlows, name string) (float64, bool) {
	switch name {
	case "npv":
		return cf.NPV, true
	case "irr":
		if !cf.IRR.OK {
			return math.NaN(), true
		}
		return cf.IRR.Rate, true
	case "payback":
		if cf.Payback < 0 {
			return math.NaN(), true
		}
		return float64(cf.Payback), true
	}
	field, idx, ok := strings.Cut(strings.TrimSuffix(name, "]"), "[")
	if !ok {
		return 0, false
	}
	t, err := strconv.Atoi(idx)
	if err != nil || t < 0 || t >= len(cf.Years) {
		return 0, false
	}
	y := cf.Years[t]
	v, ok := map[string]float64{"price": y.Price, "contracted": y.Contracted, "contract_revenue": y.ContractRevenue, "revenue": y.Revenue, "royalty": y.Royalty, "opex": y.Opex, "depreciation": y.Depreciation,
		"taxable": y.TaxableIncome, "loss_used": y.LossUsed, "loss_carried": y.LossCarried, "tax": y.Tax, "cf": y.CashFlow}[field]
	return v, ok
}

// numbers parses words as numbers; none is nil.
func numbers(words []string) ([]float64, error) {
	var out []float64
	for _, w := range words {
		f, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// caseOfftake builds an offtake on pr from a case's `offtake:` pairs and
// validates it as DecodeOfftake would.
func caseOfftake(pairs []kv, pr *Project) (*Offtake, error) {
	o := &Offtake{Version: OfftakeVersion, ID: "case", Project: pr.ID}
	for _, p := range pairs {
		var err error
		num := func(dst *float64) { *dst, err = strconv.ParseFloat(p.v, 64) }
		switch p.k {
		case "volume":
			num(&o.VolumePerYear)
		case "tenor":
			o.TenorYears, err = strconv.Atoi(p.v)
		case "kind":
			o.Price.Kind = p.v
		case "price":
			num(&o.Price.Price)
		case "floor":
			num(&o.Price.Floor)
		case "ceiling":
			num(&o.Price.Ceiling)
		case "premium":
			num(&o.Price.Premium)
		case "take_or_pay":
			num(&o.TakeOrPay)
		default:
			return nil, fmt.Errorf("unknown offtake key %q", p.k)
		}
		if err != nil {
			return nil, fmt.Errorf("offtake %s=%s: %v", p.k, p.v, err)
		}
	}
	var l []string
	o.Price.validate(func(path, format string, args ...any) { l = append(l, path+": "+fmt.Sprintf(format, args...)) })
	if len(l) > 0 {
		return nil, fmt.Errorf("offtake: %s", strings.Join(l, "; "))
	}
	return o, nil
}

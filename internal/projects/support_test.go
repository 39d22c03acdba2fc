package projects

import (
	"fmt"
	"math"
	"os"
	"strconv"
	"strings"
	"testing"
)

// caseSupport builds public support from a case's `support:` pairs.
func caseSupport(pairs []kv) (*Support, error) {
	s := &Support{}
	loan := func(v string) (*Loan, error) {
		f := strings.Split(v, ",")
		if len(f) != 4 {
			return nil, fmt.Errorf("want amount,rate,tenor,grace, got %q", v)
		}
		l := &Loan{}
		var errs [4]error
		l.Amount, errs[0] = strconv.ParseFloat(f[0], 64)
		l.Rate, errs[1] = strconv.ParseFloat(f[1], 64)
		l.TenorYears, errs[2] = strconv.Atoi(f[2])
		l.GraceYears, errs[3] = strconv.Atoi(f[3])
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
		return l, nil
	}
	for _, p := range pairs {
		var err error
		switch p.k {
		case "loan":
			s.Loan, err = loan(p.v)
		case "guarantee":
			if s.Guarantee == nil {
				s.Guarantee = &Guarantee{}
			}
			s.Guarantee.Share, err = strconv.ParseFloat(p.v, 64)
		case "debt":
			if s.Guarantee == nil {
				s.Guarantee = &Guarantee{}
			}
			var l *Loan
			if l, err = loan(p.v); err == nil {
				s.Guarantee.Debt = *l
			}
		case "equity":
			share, ret, _ := strings.Cut(p.v, ",")
			s.Equity = &Equity{}
			if s.Equity.Share, err = strconv.ParseFloat(share, 64); err == nil {
				s.Equity.RequiredReturn, err = strconv.ParseFloat(ret, 64)
			}
		case "grant":
			s.Grant = &Grant{}
			s.Grant.Amount, err = strconv.ParseFloat(p.v, 64)
		default:
			return nil, fmt.Errorf("unknown support key %q", p.k)
		}
		if err != nil {
			return nil, fmt.Errorf("support %s=%s: %v", p.k, p.v, err)
		}
	}
	return s, nil
}

// casePaths parses price paths separated by "|".
func casePaths(words []string) (*Paths, error) {
	var rows [][]float64
	var row []float64
	for _, w := range append(words, "|") {
		if w == "|" {
			if len(rows) > 0 && len(row) != len(rows[0]) {
				return nil, fmt.Errorf("paths of %d and %d years", len(rows[0]), len(row))
			}
			rows = append(rows, row)
			row = nil
			continue
		}
		f, err := strconv.ParseFloat(w, 64)
		if err != nil {
			return nil, err
		}
		row = append(row, f)
	}
	p := &Paths{N: len(rows), Years: len(rows[0])}
	for _, r := range rows {
		p.Prices = append(p.Prices, r...)
	}
	return p, nil
}

func TestSupportCases(t *testing.T) {
	cases := readCases(t, "testdata/support.txt", "paths", "rate", "public")
	if len(cases) < 3 {
		t.Fatalf("testdata/support.txt: %d cases", len(cases))
	}
	for _, c := range cases {
		t.Run(c.id, func(t *testing.T) {
			pr, err := caseProject(c.fields["project"])
			if err != nil {
				t.Fatalf("line %d: %v", c.line, err)
			}
			s, err := caseSupport(c.fields["support"])
			if err != nil {
				t.Fatalf("line %d: %v", c.line, err)
			}
			pr.Support = s
			pl := &Pipeline{Version: PipelineVersion, ID: "case", Projects: []Project{*pr}}
			if err := pl.validate(); err != nil {
				t.Fatalf("line %d: the case's support does not validate: %v", c.line, err)
			}
			paths, err := casePaths(c.lists["paths"])
			if err != nil {
				t.Fatalf("line %d: paths: %v", c.line, err)
			}
			rate, err1 := strconv.ParseFloat(c.lists["rate"][0], 64)
			public, err2 := strconv.ParseFloat(c.lists["public"][0], 64)
			if err1 != nil || err2 != nil {
				t.Fatalf("line %d: rate %v, public %v", c.line, err1, err2)
			}
			sv, err := pr.ValueSupport(paths, rate, public, Terms{}, s)
			if err != nil {
				t.Fatalf("ValueSupport: %v", err)
			}
			l := s.Loan
			if l == nil && s.Guarantee != nil {
				l = &s.Guarantee.Debt
			}
			var pay, claim []float64
			if l != nil {
				pay, claim = l.schedule(pr.Horizon())
			}
			figure := func(name string) (float64, bool) {
				field, idx, indexed := strings.Cut(strings.TrimSuffix(name, "]"), "[")
				if indexed {
					i, err := strconv.Atoi(idx)
					if err != nil || i >= len(pay) {
						return 0, false
					}
					switch field {
					case "pay":
						return pay[i], true
					case "claim":
						return claim[i], true
					}
					return 0, false
				}
				var loan, guar LoanCost
				if sv.Loan != nil {
					loan = *sv.Loan
				}
				if sv.Guarantee != nil {
					guar = *sv.Guarantee
				}
				v, ok := map[string]float64{"loan_concession": loan.Concession, "loan_loss": loan.ExpectedLoss, "loan_cost": loan.Cost,
					"guarantee_loss": guar.ExpectedLoss, "guarantee_cost": guar.Cost, "equity_cost": sv.EquityCost, "grant_cost": sv.GrantCost,
					"cost": sv.Cost, "pdefault": sv.PDefault, "without": sv.Without.Mean, "with": sv.With.Mean,
					"pclear_without": sv.Without.PClear, "pclear_with": sv.With.PClear}[name]
				return v, ok
			}
			for _, w := range c.fields["want"] {
				got, ok := figure(w.k)
				if !ok {
					t.Fatalf("line %d: unknown figure %q", c.line, w.k)
				}
				ok, err := matches(got, w.v)
				if err != nil {
					t.Fatalf("line %d: %s=%s: %v", c.line, w.k, w.v, err)
				}
				if !ok {
					t.Errorf("%s %s: %s = %.9g, want %s", c.id, c.title, w.k, got, w.v)
				}
			}
		})
	}
}

// TestSupportFastPathAgrees holds flows to npv: the support's evaluator and
// the NPV distribution's must agree path by path.
func TestSupportFastPathAgrees(t *testing.T) {
	p := mustPipeline(t)
	paths, err := GBM{Spot: 25000, Vol: 0.4, Antithetic: true}.Draw(200, 22, 7)
	if err != nil {
		t.Fatal(err)
	}
	for _, pr := range []*Project{p.Project("li-brine-mx"), p.Project("co-refinery-us")} {
		e := newEvaluator(pr, 0.08, Terms{Floor: Flat(20000, 22)})
		cf := make([]float64, pr.Horizon())
		for i := range paths.N {
			a, b := e.npv(paths.Path(i)), e.flows(paths.Path(i), cf)
			if d := a - b; d > 1e-6*max(1, a) || d < -1e-6*max(1, a) {
				t.Fatalf("%s path %d: npv %g, flows %g", pr.ID, i, a, b)
			}
		}
		sv, err := pr.ValueSupport(paths, 0.08, 0.04, Terms{}, nil)
		if err != nil {
			t.Fatal(err)
		}
		if sv.Cost != 0 || sv.PDefault != 0 || sv.With.Mean != sv.Without.Mean {
			t.Errorf("%s without support: cost %g, P(default) %g, with %g, without %g", pr.ID, sv.Cost, sv.PDefault, sv.With.Mean, sv.Without.Mean)
		}
	}
}

// TestDecodeSupportBad checks the support's bad inputs at their line and field.
func TestDecodeSupportBad(t *testing.T) {
	data, err := os.ReadFile("testdata/support/bad.yaml")
	if err != nil {
		t.Fatal(err)
	}
	var want []string
	for _, line := range strings.Split(string(data), "\n") {
		if w, ok := strings.CutPrefix(line, "# want: "); ok {
			want = append(want, w)
		}
	}
	_, err = DecodePipeline("support/bad.yaml", data)
	if err == nil {
		t.Fatalf("DecodePipeline(support/bad.yaml) = nil error, want %q", want)
	}
	if got := err.Error(); got != strings.Join(want, "\n") {
		t.Errorf("DecodePipeline(support/bad.yaml) problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

// TestSupportProperties holds the support's Monte Carlo to what must hold
// on any paths: a guarantee of all of a debt costs the debt's expected loss
// as a loan; lent at the public rate with no default, a loan costs nothing;
// discounted at its own rate a loan's loss is never negative on a path; a
// higher floor never makes default more likely.
func TestSupportProperties(t *testing.T) {
	pr := mustPipeline(t).Project("li-brine-mx")
	h := pr.Horizon()
	paths, err := GBM{Spot: 22000, Vol: 0.45, Antithetic: true}.Draw(2000, h, 3)
	if err != nil {
		t.Fatal(err)
	}
	l := Loan{Amount: 250e6, Rate: 0.05, TenorYears: 12, GraceYears: 3}
	asLoan, err := pr.ValueSupport(paths, 0.10, 0.05, Terms{}, &Support{Loan: &l})
	if err != nil {
		t.Fatal(err)
	}
	asGuarantee, err := pr.ValueSupport(paths, 0.10, 0.05, Terms{}, &Support{Guarantee: &Guarantee{Share: 1, Debt: l}})
	if err != nil {
		t.Fatal(err)
	}
	if d := asGuarantee.Guarantee.Cost - asLoan.Loan.ExpectedLoss; math.Abs(d) > 1e-6*asLoan.Loan.ExpectedLoss || asGuarantee.Guarantee.Concession != 0 {
		t.Errorf("guarantee of all the debt costs %g, the loan's expected loss is %g", asGuarantee.Guarantee.Cost, asLoan.Loan.ExpectedLoss)
	}
	if math.Abs(asLoan.Loan.Concession) > 1e-3 || !(asLoan.Loan.ExpectedLoss > 0) || !(asLoan.PDefault > 0 && asLoan.PDefault < 1) {
		t.Errorf("loan at the public rate: concession %g (want 0), expected loss %g (want > 0), P(default) %g", asLoan.Loan.Concession, asLoan.Loan.ExpectedLoss, asLoan.PDefault)
	}
	// Flat prices that service the debt: no default, no loss.
	flat := Collect(1, h, func(_ int, dst []float64) { copy(dst, Flat(40000, h)) })
	sv, err := pr.ValueSupport(flat, 0.10, 0.05, Terms{}, &Support{Loan: &l})
	if err != nil {
		t.Fatal(err)
	}
	if sv.PDefault != 0 || math.Abs(sv.Cost) > 1e-3 {
		t.Errorf("flat 40,000: P(default) %g, cost %g; want 0, 0", sv.PDefault, sv.Cost)
	}
	// Path by path at the loan's own rate, a loss is never negative.
	e := newEvaluator(pr, 0.10, Terms{})
	pay, claim := l.schedule(h)
	d := &debt{pay: pay, claim: claim, rate: l.Rate, received: make([]float64, h)}
	cf, eq := make([]float64, h), make([]float64, h)
	df := discounts(h, l.Rate)
	for i := range paths.N {
		e.flows(paths.Path(i), cf)
		defaultOn(e.pl, cf, eq, l.Amount, []*debt{d})
		loss := 0.0
		for t := range h {
			loss += (d.pay[t] - d.received[t]) * df[t]
		}
		if loss < -1e-6 {
			t.Fatalf("path %d: loss %g at the loan's rate, want ≥ 0", i, loss)
		}
	}
	// A higher floor: default no more likely, the expected loss no larger.
	prev := asLoan
	for _, f := range []float64{15000, 25000, 35000} {
		sv, err := pr.ValueSupport(paths, 0.10, 0.05, Terms{Floor: Flat(f, h)}, &Support{Loan: &l})
		if err != nil {
			t.Fatal(err)
		}
		if sv.PDefault > prev.PDefault || sv.Loan.ExpectedLoss > prev.Loan.ExpectedLoss+1e-6 {
			t.Errorf("floor %g: P(default) %g, expected loss %g; lower floor: %g, %g", f, sv.PDefault, sv.Loan.ExpectedLoss, prev.PDefault, prev.Loan.ExpectedLoss)
		}
		prev = sv
	}
}

package projects

import (
	"math"

	"github.com/mineralpact/mineralpact/internal/problem"
)

// Support is the public support offered to a project; every part is
// optional and the parts combine. docs/projects.md, "Public support", gives
// the default rule and every formula.
type Support struct {
	Loan      *Loan      `yaml:"loan" doc:"A public loan, disbursed in year 0."`
	Guarantee *Guarantee `yaml:"guarantee" doc:"A public guarantee of a share of a commercial loan."`
	Equity    *Equity    `yaml:"equity" doc:"A public equity stake, on the same terms as the sponsor's."`
	Grant     *Grant     `yaml:"grant" doc:"A grant paid in year 0."`
}

// Loan is a loan to a project: disbursed in year 0, interest capitalised in
// the grace years, then repaid by level annuity to the end of the tenor.
type Loan struct {
	Amount     float64 `yaml:"amount" required:"true" doc:"Amount lent in year 0, ≥ 0, in the pipeline's currency."`
	Rate       float64 `yaml:"rate" required:"true" doc:"Yearly interest rate, 0 to 1."`
	TenorYears int     `yaml:"tenor_years" required:"true" doc:"Years from year 0 to the last repayment; at most the project's last production year."`
	GraceYears int     `yaml:"grace_years" doc:"First years with no payment (interest capitalised); fewer than tenor_years."`
}

// Guarantee is a public guarantee of a share of a commercial loan's
// scheduled payments.
type Guarantee struct {
	Share float64 `yaml:"share" required:"true" doc:"Share of each missed scheduled payment the public purse pays, 0 to 1."`
	Debt  Loan    `yaml:"debt" required:"true" doc:"The commercial loan guaranteed."`
}

// Equity is a public equity stake.
type Equity struct {
	Share          float64 `yaml:"share" required:"true" doc:"Share of the equity the public holds, 0 to 1 (below 1)."`
	RequiredReturn float64 `yaml:"required_return" required:"true" doc:"Yearly return the public requires of its stake: the rate its cost is discounted at, above −1."`
}

// Grant is a grant to a project.
type Grant struct {
	Amount float64 `yaml:"amount" required:"true" doc:"Amount paid in year 0, ≥ 0."`
}

// validate checks the support of a project at its fields; the tenor of a
// loan must end by the project's last production year.
func (s *Support) validate(ps *problems, at string, pr *Project) {
	last := pr.LeadTimeYears + pr.LifeYears - 1
	loan := func(path string, l *Loan) {
		if !(l.Amount >= 0) {
			ps.add(path+".amount", "must be ≥ 0, got %g", l.Amount)
		}
		ps.rate(path+".rate", l.Rate)
		switch {
		case l.TenorYears < 1:
			ps.add(path+".tenor_years", "must be at least 1 year, got %d", l.TenorYears)
		case pr.LifeYears >= 1 && l.TenorYears > last:
			ps.add(path+".tenor_years", "%d years runs past the project's last production year (year %d: lead time %d + life %d − 1)", l.TenorYears, last, pr.LeadTimeYears, pr.LifeYears)
		}
		if l.GraceYears < 0 || (l.TenorYears >= 1 && l.GraceYears >= l.TenorYears) {
			ps.add(path+".grace_years", "must be 0 to tenor_years − 1 (%d), got %d", max(l.TenorYears-1, 0), l.GraceYears)
		}
	}
	if s.Loan != nil {
		loan(at+".loan", s.Loan)
	}
	if g := s.Guarantee; g != nil {
		ps.rate(at+".guarantee.share", g.Share)
		loan(at+".guarantee.debt", &g.Debt)
	}
	if e := s.Equity; e != nil {
		if !(e.Share >= 0 && e.Share < 1) {
			ps.add(at+".equity.share", "must be a share from 0 to below 1, got %g", e.Share)
		}
		if !(e.RequiredReturn > -1 && e.RequiredReturn < 10) {
			ps.add(at+".equity.required_return", "must be a yearly rate above −1 (0.08 is 8%%), got %g", e.RequiredReturn)
		}
	}
	if g := s.Grant; g != nil && !(g.Amount >= 0) {
		ps.add(at+".grant.amount", "must be ≥ 0, got %g", g.Amount)
	}
}

// schedule returns a loan's scheduled payment in each year 0..h−1 and the
// balance owed at the end of each year before its payment (the claim if the
// project defaults that year): grace years capitalise interest, then a level
// annuity A = B·i / (1 − (1 + i)^−n) over the n = tenor − grace remaining
// years.
func (l *Loan) schedule(h int) (pay, claim []float64) {
	pay, claim = make([]float64, h), make([]float64, h)
	b := l.Amount
	n := l.TenorYears - l.GraceYears
	var a float64
	for t := 1; t <= l.TenorYears && t < h; t++ {
		b *= 1 + l.Rate
		claim[t] = b
		if t <= l.GraceYears {
			continue
		}
		if t == l.GraceYears+1 {
			bg := b / (1 + l.Rate) // the balance after the grace years
			if l.Rate == 0 {
				a = bg / float64(n)
			} else {
				a = bg * l.Rate / (1 - math.Pow(1+l.Rate, -float64(n)))
			}
		}
		pay[t] = min(a, b)
		if t == l.TenorYears {
			pay[t] = b // the last payment clears the balance to the cent
		}
		b -= pay[t]
	}
	return pay, claim
}

// LoanCost is the cost to the public purse of a loan or of the guarantee
// of one, over the price paths, discounted at the public rate ρ.
type LoanCost struct {
	Face float64 // the amount lent (a guarantee: the amount guaranteed, share × debt)
	// Concession is Face − PV_ρ(scheduled payments): the cost if the project
	// never defaulted (a loan below the public rate); 0 for a guarantee.
	Concession float64
	// ExpectedLoss is E[PV_ρ(scheduled payments − payments received)] (a
	// guarantee: share × that of the guaranteed debt), over every path.
	ExpectedLoss float64
	// Cost is Concession + ExpectedLoss: for a loan Face − E[PV_ρ(received)].
	Cost float64
}

// SupportValue is what a project's public support costs the public purse
// and what it does to the project, over a set of price paths.
type SupportValue struct {
	Loan, Guarantee *LoanCost
	// EquityCost is −share · E[PV at the required return of the equity's
	// cash flows]: the public stake's expected shortfall from its required
	// return (negative: an expected gain).
	EquityCost float64
	GrantCost  float64
	// Cost is the total expected cost to the public purse.
	Cost float64
	// PDefault is the share of paths on which the project defaults.
	PDefault float64
	// Without is the project's NPV (all capital its own) without support;
	// With is the sponsor's NPV with it: (1 − equity share) · PV_r(equity
	// cash flows). Both under the same terms (floor, offtake).
	Without, With Distribution
}

// debt is one loan of a project's capital structure on a path.
type debt struct {
	pay, claim []float64
	rate       float64
	received   []float64
}

// ValueSupport values public support s to project pr over paths: the
// project discounts at rate (its hurdle), the public purse at publicRate.
// The project sells under terms (the floor, an offtake).
func (pr *Project) ValueSupport(paths *Paths, rate, publicRate float64, terms Terms, s *Support) (*SupportValue, error) {
	if err := pr.checkPaths(paths, rate); err != nil {
		return nil, err
	}
	if err := pr.checkTerms(terms); err != nil {
		return nil, err
	}
	if !(publicRate > -1) || math.IsInf(publicRate, 0) {
		return nil, problem.Errorf(problem.Invalid, "public discount rate must be above -1, got %g", publicRate)
	}
	if s == nil {
		s = &Support{}
	}
	e := newEvaluator(pr, rate, terms)
	h := len(e.pl.production)
	var debts []*debt
	var loan, guar *debt
	if s.Loan != nil {
		pay, claim := s.Loan.schedule(h)
		loan = &debt{pay: pay, claim: claim, rate: s.Loan.Rate, received: make([]float64, h)}
		debts = append(debts, loan)
	}
	if s.Guarantee != nil {
		pay, claim := s.Guarantee.Debt.schedule(h)
		guar = &debt{pay: pay, claim: claim, rate: s.Guarantee.Debt.Rate, received: make([]float64, h)}
		debts = append(debts, guar)
	}
	var share, reqReturn float64
	if s.Equity != nil {
		share, reqReturn = s.Equity.Share, s.Equity.RequiredReturn
	}
	dfPublic, dfEquity := discounts(h, publicRate), discounts(h, reqReturn)
	in := 0.0 // year 0 money in: debt and grant
	if s.Loan != nil {
		in += s.Loan.Amount
	}
	if s.Guarantee != nil {
		in += s.Guarantee.Debt.Amount
	}
	if s.Grant != nil {
		in += s.Grant.Amount
	}
	sv := &SupportValue{}
	without, with := make([]float64, paths.N), make([]float64, paths.N)
	cf, eq := make([]float64, h), make([]float64, h)
	loss := make([]float64, len(debts))
	var equityPV, defaults float64
	for i := range paths.N {
		npv := e.flows(paths.Path(i), cf)
		without[i] = npv
		if defaultOn(e.pl, cf, eq, in, debts) {
			defaults++
		}
		for j, d := range debts {
			for t := range h {
				loss[j] += (d.pay[t] - d.received[t]) * dfPublic[t]
			}
		}
		var sponsor, stake float64
		for t := range h {
			sponsor += eq[t] * e.df[t]
			stake += eq[t] * dfEquity[t]
		}
		with[i] = (1 - share) * sponsor
		equityPV += share * stake
	}
	n := float64(paths.N)
	cost := func(l *Loan, d *debt, j int, cover float64, concession bool) *LoanCost {
		c := &LoanCost{Face: cover * l.Amount, ExpectedLoss: cover * loss[j] / n}
		if concession {
			c.Concession = l.Amount
			for t := range h {
				c.Concession -= d.pay[t] * dfPublic[t]
			}
		}
		c.Cost = c.Concession + c.ExpectedLoss
		return c
	}
	j := 0
	if loan != nil {
		sv.Loan = cost(s.Loan, loan, j, 1, true)
		sv.Cost += sv.Loan.Cost
		j++
	}
	if guar != nil {
		sv.Guarantee = cost(&s.Guarantee.Debt, guar, j, s.Guarantee.Share, false)
		sv.Cost += sv.Guarantee.Cost
	}
	sv.EquityCost = -equityPV / n
	if s.Equity != nil {
		sv.Cost += sv.EquityCost
	}
	if s.Grant != nil {
		sv.GrantCost = s.Grant.Amount
		sv.Cost += sv.GrantCost
	}
	sv.PDefault = defaults / n
	sv.Without, sv.With = *summarise(without), *summarise(with)
	return sv, nil
}

// defaultOn walks one path's cash flows cf through the debts: it fills each
// debt's received payments and the equity's cash flows eq, and reports
// whether the project defaults. Year 0's equity flow is cf[0] + in (the debt
// disbursed and the grant). The cash available for debt service in year t is
// the operating cash flow after tax, cf[t] + capex[t] (initial capital is
// financed, not serviced). The project defaults in the first year t ≥ 1 in
// which that is below the debt service due; the lenders then take the
// project: from that year they receive its positive cash available, shared
// pro rata to their claims (each accruing at its own rate) until the claims
// are paid or the project ends, and the equity receives nothing.
func defaultOn(pl *plan, cf, eq []float64, in float64, debts []*debt) bool {
	h := len(cf)
	for _, d := range debts {
		clear(d.received)
	}
	eq[0] = cf[0] + in
	claims := make([]float64, len(debts))
	defaulted := false
	for t := 1; t < h; t++ {
		cash := cf[t] + pl.capex[t]
		if !defaulted {
			due := 0.0
			for _, d := range debts {
				due += d.pay[t]
			}
			if due > 0 && cash < due {
				defaulted = true
				for j, d := range debts {
					claims[j] = d.claim[t]
				}
			} else {
				for _, d := range debts {
					d.received[t] = d.pay[t]
				}
				eq[t] = cf[t] - due
				continue
			}
		} else {
			for j, d := range debts {
				claims[j] *= 1 + d.rate
			}
		}
		eq[t] = 0
		total := 0.0
		for _, c := range claims {
			total += c
		}
		paid := min(max(cash, 0), total)
		if paid <= 0 {
			continue
		}
		for j, d := range debts {
			p := paid * claims[j] / total
			d.received[t] = p
			claims[j] -= p
		}
	}
	return defaulted
}

// discounts returns 1/(1 + r)^t for t = 0..h−1.
func discounts(h int, r float64) []float64 {
	df := make([]float64, h)
	d := 1.0
	for t := range df {
		df[t] = d
		d /= 1 + r
	}
	return df
}

// flows fills cf with the project's cash flow in each year under prices and
// returns their NPV; it is npv with the years kept.
func (e *evaluator) flows(prices, cf []float64) float64 {
	pl := e.pl
	v, loss := 0.0, 0.0
	for t, q := range pl.production {
		c := -pl.capex[t]
		if q > 0 || pl.depreciation[t] > 0 || pl.sustaining[t] > 0 {
			var p, rev float64
			if q > 0 {
				p, rev, _, _ = e.revenue(t, prices[t])
			}
			roy := e.roy.royalty(p, rev, pl.opex[t], pl.sustaining[t])
			op := rev - roy - pl.opex[t] - pl.sustaining[t]
			var tx float64
			tx, _, loss = tax(e.tax, op-pl.depreciation[t], loss)
			c += op - tx
		}
		cf[t] = c
		v += c * e.df[t]
	}
	return v
}

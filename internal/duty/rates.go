package duty

import (
	"fmt"
	"slices"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/dutyexpr"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// levy is a duty to charge: a structured rate, or a duty expression as the
// tariff writes it (docs/duty-expressions.md).
type levy struct {
	expr    *dutyexpr.Expr
	av      exact.Q // the share of the value, when the expression is one ad valorem rate
	isAV    bool
	text    string
	supp    []string // the supplementary units it charges per (p/st, l, ...)
	content bool     // it charges per unit of contained mineral
	// One specific duty per unit of mass (the commonest other form),
	// computed without the expression's environment: see chargeSpecific.
	isSpec   bool
	specPer  exact.Q // amount per one unit
	specCur  string
	specUnit unitInfo
	specOn   bool // per unit of content
}

// compileLevy compiles an instrument's rate or duty expression (validation
// has made sure it has at most one); nil when it has neither. A rate given
// as fields is written as the expression it means (agreement.Rate.Expression),
// so that every duty is computed by one evaluator (docs/duty-expressions.md)
// and its trace shows the same components; it keeps its text for display.
func (a *Assessor) compileLevy(r *agreement.Rate, duty string) (*levy, error) {
	text := ""
	if r != nil && duty == "" {
		duty, text = r.Expression(), rateText(r)
	}
	if duty != "" {
		e, err := dutyexpr.Parse(duty)
		if err != nil {
			return nil, fmt.Errorf("duty %q: %w", duty, err)
		}
		if text == "" {
			text = e.String()
		}
		l := &levy{expr: e, text: text}
		l.av, l.isAV = e.AdValoremOnly()
		if per, cur, u, ok := e.SpecificOnly(); ok {
			if ui, mass := a.unit(u.Code); mass && !ui.contained {
				l.isSpec, l.specPer, l.specCur, l.specUnit, l.specOn = true, per, cur, ui, u.Content
			}
		}
		for _, u := range e.Units() {
			l.content = l.content || u.Content
			if _, ok := a.unit(u.Code); ok {
				continue
			}
			if !slices.Contains(agreement.SupplementaryUnits, u.Code) {
				return nil, fmt.Errorf("duty %q: unknown unit %q", duty, u.Code)
			}
			l.supp = append(l.supp, u.Code)
		}
		for _, c := range e.Currencies() {
			if !a.reg.HasRates(c) {
				return nil, fmt.Errorf("duty %q: no exchange rates for %s", duty, c)
			}
		}
		return l, nil
	}
	return nil, nil
}

// charge is the duty a levy puts on goods of the given value (in the
// currency of to) and as's quantities.
func (a *Assessor) charge(l *levy, value exact.Q, as *Assessment, to fxEntry) exact.Q {
	switch {
	case l == nil:
		return exact.Q{}
	case l.isAV:
		return l.av.Mul(value)
	case l.isSpec:
		return a.chargeSpecific(l, as, to)
	}
	as.env = exprEnv{a: a, as: as, value: value, toPer: to.perUSD, toParty: to.perUSD.Cmp(as.fxParty.perUSD) == 0}
	d, err := l.expr.EvalDuty(&as.env)
	if err != nil {
		// Load and the step "Supplementary quantities" rule out every cause
		// (an unknown unit or currency, a missing supplementary quantity)
		// but a month without a published rate; the error is kept so that
		// the assessment can report it.
		as.exprErr = err
	}
	return d
}

// chargeSpecific is a specific duty per unit of mass as Eval computes it
// (dutyexpr, specific: Convert, then RoundPerUnit, then × Quantity), with
// the levy's unit looked up once at compile: TestChargeSpecific holds the
// two to the same figures.
func (a *Assessor) chargeSpecific(l *levy, as *Assessment, to fxEntry) exact.Q {
	e := exprEnv{a: a, as: as, toPer: to.perUSD, toParty: to.perUSD.Cmp(as.fxParty.perUSD) == 0}
	per, _, err := e.Convert(l.specPer, l.specCur)
	if err != nil {
		as.exprErr = err
		return exact.Q{}
	}
	per, _ = e.RoundPerUnit(per)
	kg := as.grossKg
	if l.specOn {
		kg = as.containedKg
	}
	return per.Mul(kg.Quo(l.specUnit.kg))
}

// explain evaluates a levy again with its steps, for the trace.
func (a *Assessor) explain(l *levy, value exact.Q, as *Assessment, to fxEntry) []dutyexpr.Step {
	if l == nil {
		return nil
	}
	env := exprEnv{a: a, as: as, value: value, toPer: to.perUSD, toParty: to.perUSD.Cmp(as.fxParty.perUSD) == 0, trace: true}
	r, err := l.expr.Eval(&env)
	if err != nil {
		return nil
	}
	return r.Steps
}

// exprEnv is a declaration as a duty expression sees it: its value in the
// charging currency, its quantities in any unit, the conversions of the
// party's exchange-rate rule and its rounding per unit.
type exprEnv struct {
	a       *Assessor
	as      *Assessment
	value   exact.Q
	toPer   exact.Q // units of the charging currency per USD
	toParty bool    // the charging currency is the party's (not the agreement's, for a cap)
	trace   bool    // the steps are recorded: conversions carry their words
}

func (e *exprEnv) Value() exact.Q { return e.value }

func (e *exprEnv) Quantity(u dutyexpr.Unit) (exact.Q, error) {
	as := e.as
	if ui, ok := e.a.unit(u.Code); ok {
		kg := as.grossKg
		if u.Content {
			kg = as.containedKg
		}
		return kg.Quo(ui.kg), nil
	}
	if as.d.hasSupp && as.d.suppUnit == u.Code {
		return as.d.supp, nil
	}
	return exact.Q{}, fmt.Errorf("the duty is charged per %s: declare supplementary_quantity in supplementary_unit %s", u.Code, u.Code)
}

func (e *exprEnv) Convert(amount exact.Q, currency string) (exact.Q, dutyexpr.Conversion, error) {
	fx, err := e.a.rateOf(e.as, currency)
	if err != nil {
		return exact.Q{}, dutyexpr.Conversion{}, err
	}
	rate := e.toPer.Quo(fx.perUSD)
	to := e.as.party.currency
	if !e.toParty {
		to = e.as.floor.f.Currency
	}
	if currency == to {
		return amount, dutyexpr.Conversion{}, nil
	}
	c := dutyexpr.Conversion{From: currency, To: to, Rate: rate}
	if e.trace { // the words cost an allocation: only the trace reads them
		c.Text = "FRED monthly averages of " + e.as.fxMonth + " crossed through USD"
		if e.as.party.table != nil {
			c.Text = fx.tableText()
		}
	}
	return amount.Mul(rate), c, nil
}

func (e *exprEnv) RoundPerUnit(perUnit exact.Q) (exact.Q, bool) {
	r := e.as.party.perUnit
	if r == nil || !e.toParty {
		return perUnit, false
	}
	x, _ := roundTo(perUnit, r.Places, r.Mode)
	return x, true
}

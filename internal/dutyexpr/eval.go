package dutyexpr

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// Env is what an expression needs of a declaration and of the party that
// charges the duty. The duty engine implements it per declaration.
type Env interface {
	// Value is the customs value, in the currency the duty is charged in.
	Value() exact.Q
	// Quantity is the quantity of the goods in u.Code (gross, or of the
	// contained mineral when u.Content), NOT divided by u.Per.
	Quantity(u Unit) (exact.Q, error)
	// Convert converts an amount in currency to the charging currency, and
	// describes the conversion for the trace.
	Convert(amount exact.Q, currency string) (exact.Q, Conversion, error)
	// RoundPerUnit rounds a specific rate per unit before it is multiplied by
	// the quantity, where the party rounds so; false leaves it untouched.
	RoundPerUnit(perUnit exact.Q) (exact.Q, bool)
}

// Conversion describes one currency conversion; the caller fills it and Eval
// copies it into the step. A conversion with From == To (or empty) is no
// conversion and gets no step.
type Conversion struct {
	From, To string
	Rate     exact.Q
	Text     string
}

// Result is a duty and the steps that explain it.
type Result struct {
	Duty  exact.Q
	Steps []Step
}

// Step is one figure of the computation, with the figures it came from.
type Step struct {
	Component string  // "ad valorem part", "specific part", "minimum", "maximum", "deduction", "entry price", "conversion", "rounding per unit", "compound", …
	Formula   string  // with the figures: "3.7% × 12,500.00 = 462.50"
	Result    exact.Q // the figure the formula ends with, exact
	Won       bool    // for MIN/MAX and entry-price steps: whether this bound or step decided the duty
	Note      string  // e.g. "the maximum (less the deduction) applies: 9.2 GBP/100 kg − 1.1 GBP/100 kg"
}

// recorder collects steps; a nil recorder collects nothing, so that EvalDuty
// does no formatting and allocates nothing of its own.
type recorder struct{ steps []Step }

func (r *recorder) add(s Step) { r.steps = append(r.steps, s) }

// Eval computes the duty of e for env, exactly, with every step: each part,
// conversion, rounding per unit, bound and entry-price step. A duty below zero
// (deductions larger than the rest) is charged as zero, with a step saying so.
func (e *Expr) Eval(env Env) (Result, error) {
	rec := &recorder{steps: make([]Step, 0, 8)}
	d, err := e.root.eval(env, rec)
	if err != nil {
		return Result{}, err
	}
	if d.Sign() < 0 {
		rec.add(Step{
			Component: "no negative duty",
			Formula:   "max(" + fig(d) + ", 0) = 0",
			Note:      "a duty is never below zero: the deductions exceed the rest of the duty",
		})
		d = exact.Q{}
	}
	return Result{Duty: d, Steps: rec.steps}, nil
}

// EvalDuty is Eval without the steps: the duty only, for bulk assessment. It
// allocates nothing beyond what env does (and exact.Q, past 128 bits).
func (e *Expr) EvalDuty(env Env) (exact.Q, error) {
	d, err := e.root.eval(env, nil)
	if err != nil {
		return exact.Q{}, err
	}
	if d.Sign() < 0 {
		d = exact.Q{}
	}
	return d, nil
}

func (a *adValorem) eval(env Env, rec *recorder) (exact.Q, error) {
	return a.evalAs(env, rec, "ad valorem part")
}

func (a *adValorem) evalAs(env Env, rec *recorder, component string) (exact.Q, error) {
	v := env.Value()
	d := a.frac.Mul(v)
	if rec != nil {
		rate := a.rate.text + "%"
		if a.free {
			rate = "Free (0%)"
		}
		rec.add(Step{Component: component, Formula: rate + " × " + fig(v) + " = " + fig(d), Result: d})
	}
	return d, nil
}

func (s *specific) eval(env Env, rec *recorder) (exact.Q, error) {
	return s.evalAs(env, rec, "specific part")
}

// evalAs computes RoundPerUnit(Convert(amount) / Per) × Quantity: the amount
// is converted, divided down to one unit, rounded there if the party rounds
// so, then multiplied (issue 11, parts 4 to 6).
func (s *specific) evalAs(env Env, rec *recorder, component string) (exact.Q, error) {
	conv, c, err := env.Convert(s.value, s.currency)
	if err != nil {
		return exact.Q{}, fmt.Errorf("converting %s: %w", s.amountText(), err)
	}
	converted := c.From != c.To && c.From != ""
	if rec != nil && converted {
		f := c.Text
		if f == "" {
			f = figN(s.value) + " " + c.From + " × " + figN(c.Rate) + " = " + figN(conv) + " " + c.To
		}
		rec.add(Step{Component: "conversion", Formula: f, Result: conv, Note: s.amountText() + " in " + c.To})
	}
	perUnit := conv
	if !s.perOne {
		perUnit = conv.Mul(s.invPer)
	}
	cur := s.currency
	if converted {
		cur = c.To
	}
	if r, ok := env.RoundPerUnit(perUnit); ok {
		if rec != nil {
			rec.add(Step{Component: "rounding per unit", Formula: figN(perUnit) + " " + cur + "/" + s.unit.Code + " → " + figN(r), Result: r, Note: "the rate per unit is rounded before it is multiplied"})
		}
		perUnit = r
	}
	q, err := env.Quantity(s.unit.Unit)
	if err != nil {
		return exact.Q{}, fmt.Errorf("quantity in %s for %s: %w", s.unit.Code, s.amountText(), err)
	}
	d := perUnit.Mul(q)
	if rec != nil {
		u := s.unit.Code
		if s.unit.Content {
			u += " content"
		}
		var f string
		if converted || !s.perOne || s.cents {
			f = s.amountText() + ": " + figN(perUnit) + " " + cur + "/" + u + " × " + figN(q) + " " + u + " = " + fig(d)
		} else {
			f = s.amountText() + " × " + figN(q) + " " + u + " = " + fig(d)
		}
		rec.add(Step{Component: component, Formula: f, Result: d})
	}
	return d, nil
}

func (a *amount) amountText() string {
	var b strings.Builder
	a.write(&b)
	return b.String()
}

func (s *sum) eval(env Env, rec *recorder) (exact.Q, error) {
	var total exact.Q
	var f []byte
	for i, t := range s.terms {
		var v exact.Q
		var err error
		switch n := t.n.(type) {
		case *specific:
			v, err = n.evalAs(env, rec, partName(t.neg, "specific part"))
		case *adValorem:
			v, err = n.evalAs(env, rec, partName(t.neg, "ad valorem part"))
		default:
			v, err = n.eval(env, rec)
		}
		if err != nil {
			return exact.Q{}, err
		}
		if t.neg {
			total = total.Sub(v)
		} else {
			total = total.Add(v)
		}
		if rec != nil {
			switch {
			case i == 0:
			case t.neg:
				f = append(f, " − "...)
			default:
				f = append(f, " + "...)
			}
			f = append(f, fig(v)...)
		}
	}
	if rec != nil {
		f = append(f, " = "...)
		f = append(f, fig(total)...)
		rec.add(Step{Component: "compound", Formula: string(f), Result: total})
	}
	return total, nil
}

// partName names the step of a term of a sum: a deducted term is a
// "deduction".
func partName(neg bool, name string) string {
	if neg {
		return "deduction"
	}
	return name
}

func (x *bounded) eval(env Env, rec *recorder) (exact.Q, error) {
	v, err := x.base.eval(env, rec)
	if err != nil {
		return exact.Q{}, err
	}
	for _, bd := range x.bounds {
		b, err := bd.n.eval(env, rec)
		if err != nil {
			return exact.Q{}, err
		}
		var nv exact.Q
		var won bool
		if bd.max {
			nv, won = exact.Min(v, b), b.Cmp(v) < 0
		} else {
			nv, won = exact.Max(v, b), b.Cmp(v) > 0
		}
		if rec != nil {
			rec.add(boundStep(bd, v, b, nv, won))
		}
		v = nv
	}
	return v, nil
}

// boundStep explains a MIN (a floor: the duty is the greater) or a MAX (a
// ceiling: the lesser).
func boundStep(bd bound, v, b, nv exact.Q, won bool) Step {
	s := Step{Component: "minimum", Formula: "max(" + fig(v) + ", " + fig(b) + ") = " + fig(nv), Result: nv, Won: won}
	name := "the minimum"
	if bd.max {
		s.Component, s.Formula = "maximum", "min("+fig(v)+", "+fig(b)+") = "+fig(nv)
		name = "the maximum"
		if sm, ok := bd.n.(*sum); ok && hasDeduction(sm) {
			name = "the maximum (less the deduction)"
		}
	}
	if won {
		s.Note = name + " applies: " + text(bd.n)
	} else {
		s.Note = name + " does not apply: " + text(bd.n)
	}
	return s
}

func hasDeduction(s *sum) bool {
	for _, t := range s.terms {
		if t.neg {
			return true
		}
	}
	return false
}

func (c *call) eval(env Env, rec *recorder) (exact.Q, error) {
	var best exact.Q
	won := 0
	var f []byte
	for i, a := range c.args {
		v, err := a.eval(env, rec)
		if err != nil {
			return exact.Q{}, err
		}
		if i == 0 || (c.max && v.Cmp(best) > 0) || (!c.max && v.Cmp(best) < 0) {
			best, won = v, i
		}
		if rec != nil {
			if i > 0 {
				f = append(f, ", "...)
			}
			f = append(f, fig(v)...)
		}
	}
	if rec != nil {
		s := Step{Component: "greater of", Result: best, Won: true}
		name := "max("
		if !c.max {
			s.Component, name = "lesser of", "min("
		}
		s.Formula = name + string(f) + ") = " + fig(best)
		s.Note = fmt.Sprintf("duty %d of %d applies: %s", won+1, len(c.args), text(c.args[won]))
		rec.add(s)
	}
	return best, nil
}

func (g *group) eval(env Env, rec *recorder) (exact.Q, error) { return g.n.eval(env, rec) }

// eval finds the declared price per the entry price's unit, in its currency
// (the customs value over the quantity, converted back with the rate of one
// unit of that currency) and applies the first step whose threshold it
// reaches, or the last (else: the maximum tariff equivalent).
func (e *entryPrice) eval(env Env, rec *recorder) (exact.Q, error) {
	p := &e.price
	q, err := env.Quantity(p.unit.Unit)
	if err != nil {
		return exact.Q{}, fmt.Errorf("quantity in %s for the entry price: %w", p.unit.Code, err)
	}
	if q.Sign() <= 0 {
		return exact.Q{}, fmt.Errorf("entry price: the quantity in %s is %s; a price per unit needs more than 0", p.unit.Code, q)
	}
	one, c, err := env.Convert(exact.Int(1), p.currency)
	if err != nil {
		return exact.Q{}, fmt.Errorf("converting the entry price's currency %s: %w", p.currency, err)
	}
	if one.Sign() <= 0 {
		return exact.Q{}, fmt.Errorf("entry price: 1 %s converts to %s", p.currency, one)
	}
	v := env.Value()
	// value ÷ (q ÷ Per) ÷ one, with one division.
	declared := v.Mul(p.unit.Per).Quo(q.Mul(one))
	if rec != nil {
		converted := c.From != c.To && c.From != ""
		if converted {
			f := c.Text
			if f == "" {
				f = "1 " + c.From + " = " + figN(one) + " " + c.To
			}
			rec.add(Step{Component: "conversion", Formula: f, Result: one, Note: "for the declared price in " + p.currency})
		}
		u := unitText(p.unit)
		f := "declared price: " + fig(v)
		if converted {
			f += " " + c.To
		}
		f += " ÷ (" + figN(q) + " " + p.unit.Code
		if !p.perOne {
			f += " ÷ " + figN(p.unit.Per)
		}
		f += ")"
		if converted {
			f += " ÷ " + figN(one)
		}
		f += " = " + fig(declared) + " " + p.currency + "/" + u
		rec.add(Step{Component: "entry price", Formula: f, Result: declared, Note: "entry price " + p.amountText()})
	}
	for i := range e.branches {
		br := &e.branches[i]
		if !br.isElse && declared.Cmp(br.at) < 0 {
			if rec != nil {
				rec.add(Step{Component: "entry price step", Formula: branchHead(e, br, declared, false), Result: declared})
			}
			continue
		}
		if rec != nil {
			s := Step{Component: "entry price step", Formula: branchHead(e, br, declared, true), Result: declared, Won: true}
			if br.isElse {
				s.Note = "the maximum tariff equivalent applies"
			} else {
				s.Note = "this step applies"
			}
			rec.add(s)
		}
		return br.n.eval(env, rec)
	}
	panic("dutyexpr: entry price without an else step") // the parser requires one
}

func branchHead(e *entryPrice, br *branch, declared exact.Q, won bool) string {
	p := &e.price
	u := p.currency + "/" + unitText(p.unit)
	if br.isElse {
		last := &e.branches[len(e.branches)-2]
		return fig(declared) + " " + u + " < " + fig(last.at) + " " + u + ": else (maximum tariff equivalent): " + text(br.n)
	}
	if !won {
		return fig(declared) + " " + u + " < " + fig(br.at) + " " + u
	}
	return fig(declared) + " " + u + " ≥ " + fig(br.at) + " " + u + ": " + text(br.n)
}

func unitText(u unitRef) string {
	var b strings.Builder
	u.write(&b)
	return b.String()
}

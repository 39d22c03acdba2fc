package dutyexpr

import (
	"strings"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// Expr is a parsed duty expression. It is immutable and safe for concurrent
// use: parse it once when the agreement loads, evaluate it per declaration.
type Expr struct {
	root node
}

// Unit is the quantity a specific duty is charged per: Per units of Code
// ("100 kg" is Per 100, Code "kg"), of the goods or, when Content, of the
// mineral they contain ("kg content").
type Unit struct {
	Per     exact.Q // e.g. 100 for "100 kg", 1 for "kg"
	Code    string  // "kg", "t", "lb", "p/st", "l", "m2", "m3", … as written, lower-case
	Content bool    // per unit of contained mineral, written e.g. "kg content"
}

// String writes u as the grammar does: "100 kg", "kg content".
func (u Unit) String() string {
	var b strings.Builder
	if u.Per.Cmp(exact.Int(1)) != 0 {
		b.WriteString(u.Per.String())
		b.WriteByte(' ')
	}
	b.WriteString(u.Code)
	if u.Content {
		b.WriteString(" content")
	}
	return b.String()
}

// num is a number as written (text, for printing back) and its value.
type num struct {
	v    exact.Q
	text string
}

// unitRef is a Unit with the text its size was written with.
type unitRef struct {
	Unit
	perText string // "" for a size of 1 not written
}

func (u unitRef) write(b *strings.Builder) {
	if u.perText != "" {
		b.WriteString(u.perText)
		b.WriteByte(' ')
	}
	b.WriteString(u.Code)
	if u.Content {
		b.WriteString(" content")
	}
}

func (u unitRef) equal(v unitRef) bool {
	return u.Code == v.Code && u.Content == v.Content && u.Per.Cmp(v.Per) == 0
}

// amount is a sum of money per a unit as written: "12.5 EUR/100 kg" or, in
// US cents, "37.5¢/kg content" (Currency "USD", value 0.375).
type amount struct {
	n        num     // as written (37.5 for 37.5¢)
	value    exact.Q // in Currency (0.375 for 37.5¢)
	currency string  // ISO 4217
	cents    bool
	unit     unitRef
	perOne   bool    // unit.Per is 1: no division
	invPer   exact.Q // 1 / unit.Per: a multiplication per declaration instead of a division
}

func (a *amount) write(b *strings.Builder) {
	b.WriteString(a.n.text)
	if a.cents {
		b.WriteString("¢")
	} else {
		b.WriteByte(' ')
		b.WriteString(a.currency)
	}
	b.WriteByte('/')
	a.unit.write(b)
}

func (a *amount) equal(c *amount) bool {
	return a.cents == c.cents && a.currency == c.currency && a.n.v.Cmp(c.n.v) == 0 && a.unit.equal(c.unit)
}

// node is one construct of the grammar.
type node interface {
	// eval returns the node's duty; rec, when not nil, collects the steps.
	eval(env Env, rec *recorder) (exact.Q, error)
	// write appends the canonical text; pretty writes − for minus (traces).
	write(b *strings.Builder, pretty bool)
	equal(node) bool
	// walk calls f on the node and every node under it.
	walk(f func(node))
}

// adValorem is a percentage of the customs value: "3.7%", "Free".
type adValorem struct {
	rate num // percent
	free bool
	frac exact.Q // rate / 100
}

// specific is an amount per unit: "12.5 EUR/100 kg".
type specific struct{ amount }

// signed is a term of a sum and its sign.
type signed struct {
	neg bool
	n   node
}

// sum is a compound duty: terms added and deducted ("3% + 2 EUR/100 kg - 1 EUR/100 kg").
type sum struct{ terms []signed }

// bound is a MIN (floor) or MAX (ceiling) and its operand.
type bound struct {
	max bool
	n   node
}

// bounded is a duty with floors and ceilings, applied left to right as the
// UK Trade Tariff's duty calculator groups them: "a MIN b MAX c - d" is
// min(max(a, b), c - d).
type bounded struct {
	base   node
	bounds []bound
}

// call is the functional form of a mixed duty: max(…) or min(…).
type call struct {
	max  bool
	args []node
}

// group is a parenthesised expression, kept so that the text round-trips.
type group struct{ n node }

// branch is one step of an entry-price table: the duty when the declared
// price is at least threshold (a percentage of the entry price when pct), or,
// for the last (else) branch, the maximum tariff equivalent.
type branch struct {
	isElse    bool
	threshold num
	pct       bool
	at        exact.Q // the threshold in the entry price's currency per its unit
	n         node
}

// entryPrice is an EU entry-price duty: the branch whose threshold the
// declared price reaches applies.
type entryPrice struct {
	price    amount
	branches []branch
}

// String returns the canonical text of e: Parse(e.String()) gives an Expr
// equal to e.
func (e *Expr) String() string {
	var b strings.Builder
	e.root.write(&b, false)
	return b.String()
}

// MarshalText returns the canonical text of e (String), so that an Expr
// encodes as its text in YAML and JSON.
func (e *Expr) MarshalText() ([]byte, error) { return []byte(e.String()), nil }

// UnmarshalText parses text into e; an error is a *SyntaxError.
func (e *Expr) UnmarshalText(text []byte) error {
	f, err := Parse(string(text))
	if err != nil {
		return err
	}
	*e = *f
	return nil
}

// Equal reports whether e and f are the same expression: the same
// constructs with the same values (numbers compare by value, so "1.50" and
// "1.5" are equal).
func (e *Expr) Equal(f *Expr) bool { return e.root.equal(f.root) }

// Units returns every unit e mentions, each once, in order of appearance, so
// that the caller can check at load that it can measure them.
func (e *Expr) Units() []Unit {
	var us []Unit
	add := func(u Unit) {
		for _, v := range us {
			if v.Code == u.Code && v.Content == u.Content && v.Per.Cmp(u.Per) == 0 {
				return
			}
		}
		us = append(us, u)
	}
	e.root.walk(func(n node) {
		switch n := n.(type) {
		case *specific:
			add(n.unit.Unit)
		case *entryPrice:
			add(n.price.unit.Unit)
		}
	})
	return us
}

// Currencies returns every currency e mentions (ISO 4217; "USD" for ¢), each
// once, in order of appearance.
func (e *Expr) Currencies() []string {
	var cs []string
	add := func(c string) {
		for _, d := range cs {
			if d == c {
				return
			}
		}
		cs = append(cs, c)
	}
	e.root.walk(func(n node) {
		switch n := n.(type) {
		case *specific:
			add(n.currency)
		case *entryPrice:
			add(n.price.currency)
		}
	})
	return cs
}

func (a *adValorem) write(b *strings.Builder, _ bool) {
	if a.free {
		b.WriteString("Free")
		return
	}
	b.WriteString(a.rate.text)
	b.WriteByte('%')
}

func (a *adValorem) equal(n node) bool {
	c, ok := n.(*adValorem)
	return ok && a.free == c.free && a.rate.v.Cmp(c.rate.v) == 0
}

func (a *adValorem) walk(f func(node)) { f(a) }

func (s *specific) write(b *strings.Builder, _ bool) { s.amount.write(b) }

func (s *specific) equal(n node) bool {
	c, ok := n.(*specific)
	return ok && s.amount.equal(&c.amount)
}

func (s *specific) walk(f func(node)) { f(s) }

func (s *sum) write(b *strings.Builder, pretty bool) {
	for i, t := range s.terms {
		switch {
		case i == 0:
		case !t.neg:
			b.WriteString(" + ")
		case pretty:
			b.WriteString(" − ")
		default:
			b.WriteString(" - ")
		}
		t.n.write(b, pretty)
	}
}

func (s *sum) equal(n node) bool {
	c, ok := n.(*sum)
	if !ok || len(s.terms) != len(c.terms) {
		return false
	}
	for i, t := range s.terms {
		if t.neg != c.terms[i].neg || !t.n.equal(c.terms[i].n) {
			return false
		}
	}
	return true
}

func (s *sum) walk(f func(node)) {
	f(s)
	for _, t := range s.terms {
		t.n.walk(f)
	}
}

func (x *bounded) write(b *strings.Builder, pretty bool) {
	x.base.write(b, pretty)
	for _, bd := range x.bounds {
		if bd.max {
			b.WriteString(" MAX ")
		} else {
			b.WriteString(" MIN ")
		}
		bd.n.write(b, pretty)
	}
}

func (x *bounded) equal(n node) bool {
	c, ok := n.(*bounded)
	if !ok || len(x.bounds) != len(c.bounds) || !x.base.equal(c.base) {
		return false
	}
	for i, bd := range x.bounds {
		if bd.max != c.bounds[i].max || !bd.n.equal(c.bounds[i].n) {
			return false
		}
	}
	return true
}

func (x *bounded) walk(f func(node)) {
	f(x)
	x.base.walk(f)
	for _, bd := range x.bounds {
		bd.n.walk(f)
	}
}

func (c *call) write(b *strings.Builder, pretty bool) {
	if c.max {
		b.WriteString("max(")
	} else {
		b.WriteString("min(")
	}
	for i, a := range c.args {
		if i > 0 {
			b.WriteString(", ")
		}
		a.write(b, pretty)
	}
	b.WriteByte(')')
}

func (c *call) equal(n node) bool {
	d, ok := n.(*call)
	if !ok || c.max != d.max || len(c.args) != len(d.args) {
		return false
	}
	for i, a := range c.args {
		if !a.equal(d.args[i]) {
			return false
		}
	}
	return true
}

func (c *call) walk(f func(node)) {
	f(c)
	for _, a := range c.args {
		a.walk(f)
	}
}

func (g *group) write(b *strings.Builder, pretty bool) {
	b.WriteByte('(')
	g.n.write(b, pretty)
	b.WriteByte(')')
}

func (g *group) equal(n node) bool {
	h, ok := n.(*group)
	return ok && g.n.equal(h.n)
}

func (g *group) walk(f func(node)) {
	f(g)
	g.n.walk(f)
}

func (e *entryPrice) write(b *strings.Builder, pretty bool) {
	b.WriteString("entry_price ")
	e.price.write(b)
	b.WriteString(" { ")
	for i, br := range e.branches {
		if i > 0 {
			b.WriteString("; ")
		}
		if br.isElse {
			b.WriteString("else: ")
		} else {
			b.WriteString(">= ")
			b.WriteString(br.threshold.text)
			if br.pct {
				b.WriteByte('%')
			}
			b.WriteString(": ")
		}
		br.n.write(b, pretty)
	}
	b.WriteString(" }")
}

func (e *entryPrice) equal(n node) bool {
	f, ok := n.(*entryPrice)
	if !ok || !e.price.equal(&f.price) || len(e.branches) != len(f.branches) {
		return false
	}
	for i, br := range e.branches {
		c := f.branches[i]
		if br.isElse != c.isElse || br.pct != c.pct || br.threshold.v.Cmp(c.threshold.v) != 0 || !br.n.equal(c.n) {
			return false
		}
	}
	return true
}

func (e *entryPrice) walk(f func(node)) {
	f(e)
	for _, br := range e.branches {
		br.n.walk(f)
	}
}

// text returns the text of n, pretty (with − for minus) for traces.
func text(n node) string {
	var b strings.Builder
	n.write(&b, true)
	return b.String()
}

// AdValoremOnly returns the share of the value an expression charges when it
// is one ad valorem rate and nothing else ("3.7%", "Free"): a caller may then
// multiply the value itself, which is the whole evaluation (the duty engine
// does so for most lines, sparing itself the environment).
func (e *Expr) AdValoremOnly() (exact.Q, bool) {
	if a, ok := e.root.(*adValorem); ok {
		return a.frac, true
	}
	return exact.Q{}, false
}

// SpecificOnly returns, for an expression that is one specific duty and
// nothing else ("0.375 USD/kg content", "12.5 EUR/100 kg"), its amount per
// single unit (Per divided out, exactly), its currency and its unit: a
// caller may then compute Convert, RoundPerUnit and the product itself, as
// Eval does, without the environment's interface (the duty engine's bulk
// path does so).
func (e *Expr) SpecificOnly() (perUnit exact.Q, currency string, u Unit, ok bool) {
	s, ok := e.root.(*specific)
	if !ok {
		return exact.Q{}, "", Unit{}, false
	}
	perUnit = s.value
	if !s.perOne {
		perUnit = s.value.Mul(s.invPer)
	}
	return perUnit, s.currency, s.unit.Unit, true
}

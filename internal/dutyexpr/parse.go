package dutyexpr

import (
	"fmt"
	"strings"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// maxDepth bounds the nesting of parentheses, calls and entry-price tables,
// so that no input can exhaust the stack.
const maxDepth = 64

// Parse parses one duty expression (the grammar is in
// docs/duty-expressions.md). A syntax error is a *SyntaxError with the line
// and column inside src, naming what was expected and what was found.
func Parse(src string) (*Expr, error) {
	toks, err := lex(src)
	if err != nil {
		return nil, err
	}
	p := &parser{toks: toks}
	n, err := p.expr()
	if err != nil {
		return nil, err
	}
	if t := p.peek(); t.kind != tEOF {
		return nil, p.errorf(t, "expected MIN, MAX, '+', '-' or the end of the expression, found %s", t.describe())
	}
	return &Expr{root: n}, nil
}

// MustParse is Parse for expressions known to be valid (tests, examples);
// it panics on an error.
func MustParse(src string) *Expr {
	e, err := Parse(src)
	if err != nil {
		panic(fmt.Sprintf("dutyexpr.MustParse(%q): %v", src, err))
	}
	return e
}

type parser struct {
	toks  []token
	i     int
	depth int
}

func (p *parser) peek() token { return p.toks[p.i] }

func (p *parser) peekAt(k int) token {
	if p.i+k < len(p.toks) {
		return p.toks[p.i+k]
	}
	return p.toks[len(p.toks)-1]
}

func (p *parser) next() token {
	t := p.toks[p.i]
	if t.kind != tEOF {
		p.i++
	}
	return t
}

func (p *parser) errorf(t token, format string, args ...any) error {
	return &SyntaxError{Line: t.line, Col: t.col, Msg: fmt.Sprintf(format, args...)}
}

// expect consumes a token of kind k, else reports what was expected.
func (p *parser) expect(k tokKind, what string) (token, error) {
	t := p.next()
	if t.kind != k {
		return t, p.errorf(t, "expected %s, found %s", what, t.describe())
	}
	return t, nil
}

func isKeyword(t token, kw string) bool {
	return t.kind == tIdent && strings.EqualFold(t.text, kw)
}

// expr = sum { ( "MIN" | "MAX" ) sum } .
func (p *parser) expr() (node, error) {
	p.depth++
	defer func() { p.depth-- }()
	if p.depth > maxDepth {
		return nil, p.errorf(p.peek(), "expression nested more than %d deep", maxDepth)
	}
	base, err := p.sum()
	if err != nil {
		return nil, err
	}
	var bounds []bound
	for {
		t := p.peek()
		isMax := isKeyword(t, "max")
		if !isMax && !isKeyword(t, "min") {
			break
		}
		p.next()
		n, err := p.sum()
		if err != nil {
			return nil, err
		}
		bounds = append(bounds, bound{max: isMax, n: n})
	}
	if bounds == nil {
		return base, nil
	}
	return &bounded{base: base, bounds: bounds}, nil
}

// sum = term { ( "+" | "-" ) term } .
func (p *parser) sum() (node, error) {
	first, err := p.term()
	if err != nil {
		return nil, err
	}
	var terms []signed
	for {
		t := p.peek()
		if t.kind != tPlus && t.kind != tMinus {
			break
		}
		p.next()
		n, err := p.term()
		if err != nil {
			return nil, err
		}
		if terms == nil {
			terms = append(terms, signed{n: first})
		}
		terms = append(terms, signed{neg: t.kind == tMinus, n: n})
	}
	if terms == nil {
		return first, nil
	}
	return &sum{terms: terms}, nil
}

const expectedTerm = "a duty (such as 3.7%, Free, 12.5 EUR/100 kg, 37.5¢/kg, max(…), min(…), entry_price … or a parenthesised expression)"

// term = ad_valorem | specific | call | entry_price | "(" expr ")" .
func (p *parser) term() (node, error) {
	t := p.peek()
	switch {
	case t.kind == tNum:
		n, err := p.number()
		if err != nil {
			return nil, err
		}
		if p.peek().kind == tPct {
			p.next()
			return &adValorem{rate: n, frac: n.v.Quo(exact.Int(100))}, nil
		}
		a, err := p.amountAfter(n)
		if err != nil {
			return nil, err
		}
		return &specific{a}, nil
	case isKeyword(t, "free"):
		p.next()
		return &adValorem{free: true, rate: num{text: "0"}}, nil
	case (isKeyword(t, "max") || isKeyword(t, "min")) && p.peekAt(1).kind == tLParen:
		return p.call()
	case isKeyword(t, "entry_price"):
		return p.entryPrice()
	case t.kind == tLParen:
		p.next()
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		if _, err := p.expect(tRParen, "')'"); err != nil {
			return nil, err
		}
		return &group{n}, nil
	}
	return nil, p.errorf(t, "expected %s, found %s", expectedTerm, t.describe())
}

// number reads a tNum.
func (p *parser) number() (num, error) {
	t := p.next()
	if t.kind != tNum {
		return num{}, p.errorf(t, "expected a number, found %s", t.describe())
	}
	v, ok := exact.ParseString(t.text)
	if !ok {
		return num{}, p.errorf(t, "number %s has more than 36 digits or places", t.text)
	}
	return num{v: v, text: t.text}, nil
}

// amountAfter reads the rest of an amount per unit after its number n:
// currency "/" unit, or "¢" "/" unit.
func (p *parser) amountAfter(n num) (amount, error) {
	a := amount{n: n}
	t := p.next()
	switch {
	case t.kind == tCent:
		a.cents, a.currency, a.value = true, "USD", n.v.Quo(exact.Int(100))
	case t.kind == tIdent && isCurrency(t.text):
		a.currency, a.value = t.text, n.v
	case t.kind == tIdent && len(t.text) == 3 && isCurrency(strings.ToUpper(t.text)):
		return a, p.errorf(t, "currency %q must be written in capitals, as ISO 4217 codes are (%s)", t.text, strings.ToUpper(t.text))
	case t.kind == tNum:
		return a, p.errorf(t, "expected '%%', '¢' or an ISO 4217 currency code (such as EUR) after %s, found number %s (a number is written without separators: %s%s)", n.text, t.text, n.text, t.text)
	default:
		return a, p.errorf(t, "expected '%%', '¢' or an ISO 4217 currency code (such as EUR) after %s, found %s", n.text, t.describe())
	}
	if _, err := p.expect(tSlash, fmt.Sprintf("'/' and a unit after %s", t.text)); err != nil {
		return a, err
	}
	u, err := p.unit()
	if err != nil {
		return a, err
	}
	a.unit, a.perOne, a.invPer = u, u.Per.Cmp(exact.Int(1)) == 0, u.Per.Inv()
	return a, nil
}

func isCurrency(s string) bool {
	if len(s) != 3 {
		return false
	}
	for i := range 3 {
		if s[i] < 'A' || s[i] > 'Z' {
			return false
		}
	}
	return true
}

// unit = [ number ] unit_code [ "content" ] ; unit_code = ident | "p/st" .
func (p *parser) unit() (unitRef, error) {
	u := unitRef{Unit: Unit{Per: exact.Int(1)}}
	if p.peek().kind == tNum {
		n, err := p.number()
		if err != nil {
			return u, err
		}
		if n.v.Sign() <= 0 {
			return u, p.errorf(p.toks[p.i-1], "a unit's size must be more than 0, found %s", n.text)
		}
		u.Per, u.perText = n.v, n.text
	}
	t := p.next()
	if t.kind != tIdent || isKeyword(t, "content") || isKeyword(t, "min") || isKeyword(t, "max") {
		return u, p.errorf(t, "expected a unit (such as kg, 100 kg, t, p/st, l, m2), found %s", t.describe())
	}
	u.Code = strings.ToLower(t.text)
	if u.Code == "p" && p.peek().kind == tSlash && strings.EqualFold(p.peekAt(1).text, "st") {
		p.next()
		p.next()
		u.Code = "p/st"
	}
	if isKeyword(p.peek(), "content") {
		p.next()
		u.Content = true
	}
	return u, nil
}

// call = ( "max" | "min" ) "(" expr "," expr { "," expr } ")" .
func (p *parser) call() (node, error) {
	name := p.next()
	p.next() // (
	c := &call{max: strings.EqualFold(name.text, "max")}
	for {
		n, err := p.expr()
		if err != nil {
			return nil, err
		}
		c.args = append(c.args, n)
		t := p.next()
		if t.kind == tRParen {
			break
		}
		if t.kind != tComma {
			return nil, p.errorf(t, "expected ',' or ')' in %s(…), found %s", strings.ToLower(name.text), t.describe())
		}
	}
	if len(c.args) < 2 {
		return nil, p.errorf(name, "%s(…) needs at least two duties to choose from", strings.ToLower(name.text))
	}
	return c, nil
}

// entry_price = "entry_price" amount "{" branch { ";" branch } [ ";" ] "}" ;
// branch = ">=" number [ "%" ] ":" expr | "else" ":" expr .
func (p *parser) entryPrice() (node, error) {
	p.next() // entry_price
	p.depth++
	defer func() { p.depth-- }()
	n, err := p.number()
	if err != nil {
		return nil, err
	}
	price, err := p.amountAfter(n)
	if err != nil {
		return nil, err
	}
	if price.value.Sign() <= 0 {
		return nil, p.errorf(p.toks[p.i-1], "the entry price must be more than 0")
	}
	e := &entryPrice{price: price}
	if _, err := p.expect(tLBrace, "'{' and the steps of the entry price"); err != nil {
		return nil, err
	}
	for {
		t := p.next()
		var br branch
		switch {
		case t.kind == tGE:
			th, err := p.number()
			if err != nil {
				return nil, err
			}
			br.threshold, br.at = th, th.v
			if p.peek().kind == tPct {
				p.next()
				br.pct = true
				br.at = th.v.Quo(exact.Int(100)).Mul(price.n.v)
			}
			if k := len(e.branches); k > 0 && br.at.Cmp(e.branches[k-1].at) >= 0 {
				return nil, p.errorf(t, "thresholds must fall from one step to the next: >= %s follows >= %s", th.text, e.branches[k-1].threshold.text)
			}
		case isKeyword(t, "else"):
			if len(e.branches) == 0 {
				return nil, p.errorf(t, "expected a step \">= price: duty\" before else")
			}
			br.isElse = true
		default:
			return nil, p.errorf(t, "expected a step \">= price: duty\" or \"else: duty\" (the maximum tariff equivalent), found %s", t.describe())
		}
		if _, err := p.expect(tColon, "':' and the duty of the step"); err != nil {
			return nil, err
		}
		if br.n, err = p.expr(); err != nil {
			return nil, err
		}
		e.branches = append(e.branches, br)
		t = p.next()
		if br.isElse {
			if t.kind == tSemi {
				t = p.next()
			}
			if t.kind != tRBrace {
				return nil, p.errorf(t, "expected '}' after the else step (it is the last), found %s", t.describe())
			}
			return e, nil
		}
		if t.kind == tSemi && p.peek().kind == tRBrace {
			t = p.next()
		}
		if t.kind == tRBrace {
			return nil, p.errorf(t, "expected an else step (the maximum tariff equivalent) before '}'")
		}
		if t.kind != tSemi {
			return nil, p.errorf(t, "expected ';' or '}' after a step, found %s", t.describe())
		}
	}
}

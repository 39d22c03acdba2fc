package exact

import (
	"bufio"
	"fmt"
	"math/big"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// TestSpec runs the cases of testdata/*.exactTest, written in the style of
// the General Decimal Arithmetic testcases (apd's testdata/*.decTest):
//
//	id operation operand... -> result condition...
//
// Operations: add, sub, mul, quo, max, min, cmp (two operands); inv, neg,
// sign, parse, string (one); round x places [mode] (the mode of the last
// "rounding:" directive when none is named); fixed x places; money x places;
// places x places mode keep|trim. Operands and results may be quoted with
// '…' (an empty or spaced one must be). The forms of operands and results are
// described at the top of the file.
func TestSpec(t *testing.T) {
	files, err := filepath.Glob("testdata/*.exactTest")
	if err != nil || len(files) == 0 {
		t.Fatalf("no testdata/*.exactTest (%v)", err)
	}
	for _, file := range files {
		runSpecFile(t, file)
	}
}

// specCase is one line of a spec file.
type specCase struct {
	pos      string   // file:line
	id, op   string   // "addx001", "add"
	args     []string // the operands, unquoted
	result   string   // the expected result, unquoted; "?" for an error
	conds    []string // the expected conditions, as written
	rounding dec.Mode // the file's mode at this line
}

func runSpecFile(t *testing.T, file string) {
	f, err := os.Open(file)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	mode := dec.HalfEven
	ids := map[string]string{}
	n := 0
	for line := 1; sc.Scan(); line++ {
		pos := fmt.Sprintf("%s:%d", filepath.Base(file), line)
		toks, err := specTokens(sc.Text())
		if err != nil {
			t.Fatalf("%s: %v", pos, err)
		}
		if len(toks) == 0 {
			continue
		}
		if k, ok := strings.CutSuffix(toks[0], ":"); ok && len(toks) == 2 {
			switch strings.ToLower(k) {
			case "rounding":
				mode = dec.Mode(toks[1])
				if !mode.Valid() {
					t.Fatalf("%s: unknown rounding %q", pos, toks[1])
				}
			case "version":
			default:
				t.Fatalf("%s: unknown directive %q", pos, k)
			}
			continue
		}
		arrow := -1
		for i, tok := range toks {
			if tok == "->" {
				arrow = i
				break
			}
		}
		if arrow < 2 || arrow+1 >= len(toks) {
			t.Fatalf("%s: want \"id operation operand... -> result condition...\", got %q", pos, sc.Text())
		}
		c := specCase{pos: pos, id: toks[0], op: toks[1], args: toks[2:arrow], result: toks[arrow+1], conds: toks[arrow+2:], rounding: mode}
		if prev, dup := ids[c.id]; dup {
			t.Fatalf("%s: id %s already used at %s", pos, c.id, prev)
		}
		ids[c.id] = pos
		t.Run(c.id, func(t *testing.T) {
			if err := c.run(); err != nil {
				t.Errorf("%s: %s %s %s -> %s %s: %v", c.pos, c.id, c.op, strings.Join(c.args, " "), c.result, strings.Join(c.conds, " "), err)
			}
		})
		n++
	}
	if err := sc.Err(); err != nil {
		t.Fatal(err)
	}
	t.Logf("%s: %d cases", file, n)
}

// specTokens splits a line into its tokens: words separated by spaces, or
// quoted with ' (two quotes inside a quoted token stand for one); "--"
// outside quotes starts a comment.
func specTokens(line string) ([]string, error) {
	var toks []string
	for i := 0; i < len(line); {
		switch c := line[i]; {
		case c == ' ' || c == '\t':
			i++
		case strings.HasPrefix(line[i:], "--"):
			return toks, nil
		case c == '\'':
			var b strings.Builder
			i++
			for {
				if i >= len(line) {
					return nil, fmt.Errorf("unterminated quote")
				}
				if line[i] == '\'' {
					if i+1 < len(line) && line[i+1] == '\'' {
						b.WriteByte('\'')
						i += 2
						continue
					}
					i++
					break
				}
				b.WriteByte(line[i])
				i++
			}
			toks = append(toks, b.String())
		default:
			j := i
			for j < len(line) && line[j] != ' ' && line[j] != '\t' {
				j++
			}
			toks = append(toks, line[i:j])
			i = j
		}
	}
	return toks, nil
}

// operand reads a plain decimal with ParseString, "a/b" as the quotient of
// two, and a decimal with an exponent through big.Rat.
func operand(s string) (Q, error) {
	if a, b, ok := strings.Cut(s, "/"); ok {
		x, err := operand(a)
		if err != nil {
			return Q{}, err
		}
		y, err := operand(b)
		if err != nil {
			return Q{}, err
		}
		return x.Quo(y), nil
	}
	if x, ok := ParseString(s); ok {
		return x, nil
	}
	if strings.ContainsAny(s, "eE") {
		if r, ok := new(big.Rat).SetString(s); ok {
			return FromRat(r), nil
		}
	}
	return Q{}, fmt.Errorf("bad operand %q", s)
}

func (c specCase) arity(n int) error {
	if len(c.args) != n {
		return fmt.Errorf("%s takes %d operands, got %d", c.op, n, len(c.args))
	}
	return nil
}

func (c specCase) operands() ([]Q, error) {
	qs := make([]Q, len(c.args))
	for i, a := range c.args {
		var err error
		if qs[i], err = operand(a); err != nil {
			return nil, err
		}
	}
	return qs, nil
}

func (c specCase) intArg(i int) (int, error) {
	v, err := strconv.Atoi(c.args[i])
	if err != nil || v < 0 {
		return 0, fmt.Errorf("operand %d: want places, got %q", i+1, c.args[i])
	}
	return v, nil
}

// run computes the case and compares it with its expected result and
// conditions.
func (c specCase) run() (err error) {
	var want Condition
	for _, name := range c.conds {
		switch name {
		case "Inexact":
			want |= Inexact
		case "Rounded":
			want |= Rounded
		case "Division_by_zero", "Conversion_syntax":
			if c.result != "?" {
				return fmt.Errorf("%s with a result", name)
			}
		default:
			return fmt.Errorf("unknown condition %q", name)
		}
	}
	if c.result == "?" {
		if len(c.conds) != 1 {
			return fmt.Errorf("an error result names one condition")
		}
		switch c.conds[0] {
		case "Division_by_zero":
			defer func() {
				if r := recover(); r != nil {
					err = nil
				} else if err == nil {
					err = fmt.Errorf("did not panic")
				}
			}()
		case "Conversion_syntax":
			if c.op != "parse" {
				return fmt.Errorf("Conversion_syntax is parse's")
			}
		default:
			return fmt.Errorf("an error result names Division_by_zero or Conversion_syntax")
		}
	}

	var got Q
	var gotCond Condition
	places := -1 // the places the result must be written with, for parse and round
	switch c.op {
	case "add", "sub", "mul", "quo", "max", "min", "cmp":
		if err := c.arity(2); err != nil {
			return err
		}
		x, err := c.operands()
		if err != nil {
			return err
		}
		switch c.op {
		case "add":
			got = x[0].Add(x[1])
		case "sub":
			got = x[0].Sub(x[1])
		case "mul":
			got = x[0].Mul(x[1])
		case "quo":
			got = x[0].Quo(x[1])
		case "max":
			got = Max(x[0], x[1])
		case "min":
			got = Min(x[0], x[1])
		case "cmp":
			got = Int(int64(x[0].Cmp(x[1])))
		}
	case "inv", "neg", "sign":
		if err := c.arity(1); err != nil {
			return err
		}
		x, err := c.operands()
		if err != nil {
			return err
		}
		switch c.op {
		case "inv":
			got = x[0].Inv()
		case "neg":
			got = x[0].Neg()
		case "sign":
			got = Int(int64(x[0].Sign()))
		}
	case "parse":
		if err := c.arity(1); err != nil {
			return err
		}
		v, ok := ParseString(c.args[0])
		if vb, okb := Parse([]byte(c.args[0])); okb != ok || (ok && !sameFraction(v, vb)) {
			return fmt.Errorf("Parse and ParseString disagree: %+v %v, %+v %v", vb, okb, v, ok)
		}
		if c.result == "?" {
			if ok {
				return fmt.Errorf("parsed as %v, want Conversion_syntax", v)
			}
			return nil
		}
		if !ok {
			return fmt.Errorf("refused")
		}
		got, places = v, writtenPlaces(c.result)
	case "round":
		if len(c.args) != 2 && len(c.args) != 3 {
			return fmt.Errorf("round takes 2 or 3 operands, got %d", len(c.args))
		}
		x, err := operand(c.args[0])
		if err != nil {
			return err
		}
		if places, err = c.intArg(1); err != nil {
			return err
		}
		mode := c.rounding
		if len(c.args) == 3 {
			if mode = dec.Mode(c.args[2]); !mode.Valid() {
				return fmt.Errorf("unknown mode %q", c.args[2])
			}
		}
		got, gotCond = x.Round(places, mode)
		if text := string(got.AppendMoney(nil, places)); text != c.result {
			return fmt.Errorf("result prints %s, want %s", text, c.result)
		}
	case "fixed", "money", "places", "string":
		var text string
		x, err := operand(c.args[0])
		if err != nil {
			return err
		}
		switch c.op {
		case "string":
			if err := c.arity(1); err != nil {
				return err
			}
			text = x.String()
		case "fixed", "money":
			if err := c.arity(2); err != nil {
				return err
			}
			p, err := c.intArg(1)
			if err != nil {
				return err
			}
			if c.op == "fixed" {
				text = string(x.AppendFixed([]byte("»"), p))
			} else {
				text = string(x.AppendMoney([]byte("»"), p))
			}
			text = strings.TrimPrefix(text, "»") // appends, not overwrites
		case "places":
			if err := c.arity(4); err != nil {
				return err
			}
			p, err := c.intArg(1)
			if err != nil {
				return err
			}
			mode := dec.Mode(c.args[2])
			if !mode.Valid() || (c.args[3] != "keep" && c.args[3] != "trim") {
				return fmt.Errorf("want places x places mode keep|trim")
			}
			text = string(x.AppendPlaces(nil, p, mode, c.args[3] == "trim"))
		}
		if text != c.result {
			return fmt.Errorf("got %s", text)
		}
		if want != 0 {
			return fmt.Errorf("%s raises no conditions", c.op)
		}
		return nil
	default:
		return fmt.Errorf("unknown operation %q", c.op)
	}
	if c.result == "?" {
		return fmt.Errorf("got %v, want %s", got, c.conds[0])
	}
	r, ok := new(big.Rat).SetString(c.result)
	if !ok {
		return fmt.Errorf("bad result %q", c.result)
	}
	if got.Rat().Cmp(r) != 0 {
		return fmt.Errorf("got %v", got)
	}
	if gotCond != want {
		return fmt.Errorf("conditions %q, want %q", gotCond, want)
	}
	if places >= 0 && fitsAtScale(r, places) {
		if got.b != nil || got.den() != pow10[places] {
			return fmt.Errorf("got %v as %v/%v, want it written with %d places", got, got.n.big(), got.den().big(), places)
		}
	}
	return nil
}

// writtenPlaces is the number of digits after the point of a plain decimal.
func writtenPlaces(s string) int {
	if _, frac, ok := strings.Cut(s, "."); ok {
		return len(frac)
	}
	return 0
}

// fitsAtScale reports whether r × 10^places is an integer of at most 128
// bits: a value Round and Parse write with places decimals.
func fitsAtScale(r *big.Rat, places int) bool {
	if places >= len(pow10) {
		return false
	}
	v := new(big.Rat).Mul(r, new(big.Rat).SetInt(pow10[places].big()))
	return v.IsInt() && new(big.Int).Abs(v.Num()).BitLen() <= 128
}

// sameFraction reports whether a and b are the very same fraction (numerator,
// denominator and sign, not only the same value), or both big and equal.
func sameFraction(a, b Q) bool {
	if a.b != nil || b.b != nil {
		return a.b != nil && b.b != nil && a.b.Cmp(b.b) == 0
	}
	return a.n == b.n && a.den() == b.den() && a.neg == b.neg
}

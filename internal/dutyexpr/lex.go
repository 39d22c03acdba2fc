package dutyexpr

import (
	"fmt"
	"strings"
	"unicode/utf8"
)

// SyntaxError is a malformed expression: where (Line and Col are 1-based,
// Col counts runes) and what was expected there.
type SyntaxError struct {
	Line, Col int
	Msg       string
}

// Error renders the error as "line:col: msg", the way a compiler does.
func (e *SyntaxError) Error() string { return fmt.Sprintf("%d:%d: %s", e.Line, e.Col, e.Msg) }

// In returns the position of the error in a file where the expression's
// text starts at line:col (both 1-based), such as an agreement file holding
// the expression on one line: the line offset by line−1, and the column by
// col−1 on the expression's first line.
func (e *SyntaxError) In(line, col int) (int, int) {
	if e.Line == 1 {
		return line, col + e.Col - 1
	}
	return line + e.Line - 1, e.Col
}

type tokKind uint8

const (
	tEOF    tokKind = iota
	tNum            // 12.5
	tPct            // %
	tCent           // ¢
	tIdent          // EUR, kg, MIN, entry_price
	tSlash          // /
	tPlus           // +
	tMinus          // - or − (U+2212)
	tComma          // ,
	tLParen         // (
	tRParen         // )
	tLBrace         // {
	tRBrace         // }
	tColon          // :
	tSemi           // ;
	tGE             // >= or ≥
)

type token struct {
	kind      tokKind
	text      string
	line, col int
}

// describe names a token for "found …" in messages.
func (t token) describe() string {
	switch t.kind {
	case tEOF:
		return "end of input"
	case tNum:
		return "number " + t.text
	case tIdent:
		return fmt.Sprintf("%q", t.text)
	}
	return "'" + t.text + "'"
}

// lex splits src into tokens, ending with tEOF.
func lex(src string) ([]token, error) {
	var toks []token
	line, col := 1, 1
	i := 0
	for i < len(src) {
		r, w := utf8.DecodeRuneInString(src[i:])
		if r == utf8.RuneError && w == 1 {
			return nil, &SyntaxError{line, col, "invalid UTF-8"}
		}
		switch {
		case r == '\n':
			i += w
			line, col = line+1, 1
			continue
		case r == ' ' || r == '\t' || r == '\r' || r == '\u00a0':
			i += w
			col++
			continue
		}
		start, startCol := i, col
		kind := tEOF
		switch {
		case r >= '0' && r <= '9':
			j := i
			for j < len(src) && isDigit(src[j]) {
				j++
			}
			if j < len(src) && src[j] == '.' {
				j++
				k := j
				for j < len(src) && isDigit(src[j]) {
					j++
				}
				if j == k {
					return nil, &SyntaxError{line, col + (j - i), fmt.Sprintf("expected a digit after the decimal point in %s, found %s", src[i:j], foundAt(src, j))}
				}
			}
			if j+1 < len(src) && src[j] == ',' && isDigit(src[j+1]) {
				k := j + 1
				for k < len(src) && isDigit(src[k]) {
					k++
				}
				n := src[i:k]
				if k-j-1 == 3 {
					return nil, &SyntaxError{line, col + (j - i), fmt.Sprintf("thousands separator ',' in %s: write numbers without separators (%s)", n, strings.ReplaceAll(n, ",", ""))}
				}
				return nil, &SyntaxError{line, col + (j - i), fmt.Sprintf("decimal comma in %s: decimals are written with '.' (%s)", n, strings.Replace(n, ",", ".", 1))}
			}
			if j < len(src) && src[j] == '\'' && j+1 < len(src) && isDigit(src[j+1]) {
				return nil, &SyntaxError{line, col + (j - i), "thousands separator ''' in a number: write numbers without separators"}
			}
			kind, i = tNum, j
		case isLetter(r) || r == '_':
			j := i
			for j < len(src) && (isLetter(rune(src[j])) || isDigit(src[j]) || src[j] == '_') {
				j++
			}
			kind, i = tIdent, j
		default:
			i += w
			switch r {
			case '%':
				kind = tPct
			case '¢':
				kind = tCent
			case '/':
				kind = tSlash
			case '+':
				kind = tPlus
			case '-', '−':
				kind = tMinus
			case ',':
				kind = tComma
			case '(':
				kind = tLParen
			case ')':
				kind = tRParen
			case '{':
				kind = tLBrace
			case '}':
				kind = tRBrace
			case ':':
				kind = tColon
			case ';':
				kind = tSemi
			case '≥':
				kind = tGE
			case '>':
				if i < len(src) && src[i] == '=' {
					i++
					kind = tGE
				} else {
					return nil, &SyntaxError{line, col, "expected '>=' (a threshold is \">= price\"), found '>'"}
				}
			default:
				return nil, &SyntaxError{line, col, fmt.Sprintf("unexpected character %q", r)}
			}
		}
		text := src[start:i]
		toks = append(toks, token{kind, text, line, startCol})
		col += utf8.RuneCountInString(text)
	}
	return append(toks, token{tEOF, "", line, col}), nil
}

// foundAt describes the text at src[j:] for a lexical error.
func foundAt(src string, j int) string {
	if j >= len(src) {
		return "end of input"
	}
	r, _ := utf8.DecodeRuneInString(src[j:])
	return fmt.Sprintf("%q", r)
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isLetter(r rune) bool { return (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z') }

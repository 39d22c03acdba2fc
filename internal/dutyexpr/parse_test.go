package dutyexpr

import (
	"errors"
	"reflect"
	"testing"

	"github.com/mineralpact/mineralpact/internal/exact"
)

// TestParseString: each expression parses, prints in its canonical form,
// and that form parses to an equal expression that prints the same.
func TestParseString(t *testing.T) {
	tests := []struct{ src, want string }{
		{"3.7%", "3.7%"},
		{"3.7 %", "3.7%"},
		{"0%", "0%"},
		{"free", "Free"},
		{"12.5 EUR/100 kg", "12.5 EUR/100 kg"},
		{"12.5EUR / 100kg", "12.5 EUR/100 kg"},
		{"0.375 USD/kg content", "0.375 USD/kg content"},
		{"37.5¢/kg content", "37.5¢/kg content"},
		{"37.5 ¢ / KG CONTENT", "37.5¢/kg content"},
		{"2 GBP/p/st", "2 GBP/p/st"},
		{"2 GBP / 1000 p/st", "2 GBP/1000 p/st"},
		{"1.2 EUR/l", "1.2 EUR/l"},
		{"3 EUR/m2", "3 EUR/m2"},
		{"20 JPY/kg", "20 JPY/kg"},
		{"3% + 2 EUR/100 kg", "3% + 2 EUR/100 kg"},
		{"3%+2 EUR/100 kg−1 EUR/t", "3% + 2 EUR/100 kg - 1 EUR/t"},
		{"8% MIN 1.5 EUR/100 kg", "8% MIN 1.5 EUR/100 kg"},
		{"12% min 2 EUR/100 kg Max 4 EUR/100 kg", "12% MIN 2 EUR/100 kg MAX 4 EUR/100 kg"},
		{"9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg", "9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 1.1 GBP/100 kg"},
		{"9.00 % MIN 1.10 GBP / 100 kg MAX 9.20 GBP / 100 kg - 1.10 GBP / 100 kg", "9.00% MIN 1.10 GBP/100 kg MAX 9.20 GBP/100 kg - 1.10 GBP/100 kg"},
		{"MAX(5%, 3 EUR/100 kg)", "max(5%, 3 EUR/100 kg)"},
		{"min(5%, 3 EUR/100 kg, 1 EUR/kg)", "min(5%, 3 EUR/100 kg, 1 EUR/kg)"},
		{"(8% MIN 1 EUR/kg) + 2 EUR/t", "(8% MIN 1 EUR/kg) + 2 EUR/t"},
		{"8% MAX (3% + 1 EUR/kg)", "8% MAX (3% + 1 EUR/kg)"},
		{entryLine, entryLine},
		{"entry_price 52.6 EUR/100 kg {\n  >= 100%: 8.8%;\n  >= 98%: 8.8% + 1.1 EUR/100 kg;\n  else: 8.8% + 29.8 EUR/100 kg;\n}",
			"entry_price 52.6 EUR/100 kg { >= 100%: 8.8%; >= 98%: 8.8% + 1.1 EUR/100 kg; else: 8.8% + 29.8 EUR/100 kg }"},
	}
	for _, tt := range tests {
		e, err := Parse(tt.src)
		if err != nil {
			t.Errorf("Parse(%q): %v", tt.src, err)
			continue
		}
		got := e.String()
		if got != tt.want {
			t.Errorf("Parse(%q).String() = %q, want %q", tt.src, got, tt.want)
		}
		e2, err := Parse(got)
		if err != nil {
			t.Errorf("Parse(%q) (the canonical form of %q): %v", got, tt.src, err)
			continue
		}
		if !e.Equal(e2) || e2.String() != got {
			t.Errorf("Parse(%q) is not equal to Parse(%q)", got, tt.src)
		}
	}
}

// TestParseErrors: a malformed expression is reported at its line and
// column (in runes), naming what was expected and what was found.
func TestParseErrors(t *testing.T) {
	tests := []struct {
		src       string
		line, col int
		msg       string
	}{
		{"3.7", 1, 4, "expected '%', '¢' or an ISO 4217 currency code (such as EUR) after 3.7, found end of input"},
		{"12,500 EUR/t", 1, 3, "thousands separator ',' in 12,500: write numbers without separators (12500)"},
		{"3,7%", 1, 2, "decimal comma in 3,7: decimals are written with '.' (3.7)"},
		{"8% MIN", 1, 7, "expected " + expectedTerm + ", found end of input"},
		{"12.5 eur/100 kg", 1, 6, `currency "eur" must be written in capitals, as ISO 4217 codes are (EUR)`},
		{"12.5 EUR 100 kg", 1, 10, "expected '/' and a unit after EUR, found number 100"},
		{"12.5 EURO/100 kg", 1, 6, `expected '%', '¢' or an ISO 4217 currency code (such as EUR) after 12.5, found "EURO"`},
		{"3 EUR/", 1, 7, "expected a unit (such as kg, 100 kg, t, p/st, l, m2), found end of input"},
		{"12.5 EUR/0 kg", 1, 10, "a unit's size must be more than 0, found 0"},
		{"3. EUR/kg", 1, 3, "expected a digit after the decimal point in 3., found ' '"},
		{"9% MIN 1.1 GBP/100 kg\nMAX 9.2 GBP/100 kg -", 2, 21, "expected " + expectedTerm + ", found end of input"},
		{"3% + 2 EUR/100 kg)", 1, 18, "expected MIN, MAX, '+', '-' or the end of the expression, found ')'"},
		// Columns count runes: ¢ is one.
		{"37.5¢/kg contents", 1, 10, `expected MIN, MAX, '+', '-' or the end of the expression, found "contents"`},
		{"3 € /kg", 1, 3, "unexpected character '€'"},
		{"max(5%)", 1, 1, "max(…) needs at least two duties to choose from"},
		{"max(5% 3 EUR/kg)", 1, 8, "expected ',' or ')' in max(…), found number 3"},
		{"(3% + 1 EUR/kg", 1, 15, "expected ')', found end of input"},
		{"entry_price 100 EUR/100 kg { >= 100: 8.8%; >= 101: 9%; else: 10% }", 1, 44, "thresholds must fall from one step to the next: >= 101 follows >= 100"},
		{"entry_price 100 EUR/100 kg { >= 100: 8.8% }", 1, 43, "expected an else step (the maximum tariff equivalent) before '}'"},
		{"entry_price 100 EUR/100 kg {\n\t>= 100: 8.8%;\n\telse: 10%;\n\t>= 90: 12%\n}", 4, 2, "expected '}' after the else step (it is the last), found '>='"},
		{"entry_price 100 EUR/100 kg { else: 10% }", 1, 30, `expected a step ">= price: duty" before else`},
		{"entry_price 100 EUR/100 kg { > 100: 8.8%; else: 10% }", 1, 30, `expected '>=' (a threshold is ">= price"), found '>'`},
		{"3% 2 EUR/kg", 1, 4, "expected MIN, MAX, '+', '-' or the end of the expression, found number 2"},
		{"", 1, 1, "expected " + expectedTerm + ", found end of input"},
		{"12 500 EUR/t", 1, 4, "expected '%', '¢' or an ISO 4217 currency code (such as EUR) after 12, found number 500 (a number is written without separators: 12500)"},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		var se *SyntaxError
		if !errors.As(err, &se) {
			t.Errorf("Parse(%q) = %v, want a *SyntaxError", tt.src, err)
			continue
		}
		if se.Line != tt.line || se.Col != tt.col || se.Msg != tt.msg {
			t.Errorf("Parse(%q) error\n  %v\nwant\n  %d:%d: %s", tt.src, se, tt.line, tt.col, tt.msg)
		}
	}
}

func TestUnitsCurrencies(t *testing.T) {
	e := MustParse("9% MIN 1.1 GBP/100 kg MAX 9.2 GBP/100 kg - 37.5¢/kg content + max(2 EUR/p/st, 1 EUR/t) + " + entryLine)
	wantUnits := []Unit{
		{Per: exact.Int(100), Code: "kg"},
		{Per: exact.Int(1), Code: "kg", Content: true},
		{Per: exact.Int(1), Code: "p/st"},
		{Per: exact.Int(1), Code: "t"},
	}
	got := e.Units()
	if len(got) != len(wantUnits) {
		t.Fatalf("Units() = %v, want %v", got, wantUnits)
	}
	for i, u := range got {
		w := wantUnits[i]
		if u.Code != w.Code || u.Content != w.Content || u.Per.Cmp(w.Per) != 0 {
			t.Errorf("Units()[%d] = %v, want %v", i, u, w)
		}
	}
	if got, want := e.Currencies(), []string{"GBP", "USD", "EUR"}; !reflect.DeepEqual(got, want) {
		t.Errorf("Currencies() = %v, want %v", got, want)
	}
}

func TestDeepNesting(t *testing.T) {
	src := ""
	for range 200 {
		src += "("
	}
	if _, err := Parse(src + "3%"); err == nil {
		t.Errorf("Parse of 200 nested parentheses succeeded, want an error")
	}
}

func TestSyntaxErrorIn(t *testing.T) {
	tests := []struct {
		src               string
		line, col         int // where src starts in its file
		wantLine, wantCol int
	}{
		{"3.7", 42, 11, 42, 14},
		{"9% MIN 1.1 GBP/100 kg\nMAX", 42, 11, 43, 4},
	}
	for _, tt := range tests {
		_, err := Parse(tt.src)
		se, ok := err.(*SyntaxError)
		if !ok {
			t.Fatalf("Parse(%q) = %v, want a *SyntaxError", tt.src, err)
		}
		if l, c := se.In(tt.line, tt.col); l != tt.wantLine || c != tt.wantCol {
			t.Errorf("Parse(%q) error %v .In(%d, %d) = %d:%d, want %d:%d", tt.src, se, tt.line, tt.col, l, c, tt.wantLine, tt.wantCol)
		}
	}
}

func TestTextMarshaling(t *testing.T) {
	var e Expr
	if err := e.UnmarshalText([]byte("9 %  MIN 1.1 GBP / 100 kg")); err != nil {
		t.Fatalf("UnmarshalText: %v", err)
	}
	b, err := e.MarshalText()
	if err != nil || string(b) != "9% MIN 1.1 GBP/100 kg" {
		t.Errorf("MarshalText() = %q, %v, want %q", b, err, "9% MIN 1.1 GBP/100 kg")
	}
	var se *SyntaxError
	if err := e.UnmarshalText([]byte("9")); !errors.As(err, &se) {
		t.Errorf("UnmarshalText(\"9\") = %v, want a *SyntaxError", err)
	}
}

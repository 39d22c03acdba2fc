package dec

import (
	"encoding/json"
	"testing"
)

func TestArithmetic(t *testing.T) {
	tests := []struct {
		id, op, x, y, want string
	}{
		{"add1", "+", "0.44", "0.55", "0.99"},
		{"add2", "+", "0.1", "0.2", "0.3"},
		{"sub1", "-", "1.00", "0.37", "0.63"},
		{"mul1", "*", "12.8", "0.01", "0.128"},
		{"mul2", "*", "0.375", "1234.5678", "462.9629250"},
		{"quo1", "/", "1", "4", "0.25"},
		{"quo2", "/", "2", "3", "0.6666666666666666666666666666666667"},
	}
	for _, tt := range tests {
		x, y := MustParse(tt.x), MustParse(tt.y)
		var got Decimal
		switch tt.op {
		case "+":
			got = x.Add(y)
		case "-":
			got = x.Sub(y)
		case "*":
			got = x.Mul(y)
		case "/":
			got = x.Quo(y)
		}
		if got.String() != tt.want {
			t.Errorf("%s: %s %s %s = %s, want %s", tt.id, tt.x, tt.op, tt.y, got, tt.want)
		}
	}
}

func TestOperandsUnchanged(t *testing.T) {
	x, y := MustParse("1.5"), MustParse("2.25")
	_ = x.Add(y)
	_ = x.Mul(y)
	if x.String() != "1.5" || y.String() != "2.25" {
		t.Fatalf("operands changed: x=%s y=%s", x, y)
	}
}

func TestRound(t *testing.T) {
	tests := []struct {
		x      string
		places int32
		mode   Mode
		want   string
		rnd    bool
	}{
		{"2.345", 2, HalfUp, "2.35", true},
		{"2.345", 2, HalfEven, "2.34", true},
		{"2.355", 2, HalfEven, "2.36", true},
		{"2.349", 2, Down, "2.34", true},
		{"-2.345", 2, HalfUp, "-2.35", true},
		{"2.3", 2, HalfUp, "2.30", false},
		{"2.341", 2, Up, "2.35", true},
	}
	for _, tt := range tests {
		got, rounded, err := MustParse(tt.x).Round(tt.places, tt.mode)
		if err != nil || got.String() != tt.want || rounded != tt.rnd {
			t.Errorf("Round(%s, %d, %s) = %s, %v, %v; want %s, %v", tt.x, tt.places, tt.mode, got, rounded, err, tt.want, tt.rnd)
		}
	}
	if _, _, err := One.Round(2, "sideways"); err == nil {
		t.Error("Round with unknown mode: no error")
	}
}

func TestParseErrors(t *testing.T) {
	for _, s := range []string{"", "abc", "1.2.3", "NaN", "Inf", "1,5"} {
		if _, err := Parse(s); err == nil {
			t.Errorf("Parse(%q): no error", s)
		}
	}
}

func TestJSON(t *testing.T) {
	var v struct{ A, B Decimal }
	if err := json.Unmarshal([]byte(`{"A": 0.1, "B": "3.70"}`), &v); err != nil {
		t.Fatal(err)
	}
	if v.A.String() != "0.1" || v.B.String() != "3.70" {
		t.Fatalf("got %s %s", v.A, v.B)
	}
	b, _ := json.Marshal(v)
	if string(b) != `{"A":"0.1","B":"3.70"}` {
		t.Fatalf("Marshal = %s", b)
	}
}

func TestNormalize(t *testing.T) {
	for in, want := range map[string]string{"3.70": "3.7", "100": "100", "1E+2": "100", "0.000": "0", "-0.50": "-0.5"} {
		if got := MustParse(in).Normalize().String(); got != want {
			t.Errorf("Normalize(%s) = %s, want %s", in, got, want)
		}
	}
}

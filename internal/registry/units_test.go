package registry

import (
	"strings"
	"testing"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

func TestConvertQuantity(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		value, from, to, basis string
		want                   string
	}{
		{"1", "lb", "kg", Gross, "0.45359237"},
		{"1", "kg", "g", Gross, "1000"},
		{"1", "t", "kg", Contained, "1000"},
		{"1", "tonne", "lb", Gross, "2204.622621848775807229738013450270"}, // 1000 / 0.45359237 to 34 digits
		{"1", "troy_oz", "g", Gross, "31.1034768"},
		{"32.150746568627980522", "oz_t", "kg", Gross, "0.9999999999999999999968788896"}, // an exact product, no rounding
		{"1000", "troy oz", "kg", Gross, "31.1034768"},
		{"1", "flask", "lb", Gross, "76"},
		{"1", "short_ton", "lb", Gross, "2000"},
		{"1", "long_ton", "lb", Gross, "2240"},
		{"1", "MT", "short_ton", Gross, "1.102311310924387903614869006725135"},
		{"5", "dmtu", "kg", Contained, "50"},
		{"250", "kg", "dmtu", Contained, "25"},
	}
	for _, tt := range tests {
		q := Quantity{Value: dec.MustParse(tt.value), Unit: tt.from, Basis: tt.basis}
		got, err := r.ConvertQuantity(q, tt.to)
		if err != nil || got.Value.Cmp(dec.MustParse(tt.want)) != 0 || got.Basis != tt.basis {
			t.Errorf("ConvertQuantity(%v, %q) = %v, %v, want %s %s", q, tt.to, got, err, tt.want, tt.basis)
		}
	}
	// 1 t in lb is the quotient to dec.Precision digits, the figure the brief
	// checks to 24 digits.
	got, _ := r.ConvertQuantity(Quantity{Value: dec.One, Unit: "t", Basis: Gross}, "lb")
	rounded, _, _ := got.Value.Round(20, dec.HalfEven)
	if rounded.String() != "2204.62262184877580722974" || got.Value.Cmp(dec.FromInt(1000).Quo(dec.MustParse("0.45359237"))) != 0 {
		t.Errorf("ConvertQuantity(1 t, lb) = %s, want 1000/0.45359237 = 2204.62262184877580722974…", got.Value)
	}
}

func TestConvertQuantityErrors(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		q        Quantity
		to       string
		kind     problem.Code
		contains string
	}{
		{Quantity{dec.One, "dmtu", Gross}, "kg", problem.Invalid, "dmtu measures contained weight, but the quantity is gross"},
		{Quantity{dec.One, "kg", Gross}, "dmtu", problem.Invalid, "apply the content first"},
		{Quantity{dec.One, "kg", ""}, "t", problem.Invalid, `quantity basis "" is not`},
		{Quantity{dec.One, "stone", Gross}, "kg", problem.NotFound, `unknown unit "stone"`},
		{Quantity{dec.One, "kg", Gross}, "tonn", problem.NotFound, `(did you mean "tonne"`},
	}
	for _, tt := range tests {
		_, err := r.ConvertQuantity(tt.q, tt.to)
		if problem.CodeOf(err) != tt.kind || err == nil || !strings.Contains(err.Error(), tt.contains) {
			t.Errorf("ConvertQuantity(%v, %q) error = %v, want %s containing %q", tt.q, tt.to, err, tt.kind, tt.contains)
		}
	}
}

func TestUnit(t *testing.T) {
	r := testRegistry(t)
	tests := []struct {
		code, want string
	}{
		{"t", "t"}, {"tonne", "t"}, {"mt", "t"}, {"MT", "t"}, {"kilogram", "kg"}, {"pound", "lb"},
		{"oz_t", "troy_oz"}, {"troy oz", "troy_oz"}, {"dmtu", "dmtu"},
	}
	for _, tt := range tests {
		u, err := r.Unit(tt.code)
		if err != nil || u.Code != tt.want {
			t.Errorf("Unit(%q) = %q, %v, want %q", tt.code, u.Code, err, tt.want)
		}
	}
	if n := len(r.Units()); n != len(units) || r.Units()[0].Code != "kg" {
		t.Errorf("Units() = %d units starting with %q, want %d starting with kg", n, r.Units()[0].Code, len(units))
	}
}

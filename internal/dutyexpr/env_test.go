package dutyexpr

import (
	"fmt"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/exact"
)

// qtyKey names a declared quantity: a unit code, gross or of content.
type qtyKey struct {
	code    string
	content bool
}

// testEnv is a declaration: its customs value in the charging currency, its
// quantities by unit, the exchange rates into the charging currency, and
// the party's rounding of a specific rate per unit (places < 0: none).
type testEnv struct {
	charging string
	value    exact.Q
	qty      map[qtyKey]exact.Q
	rates    map[string]exact.Q // units of charging currency per unit of the key
	places   int
}

func q(s string) exact.Q {
	v, ok := exact.ParseString(s)
	if !ok {
		panic("bad number " + s)
	}
	return v
}

// env returns a declaration charged in charging, of value, with the
// quantities given as "kg=1000", "kg content=600", "p/st=15".
func env(charging, value string, quantities ...string) *testEnv {
	e := &testEnv{charging: charging, value: q(value), qty: map[qtyKey]exact.Q{}, rates: map[string]exact.Q{}, places: -1}
	for _, s := range quantities {
		var k qtyKey
		var v string
		for i := len(s) - 1; i >= 0; i-- {
			if s[i] == '=' {
				k.code, v = s[:i], s[i+1:]
				break
			}
		}
		if n := len(k.code); n > 8 && k.code[n-8:] == " content" {
			k.code, k.content = k.code[:n-8], true
		}
		e.qty[k] = q(v)
	}
	return e
}

func (e *testEnv) rate(currency, r string) *testEnv { e.rates[currency] = q(r); return e }

func (e *testEnv) roundPerUnit(places int) *testEnv { e.places = places; return e }

func (e *testEnv) Value() exact.Q { return e.value }

func (e *testEnv) Quantity(u Unit) (exact.Q, error) {
	v, ok := e.qty[qtyKey{u.Code, u.Content}]
	if !ok {
		return exact.Q{}, fmt.Errorf("no quantity declared in %s", u)
	}
	return v, nil
}

func (e *testEnv) Convert(amount exact.Q, currency string) (exact.Q, Conversion, error) {
	if currency == e.charging {
		return amount, Conversion{}, nil
	}
	r, ok := e.rates[currency]
	if !ok {
		return exact.Q{}, Conversion{}, fmt.Errorf("no rate from %s to %s", currency, e.charging)
	}
	return amount.Mul(r), Conversion{From: currency, To: e.charging, Rate: r}, nil
}

func (e *testEnv) RoundPerUnit(perUnit exact.Q) (exact.Q, bool) {
	if e.places < 0 {
		return perUnit, false
	}
	r, _ := perUnit.Round(e.places, dec.HalfUp)
	return r, true
}

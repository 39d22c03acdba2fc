package main

import (
	"math"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/dec"
)

// Figures as people read them, for tables on a terminal: thousands
// separators and a fixed number of decimals, never an exponent. A pipe gets
// the exact figure instead.

// formatDecimal renders an exact decimal string with thousands separators and
// exactly places decimals, rounding half away from zero if it has more:
// "1234567.5" at 2 places is "1,234,567.50". Anything that is not a decimal
// ("-", "") is returned as it is.
func formatDecimal(exact string, places int) string {
	s := exact
	if strings.ContainsAny(s, "eE") {
		d, err := dec.Parse(s)
		if err != nil {
			return exact
		}
		s = d.String()
	}
	sign := ""
	if s != "" && (s[0] == '-' || s[0] == '+') {
		sign, s = s[:1], s[1:]
		if sign == "+" {
			sign = ""
		}
	}
	whole, frac, _ := strings.Cut(s, ".")
	if whole+frac == "" || !allDigits(whole) || !allDigits(frac) {
		return exact
	}
	places = max(places, 0)
	if len(frac) > places {
		up := frac[places] >= '5'
		frac = frac[:places]
		if up {
			digits := increment(whole + frac)
			whole, frac = digits[:len(digits)-places], digits[len(digits)-places:]
		}
	}
	frac += strings.Repeat("0", places-len(frac))
	if strings.Trim(whole+frac, "0") == "" {
		sign = "" // no "-0.00"
	}
	out := sign + groupDigits(strings.TrimLeft(whole, "0"))
	if places > 0 {
		out += "." + frac
	}
	return out
}

// formatFloat renders x with thousands separators and exactly places
// decimals: 2.21641e+08 at 0 places is "221,641,000".
func formatFloat(x float64, places int) string {
	if math.IsNaN(x) || math.IsInf(x, 0) {
		return strconv.FormatFloat(x, 'g', -1, 64)
	}
	return formatDecimal(strconv.FormatFloat(x, 'f', max(places, 0), 64), places)
}

// groupDigits puts a comma between each group of three digits of a whole
// number written in digits: "1234567" is "1,234,567"; "" is "0".
func groupDigits(whole string) string {
	if whole == "" {
		return "0"
	}
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	return b.String()
}

func allDigits(s string) bool {
	return strings.Trim(s, "0123456789") == ""
}

// increment adds one to a string of digits: "0999" is "1000", "99" is "100".
func increment(digits string) string {
	b := []byte(digits)
	for i := len(b) - 1; i >= 0; i-- {
		if b[i] < '9' {
			b[i]++
			return string(b)
		}
		b[i] = '0'
	}
	return "1" + string(b)
}

package web

import (
	"errors"
	"fmt"
	"html/template"
	"strconv"
	"strings"

	"github.com/mineralpact/mineralpact/internal/agreement"
	"github.com/mineralpact/mineralpact/internal/date"
	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
)

// funcs are the helpers templates may call.
var funcs = template.FuncMap{
	"words":    words,
	"longDate": longDate,
	"percent":  percent,
	"rounding": rounding,
	"short":    func(s string) string { return s[:min(len(s), 12)] },
	"grouped":  grouped,
	"cents":    cents,
}

// cents rounds an exact decimal half up to 2 places for prose, grouped:
// 59928.5650861329 → "59,928.57". Tables keep every digit.
func cents(x dec.Decimal) string {
	r, _, err := x.Round(2, dec.HalfUp)
	if err != nil {
		return grouped(x)
	}
	return grouped(r)
}

// grouped writes an exact decimal with thousands separators: 67860.01 →
// "67,860.01". The digits are the decimal's own; nothing is rounded.
func grouped(x dec.Decimal) string { return groupThousands(x.String()) }

// groupThousands puts a comma between each group of three digits of a
// number written in digits, with its sign and fraction kept: "-67860.01" →
// "-67,860.01". Every number the pages group goes through it.
func groupThousands(s string) string {
	sign := ""
	if strings.HasPrefix(s, "-") {
		sign, s = "-", s[1:]
	}
	whole, frac, hasFrac := strings.Cut(s, ".")
	var b strings.Builder
	for i, c := range whole {
		if i > 0 && (len(whole)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if hasFrac {
		b.WriteString("." + frac)
	}
	return sign + b.String()
}

// words turns an identifier into words: "tariff_rate_quota" → "tariff rate quota".
func words(id any) string { return strings.ReplaceAll(fmt.Sprint(id), "_", " ") }

// longDate renders a date for reading: "1 January 2026".
func longDate(d date.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Time().Format("2 January 2006")
}

// percent renders a mass fraction as a percentage: 0.1879 → "18.79 %".
func percent(x dec.Decimal) string {
	return x.Mul(dec.FromInt(100)).Normalize().String() + " %"
}

// rounding describes a party's rounding rule: "each duty, half up, 2 places".
func rounding(r agreement.Rounding) string {
	unit := "places"
	if r.Places == 1 {
		unit = "place"
	}
	return words(string(r.Scope)) + ", " + words(string(r.Mode)) + ", " + strconv.Itoa(r.Places) + " " + unit
}

// messageOf is what a page shows of an error: a problem's message without its
// field path, which the page's form already names.
func messageOf(err error) string {
	var pe *problem.Error
	if errors.As(err, &pe) && pe.Message != "" {
		return pe.Message
	}
	return err.Error()
}

package monitor

import (
	"fmt"
	"strings"
)

// InputError is a problem with one cell of an input file: the file, the row
// (the line of the file, the header being row 1), the column and what is
// wrong. Readers stop at the first one: a scan never runs on half a file.
type InputError struct {
	File   string
	Row    int    // 0 for a problem with the file as a whole
	Column string // "" for a problem with the row as a whole
	Msg    string
}

func (e *InputError) Error() string {
	var b strings.Builder
	b.WriteString(e.File)
	if e.Row > 0 {
		fmt.Fprintf(&b, ": row %d", e.Row)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, ", column %s", e.Column)
	}
	b.WriteString(": ")
	b.WriteString(e.Msg)
	return b.String()
}

func inputErr(file string, row int, col, format string, args ...any) *InputError {
	return &InputError{File: file, Row: row, Column: col, Msg: fmt.Sprintf(format, args...)}
}

// Values are read exactly as scaled integers: money in thousandths of a US
// dollar (BACI's thousand-dollar values with three decimals are whole
// dollars; Comtrade's are dollars with up to three decimals), weights in
// grams (BACI's tonnes with three decimals are whole kilograms, Comtrade's
// kilograms with up to three decimals). Aggregation adds the integers, so a
// sum does not depend on the order of the rows; the detectors' statistics
// (ratios, logarithms, medians) are float64.
const (
	milli = 1000
)

// parseScaled reads a non-negative decimal (digits, an optional point and
// fraction; surrounding spaces ignored) as an integer scaled by 10^places
// (plus the extra power of ten of unit, 0 or 3), exactly. More decimals than
// the scale holds are rounded half away from zero; an exponent (1.2E+06, as
// spreadsheets write) is accepted and read through float64. It returns
// ok=false and a reason for anything else, including a negative value.
func parseScaled[T string | []byte](s T, places int) (int64, string) {
	for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
		s = s[1:]
	}
	for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t') {
		s = s[:len(s)-1]
	}
	if len(s) == 0 {
		return 0, "empty"
	}
	if s[0] == '-' {
		return 0, fmt.Sprintf("negative value %s", string(s))
	}
	if s[0] == '+' {
		s = s[1:]
	}
	var n int64
	i := 0
	digits := 0
	for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
		if n > (1<<62)/10 {
			return 0, fmt.Sprintf("value %s is too large", string(s))
		}
		n = n*10 + int64(s[i]-'0')
		digits++
	}
	frac := 0
	round := false
	if i < len(s) && s[i] == '.' {
		i++
		for ; i < len(s) && s[i] >= '0' && s[i] <= '9'; i++ {
			if frac < places {
				n = n*10 + int64(s[i]-'0')
				frac++
			} else if frac == places {
				round = s[i] >= '5'
				frac++
			}
			digits++
		}
	}
	if i < len(s) && (s[i] == 'e' || s[i] == 'E') && digits > 0 {
		return parseExp(string(s), places)
	}
	if i != len(s) || digits == 0 {
		return 0, fmt.Sprintf("not a number: %q", string(s))
	}
	for frac < places {
		n *= 10
		frac++
	}
	if round {
		n++
	}
	return n, ""
}

func parseExp(s string, places int) (int64, string) {
	var f float64
	if _, err := fmt.Sscanf(s, "%g", &f); err != nil || f < 0 {
		return 0, fmt.Sprintf("not a number: %q", s)
	}
	scale := 1.0
	for range places {
		scale *= 10
	}
	v := f*scale + 0.5
	if v > 1<<62 {
		return 0, fmt.Sprintf("value %s is too large", s)
	}
	return int64(v), ""
}

// validHS reports whether code is an HS code of 6 to 10 digits.
func validHS(code string) bool {
	if len(code) < 6 || len(code) > 10 {
		return false
	}
	for i := 0; i < len(code); i++ {
		if code[i] < '0' || code[i] > '9' {
			return false
		}
	}
	return true
}

package exact

// Parse reads a plain decimal ("1234.5", "-0.25", "+7", ".5", "3."): digits
// with at most one point and an optional leading sign, at most 36 significant
// digits and 36 places; false for anything else (no exponent, no spaces). The
// value keeps the places it was written with ("1.50" has two) while its parts
// fit in 96 bits.
func Parse(s []byte) (Q, bool) { return parse(s) }

// ParseString is Parse for a string, without copying it.
func ParseString(s string) (Q, bool) { return parse(s) }

func parse[T string | []byte](s T) (Q, bool) {
	neg := false
	i := 0
	if len(s) > 0 && (s[0] == '-' || s[0] == '+') {
		neg = s[0] == '-'
		i = 1
	}
	start := i
	if len(s) == start {
		return Q{}, false
	}
	if len(s)-i > 19 {
		return parseSlow(s, i, neg)
	}
	// Fast path: at most 19 digits accumulate in 64 bits.
	var v uint64
	scale := 0
	point := false
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			v = v*10 + uint64(c-'0')
			if point {
				scale++
			}
		case c == '.' && !point:
			point = true
		default:
			return Q{}, false
		}
	}
	if point && len(s)-start == 1 {
		return Q{}, false
	}
	return mk(u128{0, v}, pow10[scale], neg), true
}

// parseSlow is parse for the text s[i:] of any length (unsigned: the sign
// was read, into neg).
func parseSlow[T string | []byte](s T, i int, neg bool) (Q, bool) {
	var n u128
	scale, digits := 0, 0
	point := false
	start := i
	for ; i < len(s); i++ {
		c := s[i]
		switch {
		case c >= '0' && c <= '9':
			if digits > 0 || c != '0' {
				digits++
			}
			if digits > 36 {
				return Q{}, false
			}
			n, _ = mul128(n, u128{0, 10})
			n, _ = add128(n, u128{0, uint64(c - '0')})
			if point {
				scale++
			}
		case c == '.' && !point:
			point = true
		default:
			return Q{}, false
		}
	}
	if scale > 36 || (point && len(s)-start == 1) {
		return Q{}, false
	}
	return mk(n, pow10[scale], neg), true
}

// Package suggest finds the names near a mistyped one, so that an error for an
// unknown code can say what was probably meant.
package suggest

import (
	"fmt"
	"slices"
	"sort"
	"strings"
)

// maxSuggestions is how many near names an error message offers.
const maxSuggestions = 3

// Near returns up to maxSuggestions candidates near input, nearest first:
// those within a Levenshtein distance that grows with the input's length (a
// third of it, at least 1 and at most 3) and is at most one more than the
// nearest candidate's, then those input is a prefix of. Comparison ignores
// case. Short inputs get a tight limit because every two-letter code is within
// distance 2 of every other; the second rule keeps "cerium" out of the
// suggestions for "litium" when "lithium" is one edit away.
func Near(input string, candidates []string) []string {
	in := strings.ToLower(input)
	limit := min(3, max(1, (len([]rune(in))+1)/3))
	type near struct {
		s    string
		dist int
	}
	var found []near
	seen := make(map[string]bool)
	for _, c := range candidates {
		if seen[c] {
			continue
		}
		lc := strings.ToLower(c)
		d := Distance(in, lc)
		switch {
		case d <= limit:
		case len(in) >= 2 && strings.HasPrefix(lc, in):
			d = limit + 1 // after every close spelling
		default:
			continue
		}
		seen[c] = true
		found = append(found, near{c, d})
	}
	best := limit
	for _, f := range found {
		best = min(best, f.dist)
	}
	found = slices.DeleteFunc(found, func(f near) bool { return f.dist <= limit && f.dist > best+1 })
	sort.SliceStable(found, func(i, j int) bool {
		if found[i].dist != found[j].dist {
			return found[i].dist < found[j].dist
		}
		return found[i].s < found[j].s
	})
	out := make([]string, 0, min(len(found), maxSuggestions))
	for i := 0; i < len(found) && i < maxSuggestions; i++ {
		out = append(out, found[i].s)
	}
	return out
}

// DidYouMean renders suggestions for an error message: ` (did you mean "a"?)`,
// ` (did you mean "a", "b" or "c"?)`, or "" when there are none.
func DidYouMean(s []string) string {
	switch len(s) {
	case 0:
		return ""
	case 1:
		return fmt.Sprintf(" (did you mean %q?)", s[0])
	}
	q := make([]string, len(s))
	for i, x := range s {
		q[i] = fmt.Sprintf("%q", x)
	}
	return fmt.Sprintf(" (did you mean %s or %s?)", strings.Join(q[:len(q)-1], ", "), q[len(q)-1])
}

// Distance returns the edit distance between a and b, counted in runes.
func Distance(a, b string) int {
	ra, rb := []rune(a), []rune(b)
	prev := make([]int, len(rb)+1)
	cur := make([]int, len(rb)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(ra); i++ {
		cur[0] = i
		for j := 1; j <= len(rb); j++ {
			cost := 1
			if ra[i-1] == rb[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return prev[len(rb)]
}

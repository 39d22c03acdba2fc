package agreement

import "github.com/mineralpact/mineralpact/internal/suggest"

// didYouMean returns ` (did you mean "x"?)` for the names nearest got, or "".
func didYouMean(got string, names []string) string {
	return suggest.DidYouMean(suggest.Near(got, names))
}

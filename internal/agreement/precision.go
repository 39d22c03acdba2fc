package agreement

import (
	"fmt"
	"reflect"

	"github.com/mineralpact/mineralpact/internal/dec"
	"github.com/mineralpact/mineralpact/internal/problem"
	"github.com/mineralpact/mineralpact/internal/registry"
)

// MaxPricePlaces bounds a price rule's precision: a reference price is
// published to at most a millionth of the currency's unit.
const MaxPricePlaces = 6

// precision checks a price rule's stated precision. It is an error only when
// the places are out of range; a figure the precision would round is a
// warning (PrecisionWarnings), since the agreement is still well formed.
func (v *validator) precision(p string, r PriceRule) {
	if r.Precision == nil {
		return
	}
	if n := r.Precision.Places; n < 0 || n > MaxPricePlaces {
		v.add(p+".precision.places", "places must be between 0 and %d, got %d", MaxPricePlaces, n)
	}
}

// PrecisionWarning is a figure stated in a price rule (a negotiated price, a
// band's floor or ceiling, a minimum) with more decimals than the rule
// publishes: the published price would not be the figure agreed. It is a
// warning, not an error: the floor is published rounded, as the rule says,
// and keeps the exact figure beside it (refprice.Floor.ExactPrice).
type PrecisionWarning struct {
	Pos       problem.Pos    `json:"pos"`
	Field     string         `json:"field"` // path of the figure, e.g. minerals[3].stages[0].price.price
	Mineral   string         `json:"mineral"`
	Stage     registry.Stage `json:"stage"`
	Figure    string         `json:"figure"`    // which figure: negotiated price, band floor, ...
	Stated    dec.Decimal    `json:"stated"`    // as written in the file
	Published dec.Decimal    `json:"published"` // as the rule's precision would publish it
	Precision Precision      `json:"precision"` // the rule's, defaults filled in
	// Amendment names the amendment that states the figure or the
	// precision, when the warning arises only in the text as amended.
	Amendment string `json:"amendment,omitempty"`
	Message   string `json:"message"`
}

// String renders the warning like a compiler, at the figure's place in the
// file: "pact.yaml:42:18: minerals[3].stages[0].price.price: warning: ...".
func (w PrecisionWarning) String() string {
	s := ""
	if at := w.Pos.String(); at != "" {
		s = at + ": "
	}
	return s + w.Field + ": warning: " + w.Message
}

// PrecisionWarnings returns a warning for each figure of a price rule that
// the rule's precision would round, in the text of the agreement and in the
// text as each amendment leaves it (a warning an amendment introduces is
// placed at its change). src gives each its line and column; it may be nil.
func PrecisionWarnings(a *Agreement, src *Source) []PrecisionWarning {
	out := precisionOf(a, src, "")
	seen := map[string]bool{}
	for _, w := range out {
		seen[w.key()] = true
	}
	if len(a.Amendments) == 0 {
		return out
	}
	cur := deepCopy(reflect.ValueOf(a).Elem()).Addr().Interface().(*Agreement)
	for i, am := range a.Amendments {
		if am.Effective.IsZero() {
			continue
		}
		for _, ch := range am.Changes {
			if applyTyped(cur, ch) != nil {
				return out // validation reports it
			}
		}
		for _, w := range precisionOf(cur, nil, am.ID) {
			if seen[w.key()] {
				continue
			}
			seen[w.key()] = true
			w.Pos = src.Pos(changePathFor(am, i, idPath(cur, w.Field)))
			out = append(out, w)
		}
	}
	return out
}

// precisionOf checks every price rule of a.
func precisionOf(a *Agreement, src *Source, amendment string) []PrecisionWarning {
	var out []PrecisionWarning
	for i, m := range a.Minerals {
		for j, s := range m.Stages {
			p := fmt.Sprintf("minerals[%d].stages[%d].price", i, j)
			r := s.Price
			if r.Precision != nil && (r.Precision.Places < 0 || r.Precision.Places > MaxPricePlaces) {
				continue // an error, reported by Validate
			}
			prec := r.Rounding()
			figures := []struct {
				field, name string
				x           dec.Decimal
			}{
				{"price", "negotiated price", r.Price},
				{"floor", "band floor", r.Floor},
				{"ceiling", "band ceiling", r.Ceiling},
				{"revision.minimum", "minimum", r.Revision.Minimum},
			}
			for _, f := range figures {
				if f.x.IsZero() {
					continue
				}
				pub, changed, err := prec.Round(f.x)
				if err != nil || !changed {
					continue
				}
				path := p + "." + f.field
				w := PrecisionWarning{Pos: src.Pos(path), Field: path, Mineral: m.ID, Stage: s.Stage,
					Figure: f.name, Stated: f.x, Published: pub, Precision: prec, Amendment: amendment}
				w.Message = precisionMessage(w, r.Precision == nil)
				out = append(out, w)
			}
		}
	}
	return out
}

// key is what makes two warnings the same, wherever the figure stands.
func (w PrecisionWarning) key() string {
	return fmt.Sprintf("%s/%s %s %s %s", w.Mineral, w.Stage, w.Figure, w.Stated, w.Precision)
}

func precisionMessage(w PrecisionWarning, byDefault bool) string {
	rule := "the rule's precision"
	if byDefault {
		rule = "the default precision: the rule states none"
	}
	fix := fmt.Sprintf("state the figure to %s or give the rule precision: {places: %d}", placesText(w.Precision.Places), decimals(w.Stated))
	if decimals(w.Stated) > MaxPricePlaces {
		fix = fmt.Sprintf("state the figure to at most %d places", MaxPricePlaces)
	}
	s := fmt.Sprintf("precision: %s/%s: the %s %s would be published as %s (%s, %s); %s",
		w.Mineral, w.Stage, w.Figure, w.Stated, w.Published, w.Precision, rule, fix)
	if w.Amendment != "" {
		s = "after amendment " + w.Amendment + ": " + s
	}
	return s
}

// decimals is the number of digits after the point x is written with.
func decimals(x dec.Decimal) int {
	s := x.String()
	for i := range len(s) {
		if s[i] == '.' {
			return len(s) - i - 1
		}
	}
	return 0
}

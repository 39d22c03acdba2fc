package refprice

import (
	"slices"
	"strings"
)

// provenance summarises the qualities of f's inputs and of the floors it
// inherits from (an upstream stage, a binding collar), weakest first; each
// input is named once per quality.
func provenance(inputs []Input, inherited []Provenance) []Provenance {
	by := map[Quality][]string{}
	add := func(q Quality, name string) {
		if q != "" && !slices.Contains(by[q], name) {
			by[q] = append(by[q], name)
		}
	}
	for _, in := range inputs {
		if in.inSeries {
			continue
		}
		add(in.Quality, in.Name)
	}
	for _, p := range inherited {
		for _, n := range p.Inputs {
			add(p.Quality, n)
		}
	}
	out := make([]Provenance, 0, len(by))
	for _, q := range qualityOrder {
		if len(by[q]) > 0 {
			out = append(out, Provenance{Quality: q, Inputs: by[q]})
		}
	}
	return out
}

// inheritFrom returns the provenance of an upstream floor with its inputs
// named "mineral/stage: input" (names already so qualified are kept).
func inheritFrom(up *Floor) []Provenance {
	prefix := up.Mineral + "/" + up.Stage + ": "
	out := make([]Provenance, 0, len(up.Provenance))
	for _, p := range up.Provenance {
		q := Provenance{Quality: p.Quality, Inputs: make([]string, len(p.Inputs))}
		for i, n := range p.Inputs {
			if isQualified(n) {
				q.Inputs[i] = n
			} else {
				q.Inputs[i] = prefix + n
			}
		}
		out = append(out, q)
	}
	return out
}

// isQualified reports whether an input name already names its floor
// ("lithium/mined: marginal producer").
func isQualified(name string) bool {
	head, _, ok := strings.Cut(name, ": ")
	return ok && strings.Count(head, "/") == 1 && !strings.Contains(head, " ")
}

// Flags are the qualities of a floor a reader must be told of, in the order
// of its provenance: "imputed", "estimated", "not_deflated" (generated is
// shown as illustrative).
func (f *Floor) Flags() []string {
	var out []string
	for _, p := range f.Provenance {
		if p.Quality.Flagged() && p.Quality != Generated {
			out = append(out, string(p.Quality))
		}
	}
	return out
}
